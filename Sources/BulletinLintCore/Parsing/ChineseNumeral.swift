/// Chinese numerals, read and written in one place: the counting form (一, 十, 十二, 二十,
/// 一百零五) of headings, dates and Word's list labels, the digit-by-digit form of years and of
/// Word's `ideographDigital` labels (二〇〇九), and the 大写 form of Word's
/// `chineseLegalSimplified` labels (壹拾贰).
enum ChineseNumeral {
    /// 〇 一 … 九, by value.
    static let digits: [Character] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
    /// 零 壹 … 玖 (大写), by value.
    static let legalDigits: [Character] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"]

    /// The characters of a counting numeral up to 九十九 without zero: 一 … 九 and 十.
    static let countingCharacters: Set<Character> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    /// What `parse` accepts besides 一 … 九 and 十.
    struct Variants: OptionSet, Sendable {
        let rawValue: Int

        /// A zero as the ones digit after 十 (`二十〇` is 20), in any of the forms `digitValue`
        /// reads as 0; dates are written with them.
        static let zero = Variants(rawValue: 1 << 0)
        /// 廿 for 二十 at the start (`廿七` is 27), as dates are sometimes written.
        static let nian = Variants(rawValue: 1 << 1)
    }

    /// The value of one digit: 1 … 9 for 一 … 九; 0 for 〇, ○, 零 and the look-alikes typed for
    /// 〇 (Latin O, full-width Ｏ, the digit 0); nil for any other character.
    static func digitValue(_ character: Character) -> Int? {
        switch character {
        case "〇", "○", "零", "O", "Ｏ", "0": return 0
        case "一": return 1
        case "二": return 2
        case "三": return 3
        case "四": return 4
        case "五": return 5
        case "六": return 6
        case "七": return 7
        case "八": return 8
        case "九": return 9
        default: return nil
        }
    }

    /// The whole of `text` (a string or its characters) as a counting numeral from 1 to 99: 一 … 九, 十, 十一 … 十九 and
    /// 二十 … 九十九 (`一十`, `一十一` too), with the `variants` asked for. Nil for anything else:
    /// an empty text, zero alone, a zero before 十, 一百 and larger, digits side by side (二三).
    static func parse<C: Collection>(_ text: C, allowing variants: Variants = []) -> Int? where C.Element == Character {
        var chars = Array(text)
        if variants.contains(.nian), chars.first == "廿" { chars = ["二", "十"] + chars.dropFirst() }
        func digit(_ character: Character) -> Int? {
            guard let value = digitValue(character) else { return nil }
            return value == 0 && !variants.contains(.zero) ? nil : value
        }
        guard let ten = chars.firstIndex(of: "十") else {
            guard chars.count == 1, let value = digit(chars[0]), value > 0 else { return nil }
            return value
        }
        // At most one digit before 十 and one after it.
        guard ten <= 1, chars.count - ten <= 2 else { return nil }
        let tens = ten == 0 ? 1 : digit(chars[0])
        let ones = ten == chars.count - 1 ? 0 : digit(chars[ten + 1])
        guard let tens, tens >= 1, let ones else { return nil }
        return tens * 10 + ones
    }

    /// The whole of `text` read digit by digit, as years are written (`二〇〇九` is 2009; the
    /// zero in any form `digitValue` reads); nil for an empty text, a character that is no digit,
    /// or a number too large for `Int`.
    static func parseDigits<C: Collection>(_ text: C) -> Int? where C.Element == Character {
        guard !text.isEmpty else { return nil }
        var value = 0
        for character in text {
            guard let digit = digitValue(character) else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(digit)
            if overflow || carry { return nil }
            value = sum
        }
        return value
    }

    /// `value` in the counting form, as Word writes `chineseCounting` list labels: 1 → 一,
    /// 10 → 十, 12 → 十二 (not 一十二), 20 → 二十, 105 → 一百零五, 110 → 一百一十, 1010 →
    /// 一千零一十. Values outside 1 … 9999 in Arabic digits.
    static func counting(_ value: Int) -> String {
        write(value, digits: digits, ten: "十", hundred: "百", thousand: "千", leadingTenAlone: true)
    }

    /// `value` in 大写 digits, as Word writes `chineseLegalSimplified` list labels: 1 → 壹,
    /// 10 → 壹拾, 12 → 壹拾贰, 105 → 壹佰零伍. Values outside 1 … 9999 in Arabic digits.
    static func legal(_ value: Int) -> String {
        write(value, digits: legalDigits, ten: "拾", hundred: "佰", thousand: "仟", leadingTenAlone: false)
    }

    /// `value` digit by digit: 2009 → 二〇〇九, 0 → 〇; a minus sign stays as it is.
    static func digitByDigit(_ value: Int) -> String {
        String(String(value).map { character in character.wholeNumberValue.map { digits[$0] } ?? character })
    }

    /// The counting form with the given characters; `leadingTenAlone` writes a leading 1 × 10
    /// as the ten alone (十二, not 一十二).
    private static func write(_ value: Int, digits: [Character], ten: Character, hundred: Character, thousand: Character,
                              leadingTenAlone: Bool) -> String {
        guard value > 0, value < 10_000 else { return String(value) }
        let places: [(value: Int, name: Character?)] = [(1000, thousand), (100, hundred), (10, ten), (1, nil)]
        var out = ""
        var pendingZero = false
        var remaining = value
        for place in places {
            let digit = remaining / place.value
            remaining %= place.value
            if digit == 0 {
                if !out.isEmpty { pendingZero = true }
                continue
            }
            // A skipped place is written 零 (一百零五), in either set of digits, not the digit 〇.
            if pendingZero {
                out.append("零")
                pendingZero = false
            }
            if !(leadingTenAlone && place.value == 10 && digit == 1 && out.isEmpty) { out.append(digits[digit]) }
            if let name = place.name { out.append(name) }
        }
        return out
    }
}
