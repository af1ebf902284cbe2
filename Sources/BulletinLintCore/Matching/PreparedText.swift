#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text prepared for many searches: which scalars it holds — exactly for ASCII and the
/// punctuation blocks (U+2000–207F, U+3000–303F, U+FF00–FF7F), through a 4096-bit Bloom filter for
/// the rest — so a prefilter costs a few bit tests; and, once a pattern does run, its UTF-16 form
/// for ICU, made once however many patterns run over it.
///
/// A class, immutable but for the UTF-16 form made on first use: a prepared text is handed to
/// every rule that searches its unit, and a reference costs one retain where a struct of a
/// string and two buffers cost three.
public final class PreparedText {
    public let text: String
    /// Every character is one plain scalar (`SingleScalarText`): character-level work may go by scalars.
    let isPlain: Bool
    /// 0–1 ASCII, 2–3 U+2000–207F, 4 U+3000–303F, 5–6 U+FF00–FF7F, 7… the Bloom filter.
    /// `wordCount` words, owned by this text: a pointer, not an array, because the standard
    /// library allocates an array through a path that looks its type up at run time, for every
    /// text.
    private let bits: UnsafeMutablePointer<UInt64>
    /// Made on first search: most prepared texts never reach ICU.
    private lazy var utf16 = UTF16Text()
    /// Bit indices of the first and the last scalar (-1 for an empty text), for joining texts.
    private let firstSlot: Int
    private let lastSlot: Int
    /// How many Unicode scalars the text has.
    let scalarCount: Int

    static let bloomWords = 64
    static let bloomBase = 7
    /// Pairs of adjacent scalars, through a 2048-bit Bloom filter after the scalar bits, so a
    /// literal of several scalars is searched for only when all its pairs may be there.
    static let pairBase = bloomBase + bloomWords
    static let pairWords = 32
    static let wordCount = pairBase + pairWords

    private static func clearedBits() -> UnsafeMutablePointer<UInt64> {
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
        bits.initialize(repeating: 0, count: wordCount)
        return bits
    }

    deinit {
        bits.deallocate()
    }

    /// Bit index of the pair (a, b) of scalar bits.
    @inline(__always)
    static func pairSlot(_ a: Int, _ b: Int) -> Int {
        pairBase * 64 + Int((UInt32(truncatingIfNeeded: a &* 4549 &+ b) &* 0x9E37_79B1) >> 21)
    }

    public init(_ text: String) {
        self.text = text
        var text = text
        let bits = PreparedText.clearedBits()
        // Everything the loop keeps is a local of the innermost closure: variables captured from
        // outside and written per scalar would live in memory, not registers.
        let (first, last, scalars, plainBits) = text.withUTF8 { bytes in
            ScalarTable.bmp.withUnsafeBufferPointer { table -> (Int, Int, Int, UInt16) in
                // The outer closure's buffer as a local of this one: captured, it was loaded
                // from memory for every scalar.
                let bytes = bytes
                var k = 0
                var previous = -1
                var first = -1
                var scalars = 0
                // AND of the table entries: the plain bit survives only if every scalar has it.
                var plain: UInt16 = ScalarTable.plainBit
                let n = bytes.count
                while k < n {
                    let b = bytes[k]
                    var slot: Int
                    if b < 0x80 {
                        let entry = table[Int(b)]
                        slot = Int(entry & ScalarTable.slotMask)
                        plain &= entry
                        k += 1
                    } else if b >= 0xE0 && b < 0xF0 {
                        guard k + 2 < n else { break }
                        let value = Int(b & 0x0F) << 12 | Int(bytes[k + 1] & 0x3F) << 6 | Int(bytes[k + 2] & 0x3F)
                        if value >= 0x4E00 && value <= 0x9FFF {
                            // CJK ideographs, most of the text: plain, and their slot computed,
                            // not looked up (the 128 KB table misses the cache there).
                            slot = ScalarTable.bloomSlot(UInt32(value))
                        } else {
                            let entry = table[value]
                            slot = Int(entry & ScalarTable.slotMask)
                            plain &= entry
                        }
                        k += 3
                    } else if b < 0xE0 {
                        guard k + 1 < n else { break }
                        let value = Int(b & 0x1F) << 6 | Int(bytes[k + 1] & 0x3F)
                        let entry = table[value]
                        slot = Int(entry & ScalarTable.slotMask)
                        plain &= entry
                        k += 2
                    } else {
                        guard k + 3 < n else { break }
                        let value = UInt32(b & 0x07) << 18 | UInt32(bytes[k + 1] & 0x3F) << 12 | UInt32(bytes[k + 2] & 0x3F) << 6 | UInt32(bytes[k + 3] & 0x3F)
                        slot = ScalarTable.slot(value)
                        plain = 0
                        k += 4
                    }
                    bits[slot >> 6] |= 1 << UInt64(slot & 63)
                    if previous >= 0 {
                        let pair = PreparedText.pairSlot(previous, slot)
                        bits[pair >> 6] |= 1 << UInt64(pair & 63)
                    } else {
                        first = slot
                    }
                    previous = slot
                    scalars += 1
                }
                return (first, previous, scalars, plain)
            }
        }
        self.bits = bits
        isPlain = plainBits & ScalarTable.plainBit != 0
        firstSlot = first
        lastSlot = last
        scalarCount = scalars
    }

    /// ORs one text's bits into another's, a word at a time.
    @inline(__always)
    static func merge(_ from: UnsafePointer<UInt64>, into to: UnsafeMutablePointer<UInt64>) {
        for w in 0..<wordCount { to[w] |= from[w] }
    }

    /// `text` prepared from prepared texts that, joined without separators, make it up (a
    /// paragraph from its lines): the filters are the parts' filters together plus the pairs
    /// where they meet, which is what a scan of `text` gives, at a fraction of the cost. Nil when
    /// the parts do not spell `text` exactly.
    init?(joining parts: [PreparedText], as text: String) {
        guard !parts.isEmpty else { return nil }
        var total = 0
        for part in parts { total += part.text.utf8.count }
        guard total == text.utf8.count else { return nil }
        var whole = text
        let same = whole.withUTF8 { bytes -> Bool in
            var offset = 0
            for part in parts {
                var piece = part.text
                let equal = piece.withUTF8 { pieceBytes -> Bool in
                    guard let a = bytes.baseAddress, let b = pieceBytes.baseAddress else { return pieceBytes.isEmpty }
                    return memcmp(a + offset, b, pieceBytes.count) == 0
                }
                guard equal else { return false }
                offset += part.text.utf8.count
            }
            return true
        }
        guard same else { return nil }
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: PreparedText.wordCount)
        bits.initialize(from: parts[0].bits, count: PreparedText.wordCount)
        var plain = parts[0].isPlain
        var scalars = parts[0].scalarCount
        var first = parts[0].firstSlot
        var last = parts[0].lastSlot
        for part in parts.dropFirst() {
            PreparedText.merge(part.bits, into: bits)
            plain = plain && part.isPlain
            scalars += part.scalarCount
            if part.firstSlot >= 0 {
                if last >= 0 {
                    let pair = PreparedText.pairSlot(last, part.firstSlot)
                    bits[pair >> 6] |= 1 << UInt64(pair & 63)
                } else {
                    first = part.firstSlot
                }
                last = part.lastSlot
            }
        }
        self.text = text
        self.bits = bits
        isPlain = plain
        firstSlot = first
        lastSlot = last
        scalarCount = scalars
    }

    /// The bits of several texts together (a scope's units): what any of them may hold. A
    /// literal or pattern the union rules out is in none of them, so a check can skip them all.
    struct ScopeFilter {
        let bits: [UInt64]

        init(_ texts: [PreparedText]) {
            var bits = [UInt64](repeating: 0, count: PreparedText.wordCount)
            bits.withUnsafeMutableBufferPointer { bits in
                guard let to = bits.baseAddress else { return }
                for text in texts { PreparedText.merge(text.bits, into: to) }
            }
            self.bits = bits
        }

        /// Whether some text may hold the literal (its scalars and pairs all present).
        func mayContain(_ literal: Literal) -> Bool {
            for slot in literal.slots where bits[slot >> 6] & (1 << UInt64(slot & 63)) == 0 { return false }
            return true
        }
    }

    /// A literal a prefilter looks for, with the bits of its scalars worked out once.
    struct Literal: Sendable {
        let bytes: [UInt8]
        /// Bit indices (in `bits`) of its scalars and then of its adjacent pairs.
        let slots: [Int]
        let scalarCount: Int

        init(_ string: String) {
            bytes = Array(string.utf8)
            let scalars = string.unicodeScalars.map { ScalarTable.slot($0.value) }
            scalarCount = scalars.count
            slots = scalars + zip(scalars, scalars.dropFirst()).map { PreparedText.pairSlot($0, $1) }
        }
    }

    /// Whether the text may hold a line terminator as ICU's `^` and `$` see them (CR, LF, VT,
    /// FF, NEL, LS, PS).
    var mayHoldLineBreak: Bool {
        bits[0] & 0x3C00 != 0 || mayContain(0x85) || mayContain(0x2028) || mayContain(0x2029)
    }

    /// Whether the text may hold this scalar (exact for ASCII and the punctuation blocks).
    @inline(__always)
    func mayContain(_ value: UInt32) -> Bool {
        let slot = ScalarTable.slot(value)
        return bits[slot >> 6] & (1 << UInt64(slot & 63)) != 0
    }

    /// Whether the text holds a literal: the filter for one scalar, a byte search for more.
    func contains(_ literal: Literal) -> Bool {
        for slot in literal.slots where bits[slot >> 6] & (1 << UInt64(slot & 63)) == 0 {
            return false
        }
        if literal.scalarCount <= 1 { return true }
        return holds(literal.bytes)
    }

    /// Whether the text holds a literal given as UTF-8.
    func contains(_ literal: [UInt8]) -> Bool {
        contains(Literal(String(decoding: literal, as: UTF8.self)))
    }

    /// The scalar bits, for prefilters.
    func withBits<R>(_ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        body(UnsafeBufferPointer(start: bits, count: PreparedText.wordCount))
    }

    /// Whether the text holds these bytes (a plain search).
    func holds(_ needle: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            needle.withUnsafeBufferPointer { needle in
                let n = bytes.count
                let m = needle.count
                guard m > 0 else { return true }
                guard n >= m else { return false }
                let first = needle[0]
                var k = 0
                while k <= n - m {
                    if bytes[k] == first {
                        var j = 1
                        while j < m, bytes[k + j] == needle[j] { j += 1 }
                        if j == m { return true }
                    }
                    k += 1
                }
                return false
            }
        }
    }

    /// The text as UTF-16 with a map back to UTF-8 offsets, made on first use.
    func withUTF16<R>(_ body: (UnsafeBufferPointer<UInt16>, (Int) -> Int) -> R) -> R {
        utf16.fill(text)
        let ascii = utf16.isASCII
        let units = utf16.units
        var walker = UTF16Text.OffsetWalker()
        return body(units) { offset in
            if ascii { return offset }
            return walker.utf8Offset(offset, in: units)
        }
    }
}
