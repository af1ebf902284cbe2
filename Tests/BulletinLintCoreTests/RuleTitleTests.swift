@testable import BulletinLintCore
import Foundation
import XCTest

/// A rule's `title:`: read strictly, changed by overrides, and shown by SARIF, `rules` and
/// `explain` instead of a title derived from the message.
final class RuleTitleTests: XCTestCase {
    private func load(_ yaml: String) throws -> RuleSet {
        try RuleSetLoader().load(text: yaml, path: "t.yaml")
    }

    private func loadError(_ yaml: String) -> RuleFileError? {
        do {
            _ = try RuleSetLoader().load(text: yaml, path: "t.yaml")
            return nil
        } catch {
            return error
        }
    }

    private let rule = """
        ruleset: t
        extends: [bulletin]
        rules:
          - id: no-wechat
            title: 不用“微信群”
            check: forbidden
            phrases: [微信群]
            severity: warning
            message: 不用“{text}”
            examples:
              valid: ["【工作动态】\\n标题\\n通过工作群通知。（某办）"]
              invalid: ["【工作动态】\\n标题\\n通过↓微信群通知。（某办）"]

        """

    func testEveryBuiltinRuleHasATitle() throws {
        for name in BuiltinRuleSets.names {
            for rule in try RuleSetLoader().load(references: [name]).rules {
                let title = try XCTUnwrap(rule.title, "\(name): \(rule.id) has no title")
                XCTAssertFalse(title.contains("{"), rule.id)
                XCTAssertFalse(title.hasSuffix("。"), "\(rule.id): a title is not a sentence")
                XCTAssertLessThanOrEqual(title.count, 24, rule.id)
            }
        }
    }

    /// `explain`, the rule reference and MCP show a message as people read it: every placeholder
    /// of a built-in rule's message and help is named in Chinese, none left as `〈parent〉`.
    func testEveryBuiltinPlaceholderHasAChineseName() throws {
        for name in BuiltinRuleSets.names {
            for rule in try RuleSetLoader().load(references: [name]).rules {
                for shown in [rule.messageTemplate.readable, rule.helpTemplate.readable] {
                    for match in shown.matches(of: /〈([^〉]*)〉/) {
                        XCTAssertNil(match.1.firstMatch(of: /^[A-Za-z_]+$/),
                                     "\(name): \(rule.id) shows 〈\(match.1)〉 in \(shown)")
                    }
                }
            }
        }
        XCTAssertEqual(MessageTemplate("“{parent}{child}”有误：{problem}").readable, "“〈上级地名〉〈下级地名〉”有误：〈问题所在〉")
    }

    func testTitleIsReadAndShown() throws {
        let ruleSet = try load(rule)
        let loaded = try XCTUnwrap(ruleSet.rule("no-wechat"))
        XCTAssertEqual(loaded.title, "不用“微信群”")
        XCTAssertEqual(loaded.displayTitle, "不用“微信群”")
        XCTAssertEqual(RuleCatalog.describe(loaded).shortDescription, "不用“微信群”")
        XCTAssertTrue(RuleListing.text(ruleSet).contains("不用“微信群”"))
        XCTAssertTrue(RuleListing.json(ruleSet).contains("\"title\": \"不用“微信群”\""))
        XCTAssertTrue(RuleExplanation.text(loaded).hasPrefix("no-wechat：不用“微信群”\n"))
        // Built-in: the title, not the message's summary.
        let builtin = try XCTUnwrap(try RuleSetLoader().load(references: ["bulletin"]).rule("disclosure-missing"))
        XCTAssertEqual(RuleCatalog.describe(builtin).shortDescription, "缺少信息公开选项")
    }

    /// A user's rule without `title:` still gets one, from its message.
    func testARuleWithoutTitleDerivesOne() throws {
        let ruleSet = try load(rule.replacingOccurrences(of: "    title: 不用“微信群”\n", with: ""))
        let loaded = try XCTUnwrap(ruleSet.rule("no-wechat"))
        XCTAssertNil(loaded.title)
        XCTAssertEqual(loaded.displayTitle, "不用")
    }

    /// `explain` knows the engine's own ids too.
    func testEngineIDsAreExplained() {
        let text = RuleExplanation.text(EngineRule.corruptDocument)
        XCTAssertTrue(text.hasPrefix("corrupt-document：文档已损坏\n"), text)
        XCTAssertTrue(text.contains(EngineRule.corruptDocument.help), text)
    }

    func testOverridesMayChangeTheTitle() throws {
        let ruleSet = try load("ruleset: t\nextends: [bulletin]\noverrides:\n  disclosure-missing: { title: 版记缺少公开属性 }\n")
        XCTAssertEqual(ruleSet.rule("disclosure-missing")?.title, "版记缺少公开属性")
    }

    func testBadTitlesAreErrorsAtTheirPlace() throws {
        let placeholder = try XCTUnwrap(loadError(rule.replacingOccurrences(of: "title: 不用“微信群”", with: "title: 不用“{text}”")))
        XCTAssertEqual([placeholder.line, placeholder.column], [5, 12], placeholder.message)
        XCTAssertTrue(placeholder.message.contains("占位符“{text}”"), placeholder.message)
        let twoLines = try XCTUnwrap(loadError(rule.replacingOccurrences(of: "title: 不用“微信群”", with: "title: \"不用\\n微信群\"")))
        XCTAssertEqual([twoLines.line, twoLines.column], [5, 12], twoLines.message)
        XCTAssertTrue(twoLines.message.contains("应为一行"), twoLines.message)
        let empty = try XCTUnwrap(loadError(rule.replacingOccurrences(of: "title: 不用“微信群”", with: "title: \"\"")))
        XCTAssertEqual(empty.line, 5, empty.message)
        // A misspelt key is still an unknown key at its place, with `title` suggested.
        let misspelt = try XCTUnwrap(loadError(rule.replacingOccurrences(of: "title:", with: "titel:")))
        XCTAssertEqual([misspelt.line, misspelt.column], [5, 5], misspelt.message)
        XCTAssertTrue(misspelt.message.contains("未知的键“titel”（是否要写“title”？）"), misspelt.message)
    }
}
