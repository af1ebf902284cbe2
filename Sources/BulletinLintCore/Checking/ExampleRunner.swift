/// Runs rules' `examples` as tests: a `valid` example must not raise the rule, an `invalid` one
/// must raise it at least once.
public struct ExampleRunner: Sendable {
    public struct Failure: Sendable, CustomStringConvertible {
        public let ruleID: String
        public let example: RuleExamples.Example
        public let expectedToFire: Bool
        public let diagnostics: [Diagnostic]

        public var description: String {
            let origin = "\(example.origin.file):\(example.origin.line):\(example.origin.column)"
            if expectedToFire {
                return "\(origin): 规则“\(ruleID)”的 invalid 示例没有触发该规则"
            }
            let messages = diagnostics.map { "\($0.span.start.line):\($0.span.start.column) \($0.message)" }
            return "\(origin): 规则“\(ruleID)”的 valid 示例触发了该规则：\(messages.joined(separator: "；"))"
        }
    }

    public let ruleSet: RuleSet
    private let linter: Linter

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        linter = Linter(ruleSet: ruleSet)
    }

    /// Diagnostics one rule raises on a text, parsed with the whole rule set's elements.
    public func diagnostics(of rule: Rule, on text: String) -> [Diagnostic] {
        let source = SourceText(path: "<example>", text: text)
        let bulletin = linter.parser.parse(source)
        return linter.check(bulletin, only: [rule.id]).filter { $0.ruleID == rule.id }
    }

    /// Every failing example of every rule.
    public func failures() -> [Failure] {
        var failures: [Failure] = []
        for rule in ruleSet.rules {
            for example in rule.examples.valid {
                let found = diagnostics(of: rule, on: example.text)
                if !found.isEmpty {
                    failures.append(Failure(ruleID: rule.id, example: example, expectedToFire: false, diagnostics: found))
                }
            }
            for example in rule.examples.invalid where diagnostics(of: rule, on: example.text).isEmpty {
                failures.append(Failure(ruleID: rule.id, example: example, expectedToFire: true, diagnostics: []))
            }
        }
        return failures
    }
}
