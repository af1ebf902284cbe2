@testable import BulletinLintCore
import Foundation
import XCTest

/// Inputs the fuzz targets of fuzz/ found to crash, hang or leak, replayed the way their target
/// read them (docs/SECURITY.md, "Fuzzing"). Each is in Fixtures/fuzz/, named `<target>-<what>`;
/// a package (.docx, .ofd) is kept as its parts (`name`, LF, bytes; parts separated by NUL), the
/// form the fuzz target packs into a ZIP.
final class FuzzRegressionTests: XCTestCase {
    private static let folder = Fixtures.directory.appendingPathComponent("fuzz")

    private func input(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
    }

    /// The package the fuzz target made of a parts-format input.
    private func package(_ bytes: [UInt8]) throws -> [UInt8] {
        var parts: [(path: String, content: Data)] = []
        for chunk in bytes.split(separator: 0) {
            guard let newline = chunk.firstIndex(of: 0x0A) else { continue }
            parts.append((String(decoding: chunk[chunk.startIndex..<newline], as: UTF8.self), Data(chunk[(newline + 1)...])))
        }
        return [UInt8](try PackageBuilder.zip(parts, stored: true))
    }

    /// Reads `bytes` on a thread of its own, so that a hang fails one test instead of stopping
    /// the whole run: nil when the read has not ended after 60 s.
    private func readOnItsOwnThread(_ bytes: [UInt8], name: String) -> Result<SourceText, ReadFailure>? {
        final class Box: @unchecked Sendable { var result: Result<SourceText, ReadFailure>? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.result = DocumentLinter.read(.bytes(bytes, name: name))
            done.signal()
        }
        guard done.wait(timeout: .now() + 60) == .success else { return nil }
        return box.result
    }

    /// fuzz-docx: an element name with a byte that is not UTF-8 (`<\u{D3}`) in a part made
    /// FoundationXML's parser trap, ending the whole run. It is one `corrupt-document` now.
    func testAnXMLPartThatIsNotUTF8IsOneCorruptDocumentInsteadOfACrash() throws {
        let docx = try package(try input("docx-invalid-utf8-element-name.parts"))
        switch DocumentLinter.read(.bytes(docx, name: "fuzz.docx")) {
        case .success(let source):
            XCTFail("read: “\(source.text)”")
        case .failure(let failure):
            XCTAssertEqual(failure.ruleID, "corrupt-document")
            XCTAssertTrue(failure.message.contains("UTF-8"), failure.message)
        }
        // The same part in an .ofd package.
        let ofd = try PackageBuilder.zip([(path: "OFD.xml", content: Data([0x3C, 0xD3, 0x0A, 0x69, 0x0A]))], stored: true)
        switch DocumentLinter.read(.bytes([UInt8](ofd), name: "fuzz.ofd")) {
        case .success(let source):
            XCTFail("read: “\(source.text)”")
        case .failure(let failure):
            XCTAssertEqual(failure.ruleID, "corrupt-document")
        }
    }

    /// fuzz-docx: a deflated part whose stream does not end before the file does (a stored
    /// block longer than the rest of the file) made ZIPFoundation read the end of the file for
    /// ever: a 267-byte .docx hung the run. It is one `corrupt-document` now. The read runs on a
    /// thread of its own so that a hang fails this test instead of stopping the whole run.
    func testADeflateStreamWithoutAnEndIsOneCorruptDocumentInsteadOfAHang() throws {
        let docx = try input("docx-deflate-stream-without-end.docx")
        guard let result = readOnItsOwnThread(docx, name: "fuzz.docx") else {
            return XCTFail("reading the .docx did not end (a hang)")
        }
        switch result {
        case .failure(let failure):
            XCTAssertEqual(failure.ruleID, "corrupt-document")
            XCTAssertTrue(failure.message.contains("word/document.xml"), failure.message)
        case .success(let source):
            XCTFail("read: “\(source.text)”")
        }
    }

    /// fuzz-ofd (the million-run campaign): a central directory whose eighth name runs over the
    /// next entry's header. The package reader's own directory walk gave up, so its parts went
    /// through ZIPFoundation's inflation, which read the end of the file for minutes (an 8 KB
    /// .ofd, over 100 s under the fuzzer). Now a deflated part is always inflated by the bounded
    /// path, its local header found by name when the directory gives no offset.
    func testADirectoryThisReaderCannotWalkDoesNotFallBackToUnboundedInflation() throws {
        let ofd = try input("ofd-directory-name-over-next-entry.ofd")
        guard let result = readOnItsOwnThread(ofd, name: "fuzz.ofd") else {
            return XCTFail("reading the .ofd did not end (a hang)")
        }
        switch result {
        case .failure(let failure):
            XCTAssertEqual(failure.ruleID, "corrupt-document", failure.message)
        case .success(let source):
            XCTAssertFalse(source.text.isEmpty)
        }
        // The parts the directory does name are found by their local headers.
        let package = try PackageArchive(data: Data(ofd), documentName: "OFD 文件", limits: PackageLimits())
        XCTAssertNotNil(try package.read("OFD.xml"))
    }

    /// fuzz-ofd (the million-run campaign, after the fix above): a processing instruction without
    /// data (`<?x?>`) made FoundationXML call `strlen` on a null pointer — a SIGSEGV that ended
    /// the whole run. Such instructions are left out before parsing; the document reads.
    func testAProcessingInstructionWithoutDataIsNotACrash() throws {
        let ofd = try package(try input("ofd-processing-instruction-without-data.parts"))
        switch DocumentLinter.read(.bytes(ofd, name: "fuzz.ofd")) {
        case .success, .failure:
            break
        }
        // The same in a .docx that is otherwise well formed: it reads, and its text is whole.
        let docx = try PackageBuilder.docx(body: "<?y  ?><w:p><w:r><w:t>关于<?z?>做好工作的通知</w:t></w:r></w:p>")
        guard case .success(let source) = DocumentLinter.read(.bytes([UInt8](docx), name: "pi.docx")) else {
            return XCTFail("not read")
        }
        XCTAssertEqual(source.text.trimmingCharacters(in: .whitespacesAndNewlines), "关于做好工作的通知")
        // Every instruction without data gets some, wherever it stands (libxml2 may read one
        // where a scanner that followed XML would not: in a comment it does not take for one);
        // instructions with data stay as they are.
        let cleaned = XMLTree.givingDataToProcessingInstructions(Data("<?x?><a><!-- <?c?> --><![CDATA[<?d?>]]><?e data?><?f  ?></a>".utf8))
        XCTAssertEqual(String(decoding: cleaned, as: UTF8.self), "<?x _?><a><!-- <?c _?> --><![CDATA[<?d _?>]]><?e data?><?f _  ?></a>")
        let plain = Data("<a b=\"?>\">x</a>".utf8)
        XCTAssertEqual(XMLTree.givingDataToProcessingInstructions(plain), plain)
    }

    /// fuzz-ofd (third campaign, after 924,416 inputs): `<?` with no name, then `<?o?>`. A scan
    /// that took the second for the first's data left it without data; libxml2, recovering from
    /// the missing name, parsed it as an instruction: the same SIGSEGV.
    func testAnInstructionAfterAnUnnamedOneIsNotACrash() throws {
        let bytes = try input("ofd-instruction-after-unnamed-instruction.parts")
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "OFD.xml\n<?\n<?o?>")
        let ofd = try package(bytes)
        guard case .failure(let failure) = DocumentLinter.read(.bytes(ofd, name: "fuzz.ofd")) else {
            return XCTFail("read")
        }
        XCTAssertEqual(failure.ruleID, "corrupt-document")
        for nested in ["<?\n<?o?>", "<?<?o?>", "<!-- <?\n<?o?>", "<?a <?o?>?>", "<a b=\"<!--\"/><?o?>"] {
            let given = XMLTree.givingDataToProcessingInstructions(Data(nested.utf8))
            XCTAssertTrue(String(decoding: given, as: UTF8.self).contains("<?o _?>"), nested)
        }
        // Linear: a part of nested openings is one pass, not one per level.
        let deep = Data((String(repeating: "<?", count: 100_000) + "o?>").utf8)
        XCTAssertEqual(XMLTree.givingDataToProcessingInstructions(deep).count, deep.count + 2)
    }

    /// fuzz-rules (third campaign, after 354,881 inputs): a rule file whose pattern has a class
    /// range of one member (`[a-a]`) trapped in the prefilter's reading of the pattern
    /// (`(b)...(a)`), killing `check` on loading the rule file.
    func testAClassRangeOfOneMemberIsNotACrash() throws {
        let text = String(decoding: try input("rules-class-range-one-member.yaml"), as: UTF8.self)
        do {
            _ = try RuleSetLoader().load(text: text, path: "/nonexistent-bulletinlint-fuzz/rules.yaml")
        } catch {
            // A rule-file error is an answer too; the crash was the bug.
        }
        for pattern in ["[a-a]", "[０-０]", "x[a-ab-b]y", "[^a-a]"] {
            let regex = try ICURegex(pattern)
            XCTAssertFalse(try regex.matches(in: "xay ０").isEmpty, pattern)
        }
        let one = try XCTUnwrap(RegexPrefilter(pattern: "前[a-a]后", caseInsensitive: false))
        XCTAssertTrue(one.admits(PreparedText("前a后")))
        XCTAssertFalse(one.admits(PreparedText("无关的文字")))
    }

    /// fuzz-rules (fourth campaign, after 35,414 inputs): LeakSanitizer reported 2,764 bytes
    /// from `_CFRegularExpressionCreate`. The input's `internal-mark` pattern (1,382 UTF-16
    /// units) has a comment holding `(?<number>`: ICU's C API compiled it but had no group of
    /// that name, and that sent the pattern to `NSRegularExpression`, which leaks its copy of
    /// any pattern over 256 units. ICU's answer is now final: a name the scan found where ICU
    /// has no group (a comment, a class, a quoted run) is no group, and Foundation is not asked.
    /// (The leak shows only under the sanitizer: the input is a seed of fuzz-rules, which CI runs.)
    func testANameICUDoesNotKnowIsNoGroupAndFoundationIsNotAsked() throws {
        let text = String(decoding: try input("rules-pattern-name-in-comment.yaml"), as: UTF8.self)
        XCTAssertThrowsError(try RuleSetLoader().load(text: text, path: "/nonexistent-bulletinlint-fuzz/rules.yaml")) { error in
            // The patterns all compile; what is wrong is further down.
            XCTAssertTrue(String(describing: error).contains("rules.yaml:220:17"), "\(error)")
        }
        let long = "^(?<mark>内部刊物(?# " + String(repeating: "档案", count: 200) + "(?<number>第)[0-9]+号)$"
        for pattern in ["(?#(?<x>y)a", "[(?<x>)]a", "\\Q(?<x>)\\Ea", long] {
            let regex = try ICURegex(pattern)
            XCTAssertFalse(regex.groupNames.contains("x") || regex.groupNames.contains("number"), pattern)
            XCTAssertNil(try regex.firstMatch(in: "(<x>)a\n内部刊物12号")?.groups["x"], pattern)
        }
        XCTAssertEqual(try ICURegex(long).groupNames, ["mark"])
        XCTAssertEqual(try ICURegex(long).firstMatch(in: "内部刊物12号")?.groups["mark"], 0..<17)
        XCTAssertEqual(try ICURegex("(?#(?<x>)(?<y>a)").groupNames, ["y"])
        XCTAssertThrowsError(try ICURegex("(?<a>x")) { error in
            XCTAssertEqual((error as? ICURegex.CompileError)?.message, "正则表达式的括号不配对（缺少“)”）")
        }
    }

    /// Deflated parts still inflate, through the bounded path; the directory is read where
    /// there is one.
    func testDeflatedPartsStillInflate() throws {
        let text = String(repeating: "四川省地方志工作简报。", count: 400)
        let docx = try PackageBuilder.bulletinDocx([text])
        guard case .success(let source) = DocumentLinter.read(.bytes([UInt8](docx), name: "a.docx")) else {
            return XCTFail("a deflated .docx did not read")
        }
        XCTAssertTrue(source.text.contains(text))
        XCTAssertEqual(LocalHeaders.offsets(in: docx)?.first, 0)
        XCTAssertNil(LocalHeaders.offsets(in: Data("PK not a zip at all, but long enough".utf8)))
    }

    /// fuzz-ofd: a declaration libxml2 does not honour (`<?xml verencoding="GBK"sion="1.0" …`)
    /// let a part that is not UTF-8 past the check above, and FoundationXML trapped on it.
    func testAMalformedDeclarationDoesNotExemptAPartFromUTF8() throws {
        let ofd = try package(try input("ofd-malformed-declaration-not-utf8.parts"))
        switch DocumentLinter.read(.bytes(ofd, name: "fuzz.ofd")) {
        case .success(let source):
            XCTFail("read: “\(source.text)”")
        case .failure(let failure):
            XCTAssertEqual(failure.ruleID, "corrupt-document")
        }
        XCTAssertNil(XMLTree.strictlyDeclaredEncoding(Data("<?xml verencoding=\"GBK\"sion=\"1.0\"?>".utf8)))
        XCTAssertEqual(XMLTree.strictlyDeclaredEncoding(Data("<?xml version='1.0'\n encoding = \"GBK\" ?>".utf8)), "gbk")
        XCTAssertNil(XMLTree.strictlyDeclaredEncoding(Data("<?xml version=\"1.0\"?>".utf8)))
    }

    func testPartsDeclaredInAnotherEncodingAreStillConvertedByTheParser() throws {
        // GBK bytes are not UTF-8; a part that says it is GBK is read as GBK, as before.
        let gbk: [UInt8] = [0xD5, 0xFD, 0xCE, 0xC4]  // 正文
        let data = Data(Array("<?xml version=\"1.0\" encoding=\"GBK\"?><d><t>".utf8) + gbk + Array("</t></d>".utf8))
        XCTAssertEqual(try XMLTree.parse(data).allText, "正文")
        // Undeclared, the same bytes are refused.
        XCTAssertThrowsError(try XMLTree.parse(Data(Array("<d><t>".utf8) + gbk + Array("</t></d>".utf8))))
    }
}

/// Found while writing fuzz-baseline (the campaign's million inputs did not hit it): counts
/// of the same entry were added unchecked, so two counts of `Int.max` trapped.
final class BaselineCountTests: XCTestCase {
    private func load(_ json: String) throws -> Baseline {
        try Baseline.load(data: Data(json.utf8), path: "b.json")
    }

    func testHugeCountsAreRefusedInsteadOfOverflowing() {
        let entry = #"{"path": "a.txt", "rule": "r", "fingerprint": "00000000000000ff", "count": 9223372036854775807}"#
        XCTAssertThrowsError(try load(#"{"version": 1, "entries": [\#(entry), \#(entry)]}"#)) { error in
            XCTAssertTrue((error as? Baseline.LoadError)?.message.contains("count") ?? false, "\(error)")
        }
        let negative = #"{"version": 1, "entries": [{"path": "a.txt", "rule": "r", "fingerprint": "f", "count": -3}]}"#
        XCTAssertThrowsError(try load(negative))
    }

    func testCountsOfTheSameEntryAddUpAndAreWrittenBack() throws {
        let entry = #"{"path": "a.txt", "rule": "r", "fingerprint": "f", "count": 2}"#
        let baseline = try load(#"{"version": 1, "entries": [\#(entry), \#(entry), {"path": "a.txt", "rule": "r", "fingerprint": "g"}]}"#)
        XCTAssertEqual(baseline.counts[Baseline.Key(path: "a.txt", rule: "r", fingerprint: "f")], 4)
        XCTAssertEqual(baseline.counts[Baseline.Key(path: "a.txt", rule: "r", fingerprint: "g")], 1)
        XCTAssertEqual(try load(baseline.render()), baseline)
    }
}
