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
    let literals: [[SearchText.Literal]]
    /// The same, flat: clause `c` is literals `clauseStarts[c]..<clauseStarts[c + 1]`; literal `l`
    /// has scalar bits `slots[slotStarts[l]..<slotStarts[l + 1]]` and, when it is longer than one
    /// scalar, needs a byte search (`needsSearch`).
    private let clauseStarts: [Int]
    private let slotStarts: [Int]
    private let slots: [Int]
    private let needsSearch: [Bool]
    private let flatLiterals: [SearchText.Literal]
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
        let literals = info.clauses.map { clause in clause.map { SearchText.Literal(String(String.UnicodeScalarView($0))) } }
        self.literals = literals
        var clauseStarts = [0]
        var slotStarts = [0]
        var slots: [Int] = []
        var needsSearch: [Bool] = []
        var flat: [SearchText.Literal] = []
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
    func mayAdmitAny(of scope: SearchText.ScopeFilter) -> Bool {
        scope.bits.withUnsafeBufferPointer { clausesMet($0, text: nil) }
    }

    /// Whether every clause has a literal whose scalars and pairs are all in `bits`; with a
    /// `text`, a literal of several scalars must also occur in it byte for byte.
    private func clausesMet(_ bits: UnsafeBufferPointer<UInt64>, text: SearchText?) -> Bool {
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
    func admits(_ text: SearchText) -> Bool {
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

/// What a piece of a pattern says about the text it matches.
private struct PatternInfo {
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

/// Reads an ICU pattern far enough to derive `PatternInfo`; nil (through `failed`) on anything it
/// does not know for certain.
private struct PatternReader {
    let s: [Unicode.Scalar]
    var i = 0
    var failed = false
    /// Capture groups opened so far (ICU numbers named groups too).
    var groups = 0
    /// Group nesting; the branches at depth 0 give the anchored prefixes and suffixes.
    private var depth = 0
    private var branchPrefixes: [[[Unicode.Scalar]]?] = []
    private var branchWindows: [Window?] = []

    /// A window of scalars for each top-level branch, when every branch has one.
    var windows: [Window]? {
        var out: [Window] = []
        for window in branchWindows {
            guard let window else { return nil }
            out.append(window)
        }
        return out.isEmpty ? nil : out
    }
    private var branchSuffixes: [[[Unicode.Scalar]]?] = []
    private var branchRuns: [RunFilterSpec?] = []

    /// For a pattern of one branch: the scalars every match starts with a run of, and the
    /// scalar that must end that run (see `RunFilter`).
    var run: RunFilterSpec? { branchRuns.count == 1 ? branchRuns[0] : nil }

    /// The run filter of a sequence: the alphabet of the pieces before its first piece that
    /// must be there and starts with one known scalar, and that scalar.
    private static func runFilter(_ parts: [PatternInfo]) -> RunFilterSpec? {
        enum Step { case literal(UInt32), more, unknown }
        var alphabet: [ScalarPredicate] = []
        func walk(_ parts: [PatternInfo]) -> Step {
            for part in parts {
                if let inner = part.parts {
                    // A plain group or a sequence: its pieces in turn.
                    switch walk(inner) {
                    case .literal(let c): return .literal(c)
                    case .unknown: return .unknown
                    case .more: continue
                    }
                }
                if !part.nullable, let exact = part.exact, let c = exact.first?.first,
                   exact.allSatisfy({ $0.first == c }) {
                    return .literal(c.value)
                }
                guard let more = part.alphabet else { return .unknown }
                alphabet += more
            }
            return .more
        }
        guard case .literal(let c) = walk(parts), c < 0xD800 || (c >= 0xE000 && c <= 0xFFFF) else { return nil }
        return RunFilterSpec(alphabet: alphabet, literal: c)
    }

    /// What every match starts with when every top-level branch starts with `^`.
    var prefixes: [[Unicode.Scalar]]? { PatternReader.union(branchPrefixes) }
    /// What every match ends with when every top-level branch ends with `$`.
    var suffixes: [[Unicode.Scalar]]? { PatternReader.union(branchSuffixes) }

    private static func union(_ sets: [[[Unicode.Scalar]]?]) -> [[Unicode.Scalar]]? {
        var out: [[Unicode.Scalar]] = []
        for set in sets {
            guard let set else { return nil }
            for string in set where !out.contains(string) { out.append(string) }
        }
        return out.isEmpty || out.count > PatternInfo.maxClause ? nil : out
    }

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    mutating func readAll() -> PatternInfo? {
        let info = readAlternation()
        if failed || i != s.count { return nil }
        return info
    }

    private var atEnd: Bool { i >= s.count }
    private func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

    private mutating func fail() -> PatternInfo {
        failed = true
        i = s.count
        return .unknown
    }

    mutating func readAlternation() -> PatternInfo {
        var branches = [readSequence()]
        while !failed, peek() == "|" {
            i += 1
            branches.append(readSequence())
        }
        return PatternInfo.alternation(branches)
    }

    private mutating func readSequence() -> PatternInfo {
        var parts: [PatternInfo] = []
        var pieces: [WindowPiece] = []
        /// The capture group the last part is, when it stands unquantified.
        var lastCapture: (number: Int, exact: [[Unicode.Scalar]])? = nil
        while !failed, let c = peek(), c != "|", c != ")" {
            var atom = readAtom()
            if failed { return .unknown }
            let unit = atom.unit
            if let unit {
                // One scalar, which the predicate allows.
                atom.first = [unit]
                atom.nullable = false
                if atom.alphabet == nil { atom.alphabet = [unit] }
            }
            let lookaround = atom.lookaround
            let capture = atom.capture.flatMap { number in atom.exact.map { (number, $0) } }
            let backReference = atom.backReference
            var bounds = (min: 1, max: Optional(1))
            while let q = peek(), q == "*" || q == "+" || q == "?" || q == "{" {
                guard let (min, max) = readQuantifier() else { return fail() }
                atom = atom.repeated(min: min, max: max)
                bounds = (bounds.min * min, bounds.max.flatMap { a in max.map { a * $0 } })
                // Lazy `?` or possessive `+` after a quantifier changes which match, not what any match holds.
                if let m = peek(), m == "?" || m == "+" { i += 1 }
            }
            if let unit {
                pieces.append(.unit(unit, min: bounds.min, max: bounds.max))
            } else if let lookaround, bounds.min == 1, bounds.max == 1 {
                pieces.append(lookaround.positive && !lookaround.behind ? .lookahead(lookaround.unit)
                              : !lookaround.positive && lookaround.behind ? .notBehind(lookaround.unit) : .cut)
            } else {
                pieces.append(.cut)
            }
            if let backReference, let last = lastCapture, last.number == backReference, bounds.min >= 1,
               let doubled = PatternInfo.clause(last.exact.map { $0 + $0 }) {
                // `([，、])\1+`: the group's text twice in a row.
                let exact = bounds.min == 1 && bounds.max == 1 ? doubled : nil
                parts[parts.count - 1] = PatternInfo(exact: exact, clauses: [doubled])
                lastCapture = nil
                continue
            }
            lastCapture = bounds.min == 1 && bounds.max == 1 ? capture : nil
            parts.append(atom)
        }
        if depth == 0 {
            branchRuns.append(PatternReader.runFilter(parts))
            branchWindows.append(Window.best(in: pieces))
            branchPrefixes.append(PatternReader.anchoredRun(parts, anchor: "^"))
            branchSuffixes.append(PatternReader.anchoredRun(parts.reversed(), anchor: "$").map { $0.map { Array($0.reversed()) } })
        }
        return PatternInfo.concatenation(parts)
    }

    /// The strings a run of exact parts right after an anchor can be (for `$`, the parts come in
    /// reverse and so do the strings); nil when the first part is not the anchor.
    private static func anchoredRun<S: Sequence>(_ parts: S, anchor: Character) -> [[Unicode.Scalar]]? where S.Element == PatternInfo {
        var iterator = parts.makeIterator()
        guard let first = iterator.next(), first.anchor == anchor else { return nil }
        var run: [[Unicode.Scalar]] = [[]]
        while let part = iterator.next(), part.anchor == nil, let exact = part.exact {
            let strings = anchor == "$" ? exact.map { Array($0.reversed()) } : exact
            guard let joined = PatternInfo.product(run, strings) else { break }
            run = joined
        }
        return run.contains(where: \.isEmpty) ? nil : run
    }

    private mutating func readQuantifier() -> (Int, Int?)? {
        guard let c = peek() else { return nil }
        i += 1
        switch c {
        case "*": return (0, nil)
        case "+": return (1, nil)
        case "?": return (0, 1)
        default:
            guard let min = readNumber() else { return nil }
            var max: Int? = min
            if peek() == "," {
                i += 1
                max = peek() == "}" ? nil : readNumber()
                if max == nil && peek() != "}" { return nil }
            }
            guard peek() == "}" else { return nil }
            i += 1
            if let max, max < min { return nil }
            return (min, max)
        }
    }

    private mutating func readNumber() -> Int? {
        var value = 0
        var digits = 0
        while let c = peek(), c.value >= 0x30, c.value <= 0x39 {
            value = value * 10 + Int(c.value - 0x30)
            digits += 1
            i += 1
            if digits > 6 { return nil }
        }
        return digits == 0 ? nil : value
    }

    private mutating func readAtom() -> PatternInfo {
        guard let c = peek() else { return fail() }
        switch c {
        case "(":
            i += 1
            return readGroup()
        case "[":
            return readClass()
        case "\\":
            return readEscape()
        case ".":
            i += 1
            return .unknown
        case "^", "$":
            i += 1
            var info = PatternInfo.empty
            info.anchor = Character(c)
            return info
        case "*", "+", "?", "{":
            return fail()
        default:
            i += 1
            var info = PatternInfo.exactly([[c]])
            info.unit = ScalarPredicate(scalars: [c.value], digit: false)
            return info
        }
    }

    private mutating func readGroup() -> PatternInfo {
        enum Kind { case plain, lookaround(positive: Bool) }
        var kind = Kind.plain
        var behind = false
        var capture: Int? = nil
        if peek() != "?" {
            groups += 1
            capture = groups
        } else {
            switch (peek(1), peek(2)) {
            case (":", _), (">", _):
                i += 2
            case ("=", _):
                i += 2
                kind = .lookaround(positive: true)
            case ("!", _):
                i += 2
                kind = .lookaround(positive: false)
            case ("<", "="):
                i += 3
                kind = .lookaround(positive: true)
                behind = true
            case ("<", "!"):
                i += 3
                kind = .lookaround(positive: false)
                behind = true
            case ("<", let n?) where n.properties.isAlphabetic && n.isASCII:
                // A named group.
                i += 2
                while let c = peek(), c != ">" {
                    guard c.isASCII, c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39) else { return fail() }
                    i += 1
                }
                guard peek() == ">" else { return fail() }
                i += 1
                groups += 1
                capture = groups
            default:
                // Inline flags, comments and other constructs: not read.
                return fail()
            }
        }
        depth += 1
        let inner = readAlternation()
        depth -= 1
        guard !failed, peek() == ")" else { return fail() }
        i += 1
        switch kind {
        case .plain:
            var info = inner
            info.capture = capture
            return info
        case .lookaround(let positive):
            // Zero width; a positive one still needs its text in the searched string.
            var info = PatternInfo(exact: [[]], clauses: positive ? inner.clauses : [], first: [], nullable: true, alphabet: [])
            if let unit = inner.unit { info.lookaround = (positive, behind, unit) }
            return info
        }
    }

    /// Escapes outside a set.
    private mutating func readEscape() -> PatternInfo {
        i += 1
        guard let c = peek() else { return fail() }
        i += 1
        if !(c.isASCII && (c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39))) {
            var info = PatternInfo.exactly([[c]])
            info.unit = ScalarPredicate(scalars: [c.value], digit: false)
            return info
        }
        switch c {
        case "b", "B", "A", "G", "Z", "z":
            return .empty
        case "d":
            var info = PatternInfo.unknown
            info.unit = ScalarPredicate(scalars: [], digit: true)
            return info
        case "s":
            var info = PatternInfo.unknown
            info.alphabet = [PatternInfo.whitespace]
            return info
        case "D", "S", "w", "W", "h", "H", "v", "V", "R", "X", "t", "n", "r", "f", "e", "a":
            return .unknown
        case "p", "P", "N":
            return skipBraces() ? .unknown : fail()
        case "x":
            if peek() == "{" { return skipBraces() ? .unknown : fail() }
            return skipHex(2) ? .unknown : fail()
        case "u":
            return skipHex(4) ? .unknown : fail()
        case "U":
            return skipHex(8) ? .unknown : fail()
        case "c":
            guard peek() != nil else { return fail() }
            i += 1
            return .unknown
        case "k":
            guard peek() == "<" else { return fail() }
            while let d = peek(), d != ">" { i += 1 }
            guard peek() == ">" else { return fail() }
            i += 1
            return .unknown
        default:
            if c.value >= 0x30, c.value <= 0x39 {
                // A back-reference or an octal escape.
                var number = Int(c.value - 0x30)
                while let d = peek(), d.value >= 0x30, d.value <= 0x39 {
                    number = number * 10 + Int(d.value - 0x30)
                    i += 1
                }
                var info = PatternInfo.unknown
                // One digit names a group; longer numbers are read as ICU reads them only when unambiguous.
                if c != "0", number <= groups { info.backReference = number }
                return info
            }
            return fail()
        }
    }

    private mutating func skipBraces() -> Bool {
        guard peek() == "{" else {
            // \pL: one letter.
            guard let c = peek(), c.isASCII, c.properties.isAlphabetic else { return false }
            i += 1
            return true
        }
        while let c = peek(), c != "}" { i += 1 }
        guard peek() == "}" else { return false }
        i += 1
        return true
    }

    private mutating func skipHex(_ count: Int) -> Bool {
        for _ in 0..<count {
            guard let c = peek(), c.properties.isASCIIHexDigit else { return false }
            i += 1
        }
        return true
    }

    /// A set `[…]`: the scalars it holds when they are few and plainly listed.
    private mutating func readClass() -> PatternInfo {
        i += 1
        var negated = false
        if peek() == "^" { negated = true; i += 1 }
        if peek() == "]" { return fail() }
        var members: [Unicode.Scalar] = []
        var enumerable = true
        /// Only plain members and `\d`: the class is a predicate even when not enumerable.
        var digit = false
        var predicate = true
        var previous: Unicode.Scalar? = nil
        while true {
            guard let c = peek() else { return fail() }
            if c == "]" { i += 1; break }
            if c == "[" || c == "$" || c == "{" || c == "}" { return fail() }
            if c == "&", peek(1) == "&" { return fail() }
            if c == "-", previous != nil, let next = peek(1), next != "]" {
                // A range from the previous member.
                i += 1
                guard let upper = readClassMember(), let lower = previous, let high = upper else {
                    if failed { return .unknown }
                    enumerable = false
                    predicate = false
                    previous = nil
                    continue
                }
                guard lower.value <= high.value else { return fail() }
                if high.value - lower.value > UInt32(PatternInfo.maxClause) {
                    enumerable = false
                    predicate = false
                } else {
                    for v in (lower.value + 1)...high.value {
                        if let scalar = Unicode.Scalar(v) { members.append(scalar) }
                    }
                }
                previous = nil
                continue
            }
            if c == "-", peek(1) == "-" { return fail() }
            let start = i
            guard let member = readClassMember() else { return .unknown }
            if let member {
                members.append(member)
            } else {
                enumerable = false
                if i - start == 2, s[start + 1] == "d" { digit = true } else { predicate = false }
            }
            previous = member
        }
        var seen: Set<UInt32> = []
        let unique = members.filter { seen.insert($0.value).inserted }
        if negated { return .unknown }
        if !enumerable {
            var info = PatternInfo.unknown
            if predicate, digit, unique.count <= PatternInfo.maxClause {
                info.unit = ScalarPredicate(scalars: unique.map(\.value), digit: true)
            }
            return info
        }
        if unique.isEmpty { return fail() }
        var info = unique.count <= PatternInfo.maxExact ? PatternInfo.exactly(unique.map { [$0] })
            : PatternInfo(exact: nil, clauses: PatternInfo.clause(unique.map { [$0] }).map { [$0] } ?? [])
        if unique.count <= PatternInfo.maxClause { info.unit = ScalarPredicate(scalars: unique.map(\.value), digit: false) }
        return info
    }

    /// One member of a set: `.some(scalar)`, `.some(nil)` for a member that is not one plain
    /// scalar (`\d`, `\p{Han}`), nil after a failure.
    private mutating func readClassMember() -> Unicode.Scalar?? {
        guard let c = peek() else { _ = fail(); return nil }
        i += 1
        guard c == "\\" else { return .some(c) }
        guard let e = peek() else { _ = fail(); return nil }
        i += 1
        if !(e.isASCII && (e.properties.isAlphabetic || (e.value >= 0x30 && e.value <= 0x39))) { return .some(e) }
        switch e {
        case "d", "D", "s", "S", "w", "W", "h", "H", "v", "V", "t", "n", "r", "f", "e", "a":
            return .some(nil)
        case "p", "P", "N":
            if skipBraces() { return .some(nil) }
        case "x":
            if peek() == "{" ? skipBraces() : skipHex(2) { return .some(nil) }
        case "u":
            if skipHex(4) { return .some(nil) }
        case "U":
            if skipHex(8) { return .some(nil) }
        default:
            break
        }
        _ = fail()
        return nil
    }
}

/// A text prepared for many searches: which scalars it holds — exactly for ASCII and the
/// punctuation blocks (U+2000–207F, U+3000–303F, U+FF00–FF7F), through a 4096-bit Bloom filter for
/// the rest — so a prefilter costs a few bit tests; and, once a pattern does run, its UTF-16 form
/// for ICU, made once however many patterns run over it.
///
/// A class, immutable but for the UTF-16 form made on first use: a prepared text is handed to
/// every rule that searches its unit, and a reference costs one retain where a struct of a
/// string and two buffers cost three.
public final class SearchText {
    public let text: String
    /// Every character is one plain scalar (`PlainText`): character-level work may go by scalars.
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
        let bits = SearchText.clearedBits()
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
                        let pair = SearchText.pairSlot(previous, slot)
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
    init?(joining parts: [SearchText], as text: String) {
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
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: SearchText.wordCount)
        bits.initialize(from: parts[0].bits, count: SearchText.wordCount)
        var plain = parts[0].isPlain
        var scalars = parts[0].scalarCount
        var first = parts[0].firstSlot
        var last = parts[0].lastSlot
        for part in parts.dropFirst() {
            SearchText.merge(part.bits, into: bits)
            plain = plain && part.isPlain
            scalars += part.scalarCount
            if part.firstSlot >= 0 {
                if last >= 0 {
                    let pair = SearchText.pairSlot(last, part.firstSlot)
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

        init(_ texts: [SearchText]) {
            var bits = [UInt64](repeating: 0, count: SearchText.wordCount)
            bits.withUnsafeMutableBufferPointer { bits in
                guard let to = bits.baseAddress else { return }
                for text in texts { SearchText.merge(text.bits, into: to) }
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
            slots = scalars + zip(scalars, scalars.dropFirst()).map { SearchText.pairSlot($0, $1) }
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
        body(UnsafeBufferPointer(start: bits, count: SearchText.wordCount))
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

/// Per-scalar facts for the Basic Multilingual Plane, looked up once per character in hot loops:
/// the scalar's bit in `SearchText`'s bits (low 13 bits) and whether it is plain (`PlainText`).
enum ScalarTable {
    static let slotMask: UInt16 = 0x1FFF
    static let plainBit: UInt16 = 0x8000

    static let bmp: [UInt16] = (0..<0x10000).map { value in
        UInt16(slot(UInt32(value))) | (PlainText.isPlain(UInt32(value)) ? plainBit : 0)
    }

    /// Bit index of a scalar in `SearchText`'s bits.
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
        SearchText.bloomBase * 64 + Int((value &* 0x9E37_79B1) >> 20)
    }
}

/// The UTF-16 form of a `SearchText`, made on first use (a text is searched by one thread).
final class UTF16Text {
    /// The units, in memory this object owns: an array would be allocated through the standard
    /// library's unspecialised path, with a run-time type look-up, for every text searched.
    private(set) var units = UnsafeBufferPointer<UInt16>(start: nil, count: 0)

    deinit {
        units.deallocate()
    }

    /// Whether every unit is ASCII (UTF-16 offsets are UTF-8 offsets).
    private(set) var isASCII = true
    private var filled = false

    func fill(_ text: String) {
        if filled { return }
        filled = true
        var text = text
        text.withUTF8 { bytes in
            let n = bytes.count
            // At most one UTF-16 unit per UTF-8 byte.
            // Locals, not captures: kept in registers through the loop.
            let buffer = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: max(n, 1))
            let bytes = bytes
            var k = 0
            var u = 0
            var ascii = true
            while k < n {
                let b = bytes[k]
                // The two common cases first: ASCII, and the three-byte scalars of CJK text.
                if b < 0x80 {
                    buffer[u] = UInt16(b)
                    u += 1
                    k += 1
                    continue
                }
                ascii = false
                if b >= 0xE0, b < 0xF0, k + 2 < n {
                    buffer[u] = UInt16(b & 0x0F) << 12 | UInt16(bytes[k + 1] & 0x3F) << 6 | UInt16(bytes[k + 2] & 0x3F)
                    u += 1
                    k += 3
                    continue
                }
                guard let (value, width) = UTF8Scalar.decode(bytes, at: k) else { break }
                if value > 0xFFFF {
                    let v = value - 0x10000
                    buffer[u] = UInt16(0xD800 + (v >> 10))
                    buffer[u + 1] = UInt16(0xDC00 + (v & 0x3FF))
                    u += 2
                } else {
                    buffer[u] = UInt16(value)
                    u += 1
                }
                k += width
            }
            units = UnsafeBufferPointer(start: buffer.baseAddress, count: u)
            isASCII = ascii
        }
    }

    /// Maps UTF-16 offsets to UTF-8 offsets by walking the units from the last offset asked
    /// for (matches come in order, groups close to them), instead of keeping a table of every
    /// offset: an offset inside a surrogate pair maps to the pair's start, one past the end to
    /// the end.
    struct OffsetWalker {
        private var unit = 0
        private var byte = 0

        mutating func utf8Offset(_ target: Int, in units: UnsafeBufferPointer<UInt16>) -> Int {
            let t = min(max(target, 0), units.count)
            // Back (a group inside the match just mapped), a scalar at a time.
            while unit > t {
                let c = units[unit - 1]
                if c & 0xFC00 == 0xDC00, unit >= 2, units[unit - 2] & 0xFC00 == 0xD800 {
                    byte -= 4
                    unit -= 2
                } else {
                    byte -= c < 0x80 ? 1 : c < 0x800 ? 2 : 3
                    unit -= 1
                }
            }
            while unit < t {
                let c = units[unit]
                if c < 0x80 {
                    byte += 1
                    unit += 1
                } else if c < 0x800 {
                    byte += 2
                    unit += 1
                } else if c & 0xFC00 == 0xD800, unit + 1 < units.count, units[unit + 1] & 0xFC00 == 0xDC00 {
                    if unit + 1 == t { return byte }
                    byte += 4
                    unit += 2
                } else {
                    byte += 3
                    unit += 1
                }
            }
            return byte
        }
    }
}

/// What one scalar may be: one of a few scalars, or a decimal digit (ICU's `\d`, General
/// Category Nd).
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

/// What every match of a pattern starts with: a run of scalars of `alphabet` (possibly empty)
/// and then `literal` (see `RunFilter`).
struct RunFilterSpec: Sendable {
    let alphabet: [ScalarPredicate]
    let literal: UInt32
}

/// One element of a pattern's sequence, as windows see it.
enum WindowPiece {
    /// A single-scalar piece repeated `min`…`max` times.
    case unit(ScalarPredicate, min: Int, max: Int?)
    /// `(?=x)`: the next scalar is one of x.
    case lookahead(ScalarPredicate)
    /// `(?<!x)`: the scalar before is not one of x.
    case notBehind(ScalarPredicate)
    /// Anything else: the window cannot run across it.
    case cut
}

/// A run of adjacent scalars every match holds, with what may not stand right before it:
/// `(?<![\d.])\d、\d(?=[个名])` holds a digit, 、, a digit and one of 个名, after no digit or dot.
struct Window: Sendable {
    let elements: [ScalarPredicate]
    let notBefore: ScalarPredicate?
    /// The element searched for first: the smallest set of plain scalars.
    let anchor: Int

    static let maxLength = 8

    /// The longest window in a sequence of pieces (two scalars at least), or nil.
    static func best(in pieces: [WindowPiece]) -> Window? {
        var best: Window? = nil
        var run: [ScalarPredicate] = []
        var runNotBefore: ScalarPredicate? = nil
        var pending: ScalarPredicate? = nil
        func finish() {
            if run.count >= 2, run.count > (best?.elements.count ?? 0) ||
                (run.count == best?.elements.count && runNotBefore != nil && best?.notBefore == nil),
               let window = Window(run, notBefore: runNotBefore) {
                best = window
            }
            run = []
            runNotBefore = nil
        }
        func append(_ unit: ScalarPredicate, _ count: Int) {
            if run.isEmpty { runNotBefore = pending }
            pending = nil
            for _ in 0..<count where run.count < maxLength { run.append(unit) }
        }
        for piece in pieces {
            switch piece {
            case .unit(let unit, let min, let max):
                if min == 0 {
                    finish()
                    pending = nil
                } else if max == min {
                    append(unit, min)
                } else {
                    // Variable length: its first `min` end this run, its last `min` start the next.
                    append(unit, min)
                    finish()
                    append(unit, min)
                }
            case .lookahead(let unit):
                if !run.isEmpty, run.count < maxLength { run.append(unit) }
                finish()
                pending = nil
            case .notBehind(let unit):
                finish()
                pending = unit
            case .cut:
                finish()
                pending = nil
            }
        }
        finish()
        return best
    }

    init?(_ elements: [ScalarPredicate], notBefore: ScalarPredicate?) {
        // Anchor on plain scalars only: a digit class is found by checking around the anchor.
        guard let anchor = elements.indices.filter({ !elements[$0].digit && !elements[$0].scalars.isEmpty })
            .min(by: { elements[$0].scalars.count < elements[$1].scalars.count }) else { return nil }
        self.elements = elements
        self.notBefore = notBefore
        self.anchor = anchor
        anchorBytes = elements[anchor].scalars.compactMap { Unicode.Scalar($0).map { Array(String($0).utf8) } }
    }

    /// The anchor's scalars as UTF-8.
    let anchorBytes: [[UInt8]]

    /// Whether the text may hold the window.
    func occurs(in text: SearchText) -> Bool {
        // The anchor's scalars must be there at all.
        guard elements[anchor].scalars.contains(where: { text.mayContain($0) }) else { return false }
        var string = text.text
        return string.withUTF8 { bytes -> Bool in
            let n = bytes.count
            /// The scalar starting at k and its width.
            func decode(_ k: Int) -> (UInt32, Int) {
                UTF8Scalar.decode(bytes, at: k) ?? (0xFFFD, 1)
            }
            /// The start of the scalar before offset k.
            func previous(_ k: Int) -> Int {
                var j = k - 1
                while j > 0, bytes[j] & 0xC0 == 0x80 { j -= 1 }
                return j
            }
            // Each of the anchor's scalars, found by its bytes; the window checked around it.
            guard let base = bytes.baseAddress else { return false }
            for needle in anchorBytes {
                let m = needle.count
                let first = Int32(needle[0])
                var k = 0
                while k + m <= n {
                    // The next place the needle's first byte stands.
                    guard let found = memchr(base + k, first, n - k) else { break }
                    k = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if k + m > n { break }
                    var j = 1
                    while j < m, bytes[k + j] == needle[j] { j += 1 }
                    if j < m { k += 1; continue }
                    let width = m
                    var fits = true
                    // Backwards from the anchor.
                    var back = k
                    var e = anchor - 1
                    while fits, e >= 0 {
                        if back == 0 { fits = false; break }
                        back = previous(back)
                        if !elements[e].mayMatch(decode(back).0) { fits = false }
                        e -= 1
                    }
                    if fits, let notBefore, back > 0, notBefore.surelyMatches(decode(previous(back)).0) { fits = false }
                    // Forwards.
                    var forward = k + width
                    e = anchor + 1
                    while fits, e < elements.count {
                        if forward >= n { fits = false; break }
                        let (next, nextWidth) = decode(forward)
                        if !elements[e].mayMatch(next) { fits = false }
                        forward += nextWidth
                        e += 1
                    }
                    if fits { return true }
                    k += width
                }
            }
            return false
        }
    }
}
