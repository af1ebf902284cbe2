@testable import BulletinLintCore
import Foundation
import XCTest

/// How examples are written: a fix expectation beside its invalid example, the old `fixed:` list
/// still read, example scaffolds (`context:` and `contexts:`), and the warning for an invalid
/// example that marks no place.
final class ExampleFormTests: XCTestCase {
    private func load(_ yaml: String) throws -> RuleSet {
        try RuleSetLoader().load(text: yaml, path: "e.yaml")
    }

    private func loadError(_ yaml: String) -> RuleFileError? {
        do {
            _ = try RuleSetLoader().load(text: yaml, path: "e.yaml")
            return nil
        } catch {
            return error
        }
    }

    /// A rule file extending `bulletin` with one substitution rule whose `examples:` (and
    /// anything else) is `body`, indented as a rule's keys.
    private func file(_ body: String, top: String = "") -> String {
        """
        ruleset: e
        extends: [bulletin]
        \(top)rules:
          - id: no-gaohao
            check: substitution
            swap: { 搞好: 做好 }
            severity: warning
            fix: { with: '{replacement}' }
            message: “{text}”应改为“{replacement}”

        """ + body
    }

    // MARK: fixed beside its example

    func testFixedBesideItsExampleIsChecked() throws {
        let ruleSet = try load(file("""
                examples:
                  invalid:
                    - { text: "【工作动态】\\n标题\\n要↓搞好报送。（某办）", fixed: "【工作动态】\\n标题\\n要做好报送。（某办）" }
                    - { text: "【工作动态】\\n标题\\n要↓搞好报送。（某办）", fixed: "【工作动态】\\n标题\\n要搞好报送。（某办）" }

            """))
        let rule = try XCTUnwrap(ruleSet.rule("no-gaohao"))
        XCTAssertEqual(rule.examples.invalid.map { $0.fixed?.text }, ["【工作动态】\n标题\n要做好报送。（某办）", "【工作动态】\n标题\n要搞好报送。（某办）"])
        let failures = ExampleRunner(ruleSet: ruleSet).fixFailures(of: rule)
        XCTAssertEqual(failures.count, 1)
        // Reported where the wrong expectation is written: the second item, at `fixed`'s value.
        let failure = try XCTUnwrap(failures.first)
        XCTAssertEqual([failure.example.origin.line, failure.example.origin.column], [13, 53], failure.description)
        XCTAssertEqual(failure.kind, .fixMismatch(expected: "【工作动态】\n标题\n要搞好报送。（某办）", actual: "【工作动态】\n标题\n要做好报送。（某办）"))
    }

    /// User rule files written before: a `fixed:` list paired with `invalid:` by position.
    func testTheOldFixedListIsStillRead() throws {
        let ruleSet = try load(file("""
                examples:
                  invalid: ["【工作动态】\\n标题\\n要↓搞好报送。（某办）", "【工作动态】\\n标题\\n↓搞好了。（某办）"]
                  fixed: ["【工作动态】\\n标题\\n要做好报送。（某办）", "【工作动态】\\n标题\\n做好了。（某办）"]

            """))
        let rule = try XCTUnwrap(ruleSet.rule("no-gaohao"))
        XCTAssertEqual(rule.examples.invalid.map { $0.fixed?.text }, ["【工作动态】\n标题\n要做好报送。（某办）", "【工作动态】\n标题\n做好了。（某办）"])
        XCTAssertEqual(rule.examples.invalid.map { $0.fixed?.origin.line }, [12, 12])
        XCTAssertEqual(ExampleRunner(ruleSet: ruleSet).fixFailures(of: rule).map(\.description), [])
    }

    func testFixedMistakesAreErrorsAtTheirPlace() throws {
        let uneven = try XCTUnwrap(loadError(file("""
                examples:
                  invalid: ["要↓搞好。", "↓搞好了。"]
                  fixed: ["要做好。"]

            """)))
        XCTAssertEqual([uneven.line, uneven.column], [12, 15], uneven.message)
        XCTAssertTrue(uneven.message.contains("一一对应（invalid 2 个，fixed 1 个）"), uneven.message)
        let both = try XCTUnwrap(loadError(file("""
                examples:
                  invalid: [{ text: "要↓搞好。", fixed: "要做好。" }]
                  fixed: ["要做好。"]

            """)))
        XCTAssertEqual(both.line, 12, both.message)
        XCTAssertTrue(both.message.contains("不能再写 fixed 列表"), both.message)
        let inValid = try XCTUnwrap(loadError(file("""
                examples:
                  valid: [{ text: "要做好。", fixed: "要做好。" }]

            """)))
        XCTAssertEqual([inValid.line, inValid.column], [11, 31], inValid.message)
        XCTAssertTrue(inValid.message.contains("只有 invalid 示例可以写 fixed"), inValid.message)
        let noFix = try XCTUnwrap(loadError(file("""
                examples:
                  invalid: [{ text: "要↓搞好。", fixed: "要做好。" }]

            """).replacingOccurrences(of: "    fix: { with: '{replacement}' }\n", with: "")))
        XCTAssertEqual(noFix.line, 10, noFix.message)
        XCTAssertTrue(noFix.message.contains("没有 fix，不能写 fixed 示例"), noFix.message)
        let unknown = try XCTUnwrap(loadError(file("""
                examples:
                  invalid: [{ text: "要↓搞好。", fixd: "要做好。" }]

            """)))
        XCTAssertEqual([unknown.line, unknown.column], [11, 34], unknown.message)
        XCTAssertTrue(unknown.message.contains("是否要写“fixed”"), unknown.message)
    }

    // MARK: context

    func testAContextSurroundsEveryExampleAndFixedText() throws {
        let ruleSet = try load(file("""
                context: { before: "【工作动态】\\n标题", after: "报：省委。" }
                examples:
                  valid: ["要做好报送。（某办）"]
                  invalid: [{ text: "要↓搞好报送。（某办）", fixed: "要做好报送。（某办）" }]

            """))
        let rule = try XCTUnwrap(ruleSet.rule("no-gaohao"))
        XCTAssertEqual(rule.examples.valid.map(\.text), ["【工作动态】\n标题\n要做好报送。（某办）\n报：省委。"])
        XCTAssertEqual(rule.examples.invalid.map(\.text), ["【工作动态】\n标题\n要↓搞好报送。（某办）\n报：省委。"])
        XCTAssertEqual(rule.examples.invalid.first?.fixed?.text, "【工作动态】\n标题\n要做好报送。（某办）\n报：省委。")
        let runner = ExampleRunner(ruleSet: ruleSet)
        XCTAssertEqual(runner.failures(of: rule).map(\.description) + runner.fixFailures(of: rule).map(\.description), [])
    }

    /// A named scaffold of this file, or of a file it extends (`article` of the built-in
    /// `base`); this file's wins over an inherited one of the same name.
    func testNamedContextsAreInheritedAndOverridden() throws {
        let inherited = try load(file("""
                context: article
                examples:
                  invalid: ["要↓搞好报送。（某办）"]

            """))
        XCTAssertEqual(inherited.rule("no-gaohao")?.examples.invalid.first?.text, "【工作动态】\n某市召开会议\n要↓搞好报送。（某办）")
        let own = try load(file("""
                context: article
                examples:
                  invalid: ["要↓搞好报送。（某办）"]

            """, top: "contexts:\n  article: { before: \"【区县动态】\\n某区召开会议\" }\n"))
        XCTAssertEqual(own.rule("no-gaohao")?.examples.invalid.first?.text, "【区县动态】\n某区召开会议\n要↓搞好报送。（某办）")
        // A block scalar's last line break does not add a blank line.
        let block = try load(file("""
                context:
                  before: |
                    【工作动态】
                    标题
                examples:
                  invalid: ["要↓搞好报送。（某办）"]

            """))
        XCTAssertEqual(block.rule("no-gaohao")?.examples.invalid.first?.text, "【工作动态】\n标题\n要↓搞好报送。（某办）")
    }

    func testContextMistakesAreErrorsAtTheirPlace() throws {
        let unknown = try XCTUnwrap(loadError(file("""
                context: artcle
                examples:
                  invalid: ["要↓搞好。"]

            """)))
        XCTAssertEqual([unknown.line, unknown.column], [10, 14], unknown.message)
        XCTAssertTrue(unknown.message.contains("context“artcle”没有在 contexts 中定义（是否要写“article”？）"), unknown.message)
        let marker = try XCTUnwrap(loadError(file("", top: "contexts:\n  a: { before: \"【工作动态】\\n↓标题\" }\n")))
        XCTAssertEqual([marker.line, marker.column], [4, 16], marker.message)
        XCTAssertTrue(marker.message.contains("context 中不能有 ↓"), marker.message)
        let key = try XCTUnwrap(loadError(file("""
                context: { befor: "【工作动态】" }
                examples:
                  invalid: ["要↓搞好。"]

            """)))
        XCTAssertEqual([key.line, key.column], [10, 16], key.message)
        XCTAssertTrue(key.message.contains("是否要写“before”"), key.message)
        let notMapping = try XCTUnwrap(loadError(file("", top: "contexts:\n  a: [x]\n")))
        XCTAssertEqual(notMapping.line, 4, notMapping.message)
        XCTAssertTrue(notMapping.message.contains("context 应写成映射"), notMapping.message)
        let sketch = try XCTUnwrap(loadError(file("""
                context: article
                examples:
                  invalid: ["%docx\\n¶ | 要搞好。"]

            """)))
        XCTAssertEqual(sketch.line, 12, sketch.message)
        XCTAssertTrue(sketch.message.contains("%docx 草图示例不能套用它"), sketch.message)
    }

    // MARK: Unmarked invalid examples

    func testAnInvalidExampleWithoutMarkerIsNamedWithItsPositions() throws {
        let ruleSet = try load(file("""
                context: article
                examples:
                  valid: ["要做好报送。（某办）"]
                  invalid: ["要搞好报送，搞好落实。（某办）", "要↓搞好报送。（某办）"]

            """))
        let rule = try XCTUnwrap(ruleSet.rule("no-gaohao"))
        let unmarked = ExampleRunner(ruleSet: ruleSet).unmarkedExamples(of: rule)
        XCTAssertEqual(unmarked.count, 1)
        // Positions over the example with its context: line 3.
        XCTAssertEqual(unmarked.first?.positions, [Position(line: 3, column: 2), Position(line: 3, column: 7)])
        XCTAssertEqual(unmarked.first?.description,
                       "e.yaml:13:17: 规则“no-gaohao”的 invalid 示例没有 ↓ 标记（报告在 3:2、3:7；在那里的字符前写 ↓）")
    }

    /// An archive rule's example holds several documents; its findings, and its markers, are
    /// placed over the whole example, the `---8<---` lines counted.
    func testArchiveExamplesAreMarkedOverTheWholeExample() throws {
        let ruleSet = try RuleSetLoader().load(references: ["archive"])
        let rule = try XCTUnwrap(ruleSet.rule("archive-issue-gap"))
        let runner = ExampleRunner(ruleSet: ruleSet)
        let example = RuleExamples.Example(text: "某某工作简报\n2021年第17期\n---8<---\n某某工作简报\n↓2021年第19期",
                                           origin: RuleOrigin(file: "a.yaml", line: 1, column: 1, ruleSet: "a"))
        XCTAssertEqual(runner.diagnostics(of: rule, on: example).map(\.span.start), [Position(line: 5, column: 1)])
        var moved = rule
        moved.examples = RuleExamples(valid: [], invalid: [RuleExamples.Example(
            text: "某某工作简报\n↓2021年第17期\n---8<---\n某某工作简报\n2021年第19期", origin: example.origin)])
        XCTAssertEqual(runner.failures(of: moved).map(\.kind),
                       [.markerMismatch(expected: [Position(line: 2, column: 1)], actual: [Position(line: 5, column: 1)])])
    }
}
