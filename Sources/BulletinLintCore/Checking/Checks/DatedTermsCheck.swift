/// `dated-terms`: names that were replaced on a date — a regulation repealed or superseded, a
/// term an authority renamed — judged at the document's own date (its 印发日期, else its
/// 成文日期, else the 报头 date; an undated document is judged today). A 2009 document citing the
/// 2000 《国家行政机关公文处理办法》 is right; a 2020 one cites a regulation superseded in 2012.
///
/// Each entry of `terms` is data an office can extend in its own rule file:
/// `{ term: …, until: YYYY-MM-DD, replacement: …, note: … }` — `until` is the first day the term
/// is no longer the right one; `replacement` and `note` are optional and quoted by the message.
struct DatedTermsCheck: Check {
    static let kind = "dated-terms"
    static let messageVariables = ["replacement", "until", "note"]
    static let parameterKeys = ["scope", "terms"]
    static let entryKeys = ["term", "until", "replacement", "note"]

    struct Term: Sendable {
        let text: String
        let until: String
        let replacement: String
        let note: String
    }

    let scope: Scope
    let terms: [Term]
    let finder: LiteralFinder

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .document)
        let node = try parameters.required("terms")
        var terms: [Term] = []
        var seen: Set<String> = []
        for item in try node.list() {
            var fields: [String: YAMLValue] = [:]
            for entry in try item.entries() {
                guard DatedTermsCheck.entryKeys.contains(entry.key) else {
                    throw entry.keyValue.error("“terms”的条目中只能写 term、until、replacement、note，实际是“\(entry.key)”\(Suggestion.hint(for: entry.key, among: DatedTermsCheck.entryKeys))")
                }
                fields[entry.key] = entry.value
            }
            guard let termNode = fields["term"] else { throw item.error("“terms”的条目缺少 term（要查找的名称或说法）") }
            guard let untilNode = fields["until"] else { throw item.error("“terms”的条目缺少 until（从哪天起不再使用，如 2012-07-01）") }
            let text = try termNode.nonEmptyString()
            let until = try untilNode.nonEmptyString()
            guard RuleCondition.isISODate(until) else {
                throw untilNode.error("日期应写成 YYYY-MM-DD（如 2012-07-01），实际是“\(until)”")
            }
            guard seen.insert(text).inserted else { throw termNode.error("“terms”中“\(text)”重复出现") }
            let replacement = try fields["replacement"]?.string() ?? ""
            if replacement == text { throw fields["replacement"].map { $0.error("替换说法与原说法相同：“\(text)”") } ?? item.error("替换说法与原说法相同") }
            terms.append(Term(text: text, until: until, replacement: replacement, note: try fields["note"]?.string() ?? ""))
        }
        if terms.isEmpty { throw node.error("“terms”不能为空") }
        self.terms = terms
        finder = LiteralFinder(terms.map(\.text))
    }

    func run(_ context: CheckContext) -> [Finding] {
        let date = context.bulletin.date ?? RuleCondition.today
        guard terms.contains(where: { date >= $0.until }) else { return [] }
        guard finder.mayOccur(inAny: context.scopeFilter(in: scope)) else { return [] }
        var findings: [Finding] = []
        let units = context.units(in: scope)
        let searches = context.searchTexts(in: scope)
        for u in units.indices where finder.mayOccur(in: searches[u]) {
            let unit = units[u]
            for hit in finder.occurrences(in: unit.text) {
                let term = terms[hit.phrase]
                guard date >= term.until else { continue }
                findings.append(Finding(range: unit.view.sourceRange(hit.range), variables: [
                    "text": term.text, "replacement": term.replacement, "until": term.until, "note": term.note,
                ]))
            }
        }
        return findings
    }
}
