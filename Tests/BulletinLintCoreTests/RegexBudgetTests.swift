import BulletinLintCore
import Foundation
import XCTest

/// Issue 14, point 10: catastrophic patterns cost a document at most its regex budget, and the
/// rules left unrun are named once.
final class RegexBudgetTests: XCTestCase {
    /// `count` rules, each with a different catastrophic pattern (the same pattern twice would
    /// be skipped as already timed out).
    private func slowRules(_ count: Int) throws -> RuleSet {
        var yaml = "ruleset: slow\nextends: [bulletin]\nrules:\n"
        for index in 0..<count {
            yaml += """
              - id: slow-\(index)
                check: forbidden
                scope: document
                patterns: ['^(a{1,\(10 + index)})+$']
                severity: warning
                message: 慢

            """
        }
        return try RuleSetLoader().load(text: yaml, path: "slow.yaml")
    }

    private let text = "【工作动态】\n标题\n" + String(repeating: "a", count: 48) + "b。（某办）"

    func testDocumentBudgetStopsRegexRulesAndNamesThemOnce() throws {
        let rules = 14
        let linter = Linter(ruleSet: try slowRules(rules))
        let started = Date()
        let report = linter.lint(SourceText(path: "slow.txt", text: text))
        let elapsed = Date().timeIntervalSince(started)
        let timeouts = report.diagnostics.filter { $0.ruleID == "regex-timeout" }
        let perRule = timeouts.filter { $0.message.hasPrefix("规则“slow-") }
        let budget = timeouts.filter { $0.message.hasPrefix("本文档的正则表达式用时已达 2 秒上限") }
        // 2 s of budget at 0.25 s a pattern: 8 (or 9, the last cut short) time out; the rest
        // are not run and named in one warning.
        XCTAssertEqual(budget.count, 1, timeouts.map(\.message).joined(separator: "\n"))
        XCTAssertLessThanOrEqual(perRule.count, 9)
        var named = Set(perRule.compactMap { $0.message.split(separator: "“").dropFirst().first?.split(separator: "”").first.map(String.init) })
        for index in 0..<rules where budget.first?.message.contains("“slow-\(index)”") == true { named.insert("slow-\(index)") }
        XCTAssertEqual(named, Set((0..<rules).map { "slow-\($0)" }), timeouts.map(\.message).joined(separator: "\n"))
        // A deadline, not a speed test: 14 × 0.25 s would be 3.5 s.
        XCTAssertLessThan(elapsed, 3.3)
    }

    func testRulesWithinTheBudgetAreReportedAsBefore() throws {
        let report = Linter(ruleSet: try slowRules(2)).lint(SourceText(path: "slow.txt", text: text))
        let timeouts = report.diagnostics.filter { $0.ruleID == "regex-timeout" }.map(\.message).sorted()
        XCTAssertEqual(timeouts, ["规则“slow-0”的正则表达式超时，部分文本未检查", "规则“slow-1”的正则表达式超时，部分文本未检查"])
    }

    func testBudgetIsPerDocument() throws {
        // Two documents in a row each get their own budget: the second is checked as fully as the first.
        let linter = Linter(ruleSet: try slowRules(10))
        let first = linter.lint(SourceText(path: "a.txt", text: text)).diagnostics.filter { $0.ruleID == "regex-timeout" }
        let second = linter.lint(SourceText(path: "b.txt", text: text)).diagnostics.filter { $0.ruleID == "regex-timeout" }
        XCTAssertEqual(first.count, second.count)
        XCTAssertTrue(first.contains { $0.message.hasPrefix("本文档的正则表达式用时已达") })
    }

    func testPlainPatternsStillMatch() throws {
        let yaml = """
        ruleset: mixed
        extends: [bulletin]
        rules:
          - id: plain
            check: forbidden
            scope: document
            patterns: ['标题']
            severity: warning
            message: 找到{text}
        """
        let report = Linter(ruleSet: try RuleSetLoader().load(text: yaml, path: "mixed.yaml"))
            .lint(SourceText(path: "m.txt", text: text))
        XCTAssertEqual(report.diagnostics.filter { $0.ruleID == "plain" }.map(\.message), ["找到标题"])
    }
}
