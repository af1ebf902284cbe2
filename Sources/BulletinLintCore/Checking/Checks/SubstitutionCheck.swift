/// `substitution`: preferred wording (`swap: {其它: 其他}`). An occurrence inside the preferred
/// form itself (十四五 inside “十四五”) is not a finding.
struct SubstitutionCheck: Check {
    static let kind = "substitution"
    static let messageVariables = ["replacement"]
    static let parameterKeys = ["scope", "swap"]

    let scope: Scope
    let wrong: LiteralFinder
    let right: [String]
    let rightFinder: LiteralFinder

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .document)
        let swapNode = try parameters.required("swap")
        var wrong: [String] = []
        var right: [String] = []
        for entry in try swapNode.entries() {
            if entry.key.isEmpty { throw entry.keyValue.error("“swap”中的原词不能为空") }
            let replacement = try entry.value.string()
            if replacement == entry.key { throw entry.value.error("替换词与原词相同：“\(entry.key)”") }
            wrong.append(entry.key)
            right.append(replacement)
        }
        if wrong.isEmpty { throw swapNode.error("“swap”不能为空") }
        self.wrong = LiteralFinder(wrong)
        self.right = right
        rightFinder = LiteralFinder(Array(Set(right.filter { !$0.isEmpty })).sorted())
    }

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        guard wrong.mayOccur(inAny: context.scopeFilter(in: scope)) else { return [] }
        let units = context.units(in: scope)
        let searches = context.searchTexts(in: scope)
        for u in units.indices where wrong.mayOccur(in: searches[u]) {
            let unit = units[u]
            let hits = wrong.occurrences(in: unit.text)
            if hits.isEmpty { continue }
            let preferred = rightFinder.occurrences(in: unit.text).map(\.range)
            for hit in hits where !preferred.contains(where: { $0.contains(hit.range.lowerBound) && $0.upperBound >= hit.range.upperBound }) {
                findings.append(Finding(range: unit.view.sourceRange(hit.range), variables: [
                    "text": wrong.phrases[hit.phrase], "replacement": right[hit.phrase],
                ]))
            }
        }
        return findings
    }
}
