/// Finds literal phrases in text by scanning UTF-8 bytes: no regex engine for plain words.
public struct LiteralFinder: Sendable {
    public let phrases: [String]
    private let bytes: [[UInt8]]
    /// The phrases as prefilter literals.
    private let literals: [PreparedText.Literal]
    /// Phrase indices by first byte, so most positions cost one table look-up.
    private let byFirstByte: [[Int]]

    public init(_ phrases: [String]) {
        self.phrases = phrases
        bytes = phrases.map { Array($0.utf8) }
        literals = phrases.map { PreparedText.Literal($0) }
        var table = [[Int]](repeating: [], count: 256)
        for (i, b) in bytes.enumerated() where !b.isEmpty { table[Int(b[0])].append(i) }
        byFirstByte = table
    }

    /// Whether any phrase may occur in a text (false only when none does).
    /// Whether some phrase may occur in one of the texts of a scope filter.
    func mayOccur(inAny scope: PreparedText.ScopeFilter) -> Bool {
        literals.contains { !$0.bytes.isEmpty && scope.mayContain($0) }
    }

    func mayOccur(in text: PreparedText) -> Bool {
        literals.contains { !$0.bytes.isEmpty && text.contains($0) }
    }

    /// Non-overlapping occurrences, leftmost-longest, as (phrase index, UTF-8 range).
    public func occurrences(in text: String) -> [(phrase: Int, range: Range<Int>)] {
        var found: [(phrase: Int, range: Range<Int>)] = []
        var text = text
        text.withUTF8 { buffer in
            let count = buffer.count
            var i = 0
            while i < count {
                let candidates = byFirstByte[Int(buffer[i])]
                var best: Int? = nil
                for candidate in candidates {
                    let phrase = bytes[candidate]
                    if i + phrase.count > count { continue }
                    var matched = true
                    for k in 1..<phrase.count where buffer[i + k] != phrase[k] { matched = false; break }
                    if matched, best.map({ bytes[$0].count < phrase.count }) ?? true { best = candidate }
                }
                if let best {
                    found.append((best, i..<(i + bytes[best].count)))
                    i += bytes[best].count
                } else {
                    i += 1
                }
            }
        }
        return found
    }
}
