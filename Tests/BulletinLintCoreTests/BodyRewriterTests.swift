@testable import BulletinLintCore
import Foundation
import XCTest

/// `BodyRewriter` on ranges no built-in rule gives today: a comment across paragraphs, and edits
/// that cannot be tracked changes.
final class BodyRewriterTests: XCTestCase {
    typealias P = PackageBuilder

    private func rewriter(_ data: Data) throws -> (BodyRewriter, PackageArchive, DocxReader.Walk) {
        let package = try PackageArchive(data: data, documentName: "Word 文档（.docx）", limits: .standard)
        var main: PositionedXML?
        let walk = try DocxReader.walk(package: package, displayPath: "t.docx", recordsOrigins: true) { path throws(ReadFailure) in
            guard let bytes = try package.read(path) else { return nil }
            do throws(XMLTree.Failure) {
                main = try PositionedXML([UInt8](bytes))
            } catch {
                throw ReadFailure.corrupt(error.reason)
            }
            return main?.root
        }
        return (BodyRewriter(xml: try XCTUnwrap(main), lines: walk.lines, prefix: "w"), package, walk)
    }

    private func offset(of needle: String, in text: String) throws -> Int {
        let range = try XCTUnwrap(text.range(of: needle))
        return text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound)
    }

    func testACommentFromOneParagraphToAnother() throws {
        let numbered = "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>"
        let body = P.paragraph([("第一段的", ""), ("文字", "<w:b/>")]) + "<w:p/>"
            + P.paragraph([("第三段", "<w:i/>"), ("的文字", "")], properties: numbered) + P.standardSection
        let data = try P.docx(body: body, parts: [
            ("word/numbering.xml", "<w:numbering xmlns:w=\"\(P.w)\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"),
        ])
        let (rewriter, package, walk) = try rewriter(data)
        let text = walk.source.text
        XCTAssertEqual(text, "第一段的文字\n\n一、第三段的文字")
        let start = try offset(of: "的文字", in: text)
        let end = try offset(of: "第三段", in: text) + "第三段".utf8.count
        let range = start..<end
        XCTAssertEqual(walk.source.slice(range), "的文字\n\n一、第三段")

        // Across paragraphs, over a numbering label, or adding a paragraph: not a tracked change.
        XCTAssertFalse(rewriter.canTrack(.init(range: range, replacement: "")))
        let label = try offset(of: "一、", in: text)
        XCTAssertFalse(rewriter.canTrack(.init(range: label..<(label + 3), replacement: "1.")))
        XCTAssertFalse(rewriter.canTrack(.init(range: start..<start, replacement: "\n")))
        XCTAssertTrue(rewriter.canTrack(.init(range: (label + 6)..<(label + 9), replacement: "三")))
        // Into the empty paragraph.
        let empty = try offset(of: "\n\n", in: text) + 1
        XCTAssertTrue(rewriter.canTrack(.init(range: empty..<empty, replacement: "新")))

        var nextID = 100
        let stamp = BodyRewriter.Stamp(author: "bulletinlint", date: "2026-12-07T09:00:00Z")
        // An insertion into the empty paragraph, and a deletion with nothing inserted (the 的 of
        // the third paragraph, outside the comment).
        let deleted = end..<(end + 3)
        XCTAssertEqual(walk.source.slice(deleted), "的")
        let rewritten = rewriter.rewrite(comments: [.init(id: 7, range: range)],
                                         edits: [.init(range: empty..<empty, replacement: "新"), .init(range: deleted, replacement: "")],
                                         stamp: stamp, nextID: &nextID)
        let output = try PackageWriter.write(package, replacing: [walk.mainPath: Data(rewritten)])
        let reviewed = try DocxReader.read(data: output, displayPath: "t.docx").get()
        XCTAssertEqual(reviewed.text, "第一段的文字\n新\n一、第三段文字")
        XCTAssertEqual(reviewed.typography?.revisions.filter { $0.kind == .deletion }.map(\.text), ["的"])
        let comment = try XCTUnwrap(reviewed.typography?.comments.first)
        XCTAssertEqual(reviewed.slice(comment.range), "的文字\n新\n一、第三段")
        // The runs split keep their formatting: bold 的 | bold 文字 would be wrong; the first run
        // is cut after 第一段, the italic run after 第三段 is whole.
        let xml = String(decoding: rewritten, as: UTF8.self)
        XCTAssertTrue(xml.contains("<w:r><w:t xml:space=\"preserve\">第一段</w:t></w:r><w:commentRangeStart w:id=\"7\"/><w:r><w:t xml:space=\"preserve\">的</w:t></w:r>"), xml)
        XCTAssertTrue(xml.contains("<w:r><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">第三段</w:t></w:r><w:commentRangeEnd w:id=\"7\"/>"), xml)
        XCTAssertTrue(xml.contains("<w:p><w:ins w:id=\"101\" w:author=\"bulletinlint\" w:date=\"2026-12-07T09:00:00Z\"><w:r><w:t xml:space=\"preserve\">新</w:t></w:r></w:ins></w:p>"), xml)
        XCTAssertTrue(xml.contains("<w:del w:id=\"100\" w:author=\"bulletinlint\" w:date=\"2026-12-07T09:00:00Z\"><w:r><w:delText xml:space=\"preserve\">的</w:delText></w:r></w:del><w:r><w:t xml:space=\"preserve\">文字</w:t></w:r>"), xml)
        XCTAssertEqual(nextID, 102)
    }

    /// A fix that a second pass changes further: its line is written as one change from the
    /// draft's line to the fixed one, so that accepting it gives the fixed text.
    func testALineThatLaterPassesChangeIsOneChange() {
        let fix = Fix(applicability: .safe, edits: [TextEdit(range: 3..<4, replacement: "，")], description: "改为“，”")
        let span = Span(start: Position(line: 1, column: 5), end: Position(line: 1, column: 6))
        let first = Diagnostic(ruleID: "halfwidth-punctuation", severity: .error, message: "m", help: "", range: 3..<4, span: span, fix: fix)
        let other = Fix(applicability: .safe, edits: [TextEdit(range: 14..<14, replacement: "。")], description: "插入“。”")
        let second = Diagnostic(ruleID: "x", severity: .error, message: "m", help: "", range: 8..<14, span: span, fix: other)
        // Line 1 "甲乙,丙" becomes "甲乙，丙丁" over two passes; line 2 "末尾" gets its 。 in one.
        let plan = EditPlan(source: "甲,丙\n末尾", diagnostics: [first, second], fixedText: "甲，丙丁\n末尾。", includingUnsafe: false)
        XCTAssertEqual(plan.edits.map(\.range), [3..<7, 14..<14])
        XCTAssertEqual(plan.edits.map(\.replacement), ["，丙丁", "。"])
        XCTAssertEqual(plan.edits.map(\.diagnostic), [nil, 1])
        // When one pass is all, every edit is its finding's.
        let single = EditPlan(source: "甲,丙\n末尾", diagnostics: [first, second], fixedText: "甲，丙\n末尾。", includingUnsafe: false)
        XCTAssertEqual(single.edits.map(\.diagnostic), [0, 1])
    }

    /// The positioned parser refuses what `XMLTree` refuses, and never traps on broken input.
    func testPositionedXMLRefusesBrokenAndHostileParts() throws {
        let bad = ["", "<a", "<a b='1>", "<a>&#xD800;</a>", "<a>&bogus;</a>", "<a></b>", "<a><b></a>", "</a>", "<a/><b/>",
                   "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "<a b=1/>", "text<a/>", "<a>&#;</a>", "<a>&</a>",
                   String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)]
        for text in bad {
            XCTAssertThrowsError(try PositionedXML(Array(text.utf8)), text)
        }
        XCTAssertThrowsError(try PositionedXML([0xFF, 0xFE, 0x3C, 0x00]))
        let good = "\u{FEFF}<?xml version=\"1.0\"?>\n<!-- c --><w:a xmlns:w=\"urn:w\" w:x=\"1&amp;2\"><w:t>&lt;甲&#x4E59;&#20057;<![CDATA[<丙>]]></w:t><w:e/></w:a>"
        let xml = try PositionedXML(Array(good.utf8))
        XCTAssertEqual(xml.root.name, "a")
        XCTAssertEqual(xml.root.namespace, "urn:w")
        XCTAssertEqual(xml.root.attribute("x"), "1&2")
        let t = try XCTUnwrap(xml.root.child("t"))
        XCTAssertEqual(t.text, "<甲乙乙<丙>")
        XCTAssertEqual(String(decoding: xml.slice(t), as: UTF8.self), "<w:t>&lt;甲&#x4E59;&#20057;<![CDATA[<丙>]]></w:t>")
        let e = try XCTUnwrap(xml.root.child("e"))
        XCTAssertEqual(xml.position(of: e)?.isEmpty, true)
        XCTAssertEqual(xml.position(of: e)?.prefix, "w")
    }
}
