/// `length`: an element's text is at most `max` (and at least `min`) characters, e.g. an
/// article title of at most 30 characters.
struct LengthCheck: Check {
    static let kind = "length"
    static let messageVariables = ["element", "length", "min", "max"]
    static let parameterKeys = ["element", "min", "max"]

    let kinds: [String]
    let min: Int?
    let max: Int?

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        kinds = try parameters.elementKinds()
        min = try parameters.optional("min")?.int()
        max = try parameters.optional("max")?.int()
        if min == nil && max == nil { throw parameters.ruleNode.error("规则“\(parameters.ruleID)”需要“min”或“max”参数") }
        if let min, min < 0 { throw parameters.ruleNode.error("“min”不能为负数") }
        if let min, let max, max < min { throw parameters.ruleNode.error("“max”不能小于“min”") }
    }

    func run(_ context: CheckContext) -> [Finding] {
        context.elements(ofKinds: kinds).compactMap { element in
            // Characters as people count them: no spaces.
            var length = 0
            for scalar in element.text.unicodeScalars where !ParseRun.isTrimmable(scalar) && scalar != "\n" { length += 1 }
            let tooLong = max.map { length > $0 } ?? false
            let tooShort = min.map { length < $0 } ?? false
            guard tooLong || tooShort else { return nil }
            let shown = element.text.count > 30 ? String(element.text.prefix(30)) + "……" : element.text
            return Finding(range: context.firstLine(of: element), variables: [
                "element": context.label(element.kind), "text": shown, "length": String(length),
                "min": min.map(String.init) ?? "", "max": max.map(String.init) ?? "",
            ])
        }
    }
}
