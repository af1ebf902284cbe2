/// `forbidden`: phrases or patterns that must not occur in a scope.
struct ForbiddenCheck: Check {
    static let kind = "forbidden"
    static let messageVariables: [String] = []
    static let parameterKeys = ["scope", "phrases", "patterns", "except"]

    let scope: Scope
    let finder: LiteralFinder
    let patterns: [ICURegex]
    /// Element kinds inside the scope that are left alone (`except: [attribution]`: a rule of
    /// their own reports their form, once).
    let excluded: [String]

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .document)
        let phrases = try parameters.optional("phrases")?.stringList() ?? []
        if phrases.contains("") { throw parameters.ruleNode.error("“phrases”中不能有空字符串") }
        finder = LiteralFinder(phrases)
        patterns = try parameters.regexList("patterns")
        excluded = parameters.optional("except") == nil ? [] : try parameters.elementKinds("except")
        if phrases.isEmpty && patterns.isEmpty {
            throw parameters.ruleNode.error("规则“\(parameters.ruleID)”需要“phrases”或“patterns”参数")
        }
    }

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        let filter = context.scopeFilter(in: scope)
        let anyPhrase = !finder.phrases.isEmpty && finder.mayOccur(inAny: filter)
        let possible = patterns.filter { $0.mayMatchAny(of: filter) }
        if !anyPhrase && possible.isEmpty { return [] }
        let units = context.units(in: scope)
        let searches = context.searchTexts(in: scope)
        // By index, through buffers: copying an element, a text or a pattern per step costs
        // more than most steps.
        searches.withUnsafeBufferPointer { searches in
            possible.withUnsafeBufferPointer { patterns in
                for u in units.indices {
                    if !excluded.isEmpty, excluded.contains(units[u].kind) { continue }
                    if anyPhrase, finder.mayOccur(in: searches[u]) {
                        for hit in finder.occurrences(in: units[u].text) {
                            findings.append(Finding(range: units[u].view.sourceRange(hit.range),
                                                    variables: ["text": finder.phrases[hit.phrase]]))
                        }
                    }
                    // The prefilter first, here: most units have none of most patterns, and
                    // the call that runs the pattern costs more than the test.
                    for p in patterns.indices where patterns[p].mayMatch(searches[u]) {
                        for m in context.matches(patterns[p], inAdmitted: searches[u]) where !m.range.isEmpty {
                            findings.append(Finding(range: units[u].view.sourceRange(m.range),
                                                    variables: ["text": String(units[u].text.utf8Slice(m.range))]))
                        }
                    }
                }
            }
        }
        return findings
    }
}
