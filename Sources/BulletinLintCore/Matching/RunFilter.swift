/// A second test for a start position (`RegexPrefilter.run`): every match starts with a run
/// of units of an alphabet and then one given unit, so a position from which the units of the
/// alphabet run out before that unit comes starts no match — nor does any position up to where
/// they ran out. For `(?:\d{4}\s*年\s*)?\d{1,2}\s*月…`, the digits of “1227余件” are no start:
/// 余 comes before any 月.
struct RunFilter: Sendable {
    private let alphabet: StartSet
    private let literal: UInt16

    init(_ spec: RunFilterSpec) {
        // Surrogates, high and low, are always in the alphabet: scalars outside the BMP are
        // never ruled out.
        alphabet = StartSet(spec.alphabet, lowSurrogates: true)
        literal = UInt16(truncatingIfNeeded: spec.literal)
    }

    /// What the run from a position says.
    enum Verdict {
        /// The run reaches the literal at this offset: a match may start at the position, and
        /// at every position up to the literal (their runs reach it too).
        case reaches(Int)
        /// No match starts before this offset (the unit after the one that ended the run).
        case skip(to: Int)
    }

    @inline(__always)
    func verdict(_ text: UnsafeBufferPointer<UInt16>, from position: Int) -> Verdict {
        var k = position
        while k < text.count {
            let unit = text[k]
            if unit == literal { return .reaches(k) }
            if !alphabet.mayStart(unit) { return .skip(to: k + 1) }
            k += 1
        }
        return .skip(to: text.count)
    }
}
