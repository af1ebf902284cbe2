/// What one scalar may be: one of a few scalars, or a decimal digit (ICU's `\d`, General
/// Category Nd). A single-scalar piece of a pattern as `PatternReader` reads it.
struct ScalarPredicate: Sendable, Equatable {
    let scalars: [UInt32]
    let digit: Bool

    /// Whether the scalar may satisfy the predicate (true when unsure).
    func mayMatch(_ value: UInt32) -> Bool {
        if scalars.contains(value) { return true }
        return digit && ScalarPredicate.digitness(value) != .no
    }

    /// Whether the scalar certainly satisfies it.
    func surelyMatches(_ value: UInt32) -> Bool {
        if scalars.contains(value) { return true }
        return digit && ScalarPredicate.digitness(value) == .yes
    }

    enum Digitness { case yes, no, unknown }

    /// Whether a scalar is in Nd, for the blocks bulletins are written in; unknown elsewhere
    /// (the Unicode data of Swift and of ICU may differ there).
    static func digitness(_ value: UInt32) -> Digitness {
        switch value {
        case 0x30...0x39, 0xFF10...0xFF19: return .yes
        case 0...0x7F, 0x2000...0x206F, 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF00...0xFF0F, 0xFF1A...0xFFEF: return .no
        default: return .unknown
        }
    }
}
