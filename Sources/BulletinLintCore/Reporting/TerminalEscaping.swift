/// Characters of a document (its text, its file name) that must not reach a terminal or a log
/// as they are: C0 controls (ESC starts an escape sequence, LF splits a line), DEL, C1 controls
/// (U+009B is a one-byte CSI), the line and paragraph separators U+2028/U+2029 and the
/// bidirectional controls (U+202A–U+202E, U+2066–U+2069, which reorder what is shown). The text
/// and github formats show each as `\u{1B}` (Swift's notation, the code point in uppercase
/// hex); JSON, SARIF, Checkstyle and JUnit escape by their own rules.
public enum TerminalEscaping {
    /// Whether `scalar` is shown escaped. A tab is not: excerpts show it as four spaces, and
    /// elsewhere it moves the cursor only.
    @inline(__always)
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 }
        if v < 0x7F { return false }
        if v <= 0x9F { return true }
        return v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// `\u{1B}` for U+001B.
    public static func escaped(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// The cells `escaped(scalar)` takes on a terminal (all ASCII).
    public static func escapedWidth(_ scalar: Unicode.Scalar) -> Int {
        escaped(scalar).utf8.count
    }

    /// `text` with every character of `needsEscape` escaped; `text` itself (no copy) when it has
    /// none, which a quick look at its bytes tells for almost every message.
    public static func escape(_ text: String) -> String {
        escape(text, keepingLineFeeds: false)
    }

    /// `escape`, with line feeds kept when `keepingLineFeeds`: for text of several lines
    /// (`explain`, `rules`: rule files are trusted, but one shared between offices can carry an
    /// ESC as a document can).
    public static func escape(_ text: String, keepingLineFeeds: Bool) -> String {
        var quick = text
        let clean = quick.withUTF8 { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 {
                if byte != 0x09, !(keepingLineFeeds && byte == 0x0A) { return false }
            }
            return true
        }
        if clean { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar), !(keepingLineFeeds && scalar == "\n") {
                out += escaped(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
