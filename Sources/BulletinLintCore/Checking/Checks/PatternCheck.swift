/// `pattern`: an element (or one of its fields) must match `match` and/or must not match
/// `not-match`.
struct PatternCheck: Check {
    static let kind = "pattern"
    static let messageVariables = ["element", "field", "match"]
    static let parameterKeys = ["element", "field", "match", "not-match"]

    let kinds: [String]
    let field: String?
    let mustMatch: ICURegex?
    let mustNotMatch: ICURegex?

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        kinds = try parameters.elementKinds()
        field = try parameters.optional("field")?.nonEmptyString()
        mustMatch = try parameters.optional("match").map { value throws(RuleFileError) in try parameters.regex(value) }
        mustNotMatch = try parameters.optional("not-match").map { value throws(RuleFileError) in try parameters.regex(value) }
        if mustMatch == nil && mustNotMatch == nil {
            throw parameters.ruleNode.error("规则“\(parameters.ruleID)”需要“match”或“not-match”参数")
        }
    }

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        for element in context.elements(ofKinds: kinds) {
            let value: String
            let range: TextRange
            let view: MappedText?
            if let field {
                guard let fieldValue = element.field(field) else { continue }
                let fieldRange = element.fieldRange(field) ?? element.range
                // Match against the text as written, not a normalised value.
                value = element.fieldRange(field) != nil ? context.source.content(fieldRange) : fieldValue
                range = fieldRange
                view = nil
            } else {
                value = element.text
                range = element.range
                view = element.view
            }
            // The element's own text is usually prepared already (the parser searched it).
            let prepared = field == nil ? element.search : nil
            func matches(_ regex: ICURegex) -> [ICURegex.Match] {
                if let prepared { return context.matches(regex, in: prepared) }
                return context.matches(regex, in: value)
            }
            // Built only for a finding: most elements have none.
            var variables: [String: String] {
                ["element": context.label(element.kind), "field": field ?? "", "text": value]
            }
            if let mustMatch, matches(mustMatch).isEmpty {
                var v = variables
                v["match"] = mustMatch.pattern
                findings.append(Finding(range: field == nil ? context.firstLine(of: element) : range, variables: v))
            }
            if let mustNotMatch {
                for m in matches(mustNotMatch) {
                    var v = variables
                    let matchRange = view.map { $0.sourceRange(m.range) } ?? range
                    v["match"] = String(value.utf8Slice(m.range))
                    v["text"] = v["match"]
                    findings.append(Finding(range: matchRange, variables: v))
                }
            }
        }
        return findings
    }
}

extension String {
    func utf8Slice(_ range: Range<Int>) -> Substring {
        let utf8 = self.utf8
        let lower = Swift.min(Swift.max(range.lowerBound, 0), utf8.count)
        let upper = Swift.min(Swift.max(range.upperBound, lower), utf8.count)
        let start = utf8.index(utf8.startIndex, offsetBy: lower)
        return self[start..<utf8.index(start, offsetBy: upper - lower)]
    }
}
