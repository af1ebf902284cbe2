import BulletinLintCore
import Foundation
import XCTest

/// `docs/RULE-REFERENCE.md` is made from the built-in rule files (`scripts/make-rule-reference`):
/// it must be what the rules built into this binary give, and name every one of them.
final class RuleReferenceTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testCommittedReferenceIsWhatTheBuiltinRulesGive() throws {
        let rendered = try RuleReference.builtinMarkdown()
        let file = RuleReferenceTests.root.appendingPathComponent("docs/RULE-REFERENCE.md")
        let committed = try String(contentsOf: file, encoding: .utf8)
        guard rendered != committed else { return }
        // Name the first line that differs, so the failure says what changed.
        let new = rendered.components(separatedBy: "\n")
        let old = committed.components(separatedBy: "\n")
        let index = zip(new, old).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(new.count, old.count)
        XCTFail("""
            docs/RULE-REFERENCE.md is out of date with the built-in rules (rules/*.yaml): run scripts/make-rule-reference and commit the result.
            First difference at line \(index + 1):
              committed: \(index < old.count ? old[index] : "(end of file)")
              rules give: \(index < new.count ? new[index] : "(end of file)")
            """)
    }

    func testReferenceNamesEveryRuleOfEveryBuiltinSet() throws {
        let reference = try RuleReference.builtinMarkdown()
        for name in BuiltinRuleSets.names {
            let ruleSet = try RuleSetLoader().load(references: [name])
            XCTAssertTrue(reference.contains("## 规则集 `\(name)`："), name)
            for rule in ruleSet.rules {
                XCTAssertTrue(reference.contains("<a id=\"rule-\(rule.origin.ruleSet)-\(rule.id)\"></a>\n\n### `\(rule.id)`："), "\(name): \(rule.id)")
            }
        }
        // Deterministic: the same bytes twice, no date in them.
        XCTAssertEqual(reference, try RuleReference.builtinMarkdown())
        XCTAssertNil(reference.range(of: #"20\d\d-\d\d-\d\dT"#, options: .regularExpression))
    }

    func testReferenceShowsConditionsBasisFixAndExamplesWithTheirMarkers() throws {
        let reference = try RuleReference.builtinMarkdown()
        let ruleSet = try RuleSetLoader().load(references: ["default"])
        // Every invalid example is shown as written, its ↓ markers kept.
        let marked = try XCTUnwrap(ruleSet.rules.first { rule in rule.examples.invalid.contains { $0.text.contains("↓") } })
        let example = try XCTUnwrap(marked.examples.invalid.first { $0.text.contains("↓") })
        XCTAssertTrue(reference.contains("```text\n" + example.text + "\n```\n"), marked.id)
        // A rule with a genre condition, a tier and a fix.
        let section = try self.section(of: "disclosure-value", in: "bulletin", reference)
        XCTAssertTrue(section.contains("| 适用文种 | 简报、信息专报 |"), section)
        XCTAssertTrue(section.contains("| 严重程度 | 错误（error） |"), section)
        let fixed = try XCTUnwrap(ruleSet.rules.first { $0.fix != nil })
        let fixedSection = try self.section(of: fixed.id, in: fixed.origin.ruleSet, reference)
        XCTAssertTrue(fixedSection.contains("| 自动修正 | 有，"), fixedSection)
        let tiered = try XCTUnwrap(ruleSet.rules.first { RuleBasis.tier(ofHelp: $0.help) != nil })
        XCTAssertTrue(try self.section(of: tiered.id, in: tiered.origin.ruleSet, reference).contains("| 依据 | 【\(RuleBasis.tier(ofHelp: tiered.help) ?? "")】"))
        // An era condition.
        let dated = try XCTUnwrap(ruleSet.rules.first { $0.condition.from != nil || $0.condition.until != nil })
        XCTAssertTrue(try self.section(of: dated.id, in: dated.origin.ruleSet, reference).contains("| 施行期间 | 文件日期在 "))
        // Examples that run with parameters of their own (a registry empty until an office fills it) show them.
        for rule in ruleSet.rules where rule.exampleCheck != nil {
            XCTAssertTrue(try self.section(of: rule.id, in: rule.origin.ruleSet, reference).contains("示例按下列参数运行"), rule.id)
        }
        // The overrides of sichuan-difangzhi, and what default combines.
        XCTAssertTrue(reference.contains("- `disclosure-missing`（定义于 `bulletin`）：在本规则集中为错误，锁定"), reference)
        XCTAssertTrue(reference.contains("它继承 `bulletin`、`gongwen`，即包含 `base`、`bulletin`、`gongwen` 的全部规则"), reference)
    }

    func testOneSetAsMarkdownListsItsEffectiveRules() throws {
        let ruleSet = try RuleSetLoader().load(references: ["sichuan-difangzhi"])
        let markdown = RuleReference.markdown(ruleSet)
        XCTAssertTrue(markdown.hasPrefix("# 规则集 `sichuan-difangzhi`："), markdown)
        for rule in ruleSet.rules { XCTAssertTrue(markdown.contains("### `\(rule.id)`："), rule.id) }
        // The severity an override set says where.
        XCTAssertTrue(markdown.contains("错误（error），由 rules/sichuan-difangzhi.yaml:"), markdown)
    }

    func testMarkdownMarkupInRuleTextIsEscaped() throws {
        let yaml = """
            ruleset: t
            rules:
              - id: odd-text
                title: 标题里有 | 和 *星号* 和 <b>
                check: forbidden
                phrases: ["甲"]
                severity: info
                message: “{text}”不行
                help: 【实务】某规范：不写 `代码` 和 [链接](x)。
                examples:
                  valid: ["乙"]
                  invalid: ["``` ↓甲"]
            """
        let markdown = RuleReference.markdown(try RuleSetLoader().load(text: yaml, path: "t.yaml"))
        XCTAssertTrue(markdown.contains("标题里有 \\| 和 \\*星号\\* 和 &lt;b&gt;"), markdown)
        XCTAssertTrue(markdown.contains("不写 \\`代码\\` 和 \\[链接\\](x)。"), markdown)
        // A fence longer than the backticks of the example.
        XCTAssertTrue(markdown.contains("````text\n``` ↓甲\n````\n"), markdown)
        XCTAssertTrue(markdown.contains("| 依据 | 【实务】某规范 |"), markdown)
    }

    private func section(of id: String, in set: String, _ reference: String) throws -> String {
        let start = try XCTUnwrap(reference.range(of: "<a id=\"rule-\(set)-\(id)\"></a>"), "\(set)/\(id)")
        let end = reference.range(of: "<a id=", range: start.upperBound..<reference.endIndex)?.lowerBound ?? reference.endIndex
        return String(reference[start.lowerBound..<end])
    }
}
