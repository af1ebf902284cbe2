import BulletinLintCore
import Foundation
import XCTest
import ZIPFoundation

/// `annotate`: the reviewed .docx. Every finding is a comment on exactly its text, accepting
/// every tracked change gives what `DocumentLinter.fix` gives, rejecting them gives the draft,
/// and the rest of the package is untouched.
final class AnnotateTests: XCTestCase {
    typealias P = PackageBuilder
    static let date = "2026-12-07T09:00:00Z"

    private func linter() throws -> DocumentLinter {
        DocumentLinter(configuration: Configuration(ruleSet: try RuleSetLoader().load(references: ["default"]), directory: "."))
    }

    /// Annotates `data` and checks what every reviewed copy must be. Returns the annotation and
    /// the draft as read.
    @discardableResult
    private func annotateAndVerify(_ data: Data, name: String, unsafe: Bool = false,
                                   file: StaticString = #filePath, line: UInt = #line) throws -> (DocxAnnotator.Annotation, SourceText) {
        let linter = try linter()
        let options = DocxAnnotator.Options(date: AnnotateTests.date, unsafeFixes: unsafe)
        let annotation = try DocxAnnotator.annotate(data, name: name, linter: linter, options: options).get()
        let draft = try DocxReader.read(data: data, displayPath: name).get()
        // The positioned parser reads the same text as FoundationXML: the findings are `check`'s.
        XCTAssertEqual(annotation.outcome.source?.text, draft.text, "annotate read other text than check: \(name)", file: file, line: line)
        XCTAssertEqual(annotation.outcome.report.diagnostics.map(\.ruleID),
                       linter.lint(draft, ignorePath: nil).report.diagnostics.map(\.ruleID), file: file, line: line)

        // Rejecting every change gives the draft; accepting them gives `--fix`'s text.
        let rejected = try ReviewedDocx.resolve(annotation.data, .rejectAll, author: "bulletinlint").get()
        XCTAssertEqual(rejected.text, draft.text, "reject-all differs from the draft: \(name)", file: file, line: line)
        let fixed = linter.fix(draft, ignorePath: nil, unsafe: unsafe).text
        XCTAssertEqual(annotation.fixedText, fixed, file: file, line: line)
        if annotation.untrackedFixes == 0 {
            let accepted = try ReviewedDocx.resolve(annotation.data, .acceptAll, author: "bulletinlint").get()
            XCTAssertEqual(accepted.text, fixed, "accept-all differs from --fix: \(name)", file: file, line: line)
        }

        // Every finding: one comment by bulletinlint, anchored on exactly its span, with its
        // message, help and rule id.
        let diagnostics = annotation.outcome.report.diagnostics
        let comments = (rejected.typography?.comments ?? []).filter { $0.author == "bulletinlint" }
        XCTAssertEqual(comments.count, diagnostics.count, "one comment per finding: \(name)", file: file, line: line)
        XCTAssertEqual(annotation.comments, diagnostics.count, file: file, line: line)
        var unmatched = comments
        for diagnostic in diagnostics {
            guard let range = diagnostic.range else { continue }
            let index = unmatched.firstIndex { comment in
                comment.text.contains("规则：\(diagnostic.ruleID)") && comment.text.contains(diagnostic.message)
                    && AnnotateTests.sameAnchor(comment.range, range, in: draft)
            }
            XCTAssertNotNil(index, "no comment on “\(draft.slice(range))” for \(diagnostic.ruleID) in \(name)", file: file, line: line)
            if let index { unmatched.remove(at: index) }
        }

        // Parts other than the body, the comments and the package's lists are copied as they were.
        let before = try AnnotateTests.parts(data)
        let after = try AnnotateTests.parts(annotation.data)
        let changed: Set<String> = ["word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"]
        for (path, bytes) in before where !changed.contains(path) {
            XCTAssertEqual(after[path], bytes, "part \(path) changed in \(name)", file: file, line: line)
        }
        XCTAssertEqual(Set(after.keys).subtracting(before.keys).subtracting(changed), [], file: file, line: line)
        return (annotation, draft)
    }

    /// The comment covers the finding's text; where the finding starts on a numbering label
    /// (`一、`, not in the XML), the comment starts right after it.
    static func sameAnchor(_ comment: TextRange, _ finding: TextRange, in source: SourceText) -> Bool {
        if comment == finding { return true }
        guard comment.upperBound == finding.upperBound, comment.lowerBound > finding.lowerBound,
              let paragraph = source.typography?.paragraphs[source.span(finding).start.line],
              let label = paragraph.numberingLabel else { return false }
        return comment.lowerBound - finding.lowerBound <= label.utf8.count
    }

    static func parts(_ data: Data) throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read)
        var out: [String: Data] = [:]
        for entry in archive where entry.type == .file {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            out[entry.path] = bytes
        }
        return out
    }

    /// A .docx of a text, one paragraph per line, each line cut into runs of five characters
    /// that alternate bold and plain (Word splits phrases across runs like this), blank lines
    /// as `<w:p/>`.
    static func splitRunsDocx(_ text: String) throws -> Data {
        var body = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { body += "<w:p/>"; continue }
            let characters = Array(line)
            var runs: [(String, String)] = []
            var start = 0
            while start < characters.count {
                let end = min(start + 5, characters.count)
                runs.append((String(characters[start..<end]), runs.count % 2 == 0 ? "" : "<w:b/>"))
                start = end
            }
            body += P.paragraph(runs)
        }
        return try P.docx(body: body + P.standardSection)
    }

    static let samples = ["punctuation", "bad-dates", "lists-and-imprint", "wording", "title-punctuation", "distribution-order",
                          "missing-imprint", "missing-disclosure", "imprint-split", "missing-attribution", "clean"]

    func testSamplesAsDocxWithRunsCutEverywhere() throws {
        var tracked = 0
        for sample in AnnotateTests.samples {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("samples/\(sample).txt")
            let text = try String(contentsOf: url, encoding: .utf8)
            let (annotation, _) = try annotateAndVerify(try AnnotateTests.splitRunsDocx(text), name: "\(sample).docx")
            XCTAssertEqual(annotation.untrackedFixes, 0, sample)
            tracked += annotation.trackedFixes
        }
        XCTAssertGreaterThan(tracked, 5)
    }

    func testUnsafeFixesAreTrackedWhenAskedWithTheirReason() throws {
        let data = try AnnotateTests.richDraft()
        let (safe, _) = try annotateAndVerify(data, name: "rich.docx")
        let (unsafe, _) = try annotateAndVerify(data, name: "rich.docx", unsafe: true)
        XCTAssertGreaterThan(unsafe.trackedFixes, safe.trackedFixes)
        let comments = try ReviewedDocx.resolve(unsafe.data, .rejectAll, author: "bulletinlint").get().typography?.comments ?? []
        XCTAssertTrue(comments.contains { $0.text.contains("这一修正不安全") })
        let safeComments = try ReviewedDocx.resolve(safe.data, .rejectAll, author: "bulletinlint").get().typography?.comments ?? []
        XCTAssertTrue(safeComments.contains { $0.text.contains("--unsafe-fixes") })
    }

    func testRealDocxFilesFromWordLibreOfficeAndPythonDocx() throws {
        let fixtures = Fixtures.directory
        var files = try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("producers/docx").path)
            .filter { $0.hasSuffix(".docx") }.map { fixtures.appendingPathComponent("producers/docx/\($0)") }
        files.append(fixtures.appendingPathComponent("documents/bulletin-libreoffice.docx"))
        // The real documents of the corpus (Word-written standards' drafts).
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("corpus/real")
        files += try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".docx") }.sorted()
            .map { corpus.appendingPathComponent($0) }
        // Drafts of one's own: BULLETINLINT_ANNOTATE_DRAFTS=folder checks every .docx in it the same way.
        if let folder = ProcessInfo.processInfo.environment["BULLETINLINT_ANNOTATE_DRAFTS"] {
            files += try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".docx") }.sorted()
                .map { URL(fileURLWithPath: folder).appendingPathComponent($0) }
        }
        XCTAssertGreaterThan(files.count, 15)
        for url in files {
            try annotateAndVerify(try Data(contentsOf: url), name: url.lastPathComponent)
        }
    }

    /// A draft with what real drafts have: a header and a footer with a field, a table, Word
    /// numbering, a hyperlink, a tab, a field in the body, a phrase split across runs of
    /// different formatting, and a reviewer's comment and tracked changes already in it.
    static func richDraft() throws -> Data {
        let numbered = "<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
        var body = ""
        body += P.paragraph("四川省地方志工作简报", properties: "<w:jc w:val=\"center\"/>", run: "<w:color w:val=\"FF0000\"/><w:sz w:val=\"52\"/>")
        body += P.paragraph("2021年第12期（总第132期）", properties: "<w:jc w:val=\"center\"/>")
        body += "<w:p><w:r><w:t>四川省地方志工作办公室编</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>2021年7月9日</w:t></w:r></w:p>"
        body += "<w:p/>"
        body += P.paragraph("【工作动态】")
        body += P.paragraph("省地方志办开展志书质量专项检查", properties: "<w:jc w:val=\"center\"/>")
        body += "<w:p><w:r><w:t xml:space=\"preserve\">6月下旬，省地方志办组织</w:t></w:r>"
            + "<w:commentRangeStart w:id=\"0\"/><w:r><w:t>专家</w:t></w:r><w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r>"
            + "<w:r><w:t>对</w:t></w:r><w:ins w:id=\"1\" w:author=\"审稿人\" w:date=\"2021-07-01T00:00:00Z\"><w:r><w:t>近三年</w:t></w:r></w:ins>"
            + "<w:del w:id=\"2\" w:author=\"审稿人\" w:date=\"2021-07-01T00:00:00Z\"><w:r><w:delText>去年</w:delText></w:r></w:del>"
            + "<w:r><w:t>出版的县级志书开展质量专项检查，重点检查文字标点等方面的问题</w:t></w:r>"
            + "<w:r><w:rPr><w:b/><w:color w:val=\"0000FF\"/></w:rPr><w:t>,</w:t></w:r>"
            + "<w:r><w:t>并形成检查报告，见</w:t></w:r>"
            + "<w:hyperlink w:anchor=\"top\"><w:r><w:rPr><w:u w:val=\"single\"/></w:rPr><w:t>其它地方的做法</w:t></w:r></w:hyperlink>"
            + "<w:r><w:t>。（省地方志办）</w:t></w:r></w:p>"
        body += "<w:p>\(numbered)<w:r><w:t>各地要对照《地方志书质量规定》，建立健全其它保障体系。</w:t></w:r></w:p>"
        body += "<w:p>\(numbered)<w:r><w:t>坚持“存史、育人、资政”，会议于</w:t></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"https://www.example.org/\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            + "<w:r><w:t>2021年7月2日</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>召开。（省地方志办）</w:t></w:r></w:p>"
        body += "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"4000\"/><w:gridCol w:w=\"4000\"/></w:tblGrid>"
            + "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"4000\" w:type=\"dxa\"/></w:tcPr>\(P.paragraph("攀枝花市"))</w:tc><w:tc><w:tcPr><w:tcW w:w=\"4000\" w:type=\"dxa\"/></w:tcPr>\(P.paragraph("完成其它任务"))</w:tc></w:tr></w:tbl>"
        body += P.paragraph("信息公开选项：主动公开", run: "<w:sz w:val=\"28\"/>")
        body += P.paragraph([("报：省委，省人大常委会，", "<w:sz w:val=\"28\"/>"), ("省人民政府。政协四川省委", "<w:sz w:val=\"28\"/>")])
        body += P.paragraph("四川省地方志工作办公室综合处          2021年7月9日印发", run: "<w:sz w:val=\"28\"/>")
        body += P.standardSection.replacingOccurrences(of: "<w:pgSz", with: "<w:headerReference w:type=\"default\" r:id=\"rId13\"/><w:footerReference w:type=\"default\" r:id=\"rId14\"/><w:pgSz")
        return try P.docx(body: body, parts: [
            P.styles(defaults: P.fonts("仿宋_GB2312") + "<w:sz w:val=\"32\"/>"),
            ("word/numbering.xml", "<w:numbering xmlns:w=\"\(P.w)\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"),
            ("word/comments.xml", "<w:comments xmlns:w=\"\(P.w)\"><w:comment w:id=\"0\" w:author=\"审稿人\" w:initials=\"审\"><w:p><w:r><w:t>请核实专家名单</w:t></w:r></w:p></w:comment></w:comments>"),
            ("word/header1.xml", "<w:hdr xmlns:w=\"\(P.w)\">\(P.paragraph("四川省地方志工作简报 其它"))</w:hdr>"),
            ("word/footer1.xml", "<w:ftr xmlns:w=\"\(P.w)\"><w:p><w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"),
        ])
    }

    func testRichDraftKeepsItsStructureAndItsReviewersWork() throws {
        let data = try AnnotateTests.richDraft()
        let (annotation, draft) = try annotateAndVerify(data, name: "rich.docx")
        XCTAssertGreaterThanOrEqual(annotation.trackedFixes, 3)
        let reviewed = try DocxReader.read(data: annotation.data, displayPath: "rich.审校.docx").get()
        // What check reads from the reviewed copy is the fixed text (it keeps insertions).
        XCTAssertEqual(reviewed.text, annotation.fixedText)
        // The reviewer's comment and revisions are still there, beside ours.
        let comments = reviewed.typography?.comments ?? []
        XCTAssertEqual(comments.filter { $0.author == "审稿人" }.map(\.text), ["请核实专家名单"])
        XCTAssertEqual(draft.slice(comments.first { $0.author == "审稿人" }?.range ?? 0..<0), "专家")
        let revisions = reviewed.typography?.revisions ?? []
        XCTAssertTrue(revisions.contains { $0.author == "审稿人" && $0.kind == .insertion && $0.text == "近三年" })
        XCTAssertTrue(revisions.contains { $0.author == "审稿人" && $0.kind == .deletion && $0.text == "去年" })
        XCTAssertTrue(revisions.contains { $0.author == "bulletinlint" && $0.kind == .deletion && $0.text == "其它" })
        // New ids do not reuse the draft's (comment 0, revisions 1 and 2).
        let xml = String(decoding: try XCTUnwrap(AnnotateTests.parts(annotation.data)["word/document.xml"]), as: UTF8.self)
        XCTAssertEqual(xml.components(separatedBy: "w:id=\"0\"").count - 1, 3)  // the reviewer's range start, end, reference
        XCTAssertEqual(xml.components(separatedBy: "w:id=\"1\"").count - 1, 1)
        // The blue bold comma keeps its formatting in the insertion that replaces it.
        XCTAssertTrue(xml.contains("<w:ins w:id=") && xml.contains("<w:rPr><w:b/><w:color w:val=\"0000FF\"/></w:rPr><w:t xml:space=\"preserve\">，</w:t>"))
        // Inside the hyperlink, its run is split where 其它 ends, and the pieces stay in it.
        let link = xml.range(of: "<w:hyperlink").map { String(xml[$0.lowerBound...].prefix(700)) } ?? ""
        XCTAssertTrue(link.hasPrefix("<w:hyperlink w:anchor=\"top\"><w:del "), link)
        XCTAssertTrue(link.contains("<w:rPr><w:u w:val=\"single\"/></w:rPr><w:t xml:space=\"preserve\">地方的做法</w:t></w:r></w:hyperlink>"), link)
        // The field's instruction is untouched.
        XCTAssertTrue(xml.contains("<w:instrText xml:space=\"preserve\"> HYPERLINK \"https://www.example.org/\" </w:instrText>"))
    }

    /// A text box inside a run that is itself rewritten: the box's runs get their changes, and
    /// the run around it keeps the box.
    func testTextBoxesInRunsThatAreRewritten() throws {
        let box = "<w:txbxContent><w:p><w:r><w:t>完成其它任务</w:t></w:r></w:p></w:txbxContent>"
        let drawing = "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:extent cx=\"1800000\" cy=\"400000\"/><wp:docPr id=\"1\" name=\"框\"/>"
            + "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:wsp><wps:txbx>\(box)</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>"
            + "<mc:Fallback><w:pict><v:shape xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:textbox>\(box)</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>"
        let text = "四川省地方志工作简报\n2021年第12期\n四川省地方志工作办公室编          2021年7月9日\n\n【工作动态】\n某市召开会议"
        var body = try String(decoding: XCTUnwrap(AnnotateTests.parts(AnnotateTests.splitRunsDocx(text))["word/document.xml"]), as: UTF8.self)
        let paragraph = "<w:p><w:r><w:t>会议研究其它工作</w:t>\(drawing)<w:t>，见上图。（某市地方志办）</w:t></w:r></w:p>"
        body = body.replacingOccurrences(of: "<w:sectPr>", with: paragraph + "<w:sectPr>")
        let inner = try XCTUnwrap(body.range(of: "<w:body>")).upperBound
        let end = try XCTUnwrap(body.range(of: "</w:body>")).lowerBound
        let data = try P.docx(body: String(body[inner..<end]))
        let (annotation, draft) = try annotateAndVerify(data, name: "box.docx")
        XCTAssertTrue(draft.text.contains("完成其它任务\n会议研究其它工作，见上图。"), draft.text)
        XCTAssertEqual(annotation.trackedFixes, 2)
        let xml = String(decoding: try XCTUnwrap(AnnotateTests.parts(annotation.data)["word/document.xml"]), as: UTF8.self)
        // The fallback copy of the box is left as it was.
        XCTAssertTrue(xml.contains("<v:textbox>\(box)</v:textbox>"))
        XCTAssertEqual(xml.components(separatedBy: "<w:delText xml:space=\"preserve\">其它</w:delText>").count - 1, 2)
    }

    func testTheSameDraftGivesTheSameBytes() throws {
        let data = try AnnotateTests.richDraft()
        let linter = try linter()
        let options = DocxAnnotator.Options(date: AnnotateTests.date)
        let first = try DocxAnnotator.annotate(data, name: "rich.docx", linter: linter, options: options).get()
        let second = try DocxAnnotator.annotate(data, name: "rich.docx", linter: linter, options: options).get()
        XCTAssertEqual(first.data, second.data)
    }

    func testAFindingWithoutTextOfItsOwnSaysTheElementIsMissing() throws {
        let text = "四川省地方志工作简报\n2021年第12期\n四川省地方志工作办公室编          2021年7月9日\n\n【工作动态】\n某市召开会议\n会议研究工作。（某市地方志办）\n\n报：省委。\n某某办公室          2021年7月9日印发"
        let (annotation, _) = try annotateAndVerify(try AnnotateTests.splitRunsDocx(text), name: "missing.docx")
        let comments = try ReviewedDocx.resolve(annotation.data, .rejectAll, author: "bulletinlint").get().typography?.comments ?? []
        let missing = try XCTUnwrap(comments.first { $0.text.contains("规则：disclosure-missing") })
        XCTAssertTrue(missing.text.contains("文中没有这一要素"))
    }

    func testDraftsThatCannotBeAnnotatedAreRefusedClearly() throws {
        let linter = try linter()
        func failure(_ data: Data, _ name: String) -> ReadFailure? {
            if case .failure(let failure) = DocxAnnotator.annotate(data, name: name, linter: linter) { return failure }
            return nil
        }
        XCTAssertEqual(failure(Data("not a zip".utf8), "a.docx")?.ruleID, "corrupt-document")
        XCTAssertTrue(failure(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 100)), "a.docx")?.message.contains("加密") ?? false)
        XCTAssertEqual(failure(Data(), "a.pdf")?.ruleID, "unsupported-format")
        XCTAssertEqual(failure(Data(), "a.txt")?.ruleID, "unsupported-format")
        let broken = try P.zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document xmlns:w=\"\(P.w)\"><w:body><w:p>")])
        XCTAssertEqual(failure(broken, "a.docx")?.ruleID, "corrupt-document")
    }

    /// What an editor's office suite does with it: LibreOffice opens the reviewed copy, prints it
    /// to PDF and saves it again as .docx, keeping our comments and tracked changes.
    func testLibreOfficeOpensConvertsAndKeepsCommentsAndRevisions() throws {
        let soffice = try LegacyWordReaderTests.soffice()
        let folder = try temporaryDirectory("annotate-lo")
        let (annotation, _) = try annotateAndVerify(try AnnotateTests.richDraft(), name: "rich.docx")
        let reviewed = folder.appendingPathComponent("reviewed.docx")
        try annotation.data.write(to: reviewed)
        func convert(_ format: String, into out: URL) throws -> URL {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: soffice)
            process.arguments = ["-env:UserInstallation=" + folder.appendingPathComponent("profile").absoluteString,
                                 "--headless", "--convert-to", format, "--outdir", out.path, reviewed.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "soffice --convert-to \(format)")
            return out.appendingPathComponent("reviewed.\(format)")
        }
        let pdf = try convert("pdf", into: folder.appendingPathComponent("pdf"))
        XCTAssertTrue(try Data(contentsOf: pdf).starts(with: Array("%PDF".utf8)))
        let again = try convert("docx", into: folder.appendingPathComponent("docx"))
        let source = try DocxReader.read(data: try Data(contentsOf: again), displayPath: "again.docx").get()
        let ours = (source.typography?.comments ?? []).filter { $0.author == "bulletinlint" }
        XCTAssertEqual(ours.count, annotation.comments)
        XCTAssertTrue(ours.allSatisfy { $0.text.contains("规则：") })
        let revisions = (source.typography?.revisions ?? []).filter { $0.author == "bulletinlint" }
        XCTAssertTrue(revisions.contains { $0.kind == .deletion && $0.text == "其它" })
        XCTAssertTrue(revisions.contains { $0.kind == .insertion && $0.text == "其他" })
        // LibreOffice's own save still accepts into the fixed text.
        let accepted = try ReviewedDocx.resolve(try Data(contentsOf: again), .acceptAll, author: "bulletinlint").get()
        XCTAssertEqual(accepted.text, annotation.fixedText)
    }
}
