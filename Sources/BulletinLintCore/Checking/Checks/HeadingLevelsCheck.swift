/// `heading-levels`: numbered headings go 一、→（一）→1.→（1）(GB/T 9704-2012 §7.3.3): the right
/// punctuation for each level (no `1、`, no `（一）、`), no level skipped, and numbering that
/// runs on without gaps within its parent. Numbering starts afresh in each article.
struct HeadingLevelsCheck: Check {
    static let kind = "heading-levels"
    static let messageVariables = ["problem", "expected", "level"]
    static let parameterKeys = ["scope"]

    let scope: Scope

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .region(.body))
    }

    static let levelNames = ["", "一级标题（一、）", "二级标题（（一））", "三级标题（1.）", "四级标题（（1））"]

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        let headed = context.units(in: scope).compactMap { unit in HeadingNumber.parse(unit.text).map { (unit, $0) } }
        // Most documents have no numbered headings: nothing more to work out.
        if headed.isEmpty { return [] }
        // Group by article: numbering restarts in each.
        var articleOf: [Int: Int] = [:]
        for (index, article) in context.all.enumerated() where article.role == .container {
            for unit in article.flattened() { articleOf[unit.range.lowerBound] = index }
        }
        var currentArticle: Int? = nil
        var counters = [Int](repeating: 0, count: 5)
        var previousLevel = 0
        for (unit, heading) in headed {
            let article = articleOf[unit.range.lowerBound]
            if article != currentArticle {
                currentArticle = article
                counters = [Int](repeating: 0, count: 5)
                previousLevel = 0
            }
            let range = unit.view.sourceRange(0..<heading.written.utf8.count)
            let level = HeadingLevelsCheck.levelNames[heading.level]
            if let correction = heading.correction {
                findings.append(Finding(range: range, variables: [
                    "text": heading.written, "expected": correction, "level": level,
                    "problem": "\(level)的序号应写作“\(correction)”",
                ]))
            }
            if previousLevel > 0, heading.level > previousLevel + 1 {
                let skipped = HeadingLevelsCheck.levelNames[previousLevel + 1]
                findings.append(Finding(range: range, variables: [
                    "text": heading.written, "expected": "", "level": level,
                    "problem": "跳过了\(skipped)",
                ]))
            }
            let expected = counters[heading.level] + 1
            if heading.number != expected, previousLevel > 0 || heading.number != 1 {
                let right = HeadingNumber.form(level: heading.level, number: expected)
                findings.append(Finding(range: range, variables: [
                    "text": heading.written, "expected": right, "level": level,
                    "problem": "编号不连续，此处应为“\(right)”",
                ]))
            }
            counters[heading.level] = heading.number
            for deeper in (heading.level + 1)..<counters.count { counters[deeper] = 0 }
            previousLevel = heading.level
        }
        return findings
    }
}
