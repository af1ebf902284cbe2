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

    /// Scalars that are not blanks (`ParseState.trimmable`) or line feeds, counted on UTF-8 bytes.
    static func countedLength(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            let n = bytes.count
            var count = 0
            var k = 0
            while k < n {
                let b = bytes[k]
                if b < 0x80 {
                    if !(b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C || b == 0x0A) { count += 1 }
                    k += 1
                    continue
                }
                var width = 2
                if b >= 0xF0 { width = 4 } else if b >= 0xE0 { width = 3 }
                var blank = false
                if width == 2, k + 1 < n, b == 0xC2, bytes[k + 1] == 0xA0 {
                    blank = true  // U+00A0
                } else if width == 3, k + 2 < n {
                    let b1 = bytes[k + 1], b2 = bytes[k + 2]
                    // U+3000, U+FEFF, U+200B, U+2002, U+2003, U+2009
                    blank = (b == 0xE3 && b1 == 0x80 && b2 == 0x80) || (b == 0xEF && b1 == 0xBB && b2 == 0xBF)
                        || (b == 0xE2 && b1 == 0x80 && (b2 == 0x8B || b2 == 0x82 || b2 == 0x83 || b2 == 0x89))
                }
                if !blank { count += 1 }
                k += width
            }
            return count
        }
    }

    func run(_ context: CheckContext) -> [Finding] {
        context.elements(ofKinds: kinds).compactMap { element in
            // The counted length is at most the number of scalars, which a prepared text knows:
            // most paragraphs are far below a maximum and need no count.
            if min == nil, let max, let search = element.search, search.scalarCount <= max { return nil }
            // Characters as people count them: no spaces.
            let length = LengthCheck.countedLength(element.text)
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
