import BulletinLintCore
import Foundation
import XCTest

/// Issue 14: OFD, .docx and PDF files made by other producers — the test files of open-source OFD,
/// docx and PDF libraries, kept in `Fixtures/producers/` with their provenance and licences — are read
/// and linted without a crash or a hang. Each file's outcome is listed below, so that a change in
/// what the readers make of it is noticed.
final class ProducerFilesTests: XCTestCase {
    enum Outcome: Equatable, CustomStringConvertible {
        /// Read; the text contains this snippet.
        case text(String)
        /// Read, and no text came out (the file draws no text of its own).
        case empty
        /// Refused with a `ReadFailure` of this id.
        case failure(String)

        var description: String {
            switch self {
            case .text(let snippet): return "text containing \"\(snippet)\""
            case .empty: return "empty text"
            case .failure(let id): return "failure \(id)"
            }
        }
    }

    /// Every file under `Fixtures/producers/` (path relative to it) and what reading it gives.
    static let expected: [String: Outcome] = [
        // OFD, from ofdrw/ofdrw (Apache-2.0): see Fixtures/producers/README.md.
        "ofd/20240531141733.ofd": .text("2024年05月28日"),  // Suwell, 2024: an invoice with a template and annotations
        "ofd/AddAttachment.ofd": .text("这是一个带有附件的OFD文件"),
        "ofd/AddWatermarkAnnot.ofd": .text("拿来主义"),
        "ofd/SESV4SignDoc.ofd": .text("你好呀，OFD Reader&Writer！"),
        "ofd/chineseDir.ofd": .text("你好呀，OFD Reader&Writer！"),
        "ofd/doc1File.ofd": .text("一日不见兮，思之如狂"),
        "ofd/draw_param_ref.ofd": .text("北京增值税电子普通发票"),
        "ofd/fptpl.ofd": .text("2020年08月05日"),  // Huhuang Software: an invoice drawn mostly by templates
        "ofd/hello-integrity.ofd": .text("拿来主义"),
        "ofd/hello_watermark.ofd": .text("你好呀，OFD Reader&Writer！"),
        "ofd/namespace_no_std.ofd": .text("你好呀，OFD Reader&Writer！"),
        // Two pages that carry the same lines at the same places (a title line and a company name):
        // every line looked like a running header or footer and the text came out empty; repeated
        // lines that would leave no page any content are the content.
        "ofd/keyword2.ofd": .text("你好呀，OFD Reader&Writer！"),
        "ofd/no_page_container.ofd": .text("上海浪潮云计算服务有限公司"),
        "ofd/path_unstd.ofd": .text("立案侦查。"),  // SurRead Creator 3.2
        "ofd/signout.ofd": .text("府办专督〔2020〕"),
        "ofd/test-ofda.ofd": .text("Hello OFD-A"),
        "ofd/v4signed.ofd": .text("2020年10月10日"),
        // .docx, from python-openxml/python-docx (MIT), written by Microsoft Word (Windows and Mac).
        "docx/blk-inner-content.docx": .text("P3"),
        "docx/comments-rich-para.docx": .text("Some text worthy of note."),
        "docx/doc-no-coreprops.docx": .empty,
        "docx/doc-word-default-blank.docx": .empty,
        "docx/having-images.docx": .empty,
        "docx/hdr-header-footer.docx": .text("section without header of its own."),
        "docx/num-having-numbering-part.docx": .text("Paragraph having List Number style."),
        "docx/par-hyperlinks.docx": .text("the first one here, the second one, and the third."),
        "docx/set-no-settings-part.docx": .empty,
        "docx/sty-having-no-styles-part.docx": .empty,
        "docx/tbl-having-tables.docx": .empty,  // tables whose cells are empty
        "docx/test.docx": .text("python-docx was here too!"),
        // PDF, from py-pdf/pypdf (BSD-3-Clause), read through pdftotext; the producer in comments.
        "pdf/AutoCad_Simple.pdf": .text("EXAMPLE"),  // AutoCAD 2012, pdfplot10.hdi
        "pdf/FormTestFromOo.pdf": .text("this is CheckBox 1"),  // LibreOffice 6.0, form fields
        "pdf/Sample_Td-matrix.pdf": .text("Hello PDF 200 0 Td!"),  // hand-written in vim: text matrices
        "pdf/bytes.pdf": .text("This is a test for a PDF with bytes title"),
        "pdf/commented.pdf": .text("The Crazy Ones"),  // xdvipdfmx, with PDF comments in the file
        "pdf/crazyones.pdf": .text("to the crazy ones. The misfits."),  // XeTeX, xdvipdfmx
        "pdf/form_evince.pdf": .text("foo bar"),  // pdfTeX with hyperref, filled in Evince
        "pdf/git.pdf": .failure("pdf-no-text"),  // Word for Microsoft 365: glyphs without a text map
        "pdf/imagemagick-lzw.pdf": .failure("pdf-no-text"),  // ImageMagick: an LZW image only
        "pdf/inkscape-abc.pdf": .text("A"),  // Inkscape 1.0.2, cairo
        "pdf/issue-297.pdf": .text("test example"),  // a broken cross-reference table
        "pdf/libreoffice-writer-password.pdf": .failure("pdf-no-text"),  // LibreOffice, user password
        "pdf/multilang.pdf": .text("你好世界"),  // LibreOffice 6.4: English, Arabic, Russian, Chinese
        "pdf/pdflatex-outline.pdf": .text("Contents"),  // pdfTeX, an outline
        "pdf/r4-aes-user-password.pdf": .failure("pdf-no-text"),  // AES-128 with a user password
        "pdf/r6-empty-password.pdf": .text("pdf encryption test"),  // WPS Writer, AES-256 with an empty password
        "pdf/reportlab-inline-image.pdf": .text("Test"),  // ReportLab, an inline image
        "pdf/selenium-pypdf-issue-177.pdf": .text("Hello World"),  // Chromium's print to PDF, cairo
        "pdf/toy.pdf": .text("Single quote operator"),  // hand-made: the ' and " text operators
    ]

    /// Files that crash or hang a reader: listed here, and not read, until the reader is fixed.
    static let knownProblems: [String: String] = [:]

    /// The whole loop must end within this many seconds: a guard against a reader that hangs.
    static let deadline: TimeInterval = 60

    static let directory = Fixtures.directory.appendingPathComponent("producers")

    static func documentPaths() throws -> [String] {
        var paths: [String] = []
        for folder in ["ofd", "docx", "pdf"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(folder).path)
            paths += names.filter { !$0.hasPrefix(".") }.map { "\(folder)/\($0)" }
        }
        return paths.sorted()
    }

    func testEveryFileIsListed() throws {
        let paths = try Self.documentPaths()
        XCTAssertGreaterThanOrEqual(paths.count, 47)
        for path in paths where Self.expected[path] == nil && Self.knownProblems[path] == nil {
            XCTFail("\(path) has no expected outcome in ProducerFilesTests.expected")
        }
        for path in Self.expected.keys.sorted() where !paths.contains(path) {
            XCTFail("\(path) is listed but not in Fixtures/producers/")
        }
    }

    func testProducerFilesAreReadAndLintedWithinTheDeadline() throws {
        // The PDFs need pdftotext: skipped without it on a developer's machine, a failure under CI.
        try PDFReaderTests.requirePDFToText()
        let paths = try Self.documentPaths().filter { Self.knownProblems[$0] == nil }
        let linter = Linter(ruleSet: try RuleSetLoader().load(references: ["default"]))
        let state = LoopState()
        let done = DispatchSemaphore(value: 0)
        let started = Date()
        // The loop runs on a thread of its own, so that a hang is reported (with the file being
        // read) when the deadline passes, rather than stopping the whole test run.
        Thread.detachNewThread {
            for path in paths {
                state.begin(path)
                let fileStart = Date()
                let outcome: Outcome
                switch DocumentReader.read(path: Self.directory.appendingPathComponent(path).path) {
                case .success(let source):
                    let report = linter.lint(source)
                    _ = report.diagnostics.count
                    outcome = .text(source.text)
                case .failure(let failure):
                    XCTAssertFalse(failure.message.isEmpty, "\(path): a failure without a message")
                    outcome = .failure(failure.ruleID)
                }
                state.finish(path, outcome, seconds: Date().timeIntervalSince(fileStart))
            }
            done.signal()
        }
        if done.wait(timeout: .now() + Self.deadline) == .timedOut {
            XCTFail("reading and linting Fixtures/producers/ took over \(Int(Self.deadline)) s; stuck on \(state.current ?? "?")")
            return
        }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, Self.deadline)
        for (path, outcome, seconds) in state.results {
            let expected = Self.expected[path]
            if ProcessInfo.processInfo.environment["PRODUCER_FILES_PRINT"] != nil {
                let shown: String
                if case .text(let text) = outcome {
                    shown = "text (\(text.count) characters, \(String(format: "%.2f", seconds)) s): \(text.prefix(120).replacingOccurrences(of: "\n", with: "⏎"))"
                } else {
                    shown = "\(outcome) (\(String(format: "%.2f", seconds)) s)"
                }
                print("PRODUCER \(path): \(shown)")
            }
            switch (outcome, expected) {
            case (.text(let text), .text(let snippet)?):
                XCTAssertTrue(text.contains(snippet), "\(path): the text no longer contains \"\(snippet)\"")
            case (.text(let text), .empty?):
                XCTAssertTrue(text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                              "\(path): text now comes out: \(text.prefix(80))")
            case (.failure(let id), .failure(let expectedID)?):
                XCTAssertEqual(id, expectedID, path)
            default:
                let got: String
                if case .text(let text) = outcome { got = "text \"\(text.prefix(80))\"" } else { got = "\(outcome)" }
                XCTFail("\(path): expected \(expected.map { "\($0)" } ?? "nothing listed"), got \(got)")
            }
        }
    }
}

/// What the reading thread has done, read by the test's thread.
private final class LoopState: @unchecked Sendable {
    private let lock = NSLock()
    private var _current: String?
    private var _results: [(String, ProducerFilesTests.Outcome, Double)] = []

    func begin(_ path: String) { lock.withLock { _current = path } }

    func finish(_ path: String, _ outcome: ProducerFilesTests.Outcome, seconds: Double) {
        lock.withLock {
            _results.append((path, outcome, seconds))
            _current = nil
        }
    }

    var current: String? { lock.withLock { _current } }
    var results: [(String, ProducerFilesTests.Outcome, Double)] { lock.withLock { _results } }
}
