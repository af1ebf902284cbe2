import BulletinLintCore
import XCTest

/// `<!-- bulletinlint-disable … -->` comments in Markdown.
final class SuppressionTests: XCTestCase {
    private func lintMarkdown(_ text: String, rules: String = "bulletin") throws -> [Diagnostic] {
        let ruleSet = try ruleSet(rules)
        let report = Linter(ruleSet: ruleSet).lint(SourceText(path: "t.md", text: text))
        return InlineSuppressions.apply(report.diagnostics, source: SourceText(path: "t.md", text: text), ruleSet: ruleSet)
    }

    private let footer = "\n信息公开选项：主动公开\n报：省委。\n某某办公室 2021年4月2日印发\n"

    private func relevant(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.filter { ["outdated-terms", "unused-suppression"].contains($0.ruleID) }.map { "\($0.ruleID)@\($0.span.start.line)" }
    }

    func testDisableAndEnable() throws {
        let text = "【工作动态】\n某市召开会议\n<!-- bulletinlint-disable outdated-terms -->\n其它工作。\n<!-- bulletinlint-enable outdated-terms -->\n其它安排。（某办）" + footer
        XCTAssertEqual(relevant(try lintMarkdown(text)), ["outdated-terms@6"])
    }

    func testDisableNextLine() throws {
        let text = "【工作动态】\n某市召开会议\n<!-- bulletinlint-disable-next-line outdated-terms -->\n其它工作。\n其它安排。（某办）" + footer
        XCTAssertEqual(relevant(try lintMarkdown(text)), ["outdated-terms@5"])
    }

    func testUnusedSuppressionIsReported() throws {
        let text = "【工作动态】\n某市召开会议\n<!-- bulletinlint-disable-next-line outdated-terms -->\n其他工作。（某办）" + footer
        let diagnostics = try lintMarkdown(text)
        XCTAssertEqual(relevant(diagnostics), ["unused-suppression@3"])
        XCTAssertEqual(diagnostics.first { $0.ruleID == "unused-suppression" }?.span.start.column, 1)
    }

    func testUnknownRuleInADirective() throws {
        let text = "【工作动态】\n某市召开会议\n<!-- bulletinlint-disable outdated-term -->\n其他工作。（某办）" + footer
        let message = try lintMarkdown(text).first { $0.ruleID == "unused-suppression" }?.message
        XCTAssertEqual(message, "注释中的规则“outdated-term”不存在（是否要写“outdated-terms”？）")
    }

    func testLockedRuleCannotBeSuppressed() throws {
        let text = "<!-- bulletinlint-disable disclosure-missing -->\n【工作动态】\n某市召开会议\n其他工作。（某办）\n报：省委。\n某某办公室 2021年4月2日印发\n"
        let diagnostics = try lintMarkdown(text, rules: "sichuan-difangzhi")
        XCTAssertTrue(diagnostics.contains { $0.ruleID == "disclosure-missing" })
        XCTAssertEqual(diagnostics.first { $0.ruleID == "unused-suppression" }?.message,
                       "规则“disclosure-missing”已被规则集“sichuan-difangzhi”锁定，不能在文中关闭")
    }

    func testBlanketDisable() throws {
        let text = "<!-- bulletinlint-disable -->\n【工作动态】\n某市召开会议\n其它工作。（某办）" + footer
        XCTAssertEqual(relevant(try lintMarkdown(text)), [])
    }
}
