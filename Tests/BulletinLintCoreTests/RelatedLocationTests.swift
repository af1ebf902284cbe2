import BulletinLintCore
import Foundation
import XCTest

/// A finding that refers to another place — a later spelling to the first one, which the
/// document's other spellings must follow — carries it to every consumer: the diagnostic,
/// JSON's `related`, SARIF's `relatedLocations` (and the language server, in `LSPTests`).
final class RelatedLocationTests: XCTestCase {
    private let text = "【工作动态】\n四川省地方志工作办公室召开会议，\n四川省地方志办公室主任出席。（省地方志办）\n"

    private func report() throws -> FileReport {
        let ruleSet = try RuleSetLoader().load(references: ["sichuan-difangzhi"])
        return Linter(ruleSet: ruleSet).lint(SourceText(path: "draft.txt", text: text))
    }

    func testTheLaterSpellingPointsAtTheFirst() throws {
        let finding = try XCTUnwrap(try report().diagnostics.first { $0.ruleID == "office-name-consistency" })
        XCTAssertEqual(finding.span.start, Position(line: 3, column: 1))
        XCTAssertEqual(finding.related.count, 1)
        let first = try XCTUnwrap(finding.related.first)
        XCTAssertEqual(first.span, Span(start: Position(line: 2, column: 1), end: Position(line: 2, column: 12)))
        XCTAssertEqual(String(Substring(text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: first.range.lowerBound)..<text.utf8.index(text.utf8.startIndex, offsetBy: first.range.upperBound)])), "四川省地方志工作办公室")
        XCTAssertTrue(first.message.contains("四川省地方志工作办公室"))
        // Findings without another place say nothing more.
        XCTAssertTrue(try report().diagnostics.filter { $0.ruleID != "office-name-consistency" }.allSatisfy { $0.related.isEmpty })
    }

    func testJSONAndSARIFCarryTheRelatedPlace() throws {
        let report = try report()
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONFormatter().format([report]).utf8)) as? [String: Any])
        let diagnostics = try XCTUnwrap(((json["files"] as? [[String: Any]])?.first)?["diagnostics"] as? [[String: Any]])
        let finding = try XCTUnwrap(diagnostics.first { $0["rule"] as? String == "office-name-consistency" })
        let related = try XCTUnwrap(finding["related"] as? [[String: Any]])
        XCTAssertEqual((((related.first?["span"] as? [String: Any])?["start"]) as? [String: Any])?["line"] as? Int, 2)
        XCTAssertTrue(diagnostics.filter { $0["rule"] as? String != "office-name-consistency" }.allSatisfy { $0["related"] == nil })

        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(SARIFFormatter().format([report]).utf8)) as? [String: Any])
        let results = try XCTUnwrap(((sarif["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
        let result = try XCTUnwrap(results.first { $0["ruleId"] as? String == "office-name-consistency" })
        let locations = try XCTUnwrap(result["relatedLocations"] as? [[String: Any]])
        let region = ((locations.first?["physicalLocation"] as? [String: Any])?["region"]) as? [String: Any]
        XCTAssertEqual(region?["startLine"] as? Int, 2)
        XCTAssertEqual(region?["startColumn"] as? Int, 1)
        XCTAssertEqual(locations.first?["id"] as? Int, 0)
        XCTAssertNotNil((locations.first?["message"] as? [String: Any])?["text"])
    }
}
