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
                        if open.isEmpty, !PairedCheck.isInlineOrdinal(unit.text, closeAt: offset) {
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
        // A quotation over several paragraphs is one pair, not two halves (below).
        if findings.contains(where: { $0.variables["text"] == "“" || $0.variables["text"] == "”" }) {
            let spanning = PairedCheck.quotationsOverParagraphs(units)
            if !spanning.isEmpty { findings.removeAll { spanning.contains($0.range) } }
        }
        return findings
    }

    /// The quote marks of quotations that run over several paragraphs, as source ranges:
    /// GB/T 15834-2011 §4.1.3.3 opens each paragraph of such a quotation with “ and closes only
    /// the last; a quoted list (`……包括：` then `a)` … `e)……。”`) opens once and closes once.
    /// A paragraph that ends inside a quotation, followed within a few paragraphs by one that
    /// closes it (or that opens again in the standard way and then closes), is not unpaired.
    static func quotationsOverParagraphs(_ units: [Element]) -> Set<TextRange> {
        var spanning: Set<TextRange> = []
        // The unclosed “ of earlier paragraphs, still waiting for their ”.
        var pending: [TextRange] = []
        var sinceOpen = 0
        for unit in units {
            var opens: [Range<Int>] = []
            var strayCloses: [Range<Int>] = []
            var offset = 0
            var firstMark = true
            var startsWithOpen = false
            for ch in unit.text {
                let width = ch.utf8.count
                if ch == "“" {
                    if firstMark { startsWithOpen = true }
                    opens.append(offset..<(offset + width))
                    firstMark = false
                } else if ch == "”" {
                    if opens.isEmpty { strayCloses.append(offset..<(offset + width)) } else { opens.removeLast() }
                    firstMark = false
                }
                offset += width
            }
            if !pending.isEmpty {
                sinceOpen += 1
                if sinceOpen > 12 { pending = [] }
            }
            // The closing ” of an earlier paragraph's quotation.
            if !pending.isEmpty, let close = strayCloses.first {
                spanning.insert(unit.view.sourceRange(close))
                spanning.formUnion(pending)
                pending = []
                strayCloses.removeFirst()
            }
            // The standard form: this paragraph opens again; it either closes (the last one) or
            // stays open (a middle one).
            if !pending.isEmpty, startsWithOpen {
                if opens.isEmpty {
                    spanning.formUnion(pending)
                    pending = []
                    continue
                }
                let indent = unit.text.utf8.prefix { $0 == 0x20 || $0 == 0x09 }.count
                if opens.count == 1, opens[0].lowerBound == indent {
                    pending.append(unit.view.sourceRange(opens[0]))
                    sinceOpen = 0
                    continue
                }
            }
            // A paragraph that ends inside a quotation: its last quote mark is an unclosed “.
            if strayCloses.isEmpty, opens.count == 1 {
                pending = [unit.view.sourceRange(opens[0])]
                sinceOpen = 0
            } else if !opens.isEmpty || !strayCloses.isEmpty {
                pending = []
            }
        }
        return spanning
    }

    /// Whether the closing bracket at `offset` ends an inline ordinal (`内容：1）安全基准；2）……`),
    /// which opens no bracket: one or two digits, or a letter, after the start or a separator.
    static func isInlineOrdinal(_ text: String, closeAt offset: Int) -> Bool {
        let utf8 = Array(text.utf8.prefix(offset))
        var i = utf8.count
        var digits = 0
        while i > 0, (0x30...0x39).contains(utf8[i - 1]) || (digits == 0 && ((0x61...0x7A).contains(utf8[i - 1]) || (0x41...0x5A).contains(utf8[i - 1]))) {
            let letter = !(0x30...0x39).contains(utf8[i - 1])
            i -= 1
            digits += 1
            if letter { break }
        }
        guard digits > 0, digits <= 2 else { return false }
        if i == 0 { return true }
        let before = String(decoding: utf8[..<i], as: UTF8.self)
        guard let last = before.last else { return true }
        return "：:；;，,。、 \t（(".contains(last)
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
                        if PairedCheck.isInlineOrdinal(unit.text, closeAt: mark.offset) { continue }
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
