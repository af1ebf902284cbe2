import BulletinLintCore
import Foundation
import XCTest

/// The same bulletin — the reference page with a masthead and two planted defects
/// (`Fixtures/documents/bulletin.txt`) — as .txt, as .docx written by our builder and by
/// LibreOffice, as .ofd laid out line by line and glyph by glyph, and as a PDF printed by
/// LibreOffice and read through pdftotext: the same elements and the same content diagnostics.
/// None of the PDF/OFD extraction artifacts (spaces in `3 月 24 日`, page numbers, running
/// headers, hard wraps) is reported.
final class FormatParityTests: XCTestCase {
    typealias P = PackageBuilder

    private func lines() throws -> [String] {
        try Fixtures.text("documents/bulletin.txt").split(separator: "\n").map(String.init)
    }

    /// Every format of the bulletin, read.
    private func sources() throws -> [(name: String, source: SourceText)] {
        let lines = try lines()
        var out: [(String, SourceText)] = []
        func add(_ name: String, _ result: Result<SourceText, ReadFailure>) {
            switch result {
            case .success(let source): out.append((name, source))
            case .failure(let failure): XCTFail("\(name): \(failure.ruleID) \(failure.message)")
            }
        }
        add("txt", DocumentReader.read(data: Data((lines.joined(separator: "\n") + "\n").utf8), displayPath: "bulletin.txt"))
        add("docx (builder)", DocxReader.read(data: try P.bulletinDocx(lines), displayPath: "bulletin.docx"))
        let libreOffice = try Data(contentsOf: Fixtures.directory.appendingPathComponent("documents/bulletin-libreoffice.docx"))
        add("docx (LibreOffice)", DocxReader.read(data: libreOffice, displayPath: "bulletin-libreoffice.docx"))
        let (pages, fonts) = OFDLayout().pages(for: lines)
        add("ofd (per line)", OFDReader.read(data: try P.ofd(pages: pages, fonts: fonts), displayPath: "bulletin.ofd"))
        var glyphs = OFDLayout()
        glyphs.objects = .perGlyphShuffled
        let (glyphPages, glyphFonts) = glyphs.pages(for: lines)
        add("ofd (per glyph)", OFDReader.read(data: try P.ofd(pages: glyphPages, fonts: glyphFonts), displayPath: "bulletin-glyphs.ofd"))
        if (try? PDFReaderTests.requirePDFToText()) != nil {
            add("pdf (LibreOffice)", PDFReader.read(path: Fixtures.directory.appendingPathComponent("documents/bulletin.pdf").path,
                                                    displayPath: "bulletin.pdf"))
        }
        return out
    }

    /// An element as the comparison sees it: kind, text without whitespace, fields, entries.
    private func describe(_ bulletin: Bulletin) -> [String] {
        bulletin.allElements.filter { $0.role != .artifact }.map { element in
            let text = element.text.filter { !$0.isWhitespace }
            let fields = element.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.filter { !$0.isWhitespace })" }
            let entries = element.entries.map(\.text)
            return "\(element.kind) \(text.prefix(30)) \(fields) \(entries)"
        }
    }

    func testSameElementsInEveryFormat() throws {
        let rules = try ruleSet()
        let all = try sources()
        let expected = describe(rules.parser.parse(try XCTUnwrap(all.first).source))
        // The reference page's elements are all there.
        XCTAssertTrue(expected.contains { $0.hasPrefix("compiler 四川省地方志工作办公室编2021年4月2日") }, "\(expected)")
        XCTAssertEqual(expected.filter { $0.hasPrefix("paragraph ") }.count, 12)
        XCTAssertTrue(expected.contains { $0.hasPrefix("report-to ") && $0.contains("中国地方志指导小组办公室") }, "\(expected)")
        for (name, source) in all.dropFirst() {
            let actual = describe(rules.parser.parse(source))
            XCTAssertEqual(actual, expected, name)
            if actual != expected {
                for (a, b) in zip(actual, expected) where a != b { print("\(name):\n  got      \(a)\n  expected \(b)") }
            }
        }
    }

    func testSameContentDiagnosticsInEveryFormat() throws {
        let linter = Linter(ruleSet: try ruleSet())
        let all = try sources()
        func findings(_ source: SourceText) -> [String] {
            linter.lint(source).diagnostics.map { "\($0.ruleID): \($0.message)" }.sorted()
        }
        let expected = findings(try XCTUnwrap(all.first).source)
        // The two planted defects, and nothing else.
        XCTAssertEqual(expected, ["body-date-format: 日期“3月31号”写法不规范：应写“日”而不是“号”", "outdated-terms: “其它”应改为“其他”"])
        for (name, source) in all.dropFirst() {
            XCTAssertEqual(findings(source), expected, name)
        }
    }

    func testArtifactsAreKnownToTheModel() throws {
        for (name, source) in try sources() where source.format.isExtractedLayout {
            XCTAssertTrue(source.artifacts.contains { $0.kind == .extractionSpace }, name)
            // Page furniture: marked in the PDF's text, kept apart from the OFD's.
            let furniture = source.artifacts.filter { $0.kind == .pageHeader || $0.kind == .pageFooter }.count + source.apart.count
            XCTAssertGreaterThanOrEqual(furniture, 8, name)
        }
    }
}
