import BulletinLintCore
import Foundation
import XCTest

/// The .docx reader: paragraphs in order, runs joined, numbering rebuilt, tables, text boxes,
/// fields, headers and footers apart, tracked changes and comments, styles resolved, and bad
/// packages as one diagnostic each.
final class DocxReaderTests: XCTestCase {
    typealias P = PackageBuilder

    private func read(_ data: Data, path: String = "draft.docx", limits: PackageLimits = .standard,
                      file: StaticString = #filePath, line: UInt = #line) throws -> SourceText {
        switch DocxReader.read(data: data, displayPath: path, limits: limits) {
        case .success(let source): return source
        case .failure(let failure):
            XCTFail("\(failure.ruleID): \(failure.message)", file: file, line: line)
            throw failure
        }
    }

    private func failure(_ data: Data, limits: PackageLimits = .standard, file: StaticString = #filePath, line: UInt = #line) -> ReadFailure? {
        switch DocxReader.read(data: data, displayPath: "bad.docx", limits: limits) {
        case .success(let source):
            XCTFail("read as \(source.text.prefix(40).debugDescription)", file: file, line: line)
            return nil
        case .failure(let failure):
            return failure
        }
    }

    func testParagraphsAreLinesAndRunsAreJoined() throws {
        let body = P.paragraph([("信息公开", ""), ("选项", "<w:b/>"), ("：主动公开", "")])
            + "<w:p/>"
            + P.paragraph("报：省委。")
        let source = try read(try P.docx(body: body))
        XCTAssertEqual(source.text, "信息公开选项：主动公开\n\n报：省委。")
        XCTAssertEqual(source.format, .docx)
        XCTAssertEqual(source.line(3), "报：省委。")
        XCTAssertEqual(source.location(Position(line: 3, column: 2)), "¶3:2")
    }

    func testNumberingLabelsAreRebuilt() throws {
        let numbering = ("word/numbering.xml", """
            <w:numbering xmlns:w="\(P.w)">
            <w:abstractNum w:abstractNumId="0">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
              <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            </w:numbering>
            """)
        func numbered(_ text: String, level: Int) -> String {
            P.paragraph(text, properties: "<w:numPr><w:ilvl w:val=\"\(level)\"/><w:numId w:val=\"1\"/></w:numPr>")
        }
        let body = numbered("总体要求", level: 0) + numbered("指导思想", level: 1) + numbered("学习", level: 2)
            + numbered("落实", level: 2) + numbered("工作目标", level: 1) + numbered("主要任务", level: 0)
            + numbered("编纂年鉴", level: 1)
        let source = try read(try P.docx(body: body, parts: [numbering]))
        XCTAssertEqual(source.text.components(separatedBy: "\n"),
                       ["一、总体要求", "（一）指导思想", "1.学习", "2.落实", "（二）工作目标", "二、主要任务", "（一）编纂年鉴"])
        XCTAssertEqual(source.typography?.paragraphs[1]?.numberingLabel, "一、")
    }

    func testChineseNumbersAsWordWritesThem() {
        // 十二, not 一十二; 一百零五.
        let sketch = ["一", "十", "十二", "二十", "二十一", "一百零五"]
        XCTAssertEqual([1, 10, 12, 20, 21, 105].map { DocxReaderTests.chinese($0) }, sketch)
    }

    private static func chinese(_ value: Int) -> String {
        // Through a one-paragraph numbered document that starts at `value`.
        let numbering = ("word/numbering.xml", "<w:numbering xmlns:w=\"\(P.w)\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"\(value)\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>")
        let body = P.paragraph("", properties: "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>")
        guard let data = try? P.docx(body: body, parts: [numbering]),
              case .success(let source) = DocxReader.read(data: data, displayPath: "n.docx") else { return "?" }
        return source.text
    }

    func testTablesTextBoxesAndFields() throws {
        let table = "<w:tbl><w:tr><w:tc>\(P.paragraph("单位"))</w:tc><w:tc>\(P.paragraph("人数"))</w:tc></w:tr><w:tr><w:tc>\(P.paragraph("省地方志办"))</w:tc><w:tc>\(P.paragraph("12"))</w:tc></w:tr></w:tbl>"
        // A text box written twice (DrawingML choice and VML fallback) counts once, before the
        // paragraph that anchors it.
        let box = "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>\(P.paragraph("内部资料"))</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>\(P.paragraph("内部资料"))</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>锚定段落</w:t></w:r></w:p>"
        let field = "<w:p><w:r><w:t xml:space=\"preserve\">第</w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE \\* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>页</w:t></w:r></w:p>"
        let source = try read(try P.docx(body: table + box + field))
        XCTAssertEqual(source.text.components(separatedBy: "\n"), ["单位", "人数", "省地方志办", "12", "内部资料", "锚定段落", "第3页"])
    }

    func testHeadersAndFootersAreKeptApart() throws {
        let source = try read(try P.bulletinDocx(["内部资料", "四川省地方志工作简报", "2021年第5期", "某办编 2021年4月2日", "【工作动态】", "标题", "正文。（某办）"]))
        XCTAssertFalse(source.text.contains("2021年第5期\n四川省地方志工作简报"))
        XCTAssertEqual(source.apart.map(\.kind), [.header, .footer])
        XCTAssertEqual(source.apart.first?.text, "四川省地方志工作简报 2021年第5期")
        XCTAssertEqual(source.apart.last?.text, "— 1 —")
        XCTAssertFalse(source.text.contains("— 1 —"))
        XCTAssertFalse(source.text.contains("PAGE"))
    }

    func testTrackedChangesAndComments() throws {
        let body = "<w:p><w:r><w:t>会议要求</w:t></w:r><w:ins w:id=\"1\" w:author=\"张三\"><w:r><w:t>切实</w:t></w:r></w:ins><w:del w:id=\"2\" w:author=\"李四\"><w:r><w:delText>认真</w:delText></w:r></w:del><w:r><w:t>抓好</w:t></w:r><w:commentRangeStart w:id=\"0\"/><w:r><w:t>落实</w:t></w:r><w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r><w:r><w:t>。</w:t></w:r></w:p>"
        let comments = ("word/comments.xml", "<w:comments xmlns:w=\"\(P.w)\"><w:comment w:id=\"0\" w:author=\"王五\"><w:p><w:r><w:t>请核对</w:t></w:r></w:p></w:comment></w:comments>")
        let source = try read(try P.docx(body: body, parts: [comments]))
        // Deleted text is not in the text; inserted text is.
        XCTAssertEqual(source.text, "会议要求切实抓好落实。")
        let revisions = try XCTUnwrap(source.typography?.revisions)
        XCTAssertEqual(revisions.map(\.kind), [.insertion, .deletion])
        XCTAssertEqual(revisions.map(\.text), ["切实", "认真"])
        XCTAssertEqual(revisions.map(\.author), ["张三", "李四"])
        XCTAssertEqual(String(source.slice(revisions[0].range)), "切实")
        let comment = try XCTUnwrap(source.typography?.comments.first)
        XCTAssertEqual(comment.text, "请核对")
        XCTAssertEqual(comment.author, "王五")
        XCTAssertEqual(String(source.slice(comment.range)), "落实")
    }

    func testFormattingIsResolvedThroughDefaultsStylesAndDirectFormatting() throws {
        let theme = ("word/theme/theme1.xml", "<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:themeElements><a:fontScheme><a:majorFont><a:latin typeface=\"Calibri Light\"/><a:ea typeface=\"\"/><a:font script=\"Hans\" typeface=\"黑体\"/></a:majorFont><a:minorFont><a:latin typeface=\"Calibri\"/><a:ea typeface=\"\"/><a:font script=\"Hans\" typeface=\"仿宋\"/></a:minorFont></a:fontScheme></a:themeElements></a:theme>")
        let styles = P.styles(defaults: "<w:rFonts w:eastAsiaTheme=\"minorEastAsia\"/><w:sz w:val=\"21\"/>", styles: """
            <w:style w:type="paragraph" w:styleId="Body"><w:name w:val="正文文本"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200"/><w:jc w:val="both"/></w:pPr><w:rPr><w:sz w:val="32"/></w:rPr></w:style>
            <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Body"/><w:rPr><w:rFonts w:eastAsiaTheme="majorEastAsia"/></w:rPr></w:style>
            <w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
            """)
        let body = P.paragraph("正文三号仿宋。", properties: "<w:pStyle w:val=\"Body\"/>")
            + P.paragraph("一、黑体标题", properties: "<w:pStyle w:val=\"Heading1\"/>")
            + "<w:p><w:pPr><w:pStyle w:val=\"Body\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:rStyle w:val=\"Strong\"/><w:rFonts w:eastAsia=\"方正小标宋简体\"/><w:sz w:val=\"44\"/></w:rPr><w:t>直接格式</w:t></w:r></w:p>"
            + P.paragraph("默认格式")
        let source = try read(try P.docx(body: body, parts: [styles, theme]))
        let paragraphs = try XCTUnwrap(source.typography?.paragraphs)
        XCTAssertEqual(paragraphs[1]?.dominantFont, "仿宋")
        XCTAssertEqual(paragraphs[1]?.dominantSize, 32)
        XCTAssertEqual(paragraphs[1]?.firstLineIndent, 2)
        XCTAssertEqual(paragraphs[1]?.alignment, .justify)
        XCTAssertEqual(paragraphs[1]?.style, "正文文本")
        XCTAssertEqual(paragraphs[2]?.dominantFont, "黑体")
        XCTAssertEqual(paragraphs[2]?.dominantSize, 32)
        XCTAssertEqual(paragraphs[3]?.dominantFont, "方正小标宋简体")
        XCTAssertEqual(paragraphs[3]?.dominantSize, 44)
        XCTAssertEqual(paragraphs[3]?.dominantBold, true)
        XCTAssertEqual(paragraphs[3]?.alignment, .center)
        XCTAssertEqual(paragraphs[4]?.dominantSize, 21)
        XCTAssertEqual(paragraphs[4]?.firstLineIndent, 0)
    }

    /// Word shows `w:ind w:firstLine="640"` (32 pt) on 16 pt text as two characters: the indent is
    /// counted in the paragraph's own characters, not the 11 pt of the document default.
    func testAnIndentInPointsIsCountedInTheParagraphsOwnCharacters() throws {
        let styles = P.styles(defaults: "<w:sz w:val=\"22\"/>")
        let body = "<w:p><w:pPr><w:ind w:firstLine=\"640\"/></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/></w:rPr><w:t>正文三号仿宋，首行缩进32磅。</w:t></w:r></w:p>"
            + "<w:p><w:pPr><w:ind w:firstLine=\"640\"/></w:pPr><w:r><w:t>默认字号的段落。</w:t></w:r></w:p>"
        let source = try read(try P.docx(body: body, parts: [styles]))
        let paragraphs = try XCTUnwrap(source.typography?.paragraphs)
        XCTAssertEqual(paragraphs[1]?.firstLineIndent, 2)
        XCTAssertEqual(try XCTUnwrap(paragraphs[2]?.firstLineIndent), 640.0 / 20 / 11, accuracy: 0.001)
    }

    func testSectionsGivePageSetup() throws {
        let body = P.paragraph("第一节") + "<w:p><w:pPr><w:sectPr><w:pgSz w:w=\"12240\" w:h=\"15840\"/><w:pgMar w:top=\"1440\" w:right=\"1800\" w:bottom=\"1440\" w:left=\"1800\"/></w:sectPr></w:pPr><w:r><w:t>第一节末</w:t></w:r></w:p>"
            + P.paragraph("第二节") + P.standardSection
        let source = try read(try P.docx(body: body, parts: [P.styles(defaults: "<w:sz w:val=\"32\"/>")]))
        let sections = try XCTUnwrap(source.typography?.sections)
        XCTAssertEqual(sections.count, 2)
        XCTAssertEqual(sections[0].lines, 1...2)
        XCTAssertEqual(sections[0].pageWidth ?? 0, 215.9, accuracy: 0.1)
        XCTAssertEqual(sections[0].marginTop ?? 0, 25.4, accuracy: 0.1)
        XCTAssertEqual(sections[1].lines, 3...3)
        XCTAssertEqual(sections[1].pageWidth ?? 0, 210, accuracy: 0.1)
        XCTAssertEqual(sections[1].pageHeight ?? 0, 297, accuracy: 0.1)
        XCTAssertEqual(sections[1].marginTop ?? 0, 37, accuracy: 0.1)
        XCTAssertEqual(sections[1].marginLeft ?? 0, 28, accuracy: 0.1)
        XCTAssertEqual(sections[1].linesPerPage, 22)
        XCTAssertEqual(sections[1].charactersPerLine, 28)
    }

    func testALibreOfficeWrittenDocxReadsLikeTheOriginalText() throws {
        // Written by LibreOffice (scripts/make-pdf-fixtures), not by our own builder.
        let data = try Data(contentsOf: Fixtures.directory.appendingPathComponent("documents/bulletin-libreoffice.docx"))
        let source = try read(data)
        let expected = try Fixtures.text("documents/bulletin.txt").split(separator: "\n").map(String.init)
        XCTAssertEqual(source.text.split(separator: "\n").map(String.init), expected)
        XCTAssertEqual(source.apart.first?.text, "四川省地方志工作简报 2021年第5期")
        // LibreOffice keeps the page field's last rendered value.
        XCTAssertTrue(source.apart.last?.text.hasPrefix("— ") ?? false, "\(source.apart)")
        XCTAssertEqual(source.typography?.paragraphs[8]?.dominantSize, 32)
        XCTAssertEqual(source.typography?.sections.first?.marginTop ?? 0, 37, accuracy: 0.1)
    }

    // MARK: Bad packages

    func testNotAZipIsOneCorruptDocumentDiagnostic() {
        XCTAssertEqual(failure(Data("这不是压缩包，只是改了扩展名的文本".utf8))?.ruleID, "corrupt-document")
        XCTAssertEqual(failure(Data())?.ruleID, "corrupt-document")
        XCTAssertEqual(failure(Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0xFF, count: 200)))?.ruleID, "corrupt-document")
    }

    func testATruncatedPackageIsOneDiagnostic() throws {
        let data = try P.docx(body: P.paragraph("正文。"))
        for cut in [data.count / 2, data.count - 10, 30] {
            let result = failure(data.prefix(cut))
            XCTAssertEqual(result?.ruleID, "corrupt-document", "cut at \(cut)")
        }
    }

    func testAZipWithoutDocumentXMLSaysWhatItIs() throws {
        let data = try P.zip([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>")])
        let result = failure(data)
        XCTAssertEqual(result?.ruleID, "corrupt-document")
        XCTAssertTrue(result?.message.contains("word/document.xml") ?? false, result?.message ?? "")
    }

    func testMalformedXMLIsOneDiagnostic() throws {
        let data = try P.zip([("word/document.xml", "<w:document xmlns:w=\"\(P.w)\"><w:body><w:p><w:r><w:t>未闭合")])
        let result = failure(data)
        XCTAssertEqual(result?.ruleID, "corrupt-document")
        XCTAssertTrue(result?.message.contains("word/document.xml") ?? false, result?.message ?? "")
    }

    func testExternalEntitiesAreNeverResolved() throws {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><w:document xmlns:w=\"\(P.w)\"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
        let result = failure(try P.zip([("word/document.xml", xxe)]))
        XCTAssertEqual(result?.ruleID, "corrupt-document")
        XCTAssertTrue(result?.message.contains("DOCTYPE") ?? false, result?.message ?? "")
        // An entity-expansion bomb is refused the same way, before any expansion.
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><w:document xmlns:w=\"\(P.w)\"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
        XCTAssertEqual(failure(try P.zip([("word/document.xml", laughs)]))?.ruleID, "corrupt-document")
    }

    func testAZipBombIsRefused() throws {
        // 8 MB of the same byte deflates to a few KB; the limit here is 1 MB per part.
        let document = "<w:document xmlns:w=\"\(P.w)\"><w:body><w:p><w:r><w:t>" + String(repeating: "啊", count: 8 * 1024 * 1024 / 3) + "</w:t></w:r></w:p></w:body></w:document>"
        let data = try P.zip([(path: "word/document.xml", content: Data(document.utf8))])
        XCTAssertLessThan(data.count, 200_000)
        let limits = PackageLimits(maximumEntries: 100, maximumPartSize: 1024 * 1024, maximumTotalSize: 4 * 1024 * 1024)
        let result = failure(data, limits: limits)
        XCTAssertEqual(result?.ruleID, "archive-too-large")
    }

    func testAZipBombThatLiesAboutItsSizeIsStoppedWhileInflating() throws {
        let document = "<w:document xmlns:w=\"\(P.w)\"><w:body>" + String(repeating: "<w:p/>", count: 400_000) + "</w:body></w:document>"
        var bytes = [UInt8](try P.zip([(path: "word/document.xml", content: Data(document.utf8))]))
        // Rewrite the declared uncompressed size (local header and central directory) to 100 bytes.
        func patch(signature: [UInt8], offset: Int) {
            var i = 0
            while i + 4 <= bytes.count {
                if Array(bytes[i..<(i + 4)]) == signature {
                    bytes[i + offset] = 100; bytes[i + offset + 1] = 0; bytes[i + offset + 2] = 0; bytes[i + offset + 3] = 0
                }
                i += 1
            }
        }
        patch(signature: [0x50, 0x4B, 0x03, 0x04], offset: 22)
        patch(signature: [0x50, 0x4B, 0x01, 0x02], offset: 24)
        let limits = PackageLimits(maximumEntries: 100, maximumPartSize: 1024 * 1024, maximumTotalSize: 4 * 1024 * 1024)
        let result = failure(Data(bytes), limits: limits)
        // Either the inflater's own count or ours stops it; never a 2.4 MB part past a 1 MB cap.
        XCTAssertTrue(["archive-too-large", "corrupt-document"].contains(result?.ruleID ?? ""), result.map { "\($0.ruleID) \($0.message)" } ?? "")
    }

    func testTooManyEntriesIsRefused() throws {
        let parts = (0..<300).map { (path: "word/media/x\($0).xml", content: Data("<x/>".utf8)) }
        let data = try P.zip(parts)
        let limits = PackageLimits(maximumEntries: 200, maximumPartSize: 1024 * 1024, maximumTotalSize: 4 * 1024 * 1024)
        XCTAssertEqual(failure(data, limits: limits)?.ruleID, "archive-too-large")
    }

    // MARK: Through the linter

    private func temporaryFile(_ name: String, _ data: Data) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulletinlint-docx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    func testDiagnosticsNameTheParagraph() throws {
        let lines = ["【工作动态】", "某市召开地方志工作会议", "3月24日，某市召开会议，其它工作进展顺利。（某市地方志办）"]
        let path = try temporaryFile("draft.docx", try P.docx(body: lines.map { P.paragraph($0) }.joined()))
        let report = LintSession(ruleSet: try ruleSet()).lint(.file(path: path), ruleSet: try ruleSet())
        let diagnostic = try XCTUnwrap(report.diagnostics.first { $0.ruleID == "outdated-terms" })
        XCTAssertEqual(diagnostic.span.start, Position(line: 3, column: 14))
        let text = TextFormatter(color: false).format(diagnostic, in: report)
        XCTAssertTrue(text.hasPrefix("\(path):¶3:14: warning: “其它”应改为“其他”"), text)
        XCTAssertTrue(text.contains(" ¶3 | 3月24日"), text)
        // JSON keeps line and column.
        let json = JSONFormatter().format([report])
        XCTAssertNotNil(json.range(of: #""line"\s*:\s*3"#, options: .regularExpression), json)
        XCTAssertNil(json.range(of: "¶"), "JSON keeps plain line numbers")
    }

    func testACorruptDocxInAFolderRunIsOneDiagnosticAndTheRunGoesOn() throws {
        let path = try temporaryFile("broken.docx", Data("PK\u{3}\u{4}garbage".utf8))
        let good = (path as NSString).deletingLastPathComponent + "/good.txt"
        try "【工作动态】\n某市召开会议\n3月24日，某市召开会议。（某市地方志办）\n".write(toFile: good, atomically: true, encoding: .utf8)
        let folder = (path as NSString).deletingLastPathComponent
        // Word's lock file of an open document is not a document.
        try Data([0x00, 0x01]).write(to: URL(fileURLWithPath: folder + "/~$broken.docx"))
        let items = FileCollector.collect([folder])
        XCTAssertEqual(items.count, 2)
        let rules = try ruleSet()
        let session = LintSession(ruleSet: rules)
        let reports = items.map { session.lint($0, ruleSet: rules) }
        let broken = try XCTUnwrap(reports.first { $0.path.hasSuffix("broken.docx") })
        XCTAssertEqual(broken.diagnostics.map(\.ruleID), ["corrupt-document"])
        XCTAssertFalse(broken.diagnostics[0].help.isEmpty)
        XCTAssertNotNil(reports.first { $0.path.hasSuffix("good.txt") }?.source)
    }

    func testFoldersYieldEveryReadableFormat() throws {
        let path = try temporaryFile("a.docx", try P.docx(body: P.paragraph("正文。")))
        let folder = (path as NSString).deletingLastPathComponent
        for name in ["b.ofd", "c.pdf", "d.md", "e.txt", "f.doc", "g.png", "h.wps", "i.xls"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        let names = FileCollector.collect([folder]).compactMap { item -> String? in
            if case .file(let file) = item { return (file as NSString).lastPathComponent }
            return nil
        }
        // .doc and .wps are read through LibreOffice; images and spreadsheets are not documents.
        XCTAssertEqual(names, ["a.docx", "b.ofd", "c.pdf", "d.md", "e.txt", "f.doc", "h.wps"])
    }

    func testOldWordFormatsWithoutLibreOfficeSayHowToReadThem() throws {
        let path = try temporaryFile("old.doc", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        let configuration = LegacyWordReader.Configuration(executable: "/nonexistent/soffice")
        guard case .failure(let failure) = LegacyWordReader.read(path: path, displayPath: "old.doc", configuration: configuration) else {
            return XCTFail("read a .doc")
        }
        XCTAssertEqual(failure.ruleID, "soffice-missing")
        XCTAssertEqual(failure.message, "检查 .doc 文件需要 LibreOffice，但没有找到它")
        XCTAssertTrue(failure.help?.contains("libreoffice-writer") ?? false)
        XCTAssertTrue(failure.help?.contains(".docx") ?? false)
    }

    func testTheFormatComesFromTheNameOnStandardInput() throws {
        let data = try P.docx(body: P.paragraph("信息公开选项：主动公开"))
        guard case .success(let source) = DocumentReader.read(data: data, displayPath: "draft.docx") else { return XCTFail("not read") }
        XCTAssertEqual(source.format, .docx)
        XCTAssertEqual(source.text, "信息公开选项：主动公开")
        // The same bytes named .txt are binary, not text.
        guard case .failure(let failure) = DocumentReader.read(data: data, displayPath: "draft.txt") else { return XCTFail("read a zip as text") }
        XCTAssertEqual(failure.ruleID, "encoding-error")
    }
}
