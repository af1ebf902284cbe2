import BulletinLintCore
import Foundation
import XCTest

/// .doc and .wps read through LibreOffice: the same elements and paragraph positions as the
/// .docx they were saved from. Needs LibreOffice (`scripts/install-test-deps` installs it).
final class LegacyWordReaderTests: XCTestCase {
    typealias P = PackageBuilder

    static func soffice() throws -> String {
        guard let path = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/bin/libreoffice"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("LibreOffice is not installed (scripts/install-test-deps installs it)")
        }
        return path
    }

    /// Converts a file with LibreOffice, as an office would have saved it.
    static func convert(_ file: URL, to format: String, in folder: URL) throws -> URL {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try soffice())
        let profile = folder.appendingPathComponent("profile-\(UUID().uuidString)")
        process.arguments = ["-env:UserInstallation=" + profile.absoluteString, "--headless", "--convert-to", format,
                             "--outdir", folder.path, file.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let converted = file.deletingPathExtension().appendingPathExtension(format)
        guard FileManager.default.fileExists(atPath: converted.path) else { throw XCTSkip("LibreOffice did not convert to .\(format)") }
        return converted
    }

    static func elements(_ source: SourceText) throws -> [String] {
        let bulletin = try RuleSetLoader().load(references: ["default"]).parser.parse(source)
        let kinds = Set(CorpusEvaluation.kinds)
        return bulletin.allElements.filter { kinds.contains($0.kind) }.map { element in
            let span = source.span(element.range)
            return "\(element.kind) ¶\(span.start.line):\(span.start.column) \(element.fields.sorted { $0.key < $1.key }) \(element.entries.map(\.text))"
        }
    }

    func testADocReadsLikeTheDocxItWasSavedFrom() throws {
        _ = try LegacyWordReaderTests.soffice()
        let folder = try temporaryDirectory("legacy")
        let lines = try Fixtures.text(Fixtures.reference).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let docx = folder.appendingPathComponent("page.docx")
        try P.bulletinDocx(lines).write(to: docx)
        let doc = try LegacyWordReaderTests.convert(docx, to: "doc", in: folder)
        guard case .success(let fromDocx) = DocumentReader.read(path: docx.path) else { return XCTFail("docx not read") }
        // The readers' private folders: `bulletinlint-` and ten letters or digits (other test
        // processes on the machine make `bulletinlint-run-…` folders of their own).
        func ours() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { name in
                name.hasPrefix(TemporaryFiles.marker) && name.count == TemporaryFiles.marker.count + 10
                    && name.dropFirst(TemporaryFiles.marker.count).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            })
        }
        let before = try ours()
        let result = DocumentReader.read(path: doc.path)
        guard case .success(let fromDoc) = result else { return XCTFail("doc not read: \(result)") }
        XCTAssertEqual(fromDoc.format, .docx)
        let expected = try LegacyWordReaderTests.elements(fromDocx)
        XCTAssertTrue(expected.contains { $0.hasPrefix("imprint ¶") }, "\(expected)")
        XCTAssertEqual(try LegacyWordReaderTests.elements(fromDoc), expected)
        // Folder runs take them in; nothing is left in the temporary folder.
        XCTAssertTrue(FileCollector.lintedExtensions.isSuperset(of: ["doc", "wps"]))
        // The reader's private folder (`bulletinlint-XXXXXXXXXX`) is gone once it has read. Another
        // test process on the machine may have one of its own open for a moment: a folder left
        // behind by this read stays, theirs go away.
        var left = try ours().subtracting(before)
        for _ in 0..<20 where !left.isEmpty {
            Thread.sleep(forTimeInterval: 0.5)
            left = left.intersection(try ours())
        }
        XCTAssertEqual(left, [])
    }

    func testAWPSFileIsReadToo() throws {
        _ = try LegacyWordReaderTests.soffice()
        let folder = try temporaryDirectory("legacy-wps")
        let docx = folder.appendingPathComponent("draft.docx")
        try P.docx(body: P.paragraph("信息公开选项：主动公开") + P.paragraph("抄送：省委办公厅。") + P.paragraph("某某办公室 2021年4月2日印发")).write(to: docx)
        let doc = try LegacyWordReaderTests.convert(docx, to: "doc", in: folder)
        // WPS Office writes its .wps in the .doc (OLE) format.
        let wps = folder.appendingPathComponent("draft.wps")
        try FileManager.default.moveItem(at: doc, to: wps)
        guard case .success(let source) = DocumentReader.read(path: wps.path) else { return XCTFail("wps not read") }
        let elements = try LegacyWordReaderTests.elements(source)
        XCTAssertTrue(elements.contains { $0.hasPrefix("imprint ¶3:1") }, "\(elements)")
        XCTAssertTrue(elements.contains { $0.hasPrefix("copy-to ¶2:1") }, "\(elements)")
    }

    func testACorruptDocIsOneDiagnostic() throws {
        _ = try LegacyWordReaderTests.soffice()
        let folder = try temporaryDirectory("legacy-bad")
        let bad = folder.appendingPathComponent("bad.doc")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0x41, count: 600)).write(to: bad)
        guard case .failure(let failure) = DocumentReader.read(path: bad.path) else { return XCTFail("a corrupt .doc was read") }
        XCTAssertEqual(failure.ruleID, "corrupt-document")
    }
}

/// Programs run with a time limit stop, with what they started, when the limit is reached.
final class ExternalToolTests: XCTestCase {
    func testATimedOutProgramStopsWithItsChildren() throws {
        let folder = try temporaryDirectory("tool")
        let marker = folder.appendingPathComponent("child.pid").path
        // A shell that starts a grandchild sleeping long, as `soffice` starts `soffice.bin`.
        let script = "sleep 300 & echo $! > '\(marker)'; wait"
        let started = Date()
        let outcome = ExternalTool.run("/bin/sh", arguments: ["-c", script], timeout: 1)
        XCTAssertEqual(outcome, .timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        let pidText = try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try XCTUnwrap(Int32(pidText))
        // Reaped or gone: kill(pid, 0) fails once the grandchild no longer exists.
        var gone = false
        for _ in 0..<50 where !gone {
            gone = kill(pid, 0) != 0 || FileManager.default.contents(atPath: "/proc/\(pid)/stat").map { String(decoding: $0, as: UTF8.self).contains(") Z ") } ?? true
            if !gone { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertTrue(gone, "the grandchild \(pid) outlived the time limit")
    }
}

/// A file holding several documents: each is checked on its own, the file's own typography once.
final class SeveralDocumentsTests: XCTestCase {
    func testTypographyOfTheFileIsReportedOnce() throws {
        let one = ["某县人民政府文件", "某府发〔2021〕3号", "关于做好防汛工作的通知", "各乡镇人民政府：", "请做好防汛工作。", "某县人民政府", "2021年5月6日",
                   "抄送：县委办公室。", "某县人民政府办公室 2021年5月6日印发"]
        let two = one.map { $0.replacingOccurrences(of: "3号", with: "4号").replacingOccurrences(of: "防汛", with: "抗旱") }
        let body = (one + two).map { PackageBuilder.paragraph($0) }.joined()
            + "<w:sectPr><w:pgSz w:w=\"12240\" w:h=\"15840\"/></w:sectPr>"
        guard case .success(let source) = DocxReader.read(data: try PackageBuilder.docx(body: body), displayPath: "two.docx") else {
            return XCTFail("not read")
        }
        let rules = try RuleSetLoader().load(references: ["default", "gbt9704-typography"])
        let bulletin = rules.parser.parse(source)
        XCTAssertEqual(bulletin.documents.count, 2)
        let diagnostics = Linter(ruleSet: rules).lint(source).diagnostics
        let pageSize = diagnostics.filter { $0.ruleID.contains("page") || $0.message.contains("纸") }
        XCTAssertFalse(pageSize.isEmpty, "\(diagnostics.map(\.ruleID))")
        XCTAssertEqual(Set(pageSize.map(\.ruleID)).count, pageSize.count, "\(pageSize.map(\.ruleID))")
    }
}

extension SeveralDocumentsTests {
    /// Archive checks see every document of a file: two 公文 with one 发文字号 in one file.
    func testArchiveChecksSeeEveryDocumentOfAFile() throws {
        let folder = try temporaryDirectory("archive-several")
        func notice(_ title: String, _ day: Int) -> String {
            "某县人民政府文件\n某府发〔2021〕3号\n关于做好\(title)工作的通知\n各乡镇人民政府：\n请做好\(title)工作。\n某县人民政府\n2021年5月\(day)日\n抄送：县委办公室。\n某县人民政府办公室 2021年5月\(day)日印发\n"
        }
        let file = folder.appendingPathComponent("two.txt")
        try Data((notice("防汛", 6) + notice("抗旱", 8)).utf8).write(to: file)
        let session = LintSession(ruleSet: try RuleSetLoader().load(references: ["default", "archive"]))
        let outcome = try session.run(FileCollector.entries([file.path]))
        let ids = outcome.reports.flatMap { $0.diagnostics.map(\.ruleID) }
        XCTAssertTrue(ids.contains("archive-doc-number-duplicate"), "\(ids)")
    }
}
