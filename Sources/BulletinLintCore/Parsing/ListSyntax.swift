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
}
