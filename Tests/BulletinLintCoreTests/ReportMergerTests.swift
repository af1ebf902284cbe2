@testable import BulletinLintCore
import Foundation
import XCTest

/// `merge` of SARIF shards whose runs listed different rules (shards run under different
/// configurations), and the rule list every SARIF report starts with.
final class ReportMergerTests: XCTestCase {
    /// A SARIF report as `SARIFFormatter` writes it, by hand: `rules` are the ids of
    /// `tool.driver.rules` in order; each result names its rule and index.
    private func shard(rules: [String], results: [(rule: String, index: Int?, path: String)]) -> String {
        let driverRules = rules.map { id in
            JSON.object([("id", .string(id)), ("shortDescription", .object([("text", .string("规则 \(id)"))]))])
        }
        let resultObjects = results.map { result -> JSON in
            var pairs: [(String, JSON)] = [("ruleId", .string(result.rule))]
            if let index = result.index { pairs.append(("ruleIndex", .int(index))) }
            pairs.append(("level", .string("warning")))
            pairs.append(("message", .object([("text", .string("问题"))])))
            pairs.append(("locations", .array([.object([("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(result.path))])),
            ]))])])))
            return .object(pairs)
        }
        return JSON.object([
            ("$schema", .string(SARIFFormatter.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([("name", .string("bulletinlint")), ("version", .string("0.1.0")),
                                                     ("rules", .array(driverRules))]))])),
                ("results", .array(resultObjects)),
            ])])),
        ]).render()
    }

    private func merged(_ texts: [String]) throws -> (rules: [String], results: [(id: String, index: Int?, path: String)]) {
        let (kind, text) = try ReportMerger.merge(texts.enumerated().map { (path: "shard\($0.offset + 1).sarif", text: $0.element) })
        XCTAssertEqual(kind, .sarif)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try XCTUnwrap((root["runs"] as? [[String: Any]])?.first)
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        return (rules.compactMap { $0["id"] as? String },
                results.map { result in
                    let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
                    let uri = (location?["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
                    return (result["ruleId"] as? String ?? "", result["ruleIndex"] as? Int, uri)
                })
    }

    /// Shard 2 ran under another configuration: its rule list differs, so its indexes point
    /// into another list. The merged list is the union, and every index points at its rule.
    func testShardsWithDifferentRuleListsGetOneListAndConsistentIndexes() throws {
        let first = shard(rules: ["date-spacing", "outdated-terms", "io-error"],
                          results: [("outdated-terms", 1, "a.txt"), ("io-error", 2, "c.txt")])
        let second = shard(rules: ["city-banned-terms", "outdated-terms", "io-error", "unused-suppression"],
                           results: [("city-banned-terms", 0, "b.txt"), ("outdated-terms", 1, "b.txt"),
                                     ("unused-suppression", 3, "d/.bulletinlint.yaml")])
        let result = try merged([first, second])
        XCTAssertEqual(result.rules, ["date-spacing", "outdated-terms", "io-error", "city-banned-terms", "unused-suppression"])
        XCTAssertEqual(result.results.map(\.path), ["a.txt", "b.txt", "b.txt", "c.txt", "d/.bulletinlint.yaml"])
        for item in result.results {
            XCTAssertEqual(item.index, result.rules.firstIndex(of: item.id), "\(item.id) in \(item.path)")
        }
    }

    /// A result without `ruleIndex` gets one when its rule is listed; a result with an index
    /// but no id is placed by its own shard's list.
    func testMissingIndexesAndIDsAreResolved() throws {
        let first = shard(rules: ["a-rule"], results: [("a-rule", nil, "a.txt")])
        let second = shard(rules: ["b-rule", "a-rule"], results: [("b-rule", 0, "b.txt")])
        var withoutID = second.replacingOccurrences(of: "\"ruleId\": \"b-rule\",", with: "")
        withoutID = withoutID.replacingOccurrences(of: "\"ruleId\":\"b-rule\",", with: "")
        XCTAssertFalse(withoutID.contains("\"ruleId\""), withoutID)
        let result = try merged([first, withoutID])
        XCTAssertEqual(result.rules, ["a-rule", "b-rule"])
        XCTAssertEqual(result.results.map(\.index), [0, 1])
    }

    /// The rule list of a report depends only on the rules it is given: the same rules give
    /// the same list, every engine id follows in id order, and a repeated id keeps its first
    /// description.
    func testDescriptorsDependOnlyOnTheRulesGiven() throws {
        let bulletin = try RuleSetLoader().load(references: ["bulletin"]).rules
        let gongwen = try RuleSetLoader().load(references: ["gongwen"]).rules
        let once = RuleCatalog.descriptors(rules: bulletin + gongwen)
        let again = RuleCatalog.descriptors(rules: bulletin + gongwen)
        XCTAssertEqual(once, again)
        var seen = Set<String>()
        let expectedIDs = (bulletin + gongwen).map(\.id).filter { seen.insert($0).inserted }
            + EngineRule.allCases.map(\.id).sorted()
        XCTAssertEqual(once.map(\.id), expectedIDs)
        let shared = try XCTUnwrap(bulletin.first { rule in gongwen.contains { $0.id == rule.id } })
        XCTAssertEqual(once.first { $0.id == shared.id }, RuleCatalog.describe(shared))
    }
}
