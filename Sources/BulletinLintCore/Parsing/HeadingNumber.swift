/// Numbered headings as GB/T 9704-2012 §7.3.3 orders them: 一、 （一） 1. （1）, and the
/// common wrong forms (1、 （一）、 一，) so that the heading rules can name them.
enum HeadingNumber {
    /// A parsed heading number.
    struct Heading: Equatable {
        /// 1: 一、 2: （一） 3: 1. 4: （1）
        let level: Int
        let number: Int
        /// The numbering as written, with its punctuation.
        let written: String
        /// The correct form of the numbering, when it is written wrongly.
        let correction: String?
    }

    /// The characters a Chinese heading number is made of: 一 … 九 and 十.
    static let numerals = ChineseNumeral.countingCharacters

    /// Scalars a heading number starts with: 一…十, （, ( and ASCII digits.
    static func mayStart(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0xFF08, 0x28, 0x30...0x39: return true
        default: return false
        }
    }

    /// The right form of a heading number at a level: 一、 （一） 1. （1）.
    static func form(level: Int, number: Int) -> String {
        switch level {
        case 1: return ChineseNumeral.counting(number) + "、"
        case 2: return "（" + ChineseNumeral.counting(number) + "）"
        case 3: return "\(number)."
        default: return "（\(number)）"
        }
    }

    /// The first eight characters. When the first nine scalars are plain (`SingleScalarText`), each of
    /// the first eight is a character of its own (the ninth cannot join the eighth), so they are
    /// taken by scalars, without breaking graphemes.
    static func firstCharacters(_ text: String) -> [Character] {
        var chars: [Character] = []
        chars.reserveCapacity(8)
        var seen = 0
        for scalar in text.unicodeScalars {
            if seen == 9 { break }
            guard SingleScalarText.isPlain(scalar.value) else { return Array(text.prefix(8)) }
            if seen < 8 { chars.append(Character(scalar)) }
            seen += 1
        }
        return chars
    }

    /// The heading number at the start of a text, if any; Arabic numbers have at most two digits,
    /// so “（2021卷）” and “2021.” are not headings.
    static func parse(_ text: String) -> Heading? {
        // Most lines start with a plain scalar that begins no heading: no need to look further
        // (a plain scalar is a character of its own that no other character equals).
        if let scalar = text.unicodeScalars.first, SingleScalarText.isPlain(scalar.value), !HeadingNumber.mayStart(scalar.value) {
            return nil
        }
        // `3月24日`: up to two ASCII digits not followed by . ． or 、 are no heading (when the
        // scalars read are plain, each is a character of its own).
        if let scalar = text.unicodeScalars.first, scalar.value >= 0x30, scalar.value <= 0x39 {
            var digits = 0
            var mark: Unicode.Scalar? = nil
            var allPlain = true
            // The first four scalars, counted by hand: `prefix(4)` of the scalar view costs more
            // than the rest of the test.
            var seen = 0
            for s in text.unicodeScalars {
                if seen == 4 { break }
                seen += 1
                if !SingleScalarText.isPlain(s.value) { allPlain = false }
                if mark == nil {
                    if s.value >= 0x30 && s.value <= 0x39 { digits += 1 } else { mark = s }
                }
            }
            if allPlain, digits >= 3 { return nil }
            if allPlain, digits <= 2, let mark, mark != ".", mark != "．", mark != "、" { return nil }
        }
        let chars = HeadingNumber.firstCharacters(text)
        guard let first = chars.first else { return nil }
        let numerals = HeadingNumber.numerals
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        if numerals.contains(first) {
            var i = 0
            while i < chars.count, numerals.contains(chars[i]) { i += 1 }
            guard i < chars.count, let n = ChineseNumeral.parse(chars[0..<i]) else { return nil }
            let mark = chars[i]
            guard "、，．.：:".contains(mark) else { return nil }
            let written = String(chars[0...i])
            return Heading(level: 1, number: n, written: written, correction: mark == "、" ? nil : form(level: 1, number: n))
        }
        if first == "（" || first == "(" {
            var i = 1
            while i < chars.count, numerals.contains(chars[i]) || isDigit(chars[i]) { i += 1 }
            guard i > 1, i <= 3, i < chars.count, chars[i] == "）" || chars[i] == ")" else { return nil }
            let inner = String(chars[1..<i])
            let arabic = inner.allSatisfy(isDigit)
            guard let n = arabic ? Int(inner) : ChineseNumeral.parse(inner) else { return nil }
            let level = arabic ? 4 : 2
            var written = String(chars[0...i])
            var wrong = first == "(" || chars[i] == ")"
            if i + 1 < chars.count, "、，.．".contains(chars[i + 1]) {
                written.append(chars[i + 1])
                wrong = true
            }
            return Heading(level: level, number: n, written: written, correction: wrong ? form(level: level, number: n) : nil)
        }
        if isDigit(first) {
            var i = 0
            while i < chars.count, isDigit(chars[i]) { i += 1 }
            guard i <= 2, i < chars.count, let n = Int(String(chars[0..<i])) else { return nil }
            let mark = chars[i]
            guard ".．、".contains(mark) else { return nil }
            // 1.5亿元 is a number.
            if i + 1 < chars.count, isDigit(chars[i + 1]) { return nil }
            let written = String(chars[0...i])
            return Heading(level: 3, number: n, written: written, correction: mark == "、" ? form(level: 3, number: n) : nil)
        }
        return nil
    }

    /// The UTF-8 offset of the `）` or `)` that closes a list item's number at the start of a
    /// text (`1）`, `12)`, `a）`), which has no opening bracket.
    static func listMarkerClose(in text: String) -> Int? {
        var offset = 0
        var digits = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if digits == 0, value == 0x20 || value == 0x3000 { offset += scalar.utf8.count; continue }
            if (0x30...0x39).contains(value) || (digits == 0 && ((0x61...0x7A).contains(value) || (0x41...0x5A).contains(value))) {
                digits += 1
                if digits > 2 { return nil }
                offset += 1
                continue
            }
            return digits > 0 && (value == 0xFF09 || value == 0x29) ? offset : nil
        }
        return nil
    }
}
