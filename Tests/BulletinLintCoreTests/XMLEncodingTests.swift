@testable import BulletinLintCore
import Foundation
import XCTest

/// An XML part in UTF-16 (or another encoding whose `<` is not the byte 3C) would slip past the
/// byte scan for `<!DOCTYPE`: it is refused as a corrupt part. And `test-rules` tells a regex
/// time-out apart from an invalid example that does not fire.
final class XMLEncodingTests: XCTestCase {
    private static let withDoctype = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE d [<!ENTITY e \"秘密\">]><d><t>前&e;后</t></d>"

    private func utf16(_ text: String, littleEndian: Bool, bom: Bool) -> Data {
        var data = Data()
        if bom { data.append(contentsOf: littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]) }
        for unit in text.utf16 {
            let bytes = littleEndian ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
            data.append(contentsOf: bytes)
        }
        return data
    }

    func testUTF16PartsAreRefused() {
        for (littleEndian, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let data = utf16(Self.withDoctype, littleEndian: littleEndian, bom: bom)
            do {
                let root = try XMLTree.parse(data)
                XCTFail("parsed (LE \(littleEndian), BOM \(bom)): “\(root.allText)”")
            } catch {
                XCTAssertTrue(error.reason.contains("UTF-16"), error.reason)
            }
        }
    }

    func testDeclaredEncodingsThatHideMarkupAreRefused() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-7\"?><d>x</d>"
        XCTAssertThrowsError(try XMLTree.parse(Data(text.utf8)))
    }

    func testUTF8AndCompatibleDeclarationsStillParse() throws {
        for declaration in ["", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>", "<?xml version='1.0' encoding='utf-8'?>"] {
            let root = try XMLTree.parse(Data((declaration + "<d><t>正文</t></d>").utf8))
            XCTAssertEqual(root.allText, "正文", declaration)
        }
    }

    /// A rule whose pattern times out on its invalid example is reported as a time-out, not as
    /// an example that does not fire.
    func testExampleTimeoutIsReportedAsATimeout() throws {
        let slow = String(repeating: "a", count: 40) + "b"
        let yaml = """
        ruleset: slow
        extends: [bulletin]
        rules:
          - id: slow-pattern
            check: forbidden
            scope: document
            patterns: ['^(a+)+$']
            severity: warning
            message: 慢
            examples:
              invalid:
                - "\(slow)"
        """
        let ruleSet = try RuleSetLoader().load(text: yaml, path: "slow.yaml")
        let rule = try XCTUnwrap(ruleSet.rules.first { $0.id == "slow-pattern" })
        let failures = ExampleRunner(ruleSet: ruleSet).failures(of: rule)
        XCTAssertEqual(failures.count, 1)
        XCTAssertEqual(failures.first?.kind, .timedOut)
        XCTAssertTrue(failures.first?.message.contains("超时") == true, failures.first?.message ?? "")
    }
}
