/// Text where every character (grapheme cluster) is a single scalar that no other character
/// equals: Chinese ideographs, CJK and general punctuation, fullwidth forms, printable ASCII.
/// In such a text, comparing `Character`s is comparing scalars and counting them is counting
/// scalars, so checks can scan UTF-8 bytes instead of iterating `Character`s — and get the same
/// answer. A text with anything else (combining marks, kana with voicing marks, Latin letters
/// with accents, CR) takes the `Character` path.
enum SingleScalarText {
    /// A scalar that is always a character of its own and has no canonical decomposition (so no
    /// other character is canonically equivalent to it).
    @inline(__always)
    static func isPlain(_ v: UInt32) -> Bool {
        switch v {
        case 0x09, 0x0A, 0x20...0x7E, 0xB7, 0xD7,
             0x2010...0x2027, 0x2030...0x203E, 0x2160...0x217F, 0x2460...0x24FF, 0x2500...0x257F,
             0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF5E:
            return true
        default:
            return false
        }
    }

    /// A bitmap of BMP scalars for `marks`.
    static func bitmap(_ scalars: [UInt32]) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: 1024)
        for value in scalars where value < 0x10000 { bits[Int(value >> 6)] |= 1 << UInt64(value & 63) }
        return bits
    }

    /// Which bytes start the UTF-8 of one of `scalars` (indexed by byte).
    static func leadBytes(_ scalars: [UInt32]) -> [Bool] {
        var leads = [Bool](repeating: false, count: 256)
        for value in scalars {
            guard let scalar = Unicode.Scalar(value), let lead = String(scalar).utf8.first else { continue }
            leads[Int(lead)] = true
        }
        return leads
    }

    /// The occurrences of some scalars (given as `bitmap(scalars)`) in a text already known to be
    /// plain (`PreparedText.isPlain`), as (scalar, UTF-8 offset, width), in order: only characters whose
    /// first byte is in `leads` (`leadBytes(scalars)`) are decoded, the rest are stepped over.
    static func marks(in text: String, bitmap: [UInt64], leads: [Bool]) -> [(scalar: UInt32, offset: Int, width: Int)] {
        var text = text
        return text.withUTF8 { bytes in
            leads.withUnsafeBufferPointer { leads in
                var found: [(scalar: UInt32, offset: Int, width: Int)] = []
                let n = bytes.count
                var k = 0
                while k < n {
                    let b = bytes[k]
                    let width = UTF8Scalar.width(lead: b)
                    if leads[Int(b)], let (value, _) = UTF8Scalar.decode(bytes, at: k),
                       value < 0x10000, bitmap[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0 {
                        found.append((value, k, width))
                    }
                    k += width
                }
                return found
            }
        }
    }
}
