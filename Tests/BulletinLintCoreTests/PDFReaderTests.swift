import BulletinLintCore
import Foundation
import XCTest

/// The PDF reader: pdftotext as a subprocess with a time limit, artifacts of the layout marked,
/// and encrypted, image-only or broken PDFs as one diagnostic each. The PDFs are made by
/// `scripts/make-pdf-fixtures` (LibreOffice, qpdf) and committed.
///
/// Without `pdftotext` the tests that need it are skipped on a developer's machine, and fail
/// under CI (`CI=true`), where `scripts/install-test-deps` installs poppler-utils.
final class PDFReaderTests: XCTestCase {
    static func requirePDFToText() throws {
        let found = ProcessInfo.processInfo.environment["PATH", default: "/usr/bin:/bin"].split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/pdftotext") }
        if found { return }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("pdftotext is missing: run scripts/install-test-deps (apt-get install -y poppler-utils)")
        }
        throw XCTSkip("pdftotext (poppler-utils) is not installed: scripts/install-test-deps installs it")
    }

    private func fixture(_ name: String) -> String {
        Fixtures.directory.appendingPathComponent("documents/\(name)").path
    }

    private func read(_ path: String, configuration: PDFReader.Configuration = .standard) -> Result<SourceText, ReadFailure> {
        PDFReader.read(path: path, displayPath: (path as NSString).lastPathComponent, configuration: configuration)
    }

    func testTheLayoutTextIsKeptAndItsArtifactsAreMarked() throws {
        try Self.requirePDFToText()
        guard case .success(let source) = read(fixture("bulletin.pdf")) else { return XCTFail("not read") }
        XCTAssertEqual(source.format, .pdf)
        // Positions are those of `pdftotext -layout`: the spaces are still in the text…
        XCTAssertTrue(source.text.contains("3 月 24 日"), String(source.text.prefix(400)))
        // …but marked, so every view of the text reads without them.
        let line = try XCTUnwrap((1...source.lineCount).first { source.line($0).contains("3 月 24 日") })
        let content = source.content(source.lineStarts[line - 1]..<source.lineEnds[line - 1])
        XCTAssertTrue(content.contains("3月24日全省地方志工作会议召开后"), content)
        let kinds = Set(source.artifacts.map(\.kind))
        XCTAssertEqual(kinds, [.extractionSpace, .pageHeader, .pageFooter])
        // Five pages: five running headers and five page numbers.
        XCTAssertEqual(source.artifacts.filter { $0.kind == .pageHeader }.count, 5)
        XCTAssertEqual(source.artifacts.filter { $0.kind == .pageFooter }.count, 5)
    }

    func testNoExtractionArtifactIsReportedAsTheAuthorsMistake() throws {
        try Self.requirePDFToText()
        guard case .success(let source) = read(fixture("bulletin.pdf")) else { return XCTFail("not read") }
        let diagnostics = Linter(ruleSet: try ruleSet()).lint(source).diagnostics
        XCTAssertEqual(diagnostics.filter { $0.ruleID == "date-spacing" }.count, 0, "\(diagnostics.map(\.message))")
        // The same spaces typed into a .txt are the author's.
        let typed = try lint("【工作动态】\n某市召开会议\n3月 24日，某市召开会议。（某市地方志办）")
        XCTAssertEqual(typed.filter { $0.ruleID == "date-spacing" }.count, 1)
    }

    func testAnEncryptedPDFIsPDFNoText() throws {
        try Self.requirePDFToText()
        guard case .failure(let failure) = read(fixture("encrypted.pdf")) else { return XCTFail("read an encrypted PDF") }
        XCTAssertEqual(failure.ruleID, "pdf-no-text")
        XCTAssertTrue(failure.message.contains("加密"), failure.message)
    }

    func testAnImageOnlyPDFIsPDFNoText() throws {
        try Self.requirePDFToText()
        guard case .failure(let failure) = read(fixture("image-only.pdf")) else { return XCTFail("read a scan") }
        XCTAssertEqual(failure.ruleID, "pdf-no-text")
        XCTAssertTrue(failure.message.contains("扫描件"), failure.message)
        XCTAssertTrue(failure.help?.contains("OCR") ?? false)
    }

    func testABrokenPDFIsOneDiagnostic() throws {
        try Self.requirePDFToText()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulletinlint-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let notPDF = folder.appendingPathComponent("note.pdf")
        try Data("只是一段文字".utf8).write(to: notPDF)
        guard case .failure(let first) = read(notPDF.path) else { return XCTFail("read text as PDF") }
        XCTAssertEqual(first.ruleID, "corrupt-document")
        let truncated = folder.appendingPathComponent("cut.pdf")
        try Data(try Data(contentsOf: URL(fileURLWithPath: fixture("bulletin.pdf"))).prefix(2000)).write(to: truncated)
        guard case .failure(let second) = read(truncated.path) else { return XCTFail("read a truncated PDF") }
        XCTAssertTrue(["corrupt-document", "pdf-no-text"].contains(second.ruleID), second.ruleID)
    }

    func testAMissingPdftotextNamesThePackage() {
        let configuration = PDFReader.Configuration(executable: "/nonexistent/pdftotext")
        guard case .failure(let failure) = read(fixture("bulletin.pdf"), configuration: configuration) else {
            return XCTFail("read without pdftotext")
        }
        XCTAssertEqual(failure.ruleID, "pdftotext-missing")
        XCTAssertTrue(failure.message.contains("poppler-utils"), failure.message)
        XCTAssertTrue(failure.help?.contains("apt-get install -y poppler-utils") ?? false)
    }

    func testAStuckPdftotextIsStopped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulletinlint-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let stuck = folder.appendingPathComponent("pdftotext")
        try "#!/bin/sh\nexec sleep 30\n".write(to: stuck, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stuck.path)
        let started = Date()
        let result = read(fixture("bulletin.pdf"), configuration: PDFReader.Configuration(executable: stuck.path, timeout: 0.5))
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        guard case .failure(let failure) = result else { return XCTFail("a stuck pdftotext gave text") }
        XCTAssertEqual(failure.ruleID, "pdf-timeout")
    }

    func testPDFFromStandardInputGoesThroughATemporaryFile() throws {
        try Self.requirePDFToText()
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture("bulletin.pdf")))
        guard case .success(let source) = DocumentReader.read(data: data, displayPath: "draft.pdf") else { return XCTFail("not read") }
        XCTAssertEqual(source.format, .pdf)
        XCTAssertEqual(source.path, "draft.pdf")
    }

    /// Layout text as pdftotext prints it, without running pdftotext.
    func testArtifactsOfLayoutText() throws {
        let page = { (number: Int, body: String) in
            "                四川省地方志工作简报 2021 年第 \(number) 期\n\n\n\(body)\n\n                 — \(number) —\n"
        }
        let text = page(1, """
            四 川 省 地 方 志 工 作 办 公 室 编       2021 年 4 月 2 日
            【工作动态】
            某市召开地方志工作会议
               3 月 24 日，某市召开地方志工作会议，研究部署 2021 年重点工作，提出要求。
            一是抓好年鉴编纂，二是抓好志书评审，三是抓好地情资源开发利用工作，
            会议 要求各地抓好落实。（某市地方志办）
            """) + "\u{0C}" + page(2, """
            信息公开选项：主动公开
            报：省委。
            某某办公室 2021 年 4 月 2 日印发
            """)
        let source = PDFReader.source(text: text, displayPath: "draft.pdf")
        func content(_ line: Int) -> String { source.content(source.lineStarts[line - 1]..<source.lineEnds[line - 1]) }
        // A letter-spaced line reads closed up; the layout gap before the date stays.
        XCTAssertEqual(content(4), "四川省地方志工作办公室编       2021年4月2日")
        // A space the author typed between two Chinese words is not an artifact.
        XCTAssertEqual(content(9), "会议 要求各地抓好落实。（某市地方志办）")
        XCTAssertEqual(source.artifacts.filter { $0.kind == .pageHeader }.count, 2)
        XCTAssertEqual(source.artifacts.filter { $0.kind == .pageFooter }.count, 2)
        let bulletin = try ruleSet().parser.parse(source)
        XCTAssertEqual(bulletin.first("compiler")?.fields["date"], "2021-04-02")
        // The paragraph wrapped right after “提出要求。” is still one paragraph.
        XCTAssertEqual(bulletin.elements(ofKind: "paragraph").count, 1)
        XCTAssertEqual(bulletin.first("attribution")?.fields["source"], "某市地方志办")
        XCTAssertEqual(bulletin.first("imprint")?.fields["date"], "2021-04-02")
        XCTAssertNil(bulletin.allElements.first { $0.text.contains("2021年第1期") })
    }
}
