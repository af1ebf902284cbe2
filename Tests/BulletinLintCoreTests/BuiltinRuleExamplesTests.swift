import BulletinLintCore
import Foundation
import XCTest

/// Every example of every built-in rule is a test (STYLE habit 1).
final class BuiltinRuleExamplesTests: XCTestCase {
    func testEveryBuiltinSetLoads() throws {
        for name in BuiltinRuleSets.names {
            XCTAssertNoThrow(try RuleSetLoader().load(references: [name]), name)
        }
    }

    func testEveryExampleOfEveryBuiltinRule() throws {
        for name in BuiltinRuleSets.names {
            let ruleSet = try RuleSetLoader().load(references: [name])
            let failures = ExampleRunner(ruleSet: ruleSet).failures()
            XCTAssertTrue(failures.isEmpty, "\(name):\n" + failures.map(\.description).joined(separator: "\n"))
        }
    }

    /// Every invalid example of every built-in rule marks where it is reported, so `test-rules`
    /// prints no warning for them.
    func testEveryBuiltinInvalidExampleHasItsMarkers() throws {
        for name in BuiltinRuleSets.names {
            let ruleSet = try RuleSetLoader().load(references: [name])
            let runner = ExampleRunner(ruleSet: ruleSet)
            let unmarked = ruleSet.rules.flatMap { runner.unmarkedExamples(of: $0) }
            XCTAssertEqual(unmarked.map(\.description), [], name)
        }
    }

    func testEveryBuiltinRuleHasMessageHelpAndExamples() throws {
        for name in BuiltinRuleSets.names {
            for rule in try RuleSetLoader().load(references: [name]).rules {
                XCTAssertFalse(rule.help.isEmpty, "\(rule.id) has no help")
                XCTAssertFalse(rule.examples.valid.isEmpty, "\(rule.id) has no valid example")
                XCTAssertFalse(rule.examples.invalid.isEmpty, "\(rule.id) has no invalid example")
            }
        }
    }

    func testDefaultSetHasTheRequiredRules() throws {
        let ruleSet = try RuleSetLoader().load(references: ["bulletin"])
        let ids = Set(ruleSet.rules.map(\.id))
        for id in ["imprint-missing", "imprint-date-format", "imprint-date-invalid",
                   "disclosure-value", "distribution-missing", "distribution-order", "attribution-missing"] {
            XCTAssertTrue(ids.contains(id), id)
            XCTAssertEqual(ruleSet.rule(id)?.severity, .error, id)
        }
        // Marking 信息公开选项 in the 版记 is a provincial requirement (川办发〔2019〕59号), not a
        // national one: a warning by default, an error in the Sichuan set.
        XCTAssertEqual(ruleSet.rule("disclosure-missing")?.severity, .warning)
        XCTAssertEqual(try RuleSetLoader().load(references: ["sichuan-difangzhi"]).rule("disclosure-missing")?.severity, .error)
        // At least 20 format, punctuation, number and date rules besides the required ones.
        XCTAssertGreaterThanOrEqual(ruleSet.rules.count, 28)
    }

    /// SwiftLint's trick, adapted to documents: the same example with a leading blank line and
    /// CRLF line ends, and with every line indented by an ideographic space (3 UTF-8 bytes, one
    /// column), must give the same findings moved by exactly one line or one column. Offsets
    /// confused with bytes, scalars or UTF-16 units show up here.
    func testFindingsMoveWithMultibyteAndLineEndingMutations() throws {
        for name in BuiltinRuleSets.names {
            let ruleSet = try RuleSetLoader().load(references: [name])
            let runner = ExampleRunner(ruleSet: ruleSet)
            // Archive rules compare several documents; their positions are per document, so a
            // change to the first document does not move a finding in the second.
            for rule in ruleSet.rules where rule.checkKind != "archive" {
                // A `%docx` sketch (typography rules) describes a document, not its text: its
                // lines are not the document's, so the mutations do not apply. Typography rules
                // must use sketches, and sketches are checked in TypographyTests.
                for example in rule.examples.invalid where !DocxSketch.isSketch(example.text) {
                    // The example as the runner sees it: markers out, its genre and date kept.
                    let text = ExampleRunner.stripMarkers(example.text).text
                    func spans(_ mutated: String) -> [Span] {
                        let variant = RuleExamples.Example(text: mutated, origin: example.origin, date: example.date, genre: example.genre)
                        return runner.diagnostics(of: rule, on: variant).map(\.span)
                    }
                    let plain = spans(text)
                    XCTAssertFalse(plain.isEmpty, "\(rule.id): the invalid example raises nothing: \(example.text)")
                    let crlf = "\r\n" + text.replacingOccurrences(of: "\n", with: "\r\n")
                    let moved = spans(crlf)
                    XCTAssertEqual(plain.map { [$0.start.line + 1, $0.start.column, $0.end.line + 1, $0.end.column] },
                                   moved.map { [$0.start.line, $0.start.column, $0.end.line, $0.end.column] },
                                   "\(rule.id) (CRLF): \(example.text)")
                    let indented = text.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { "\u{3000}" + $0 }.joined(separator: "\n")
                    let shifted = spans(indented)
                    XCTAssertEqual(plain.map { [$0.start.line, $0.start.column + 1, $0.end.line, $0.end.column + 1] },
                                   shifted.map { [$0.start.line, $0.start.column, $0.end.line, $0.end.column] },
                                   "\(rule.id) (indented): \(example.text)")
                }
            }
        }
    }
}
