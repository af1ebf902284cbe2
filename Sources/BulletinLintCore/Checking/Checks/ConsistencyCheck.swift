/// `consistency`: one spelling of a name per document (`variants`: the first spelling used
/// sets it), and an abbreviation only after it is declared —
/// “四川省地方志工作办公室（以下简称省地方志办）” before “省地方志办”. Source attributions are
/// exempt by default (`exempt`).
struct ConsistencyCheck: Check {
    static let kind = "consistency"
    static let messageVariables = ["expected", "problem"]
    static let parameterKeys = ["scope", "variants", "abbreviations", "exempt"]

    let scope: Scope
    let variants: [[String]]
    let variantFinder: LiteralFinder
    /// Group index of each phrase in `variantFinder`.
    let variantGroup: [Int]
    let abbreviations: [String]
    let abbreviationFinder: LiteralFinder
    let exempt: [String]

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .region(.body))
        var groups: [[String]] = []
        if let value = parameters.optional("variants") {
            for item in try value.list() {
                let group = try item.stringList()
                if group.count < 2 || group.contains(where: \.isEmpty) {
                    throw item.error("“variants”的每一组应列出同一名称的两种以上写法")
                }
                groups.append(group)
            }
        }
        variants = groups
        var phrases: [String] = []
        var groupOf: [Int] = []
        for (i, group) in groups.enumerated() {
            for spelling in group { phrases.append(spelling); groupOf.append(i) }
        }
        variantFinder = LiteralFinder(phrases)
        variantGroup = groupOf
        abbreviations = try parameters.optional("abbreviations")?.stringList() ?? []
        if abbreviations.contains("") { throw parameters.ruleNode.error("“abbreviations”中不能有空字符串") }
        abbreviationFinder = LiteralFinder(abbreviations)
        if let value = parameters.optional("exempt") {
            exempt = try value.stringList()
            for kind in exempt { parameters.recordReference(kind, at: value) }
        } else {
            exempt = [ElementSpec.Structural.attribution]
        }
        if variants.isEmpty && abbreviations.isEmpty {
            throw parameters.ruleNode.error("规则“\(parameters.ruleID)”需要“variants”或“abbreviations”参数")
        }
    }

    /// `（以下简称X）`, `（下称X）`, with or without quotes around X.
    static func declares(_ abbreviation: String, in text: String) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for lead in ["以下简称", "下称", "简称"] {
            for quoted in [abbreviation, "“\(abbreviation)”", "\"\(abbreviation)\""] {
                let phrase = lead + quoted
                var start = text.startIndex
                while let found = text[start...].range(of: phrase) {
                    let lower = text.utf8.distance(from: text.startIndex, to: found.lowerBound)
                    ranges.append(lower..<(lower + phrase.utf8.count))
                    start = found.upperBound
                }
            }
        }
        return ranges
    }

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        var chosen: [Int: String] = [:]
        // Where each group's chosen spelling first stands: later findings point at it.
        var chosenAt: [Int: TextRange] = [:]
        var declared: Set<String> = []
        for unit in context.units(in: scope) {
            let isExempt = exempt.contains(unit.kind)
            // Spellings: the first one seen is the document's.
            let spellings = variantFinder.occurrences(in: unit.text)
            for hit in spellings {
                let group = variantGroup[hit.phrase]
                let spelling = variantFinder.phrases[hit.phrase]
                if let first = chosen[group] {
                    if first != spelling, !isExempt {
                        let related = chosenAt[group].map { [Finding.Note(range: $0, message: "这里第一次写作“\(first)”，全文以此为准")] } ?? []
                        findings.append(Finding(range: unit.view.sourceRange(hit.range), variables: [
                            "text": spelling, "expected": first, "problem": "同一文档中应统一写作“\(first)”",
                        ], related: related))
                    }
                } else {
                    chosen[group] = spelling
                    chosenAt[group] = unit.view.sourceRange(hit.range)
                }
            }
            // Abbreviations: used only after their declaration.
            var declarationsHere: [(String, Range<Int>)] = []
            for abbreviation in abbreviations where !declared.contains(abbreviation) {
                for range in ConsistencyCheck.declares(abbreviation, in: unit.text) { declarationsHere.append((abbreviation, range)) }
            }
            for hit in abbreviationFinder.occurrences(in: unit.text) {
                let abbreviation = abbreviationFinder.phrases[hit.phrase]
                if declared.contains(abbreviation) { continue }
                // Inside a spelling of a full name (四川省地方志办公室 holds 省地方志办).
                if spellings.contains(where: { $0.range.lowerBound <= hit.range.lowerBound && hit.range.upperBound <= $0.range.upperBound }) { continue }
                // The declaration itself, or a use after it in the same paragraph.
                if declarationsHere.contains(where: { $0.0 == abbreviation && $0.1.lowerBound <= hit.range.lowerBound }) { continue }
                if isExempt { continue }
                findings.append(Finding(range: unit.view.sourceRange(hit.range), variables: [
                    "text": abbreviation, "expected": "",
                    "problem": "简称“\(abbreviation)”在声明（如“……（以下简称\(abbreviation)）”）之前使用",
                ]))
            }
            for (abbreviation, _) in declarationsHere { declared.insert(abbreviation) }
        }
        return findings
    }
}
