import BulletinLintCore
import Foundation
import XCTest

/// The OFD reader: the part chain, glyph geometry (DeltaX with `g N v`, CTM), reading order from
/// geometry, paragraphs, page furniture apart, typography, and broken packages.
final class OFDReaderTests: XCTestCase {
    typealias P = PackageBuilder

    private func read(_ data: Data, file: StaticString = #filePath, line: UInt = #line) throws -> SourceText {
        switch OFDReader.read(data: data, displayPath: "draft.ofd") {
        case .success(let source): return source
        case .failure(let failure):
            XCTFail("\(failure.ruleID): \(failure.message)", file: file, line: line)
            throw failure
        }
    }

    private func failure(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> ReadFailure? {
        switch OFDReader.read(data: data, displayPath: "bad.ofd") {
        case .success(let source):
            XCTFail("read as \(source.text.prefix(40).debugDescription)", file: file, line: line)
            return nil
        case .failure(let failure):
            return failure
        }
    }

    func testTextObjectsInXMLOrderAreReadInPageOrder() throws {
        // Written bottom line first, and the first line as two objects in reverse order.
        let page = P.ofdPage([
            P.textObject("报：省委。", x: 28, y: 80, size: 5.64),
            P.textObject("主动公开", x: 28 + 7 * 5.64, y: 60, size: 5.64),
            P.textObject("信息公开选项：", x: 28, y: 60, size: 5.64),
        ])
        let source = try read(try P.ofd(pages: [page]))
        XCTAssertEqual(source.text, "信息公开选项：主动公开\n报：省委。")
        XCTAssertEqual(source.format, .ofd)
        XCTAssertEqual(source.location(Position(line: 2, column: 1)), "¶2:1")
    }

    func testDeltaXWithTheGShorthandAndATransform() throws {
        // 四个字 at 5 mm steps written as `g 3 5`; the second object is scaled by its CTM.
        let page = P.ofdPage([
            P.textObject("地方志办", x: 28, y: 50, size: 5, deltaX: "g 3 5"),
            P.textObject("印发", x: 28, y: 70, size: 10, deltaX: "10", ctm: "0.5 0 0 0.5 0 0"),
        ])
        let source = try read(try P.ofd(pages: [page]))
        XCTAssertEqual(source.text, "地方志办\n印发")
        XCTAssertEqual(source.typography?.paragraphs[2]?.dominantSize ?? 0, ChineseFontSize.halfPoints(millimetres: 5), accuracy: 0.01)
    }

    func testOneTextObjectPerGlyphInAnyOrder() throws {
        let lines = ["【工作动态】", "某市召开地方志工作会议", "3月24日，某市召开地方志工作会议，研究部署2021年重点工作，要求各地抓好落实。（某市地方志办）"]
        var layout = OFDLayout()
        layout.objects = .perGlyphShuffled
        let (pages, fonts) = layout.pages(for: ["内部资料", "某市地方志工作简报", "2021年第5期", "某市地方志办公室编 2021年4月2日"] + lines)
        let source = try read(try P.ofd(pages: pages, fonts: fonts))
        let text = source.text.components(separatedBy: "\n")
        XCTAssertEqual(text.last?.replacingOccurrences(of: " ", with: ""), lines[2].replacingOccurrences(of: " ", with: ""))
        XCTAssertTrue(text.contains("【工作动态】"), "\(text)")
    }

    func testExtractionSpacesAreArtifactsAndWideGapsAreNot() throws {
        // Digits set as separate objects with a gap: extraction puts single spaces there.
        let page = P.ofdPage([
            P.textObject("3", x: 28, y: 50, size: 5.64),
            P.textObject("月", x: 28 + 2.82 + 2.2, y: 50, size: 5.64),
            P.textObject("24", x: 28 + 2.82 + 2.2 + 5.64 + 2.2, y: 50, size: 5.64, deltaX: "2.82"),
            P.textObject("日召开会议。", x: 28 + 2.82 + 2.2 + 5.64 + 2.2 + 5.64 + 2.2, y: 50, size: 5.64),
            P.textObject("某某办公室编", x: 28, y: 70, size: 5.64),
            P.textObject("2021年4月2日", x: 140, y: 70, size: 5.64, deltaX: "2.82 2.82 2.82 2.82 5.64 2.82 5.64 2.82"),
        ])
        let source = try read(try P.ofd(pages: [page]))
        XCTAssertEqual(source.line(1), "3 月 24 日召开会议。")
        XCTAssertEqual(source.artifacts.map(\.kind), [.extractionSpace, .extractionSpace, .extractionSpace])
        XCTAssertEqual(source.content(source.lineStarts[0]..<source.lineEnds[0]), "3月24日召开会议。")
        // A layout gap of many spaces stays: it separates the unit from the date.
        XCTAssertTrue(source.line(2).contains("编    "), String(source.line(2)))
    }

    func testPageHeadersAndNumbersAreKeptApartAndParagraphsRunAcrossPages() throws {
        let body = "3月24日，全省地方志工作会议召开后，各市（州）、县（市、区）地方志部门认真抓好传达学习，指导推动2021年重点工作。" + String(repeating: "会议要求全面推进地方志事业高质量发展，", count: 40) + "确保落到实处。（省地方志办）"
        let (pages, fonts) = OFDLayout().pages(for: ["内部资料", "四川省地方志工作简报", "2021年第5期", "四川省地方志工作办公室编 2021年4月2日", "【特别关注】", "全省各地传达学习会议精神", body])
        XCTAssertGreaterThanOrEqual(pages.count, 2)
        let source = try read(try P.ofd(pages: pages, fonts: fonts))
        XCTAssertFalse(source.text.contains("— 1 —"))
        XCTAssertFalse(source.text.contains("2021 年第 5 期\n") && source.text.hasPrefix("四川省"))
        XCTAssertEqual(source.apart.filter { $0.kind == .header }.count, pages.count)
        XCTAssertEqual(source.apart.filter { $0.kind == .footer }.count, pages.count)
        // The long paragraph is one line, across the page break.
        let last = source.lineCount - 1
        XCTAssertEqual(source.content(source.lineStarts[last]..<source.lineEnds[last]), body)
        let bulletin = try ruleSet().parser.parse(source)
        XCTAssertEqual(bulletin.first("attribution")?.fields["source"], "省地方志办")
        XCTAssertEqual(bulletin.first("article-title")?.text, "全省各地传达学习会议精神")
    }

    func testTypographyOfAnOFD() throws {
        let (pages, fonts) = OFDLayout().pages(for: ["内部资料", "某市地方志工作简报", "2021年第5期", "某市地方志办公室编 2021年4月2日", "【工作动态】", "某市召开地方志工作会议", "3月24日，某市召开地方志工作会议，研究部署2021年重点工作。（某市地方志办）"])
        let source = try read(try P.ofd(pages: pages, fonts: fonts))
        let typography = try XCTUnwrap(source.typography)
        XCTAssertEqual(typography.sections.first?.pageWidth, 210)
        XCTAssertEqual(typography.sections.first?.pageHeight, 297)
        let title = try XCTUnwrap(typography.paragraphs.values.first { source.line($0.line) == "某市召开地方志工作会议" })
        XCTAssertEqual(title.dominantFont, "方正小标宋简体")
        XCTAssertEqual(title.dominantSize, 44)
        XCTAssertEqual(title.alignment, .center)
        let body = try XCTUnwrap(typography.paragraphs.values.first { source.line($0.line).hasPrefix("3 月") })
        XCTAssertEqual(body.dominantFont, "仿宋_GB2312")
        XCTAssertEqual(body.dominantSize, 32)
        XCTAssertEqual(body.firstLineIndent ?? 0, 2, accuracy: 0.5)
    }

    func testTemplatePagesAreKeptApart() throws {
        let template = P.ofdPage([P.textObject("四川省地方志工作办公室文件", x: 40, y: 40, size: 10)])
        let page = P.ofdPage([P.textObject("正文。", x: 28, y: 80, size: 5.64)], template: 0)
        let source = try read(try P.ofd(pages: [page], templates: [template]))
        XCTAssertEqual(source.text, "正文。")
        XCTAssertEqual(source.apart.map(\.kind), [.template])
        XCTAssertEqual(source.apart.first?.text, "四川省地方志工作办公室文件")
    }

    // MARK: Broken packages

    func testAMissingPagePartIsOneDiagnosticNamingIt() throws {
        let page = P.ofdPage([P.textObject("正文。", x: 28, y: 80, size: 5.64)])
        let result = failure(try P.ofd(pages: [page, page], omitPage: 1))
        XCTAssertEqual(result?.ruleID, "corrupt-document")
        XCTAssertTrue(result?.message.contains("第 2 页") ?? false, result?.message ?? "")
        XCTAssertTrue(result?.message.contains("Doc_0/Pages/Page_1/Content.xml") ?? false, result?.message ?? "")
    }

    func testMissingEntryAndDocumentParts() throws {
        let noEntry = try P.zip([("Doc_0/Document.xml", "<ofd:Document xmlns:ofd=\"\(P.ofdNamespace)\"/>")])
        XCTAssertTrue(failure(noEntry)?.message.contains("OFD.xml") ?? false)
        let noDocument = try P.zip([("OFD.xml", "<ofd:OFD xmlns:ofd=\"\(P.ofdNamespace)\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")])
        let result = failure(noDocument)
        XCTAssertEqual(result?.ruleID, "corrupt-document")
        XCTAssertTrue(result?.message.contains("Doc_0/Document.xml") ?? false, result?.message ?? "")
        let docx = try P.docx(body: P.paragraph("正文。"))
        XCTAssertTrue(failure(docx)?.message.contains("Word") ?? false)
        XCTAssertEqual(failure(Data("%PDF-1.4 not an ofd".utf8))?.ruleID, "corrupt-document")
    }

    func testExternalEntitiesInAnOFDAreRefused() throws {
        let ofd = "<?xml version=\"1.0\"?><!DOCTYPE ofd:OFD [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><ofd:OFD xmlns:ofd=\"\(P.ofdNamespace)\"><ofd:DocBody><ofd:DocRoot>&x;</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        let result = failure(try P.zip([("OFD.xml", ofd)]))
        XCTAssertEqual(result?.ruleID, "corrupt-document")
        XCTAssertTrue(result?.message.contains("DOCTYPE") ?? false, result?.message ?? "")
    }

    func testHostileGeometryDoesNotCrash() throws {
        let page = P.ofdPage([
            "<ofd:TextObject ID=\"1\" Boundary=\"nan inf -1e308 x\" Size=\"5\"><ofd:TextCode X=\"0\" Y=\"5\">甲</ofd:TextCode></ofd:TextObject>",
            "<ofd:TextObject ID=\"2\" Boundary=\"0 0 10 10\" Size=\"-3\" CTM=\"0 0 0 0 0 0\"><ofd:TextCode X=\"1e308\" Y=\"-1e308\" DeltaX=\"g 999999999 1e308 g\">乙丙丁</ofd:TextCode></ofd:TextObject>",
            "<ofd:TextObject ID=\"3\" Boundary=\"0 0 10 10\"><ofd:TextCode/></ofd:TextObject>",
        ])
        // Whatever comes out, it comes out.
        _ = OFDReader.read(data: try P.ofd(pages: [page]), displayPath: "x.ofd")
    }
}
