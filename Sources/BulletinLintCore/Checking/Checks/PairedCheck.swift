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
        var scalars: [UInt32] = []
        for pair in pairs {
            for ch in [pair.open, pair.close] {
                guard ch.unicodeScalars.count == 1, let scalar = ch.unicodeScalars.first, SingleScalarText.isPlain(scalar.value) else {
                    scalars = []
                    break
                }
                scalars.append(scalar.value)
            }
            if scalars.isEmpty { break }
        }
        pairScalars = scalars
        pairBitmap = SingleScalarText.bitmap(scalars)
        pairLeads = SingleScalarText.leadBytes(scalars)
    }

    /// The first UTF-8 bytes of `pairScalars`.
    private let pairLeads: [Bool]

    /// `pairScalars` as a bitmap over the Basic Multilingual Plane.
    private let pairBitmap: [UInt64]

    /// The pairs' characters as scalars (open, close, open, close…) when every one is a plain
    /// scalar (`SingleScalarText`); empty otherwise.
    private let pairScalars: [UInt32]

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        let units = context.units(in: scope)
        let searches = context.searchTexts(in: scope)
        for (unit, search) in zip(units, searches) {
            // A list item numbered `1）` or `a)` opens no bracket it leaves unclosed.
            let marker = search.mayContain(0xFF09) || search.mayContain(0x29) ? HeadingNumber.listMarkerClose(in: unit.text) : nil
            if !pairScalars.isEmpty, search.isPlain {
                // No bracket or quote at all (the bits are exact for punctuation): nothing to pair.
                if !pairScalars.contains(where: { search.mayContain($0) }) { continue }
                var marks = SingleScalarText.marks(in: unit.text, bitmap: pairBitmap, leads: pairLeads)
                if let marker { marks.removeAll { $0.offset == marker } }
                scanPlain(unit, marks: marks, into: &findings)
                continue
            }
            for pair in pairs {
                var open: [Range<Int>] = []
                var offset = 0
                for ch in unit.text {
                    let width = ch.utf8.count
                    let range = offset..<(offset + width)
                    if offset == marker {
                        offset += width
                        continue
                    }
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

    /// The same as the loop over characters in `run`, for a text where every character is one
    /// plain scalar: `marks` holds (scalar, UTF-8 offset, width) of each pair character, in text order.
    private func scanPlain(_ unit: Element, marks: [(scalar: UInt32, offset: Int, width: Int)], into findings: inout [Finding]) {
        for (p, pair) in pairs.enumerated() {
            let openScalar = pairScalars[2 * p]
            let closeScalar = pairScalars[2 * p + 1]
            var open: [Range<Int>] = []
            for mark in marks {
                let range = mark.offset..<(mark.offset + mark.width)
                if openScalar == closeScalar {
                    if mark.scalar == openScalar {
                        if open.isEmpty { open.append(range) } else { open.removeLast() }
                    }
                } else if mark.scalar == openScalar {
                    open.append(range)
                } else if mark.scalar == closeScalar {
                    if open.isEmpty {
                        let ch = pair.close
                        findings.append(Finding(range: unit.view.sourceRange(range), variables: [
                            "text": String(ch), "problem": "“\(ch)”没有对应的“\(pair.open)”", "expected": String(pair.open),
                        ]))
                    } else {
                        open.removeLast()
                    }
                }
            }
            for range in open {
                findings.append(Finding(range: unit.view.sourceRange(range), variables: [
                    "text": String(pair.open), "problem": "“\(pair.open)”没有对应的“\(pair.close)”", "expected": String(pair.close),
                ]))
            }
        }
    }
}
