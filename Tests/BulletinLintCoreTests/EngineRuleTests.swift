@testable import BulletinLintCore
import Foundation
import XCTest

/// The registry of engine ids (`EngineRule`): every id has its words, and the formats that list
/// rules list every one of them.
final class EngineRuleTests: XCTestCase {
    func testEveryEngineIDHasTitleDescriptionAndHelp() {
        var titles = Set<String>()
        for rule in EngineRule.allCases {
            XCTAssertFalse(rule.title.isEmpty, rule.id)
            XCTAssertFalse(rule.title.contains("{"), rule.id)
            XCTAssertTrue(titles.insert(rule.title).inserted, "\(rule.id): title shared with another id")
            XCTAssertTrue(rule.description.hasSuffix("。"), rule.id)
            XCTAssertTrue(rule.help.hasSuffix("。"), rule.id)
            XCTAssertEqual(rule.id, rule.rawValue)
        }
        // What the readers and the linter report when a document's rules did not run.
        for rule in [EngineRule.ioError, .encodingError, .emptyFile, .corruptDocument, .archiveTooLarge,
                     .unsupportedFormat, .pdfNoText, .pdftotextMissing, .pdfTimeout, .pdfError,
                     .sofficeMissing, .sofficeTimeout] {
            XCTAssertTrue(rule.documentNotChecked, rule.id)
        }
        XCTAssertFalse(EngineRule.regexTimeout.documentNotChecked)
        XCTAssertFalse(EngineRule.unusedSuppression.documentNotChecked)
        XCTAssertFalse(EngineRule.emptyFile.isReadFailure)
        XCTAssertEqual(EngineRule.regexTimeout.severity, .warning)
        XCTAssertEqual(EngineRule.unusedSuppression.severity, .warning)
        XCTAssertEqual(EngineRule.ioError.severity, .error)
    }

    func testReadFailureTakesTheGenericHelpOfItsID() {
        let generic = ReadFailure(.corruptDocument, message: "坏了")
        XCTAssertEqual(generic.ruleID, "corrupt-document")
        XCTAssertEqual(generic.rule, .corruptDocument)
        XCTAssertEqual(generic.help, EngineRule.corruptDocument.help)
        let own = ReadFailure(.pdfNoText, message: "加密", help: "请提供未加密的 PDF。")
        XCTAssertEqual(own.resolvedHelp, "请提供未加密的 PDF。")
        XCTAssertEqual(ReadFailure(ruleID: "encoding-error", message: "乱码").resolvedHelp, EngineRule.encodingError.help)
    }

    /// SARIF's `tool.driver.rules` has an entry for every engine id, even with no rule set and
    /// no finding; a finding of one points at its entry.
    func testSARIFListsEveryEngineID() throws {
        let report = FileReport(path: "a.ofd", source: nil, diagnostics: [
            Diagnostic(ruleID: "corrupt-document", severity: .error, message: "OFD 文件没有页面",
                       help: EngineRule.corruptDocument.help, range: nil,
                       span: Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 1))),
        ])
        let text = SARIFFormatter().format([report], context: ReportContext(rules: [], toolVersion: "0.1.0"))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try XCTUnwrap((root["runs"] as? [[String: Any]])?.first)
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids, EngineRule.allCases.map(\.id).sorted())
        let corrupt = try XCTUnwrap(rules.first { $0["id"] as? String == "corrupt-document" })
        XCTAssertEqual((corrupt["shortDescription"] as? [String: Any])?["text"] as? String, EngineRule.corruptDocument.title)
        let result = try XCTUnwrap((run["results"] as? [[String: Any]])?.first)
        XCTAssertEqual(result["ruleIndex"] as? Int, ids.firstIndex(of: "corrupt-document"))
    }

    /// JUnit: a test case for every engine id; a document that could not be read is an
    /// `<error>` (not a `<failure>`) and its other cases are skipped.
    func testJUnitListsTheRulesAndTheEngineIDThatOccurredAndSkipsAnUnreadDocument() throws {
        let ruleSet = try RuleSetLoader().load(references: ["bulletin"])
        let report = FileReport(path: "a.docx", source: nil, diagnostics: [
            Diagnostic(ruleID: "corrupt-document", severity: .error, message: "文件不是有效的 Word 文档",
                       help: EngineRule.corruptDocument.help, range: nil,
                       span: Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 1))),
        ])
        let xml = JUnitFormatter().format([report], context: ReportContext(rules: ruleSet.rules, toolVersion: "0.1.0"))
        let document = try XMLDocumentTree.parse(xml)
        let suite = try XCTUnwrap(document.children.first)
        let cases = suite.children.filter { $0.name == "testcase" }
        // The rules, then the one engine id that occurred: not a passing case for every engine id.
        XCTAssertEqual(cases.compactMap { $0.attributes["name"] }, ruleSet.rules.map(\.id) + ["corrupt-document"])
        let corrupt = try XCTUnwrap(cases.first { $0.attributes["name"] == "corrupt-document" })
        XCTAssertTrue(corrupt.children.contains { $0.name == "error" })
        XCTAssertEqual(suite.attributes["errors"], "1")
        XCTAssertEqual(suite.attributes["failures"], "0")
        XCTAssertEqual(suite.attributes["skipped"], String(cases.count - 1))
    }
}
