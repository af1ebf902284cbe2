#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Literal text that every match of a pattern must contain, read from the pattern itself, so a
/// search can be skipped without calling ICU when the text lacks it.
///
/// `[0-2]\d年\s*\d{1,2}\s*月` needs one of 0/1/2, a 年 and a 月; `》、《` needs that very string;
/// `\.{3,}|。{3,}|……等` needs one of `...`, `。。。`, `……等`. The requirement is a conjunction of
/// clauses, each met when the text contains one of the clause's literals. It is only ever a
/// necessary condition: a text that meets it is searched as before, and a pattern this reader does
/// not fully understand (inline flags, `\Q…\E`, nested sets…) gets no prefilter at all.
final class RegexPrefilter: Sendable {
    /// Each clause: literals, one of which must occur.
    let literals: [[PreparedText.Literal]]
    /// The same, flat: clause `c` is literals `clauseStarts[c]..<clauseStarts[c + 1]`; literal `l`
    /// has scalar bits `slots[slotStarts[l]..<slotStarts[l + 1]]` and, when it is longer than one
    /// scalar, needs a byte search (`needsSearch`).
    private let clauseStarts: [Int]
    private let slotStarts: [Int]
    private let slots: [Int]
    private let needsSearch: [Bool]
    private let flatLiterals: [PreparedText.Literal]
    /// For a pattern whose every branch starts with `^`: what a match starts with (UTF-8); in a
    /// text without line breaks, `^` is its start.
    let prefixes: [[UInt8]]?
    /// For a pattern whose every branch ends with `$`: what a match ends with.
    let suffixes: [[UInt8]]?
    /// Runs of adjacent scalars one of which a match must hold (`\d、\d` then one of 个名人…).
    let windows: [Window]?
    /// What the first scalar of every match may be, for a pattern that cannot match the empty
    /// string: a search need only try the positions holding one (`ICURegex`).
    let starts: [ScalarPredicate]?
    /// What every match starts with a run of, up to a scalar it must hold (`RunFilter`).
    let run: RunFilterSpec?

    /// The clauses as UTF-8.
    var clauses: [[[UInt8]]] { literals.map { $0.map(\.bytes) } }

    /// nil when the pattern promises nothing useful (or could not be read with certainty).
    init?(pattern: String, caseInsensitive: Bool) {
        if caseInsensitive { return nil }
        var reader = PatternReader(Array(pattern.unicodeScalars))
        guard let info = reader.readAll() else { return nil }
        func utf8(_ strings: [[Unicode.Scalar]]?) -> [[UInt8]]? {
            guard let strings, !strings.isEmpty, !strings.contains(where: \.isEmpty) else { return nil }
            return strings.map { Array(String(String.UnicodeScalarView($0)).utf8) }
        }
        prefixes = utf8(reader.prefixes)
        suffixes = utf8(reader.suffixes)
        windows = reader.windows
        // `\G` is where the last match ended, which trying one position at a time would change.
        if !info.nullable, let first = info.first, !first.isEmpty, !pattern.contains("\\G") {
            starts = first
            run = reader.run
        } else {
            starts = nil
            run = nil
        }
        if info.clauses.isEmpty && prefixes == nil && suffixes == nil && windows == nil { return nil }
        let literals = info.clauses.map { clause in clause.map { PreparedText.Literal(String(String.UnicodeScalarView($0))) } }
        self.literals = literals
        var clauseStarts = [0]
        var slotStarts = [0]
        var slots: [Int] = []
        var needsSearch: [Bool] = []
        var flat: [PreparedText.Literal] = []
        for clause in literals {
            for literal in clause {
                flat.append(literal)
                slots += literal.slots
                slotStarts.append(slots.count)
                needsSearch.append(literal.scalarCount > 1)
            }
            clauseStarts.append(flat.count)
        }
        self.clauseStarts = clauseStarts
        self.slotStarts = slotStarts
        self.slots = slots
        self.needsSearch = needsSearch
        flatLiterals = flat
    }

    /// Whether any of the texts a scope filter was made of may hold a match: only the scalar
    /// and pair bits, which are the union of theirs; false means none of them can.
    func mayAdmitAny(of scope: PreparedText.ScopeFilter) -> Bool {
        scope.bits.withUnsafeBufferPointer { clausesMet($0, text: nil) }
    }

    /// Whether every clause has a literal whose scalars and pairs are all in `bits`; with a
    /// `text`, a literal of several scalars must also occur in it byte for byte.
    private func clausesMet(_ bits: UnsafeBufferPointer<UInt64>, text: PreparedText?) -> Bool {
        guard clauseStarts.count > 1 else { return true }
        return slots.withUnsafeBufferPointer { slots in
            slotStarts.withUnsafeBufferPointer { slotStarts in
                var literal = 0
                for c in 0..<(clauseStarts.count - 1) {
                    let end = clauseStarts[c + 1]
                    var clauseMet = false
                    while literal < end {
                        var present = true
                        for k in slotStarts[literal]..<slotStarts[literal + 1] {
                            let slot = slots[k]
                            if bits[slot >> 6] & (1 << UInt64(slot & 63)) == 0 { present = false; break }
                        }
                        if present, text == nil || !needsSearch[literal] || text?.holds(flatLiterals[literal].bytes) == true {
                            clauseMet = true
                            break
                        }
                        literal += 1
                    }
                    literal = end
                    if !clauseMet { return false }
                }
                return true
            }
        }
    }

    /// Whether a text may hold a match.
    func admits(_ text: PreparedText) -> Bool {
        // Cheapest and most telling first: how a line starts or ends.
        if prefixes != nil || suffixes != nil, !text.mayHoldLineBreak {
            var string = text.text
            let fits = string.withUTF8 { bytes -> Bool in
                // memcmp: the generic `starts(with:)` costs more than the rest of the prefilter.
                func equal(_ at: Int, _ literal: [UInt8]) -> Bool {
                    guard at >= 0, at + literal.count <= bytes.count, let base = bytes.baseAddress else { return literal.isEmpty }
                    return literal.withUnsafeBufferPointer { l in
                        guard let lbase = l.baseAddress else { return true }
                        return memcmp(base + at, lbase, l.count) == 0
                    }
                }
                if let prefixes, !prefixes.contains(where: { equal(0, $0) }) { return false }
                if let suffixes, !suffixes.contains(where: { equal(bytes.count - $0.count, $0) }) { return false }
                return true
            }
            if !fits { return false }
        }
        if !text.withBits({ clausesMet($0, text: text) }) { return false }
        if let windows, !windows.contains(where: { $0.occurs(in: text) }) { return false }
        return true
    }
}
