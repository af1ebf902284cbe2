/// The UTF-16 units a match of a pattern may start with (`RegexPrefilter.starts`), as a bitmap
/// over the BMP; every high surrogate counts, so scalars outside the BMP are never ruled out.
struct StartSet: Sendable {
    private var bits: [UInt64]

    init(_ predicates: [ScalarPredicate]) {
        var bits = SingleScalarText.bitmap(predicates.flatMap(\.scalars))
        if predicates.contains(where: \.digit) {
            for w in bits.indices { bits[w] |= StartSet.digits[w] }
        }
        for value in 0xD800..<0xDC00 { bits[value >> 6] |= 1 << UInt64(value & 63) }
        self.bits = bits
    }

    /// Also every low surrogate: for a run of units, where a pair's second half follows the first.
    init(_ predicates: [ScalarPredicate], lowSurrogates: Bool) {
        var set = StartSet(predicates)
        if lowSurrogates {
            for value in 0xDC00..<0xE000 { set.bits[value >> 6] |= 1 << UInt64(value & 63) }
        }
        self = set
    }

    /// Everything a `\d` may be: all but the blocks known to hold no decimal digit.
    private static let digits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for value in 0..<0x10000 where ScalarPredicate.digitness(UInt32(value)) != .no {
            bits[value >> 6] |= 1 << UInt64(value & 63)
        }
        return bits
    }()

    @inline(__always)
    func mayStart(_ unit: UInt16) -> Bool {
        bits.withUnsafeBufferPointer { $0[Int(unit >> 6)] & (1 << UInt64(unit & 63)) != 0 }
    }
}
