/// Terminal display width: East Asian Wide and Fullwidth characters take two cells.
public enum DisplayWidth {
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        // Combining marks and zero-width characters.
        if (0x0300...0x036F).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFEFF { return 0 }
        return isWide(v) ? 2 : 1
    }

    public static func of<S: StringProtocol>(_ text: S) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += scalar == "\t" ? 4 : of(scalar) }
        return total
    }

    /// The same for a `String`, decoding its UTF-8 directly (the parser measures every line).
    public static func of(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var total = 0
            var k = 0
            let n = bytes.count
            while k < n {
                let b = bytes[k]
                if b < 0x80 {
                    total += b == 0x09 ? 4 : (b < 0x20 || b == 0x7F ? 0 : 1)
                    k += 1
                    continue
                }
                if b >= 0xE4 && b <= 0xE9 && k + 2 < n {
                    // U+4000–U+9FFF, CJK ideographs most of all: wide from U+4E00 on (the
                    // general path below decides the rest).
                    let value = UInt32(b & 0x0F) << 12 | UInt32(bytes[k + 1] & 0x3F) << 6 | UInt32(bytes[k + 2] & 0x3F)
                    if value >= 0x4E00 {
                        total += 2
                        k += 3
                        continue
                    }
                }
                guard let (value, width) = UTF8Scalar.decode(bytes, at: k) else { break }
                if let scalar = Unicode.Scalar(value) { total += of(scalar) }
                k += width
            }
            return total
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
