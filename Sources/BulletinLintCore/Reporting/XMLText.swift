/// Escaping for the XML formats (JUnit, Checkstyle): XML 1.0, UTF-8.
enum XMLText {
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// An attribute value, for use between double quotes. Tabs and line breaks become
    /// character references, so attribute-value normalisation keeps them.
    static func attribute(_ text: String) -> String {
        escape(text, inAttribute: true)
    }

    /// Character data between tags. A carriage return becomes a character reference, so
    /// line-end normalisation keeps it.
    static func content(_ text: String) -> String {
        escape(text, inAttribute: false)
    }

    private static func escape(_ text: String, inAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where inAttribute: out += "&quot;"
            case "'" where inAttribute: out += "&apos;"
            case "\t" where inAttribute: out += "&#9;"
            case "\n" where inAttribute: out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if !allowed(scalar) {
                    // XML 1.0 has no way to carry these, not even as references: shown as
                    // `\u000C`, the way the JSON output writes them.
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else if scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    // Allowed but discouraged: written as references, so they are visible.
                    out += "&#x" + String(scalar.value, radix: 16, uppercase: true) + ";"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
