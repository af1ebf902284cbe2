/// What a piece of a pattern says about the text it matches: `PatternReader` works it out piece
/// by piece, and `RegexPrefilter` is made from the whole pattern's.
struct PatternInfo {
    /// The piece matches exactly one of these strings (a small set), or nil.
    var exact: [[Unicode.Scalar]]?
    /// Conjunction of clauses the searched text must meet (see `RegexPrefilter`).
    var clauses: [[[Unicode.Scalar]]]
    /// The capture group this piece is, or the group a back-reference repeats.
    var capture: Int? = nil
    var backReference: Int? = nil
    /// `^` or `$`.
    var anchor: Character? = nil
    /// What the one scalar this piece matches may be, for a single-scalar piece (`、`, `[0-2]`, `\d`).
    var unit: ScalarPredicate? = nil
    /// A look-around whose content is one such scalar: (positive, behind, predicate).
    var lookaround: (positive: Bool, behind: Bool, unit: ScalarPredicate)? = nil

    /// What the first scalar of any match of the piece may be — nil when it may be anything —
    /// and whether the piece may match the empty string. Unsure means nil and true.
    var first: [ScalarPredicate]? = nil
    var nullable = true

    /// What every scalar a match of the piece consumes may be (a superset; empty for a piece of
    /// zero width); nil when it may be anything.
    var alphabet: [ScalarPredicate]? = nil
    /// The pieces of a sequence (or of a plain group holding one), for reading a pattern's
    /// start piece by piece; nil for anything else.
    var parts: [PatternInfo]? = nil

    static let maxExact = 32
    static let maxLiteral = 16
    static let maxClause = 128

    static let unknown = PatternInfo(exact: nil, clauses: [])
    /// Zero width (an anchor, `\b`, a look-around): matches nothing, starts no match.
    static let empty = PatternInfo(exact: [[]], clauses: [], first: [], nullable: true, alphabet: [])

    /// The scalars `\s` may match: White_Space, and what ICU's documentation lists besides
    /// (`[\t\n\f\r\p{Z}]`), so it is a superset of either reading.
    static let whitespace = ScalarPredicate(scalars: [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680]
        + Array(0x2000...0x200A) + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000], digit: false)

    /// The union of two alphabets (nil, anything, absorbs).
    static func union(_ a: [ScalarPredicate]?, _ b: [ScalarPredicate]?) -> [ScalarPredicate]? {
        guard let a, let b else { return nil }
        return a + b
    }

    static func exactly(_ strings: [[Unicode.Scalar]]) -> PatternInfo {
        var info = PatternInfo(exact: strings, clauses: clause(strings).map { [$0] } ?? [])
        var heads: [UInt32] = []
        for string in strings {
            if let head = string.first, !heads.contains(head.value) { heads.append(head.value) }
        }
        info.first = heads.isEmpty ? [] : [ScalarPredicate(scalars: heads, digit: false)]
        info.nullable = strings.contains(where: \.isEmpty)
        var all: [UInt32] = []
        for string in strings {
            for scalar in string where !all.contains(scalar.value) { all.append(scalar.value) }
        }
        info.alphabet = all.isEmpty ? [] : [ScalarPredicate(scalars: all, digit: false)]
        return info
    }

    /// The first-scalar facts of a sequence: the pieces up to the first one that cannot be
    /// empty can each start a match.
    static func sequenceStart(_ parts: [PatternInfo]) -> (first: [ScalarPredicate]?, nullable: Bool) {
        var first: [ScalarPredicate]? = []
        for part in parts {
            if let known = first, let more = part.first { first = known + more } else { first = nil }
            if !part.nullable { return (first, false) }
        }
        return (first, true)
    }

    /// A clause from a set of strings: none when one of them is empty (always met).
    static func clause(_ strings: [[Unicode.Scalar]]) -> [[Unicode.Scalar]]? {
        if strings.isEmpty || strings.contains(where: \.isEmpty) || strings.count > maxClause { return nil }
        var unique: [[Unicode.Scalar]] = []
        for string in strings where !unique.contains(string) { unique.append(string) }
        return unique
    }

    /// Every concatenation of one string of `a` and one of `b`, or nil when too many or too long.
    static func product(_ a: [[Unicode.Scalar]], _ b: [[Unicode.Scalar]]) -> [[Unicode.Scalar]]? {
        if a.count * b.count > maxExact { return nil }
        var out: [[Unicode.Scalar]] = []
        for x in a {
            for y in b {
                if x.count + y.count > maxLiteral { return nil }
                out.append(x + y)
            }
        }
        return out
    }

    /// A sequence of pieces.
    static func concatenation(_ parts: [PatternInfo]) -> PatternInfo {
        var clauses: [[[Unicode.Scalar]]] = []
        var run: [[Unicode.Scalar]] = [[]]
        var allExact = true
        var whole: [[Unicode.Scalar]]? = [[]]
        func flush() {
            if let c = clause(run) { clauses.append(c) }
            run = [[]]
        }
        for part in parts {
            if let exact = part.exact {
                if let joined = product(run, exact) {
                    run = joined
                } else {
                    flush()
                    run = exact
                }
                whole = whole.flatMap { product($0, exact) }
                // The part's own clauses (from look-arounds) still hold.
                if part.clauses.count > 1 || (part.clauses.count == 1 && clause(exact) == nil) {
                    clauses += part.clauses
                }
            } else {
                allExact = false
                flush()
                clauses += part.clauses
            }
        }
        flush()
        var info = PatternInfo(exact: allExact ? whole : nil, clauses: clauses)
        // One piece alone (a group's content) stays a single-scalar piece.
        if parts.count == 1 { info.unit = parts[0].unit }
        (info.first, info.nullable) = sequenceStart(parts)
        info.alphabet = parts.reduce([]) { union($0, $1.alphabet) }
        info.parts = parts
        return info
    }

    /// Alternatives: a clause holds for the whole when every branch has a clause it implies.
    static func alternation(_ branches: [PatternInfo]) -> PatternInfo {
        if branches.count == 1 { return branches[0] }
        var info = alternationClauses(branches)
        var first: [ScalarPredicate]? = []
        for branch in branches {
            if let known = first, let more = branch.first { first = known + more } else { first = nil }
        }
        info.first = first
        info.nullable = branches.contains(where: \.nullable)
        info.alphabet = branches.reduce([]) { union($0, $1.alphabet) }
        info.parts = nil
        return info
    }

    private static func alternationClauses(_ branches: [PatternInfo]) -> PatternInfo {
        var union: [[Unicode.Scalar]]? = []
        for branch in branches {
            guard let exact = branch.exact, let so = union else { union = nil; break }
            union = so + exact.filter { !so.contains($0) }
        }
        if let union, union.count <= maxExact { return exactly(union) }
        if branches.contains(where: { $0.clauses.isEmpty }) { return .unknown }
        // (A1 ∧ A2) ∨ (B1 ∧ B2) = (A1 ∨ B1) ∧ (A1 ∨ B2) ∧ …, while that stays small; else one
        // clause per branch.
        var combined: [[[Unicode.Scalar]]] = [[]]
        let size = branches.reduce(1) { $0 * $1.clauses.count }
        let pick: [[[[Unicode.Scalar]]]] = size <= 16 ? branches.map(\.clauses) : branches.map { [best($0.clauses)] }
        for options in pick {
            var next: [[[Unicode.Scalar]]] = []
            for partial in combined {
                for option in options { next.append(partial + option) }
            }
            combined = next
        }
        var clauses: [[[Unicode.Scalar]]] = []
        for candidate in combined {
            if let c = clause(candidate), !clauses.contains(c) { clauses.append(c) }
        }
        return PatternInfo(exact: nil, clauses: clauses)
    }

    /// The most selective-looking clause: longest shortest literal, then fewest literals.
    static func best(_ clauses: [[[Unicode.Scalar]]]) -> [[Unicode.Scalar]] {
        clauses.max { a, b in
            let la = a.map(\.count).min() ?? 0
            let lb = b.map(\.count).min() ?? 0
            return la != lb ? la < lb : a.count > b.count
        } ?? []
    }

    /// A piece repeated at least `min` times (at most `max`, nil for no limit).
    func repeated(min: Int, max: Int?) -> PatternInfo {
        var info = repeatedClauses(min: min, max: max)
        if max == 0 {
            info.first = []
            info.nullable = true
            info.alphabet = []
        } else {
            info.first = first
            info.nullable = nullable || min == 0
            info.alphabet = alphabet
        }
        info.parts = nil
        return info
    }

    private func repeatedClauses(min: Int, max: Int?) -> PatternInfo {
        if min == 0, max == 1, let exact, exact.count < PatternInfo.maxExact {
            // `x?`: x or nothing.
            return PatternInfo(exact: [[]] + exact.filter { !$0.isEmpty }, clauses: [])
        }
        if min == 0 { return max == 0 ? .empty : .unknown }
        guard let exact else { return PatternInfo(exact: nil, clauses: clauses) }
        var power: [[Unicode.Scalar]]? = exact
        for _ in 1..<min { power = power.flatMap { PatternInfo.product($0, exact) } }
        guard let power else { return PatternInfo(exact: nil, clauses: clauses) }
        if max == min { return PatternInfo(exact: power, clauses: PatternInfo.clause(power).map { [$0] } ?? clauses) }
        return PatternInfo(exact: nil, clauses: PatternInfo.clause(power).map { [$0] } ?? clauses)
    }
}
