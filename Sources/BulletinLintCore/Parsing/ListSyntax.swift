/// Splits a distribution list (`省委，省人大常委会，省人民政府。`) into entries.
///
/// Entries are separated by a top-level `，` (or `,` `；`); a `、` or comma inside brackets
/// belongs to the entry (`各市（州）地方志办公室（党史地方志研究室，地方志编纂中心）` is one
/// entry). A list that uses no comma at all but `、` is split on `、`. A `。` inside the list
/// (a line that ended early) also separates.
public struct ListSyntax: Sendable {
    public struct Token: Sendable {
        public enum Kind: Sendable, Equatable { case entry, separator, terminator }
        public let kind: Kind
        /// UTF-8 range in the analysed text.
        public let range: Range<Int>
        public let text: String
    }

    public let tokens: [Token]

    public var entries: [Token] { tokens.filter { $0.kind == .entry } }
    public var separators: [Token] { tokens.filter { $0.kind == .separator } }
    /// The final `。`, if the list has one.
    public var finalTerminator: Token? {
        guard let last = tokens.last, last.kind == .terminator else { return nil }
        return last
    }
    /// `。` that stand before the last entry.
    public var innerTerminators: [Token] {
        let lastEntryEnd = entries.last?.range.upperBound ?? 0
        return tokens.filter { $0.kind == .terminator && $0.range.upperBound <= lastEntryEnd }
    }

    static let openers: Set<Character> = ["（", "(", "【", "[", "《", "“", "‘", "〔", "{"]
    static let closers: Set<Character> = ["）", ")", "】", "]", "》", "”", "’", "〕", "}"]
    static let commas: Set<Character> = ["，", ",", "；", ";"]
    static let terminators: Set<Character> = ["。", "."]
    static let spaces: Set<Character> = [" ", "\t", "\u{00A0}", "\u{3000}"]

    public init<S: StringProtocol>(_ text: S) {
        if let tokens = ListSyntax.plainTokens(String(text)) {
            self.tokens = tokens
            return
        }
        // Find top-level characters of each class.
        var depth = 0
        var hasComma = false
        var hasDunhao = false
        for ch in text {
            if ListSyntax.openers.contains(ch) { depth += 1 } else if ListSyntax.closers.contains(ch) { depth = max(0, depth - 1) }
            else if depth == 0 {
                if ListSyntax.commas.contains(ch) { hasComma = true }
                if ch == "、" { hasDunhao = true }
            }
        }
        let splitOnDunhao = !hasComma && hasDunhao
        // 主题词 and some lists use runs of spaces only.
        let splitOnSpace = !hasComma && !hasDunhao
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var entryStart: Int? = nil
        var entryEnd = 0
        var offset = 0
        depth = 0
        func closeEntry() {
            if let start = entryStart {
                let value = String(decoding: bytes[start..<entryEnd], as: UTF8.self)
                tokens.append(Token(kind: .entry, range: start..<entryEnd, text: value))
            }
            entryStart = nil
        }
        for ch in text {
            let width = ch.utf8.count
            var kind: Token.Kind? = nil
            if ListSyntax.openers.contains(ch) { depth += 1 } else if ListSyntax.closers.contains(ch) { depth = max(0, depth - 1) }
            else if depth == 0 {
                if ListSyntax.commas.contains(ch) || (splitOnDunhao && ch == "、") { kind = .separator }
                else if ListSyntax.terminators.contains(ch) { kind = .terminator }
            }
            if let kind {
                closeEntry()
                tokens.append(Token(kind: kind, range: offset..<(offset + width), text: String(ch)))
            } else if ListSyntax.spaces.contains(ch) {
                // Spaces never start or end an entry; with no other separator they split.
                if splitOnSpace && depth == 0 { closeEntry() }
            } else {
                if entryStart == nil { entryStart = offset }
                entryEnd = offset + width
            }
            offset += width
        }
        closeEntry()
        self.tokens = tokens
    }

    /// What a scalar is to a list: the sets above, by scalar.
    private enum Role { case opener, closer, comma, terminator, space, dunhao, other }

    private static func role(_ value: UInt32) -> Role {
        switch value {
        case 0xFF08, 0x28, 0x3010, 0x5B, 0x300A, 0x201C, 0x2018, 0x3014, 0x7B: return .opener
        case 0xFF09, 0x29, 0x3011, 0x5D, 0x300B, 0x201D, 0x2019, 0x3015, 0x7D: return .closer
        case 0xFF0C, 0x2C, 0xFF1B, 0x3B: return .comma
        case 0x3002, 0x2E: return .terminator
        case 0x20, 0x09, 0xA0, 0x3000: return .space
        case 0x3001: return .dunhao
        default: return .other
        }
    }

    /// The tokens `init` finds, for a plain text (`SingleScalarText`: every character one scalar that
    /// no other character equals), found by scalars; nil for any other text.
    private static func plainTokens(_ text: String) -> [Token]? {
        var text = text
        return text.withUTF8 { bytes -> [Token]? in
            let n = bytes.count
            /// The scalar at `k` and its width; nil when it is not plain.
            func scalar(at k: Int) -> (UInt32, Int)? {
                let b = bytes[k]
                // Four-byte scalars are never plain.
                guard b < 0xF0, let (value, width) = UTF8Scalar.decode(bytes, at: k) else { return nil }
                return SingleScalarText.isPlain(value) ? (value, width) : nil
            }
            var depth = 0
            var hasComma = false
            var hasDunhao = false
            var k = 0
            while k < n {
                guard let (value, width) = scalar(at: k) else { return nil }
                switch role(value) {
                case .opener: depth += 1
                case .closer: depth = max(0, depth - 1)
                case .comma where depth == 0: hasComma = true
                case .dunhao where depth == 0: hasDunhao = true
                default: break
                }
                k += width
            }
            let splitOnDunhao = !hasComma && hasDunhao
            let splitOnSpace = !hasComma && !hasDunhao
            var tokens: [Token] = []
            var entryStart: Int? = nil
            var entryEnd = 0
            func closeEntry() {
                if let start = entryStart {
                    tokens.append(Token(kind: .entry, range: start..<entryEnd,
                                        text: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<entryEnd]), as: UTF8.self)))
                }
                entryStart = nil
            }
            depth = 0
            k = 0
            while k < n {
                guard let (value, width) = scalar(at: k) else { return nil }
                let role = role(value)
                var kind: Token.Kind? = nil
                switch role {
                case .opener: depth += 1
                case .closer: depth = max(0, depth - 1)
                case .comma where depth == 0: kind = .separator
                case .dunhao where depth == 0 && splitOnDunhao: kind = .separator
                case .terminator where depth == 0: kind = .terminator
                default: break
                }
                if let kind {
                    closeEntry()
                    tokens.append(Token(kind: kind, range: k..<(k + width), text: String(Character(Unicode.Scalar(value) ?? " "))))
                } else if role == .space {
                    if splitOnSpace && depth == 0 { closeEntry() }
                } else {
                    if entryStart == nil { entryStart = k }
                    entryEnd = k + width
                }
                k += width
            }
            closeEntry()
            return tokens
        }
    }
}
