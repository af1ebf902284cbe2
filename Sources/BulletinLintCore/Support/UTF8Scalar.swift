/// Decoding one scalar of valid UTF-8 from its bytes, for the loops that walk a text's bytes
/// (prepared texts, plain-text marks, display width, list syntax, windows): one copy of the
/// lead-byte arithmetic, inlined into each.
enum UTF8Scalar {
    /// How many bytes the scalar led by `lead` takes.
    @inline(__always)
    static func width(lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    }

    /// The scalar whose first byte is at `k`, and its width; nil when the bytes end before the
    /// scalar does (a slice cut inside one).
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at k: Int) -> (value: UInt32, width: Int)? {
        let lead = bytes[k]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let width = width(lead: lead)
        guard k + width <= bytes.count else { return nil }
        var value = width == 2 ? UInt32(lead & 0x1F) : width == 3 ? UInt32(lead & 0x0F) : UInt32(lead & 0x07)
        for j in 1..<width { value = value << 6 | UInt32(bytes[k + j] & 0x3F) }
        return (value, width)
    }
}

extension Array where Element == Unicode.Scalar {
    /// The UTF-8 offset of each scalar, and of the end (`count + 1` entries): for turning ranges of
    /// scalars back into the byte ranges findings use.
    var utf8Offsets: [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(count + 1)
        var offset = 0
        for scalar in self {
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        return offsets
    }
}
