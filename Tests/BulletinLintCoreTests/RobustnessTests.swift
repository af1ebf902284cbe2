import BulletinLintCore
import Foundation
import XCTest

/// Whatever the text, linting finishes and every span points into it.
final class RobustnessTests: XCTestCase {
    /// A deterministic generator (SplitMix64), so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let fragments = ["报：", "送：", "发：", "抄送：", "信息公开选项：", "【", "】", "（", "）", "“", "”", "《", "》",
                            "2021年4月32日印发", "3月 24日", "。", "，", "、", "\u{00A0}", "\u{3000}", "\t", "\r", "\r\n", "\u{0C}",
                            "𠀀", "印发", "（共印80份）", "- 1 -", "第05期", "\\", "(a+)+", "", "\n\n"]

    private func assertSpansInside(_ report: FileReport, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let source = report.source else { return }
        for diagnostic in report.diagnostics {
            let span = diagnostic.span
            XCTAssertGreaterThanOrEqual(span.start.line, 1, file: file, line: line)
            XCTAssertLessThanOrEqual(span.end.line, source.lineCount, file: file, line: line)
            XCTAssertLessThanOrEqual(span.start, span.end, "\(diagnostic.ruleID)", file: file, line: line)
            let startLine = source.line(span.start.line).unicodeScalars.count
            XCTAssertLessThanOrEqual(span.start.column, startLine + 1, "\(diagnostic.ruleID) in \(text.debugDescription)", file: file, line: line)
            let endLine = source.line(span.end.line).unicodeScalars.count
            XCTAssertLessThanOrEqual(span.end.column, endLine + 1, "\(diagnostic.ruleID)", file: file, line: line)
        }
    }

    func testMutatedReferencePagesLintWithSpansInsideTheText() throws {
        let reference = try Fixtures.text(Fixtures.reference)
        let lines = reference.components(separatedBy: "\n")
        let linter = Linter(ruleSet: try ruleSet())
        var generator = Generator(state: 20_210_402)
        for _ in 0..<120 {
            var mutated = lines
            for _ in 0..<(1 + generator.below(6)) {
                switch generator.below(4) {
                case 0 where !mutated.isEmpty:
                    mutated.remove(at: generator.below(mutated.count))
                case 1 where !mutated.isEmpty:
                    mutated.insert(mutated[generator.below(mutated.count)], at: generator.below(mutated.count))
                case 2 where !mutated.isEmpty:
                    let i = generator.below(mutated.count)
                    var scalars = Array(mutated[i].unicodeScalars)
                    let fragment = RobustnessTests.fragments[generator.below(RobustnessTests.fragments.count)]
                    scalars.insert(contentsOf: fragment.unicodeScalars, at: generator.below(scalars.count + 1))
                    mutated[i] = String(String.UnicodeScalarView(scalars))
                default:
                    mutated.shuffle(using: &generator)
                }
            }
            let text = mutated.joined(separator: generator.below(2) == 0 ? "\n" : "\r\n")
            let report = linter.lint(SourceText(path: "m.txt", text: text))
            assertSpansInside(report, text)
            _ = TextFormatter(color: false).format([report])
        }
    }

    func testRandomFragmentSoupLints() throws {
        let linter = Linter(ruleSet: try ruleSet())
        var generator = Generator(state: 7)
        for _ in 0..<200 {
            var text = ""
            for _ in 0..<generator.below(40) {
                text += RobustnessTests.fragments[generator.below(RobustnessTests.fragments.count)]
                if generator.below(3) == 0 { text += "\n" }
            }
            let report = linter.lint(SourceText(path: "soup.txt", text: text))
            assertSpansInside(report, text)
            _ = JSONFormatter().format([report])
        }
    }

    func testCatastrophicPatternTimesOutInsteadOfHanging() throws {
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
        """
        let ruleSet = try RuleSetLoader().load(text: yaml, path: "slow.yaml")
        let text = "【工作动态】\n标题\n" + String(repeating: "a", count: 40) + "b。（某办）\n" + String(repeating: "a", count: 40) + "c。（某办）"
        let report = Linter(ruleSet: ruleSet).lint(SourceText(path: "slow.txt", text: text))
        let timeouts = report.diagnostics.filter { $0.ruleID == "regex-timeout" }
        XCTAssertEqual(timeouts.count, 1)
        XCTAssertEqual(timeouts.first?.message, "规则“slow-pattern”的正则表达式超时，部分文本未检查")
    }
}

extension RobustnessTests.Generator: RandomNumberGenerator {}
