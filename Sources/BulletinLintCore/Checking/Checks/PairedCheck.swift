/// `paired`: brackets and quotes are balanced within each unit of text (a paragraph, a line).
struct PairedCheck: Check {
    static let kind = "paired"
    static let messageVariables = ["problem", "expected"]
    static let parameterKeys = ["scope", "pairs"]

    let scope: Scope
    let pairs: [(open: Character, close: Character)]

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .document)
        let value = try parameters.required("pairs")
        var pairs: [(open: Character, close: Character)] = []
        for pair in try value.stringList() {
            let chars = Array(pair)
            guard chars.count == 2 else { throw value.error("“pairs”的每一项应是两个字符（开和闭），例如“（）”，实际是“\(pair)”") }
            pairs.append((chars[0], chars[1]))
        }
        if pairs.isEmpty { throw value.error("“pairs”不能为空") }
        self.pairs = pairs
    }

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        for unit in context.units(in: scope) {
            for pair in pairs {
                var open: [Range<Int>] = []
                var offset = 0
                for ch in unit.text {
                    let width = ch.utf8.count
                    let range = offset..<(offset + width)
                    if pair.open == pair.close {
                        if ch == pair.open {
                            if open.isEmpty { open.append(range) } else { open.removeLast() }
                        }
                    } else if ch == pair.open {
                        open.append(range)
                    } else if ch == pair.close {
                        if open.isEmpty {
                            findings.append(Finding(range: unit.view.sourceRange(range), variables: [
                                "text": String(ch), "problem": "“\(ch)”没有对应的“\(pair.open)”", "expected": String(pair.open),
                            ]))
                        } else {
                            open.removeLast()
                        }
                    }
                    offset += width
                }
                for range in open {
                    findings.append(Finding(range: unit.view.sourceRange(range), variables: [
                        "text": String(pair.open), "problem": "“\(pair.open)”没有对应的“\(pair.close)”", "expected": String(pair.close),
                    ]))
                }
            }
        }
        return findings
    }
}
