/// `heading-levels`: numbered headings go 一、→（一）→1.→（1）(GB/T 9704-2012 §7.3.3): the right
/// punctuation for each level (no `1、`, no `（一）、`), no level skipped, and numbering that
/// runs on without gaps within its parent. Numbering starts afresh in each article and on each
/// attachment page (a line `附件2`); the numbered entries of a 附件说明 (`附件：1.……` then `2.……`)
/// are not headings.
struct HeadingLevelsCheck: Check {
    static let kind = "heading-levels"
    static let messageVariables = ["problem", "expected", "level"]
    static let parameterKeys = ["scope"]

    let scope: Scope

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .region(.body))
    }

    static let levelNames = ["", "一级标题（一、）", "二级标题（（一））", "三级标题（1.）", "四级标题（（1））"]

    /// A numbered heading, or (nil) a place where numbering starts again.
    private typealias Step = (unit: Element, heading: HeadingNumber.Heading?)

    func run(_ context: CheckContext) -> [Finding] {
        let units = context.units(in: scope)
        let numbered = units.map { HeadingNumber.parse($0.text) }
        // Most documents have no numbered headings: nothing more to work out.
        if numbered.allSatisfy({ $0 == nil }) { return [] }
        var steps: [Step] = []
        var inNote = false
        for (unit, heading) in zip(units, numbered) {
            if inNote || unit.text.hasPrefix("附件") {
                if AttachmentLayout.noteRest(unit.text) != nil {
                    inNote = true
                    continue
                }
                if inNote, AttachmentLayout.numberedEntry(unit.text, from: 0) != nil { continue }
                inNote = false
                // The unit's first line ("\r\n" is one Character: cut by bytes).
                let utf8 = context.source.slice(unit.range).utf8
                let firstLine = String(decoding: utf8.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }, as: UTF8.self)
                if AttachmentLayout.pageLabel(firstLine) != nil {
                    steps.append((unit, nil))
                    continue
                }
            }
            if let heading { steps.append((unit, heading)) }
        }
        // Group by article: numbering restarts in each.
        var articleOf: [Int: Int] = [:]
        for (index, article) in context.all.enumerated() where article.role == .container {
            for unit in article.flattened() { articleOf[unit.range.lowerBound] = index }
        }
        var findings: [Finding] = []
        var currentArticle: Int? = nil
        var counters = [Int](repeating: 0, count: 5)
        var previousLevel = 0
        for step in steps {
            let article = articleOf[step.unit.range.lowerBound]
            if article != currentArticle || step.heading == nil {
                currentArticle = article
                counters = [Int](repeating: 0, count: 5)
                previousLevel = 0
            }
            guard let heading = step.heading else { continue }
            let range = step.unit.view.sourceRange(0..<heading.written.utf8.count)
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
