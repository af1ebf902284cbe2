/// Per-scalar facts for the Basic Multilingual Plane, looked up once per character in hot loops:
/// the scalar's bit in `PreparedText`'s bits (low 13 bits) and whether it is plain (`SingleScalarText`).
enum ScalarTable {
    static let slotMask: UInt16 = 0x1FFF
    static let plainBit: UInt16 = 0x8000

    static let bmp: [UInt16] = (0..<0x10000).map { value in
        UInt16(slot(UInt32(value))) | (SingleScalarText.isPlain(UInt32(value)) ? plainBit : 0)
    }

    /// Bit index of a scalar in `PreparedText`'s bits.
    @inline(__always)
    static func slot(_ value: UInt32) -> Int {
        switch value {
        case 0..<0x80: return Int(value)
        case 0x2000..<0x2080: return 128 + Int(value - 0x2000)
        case 0x3000..<0x3040: return 256 + Int(value - 0x3000)
        case 0xFF00..<0xFF80: return 320 + Int(value - 0xFF00)
        default: return bloomSlot(value)
        }
    }

    /// Bit index of a scalar outside the exact blocks: a slot of the Bloom filter.
    @inline(__always)
    static func bloomSlot(_ value: UInt32) -> Int {
        PreparedText.bloomBase * 64 + Int((value &* 0x9E37_79B1) >> 20)
    }
}
