/// Literal text that every match of a pattern must contain, read from the pattern itself, so a
/// search can be skipped without calling ICU when the text lacks it.
///
/// `[0-2]\d年\s*\d{1,2}\s*月` needs one of 0/1/2, a 年 and a 月; `》、《` needs that very string;
/// `\.{3,}|。{3,}|……等` needs one of `...`, `。。。`, `……等`. The requirement is a conjunction of
/// clauses, each met when the text contains one of the clause's literals. It is only ever a
/// necessary condition: a text that meets it is searched as before, and a pattern this reader does
/// not fully understand (inline flags, `\Q…\E`, nested sets…) gets no prefilter at all.
struct RegexPrefilter: Sendable {
    /// Each clause: UTF-8 literals, one of which must occur.
    let clauses: [[[UInt8]]]

    /// nil when the pattern promises nothing useful (or could not be read with certainty).
    init?(pattern: String, caseInsensitive: Bool) {
        if caseInsensitive { return nil }
        var reader = PatternReader(Array(pattern.unicodeScalars))
        guard let info = reader.readAll(), !info.clauses.isEmpty else { return nil }
        clauses = info.clauses.map { clause in clause.map { Array(String(String.UnicodeScalarView($0)).utf8) } }
    }

    /// Whether a text may hold a match.
    func admits(_ text: SearchText) -> Bool {
        for clause in clauses where !clause.contains(where: { text.contains($0) }) {
            return false
        }
        return true
    }
}

/// What a piece of a pattern says about the text it matches.
private struct PatternInfo {
    /// The piece matches exactly one of these strings (a small set), or nil.
    var exact: [[Unicode.Scalar]]?
    /// Conjunction of clauses the searched text must meet (see `RegexPrefilter`).
    var clauses: [[[Unicode.Scalar]]]

    static let maxExact = 32
    static let maxLiteral = 16
    static let maxClause = 128

    static let unknown = PatternInfo(exact: nil, clauses: [])
    static let empty = PatternInfo(exact: [[]], clauses: [])

    static func exactly(_ strings: [[Unicode.Scalar]]) -> PatternInfo {
        PatternInfo(exact: strings, clauses: clause(strings).map { [$0] } ?? [])
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
        return PatternInfo(exact: allExact ? whole : nil, clauses: clauses)
    }

    /// Alternatives: a clause holds for the whole when every branch has a clause it implies.
    static func alternation(_ branches: [PatternInfo]) -> PatternInfo {
        if branches.count == 1 { return branches[0] }
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
        while !failed, let c = peek(), c != "|", c != ")" {
            var atom = readAtom()
            if failed { return .unknown }
            while let q = peek(), q == "*" || q == "+" || q == "?" || q == "{" {
                guard let (min, max) = readQuantifier() else { return fail() }
                atom = atom.repeated(min: min, max: max)
                // Lazy `?` or possessive `+` after a quantifier changes which match, not what any match holds.
                if let m = peek(), m == "?" || m == "+" { i += 1 }
            }
            parts.append(atom)
        }
        return PatternInfo.concatenation(parts)
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
            return .empty
        case "*", "+", "?", "{":
            return fail()
        default:
            i += 1
            return .exactly([[c]])
        }
    }

    private mutating func readGroup() -> PatternInfo {
        enum Kind { case plain, lookaround(positive: Bool) }
        var kind = Kind.plain
        if peek() == "?" {
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
            case ("<", "!"):
                i += 3
                kind = .lookaround(positive: false)
            case ("<", let n?) where n.properties.isAlphabetic && n.isASCII:
                // A named group.
                i += 2
                while let c = peek(), c != ">" {
                    guard c.isASCII, c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39) else { return fail() }
                    i += 1
                }
                guard peek() == ">" else { return fail() }
                i += 1
            default:
                // Inline flags, comments and other constructs: not read.
                return fail()
            }
        }
        let inner = readAlternation()
        guard !failed, peek() == ")" else { return fail() }
        i += 1
        switch kind {
        case .plain:
            return inner
        case .lookaround(let positive):
            // Zero width; a positive one still needs its text in the searched string.
            return PatternInfo(exact: [[]], clauses: positive ? inner.clauses : [])
        }
    }

    /// Escapes outside a set.
    private mutating func readEscape() -> PatternInfo {
        i += 1
        guard let c = peek() else { return fail() }
        i += 1
        if !(c.isASCII && (c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39))) {
            return .exactly([[c]])
        }
        switch c {
        case "b", "B", "A", "G", "Z", "z":
            return .empty
        case "d", "D", "s", "S", "w", "W", "h", "H", "v", "V", "R", "X", "t", "n", "r", "f", "e", "a":
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
                while let d = peek(), d.value >= 0x30, d.value <= 0x39 { i += 1 }
                return .unknown
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
                    previous = nil
                    continue
                }
                guard lower.value <= high.value else { return fail() }
                if high.value - lower.value > UInt32(PatternInfo.maxClause) {
                    enumerable = false
                } else {
                    for v in (lower.value + 1)...high.value {
                        if let scalar = Unicode.Scalar(v) { members.append(scalar) }
                    }
                }
                previous = nil
                continue
            }
            if c == "-", peek(1) == "-" { return fail() }
            guard let member = readClassMember() else { return .unknown }
            if let member {
                members.append(member)
            } else {
                enumerable = false
            }
            previous = member
        }
        if negated || !enumerable { return .unknown }
        var seen: Set<UInt32> = []
        let unique = members.filter { seen.insert($0.value).inserted }
        if unique.isEmpty { return fail() }
        if unique.count <= PatternInfo.maxExact { return .exactly(unique.map { [$0] }) }
        return PatternInfo(exact: nil, clauses: PatternInfo.clause(unique.map { [$0] }).map { [$0] } ?? [])
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

/// A text prepared for many searches: which scalars it holds (exactly for ASCII, through a
/// 4096-bit Bloom filter for the rest), so a prefilter costs a few bit tests.
public struct SearchText: Sendable {
    public let text: String
    private let ascii: (UInt64, UInt64)
    private let bloom: [UInt64]

    public init(_ text: String) {
        self.text = text
        var low: UInt64 = 0
        var high: UInt64 = 0
        var bloom = [UInt64](repeating: 0, count: 64)
        var text = text
        text.withUTF8 { bytes in
            bloom.withUnsafeMutableBufferPointer { bits in
                var k = 0
                let n = bytes.count
                while k < n {
                    let b = bytes[k]
                    if b < 0x80 {
                        if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
                        k += 1
                        continue
                    }
                    var value: UInt32
                    var width: Int
                    if b >= 0xF0 { value = UInt32(b & 0x07); width = 4 } else if b >= 0xE0 { value = UInt32(b & 0x0F); width = 3 } else { value = UInt32(b & 0x1F); width = 2 }
                    if k + width > n { break }
                    for j in 1..<width { value = value << 6 | UInt32(bytes[k + j] & 0x3F) }
                    let slot = SearchText.slot(value)
                    bits[slot >> 6] |= 1 << UInt64(slot & 63)
                    k += width
                }
            }
        }
        ascii = (low, high)
        self.bloom = bloom
    }

    @inline(__always)
    private static func slot(_ value: UInt32) -> Int {
        Int((value &* 0x9E37_79B1) >> 20)
    }

    /// Whether the text may hold this scalar (exact for ASCII).
    @inline(__always)
    func mayContain(_ value: UInt32) -> Bool {
        if value < 64 { return ascii.0 & (1 << UInt64(value)) != 0 }
        if value < 128 { return ascii.1 & (1 << UInt64(value - 64)) != 0 }
        let slot = SearchText.slot(value)
        return bloom[slot >> 6] & (1 << UInt64(slot & 63)) != 0
    }

    /// Whether the text holds a literal (UTF-8): the filter for one scalar, a byte search for more.
    func contains(_ literal: [UInt8]) -> Bool {
        var k = 0
        var scalars = 0
        while k < literal.count {
            let b = literal[k]
            var value: UInt32
            var width: Int
            if b < 0x80 { value = UInt32(b); width = 1 } else if b >= 0xF0 { value = UInt32(b & 0x07); width = 4 } else if b >= 0xE0 { value = UInt32(b & 0x0F); width = 3 } else { value = UInt32(b & 0x1F); width = 2 }
            guard k + width <= literal.count else { return true }
            if width > 1 {
                for j in 1..<width { value = value << 6 | UInt32(literal[k + j] & 0x3F) }
            }
            if !mayContain(value) { return false }
            k += width
            scalars += 1
        }
        if scalars <= 1 { return true }
        var text = text
        return text.withUTF8 { bytes in
            let n = bytes.count
            let m = literal.count
            guard n >= m else { return false }
            let first = literal[0]
            var k = 0
            while k <= n - m {
                if bytes[k] == first {
                    var j = 1
                    while j < m, bytes[k + j] == literal[j] { j += 1 }
                    if j == m { return true }
                }
                k += 1
            }
            return false
        }
    }
}
