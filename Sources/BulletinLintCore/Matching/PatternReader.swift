/// Reads an ICU pattern far enough to derive `PatternInfo` (and the anchored prefixes and
/// suffixes, windows and run filter) for `RegexPrefilter`; nil (through `failed`) on anything it
/// does not know for certain.
struct PatternReader {
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
                } else if lower.value < high.value {
                    // `[a-a]` adds nothing: its one member is already there (and the range
                    // `b...a` would trap; found by fuzz-rules).
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
