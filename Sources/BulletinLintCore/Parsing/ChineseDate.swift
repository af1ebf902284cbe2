/// A date as written in a Chinese document: `2021年4月2日`, `2019 年5 月27 日`, `3月24日`,
/// `二〇〇九年十一月二十七日` (the zero also written ○, O, 0 or 零).
public struct ChineseDate: Sendable, Equatable {
    public var year: Int?
    public var month: Int
    public var day: Int

    /// How the date was written, for the format checks.
    public struct Style: Sendable, Equatable {
        /// Any Chinese numeral in it.
        public var chineseNumerals = false
        /// Any Arabic digit in it.
        public var arabicNumerals = false
        /// Whitespace inside the date.
        public var innerSpace = false
        /// `04月`, `02日`.
        public var leadingZero = false
        /// `21年`.
        public var shortYear = false
        /// `2号` instead of `2日`.
        public var dayWithHao = false
        /// Full-width digits `２０２１`.
        public var fullwidthDigits = false
    }
    public var style = Style()

    public init(year: Int?, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether the day exists on the calendar (any year when the year is unknown).
    public var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return day <= ChineseDate.daysIn(month: month, year: year ?? 2000)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`, or `--MM-DD` (ISO 8601) when the year is not known.
    public var iso: String {
        let mm = month < 10 ? "0\(month)" : "\(month)"
        let dd = day < 10 ? "0\(day)" : "\(day)"
        guard let year else { return "--\(mm)-\(dd)" }
        return "\(ChineseDate.fourDigits(year))-\(mm)-\(dd)"
    }

    /// Ordering key; the year must be known.
    var ordinal: Int? { year.map { $0 * 10_000 + month * 100 + day } }

    /// Parses the whole of `text` as a date; nil when it is not one (a blank form date
    /// `2009年  月  日` is not).
    public static func parse<S: StringProtocol>(_ text: S) -> ChineseDate? {
        var string = String(text)
        if let read = string.withUTF8({ parseArabic($0) }) { return read }
        return parseGeneral(text)
    }

    /// `parse` by characters, for any text.
    static func parseGeneral<S: StringProtocol>(_ text: S) -> ChineseDate? {
        var style = Style()
        // Split into the number before 年, 月 and 日/号.
        var parts: [String] = []
        var current = ""
        var markers: [Character] = []
        if !ChineseDate.splitPlain(String(text), parts: &parts, current: &current, markers: &markers, style: &style) {
            for ch in text {
                switch ch {
                case "年", "月", "日", "号":
                    parts.append(current)
                    markers.append(ch)
                    current = ""
                case " ", "\t", "\u{00A0}", "\u{3000}", "\n", "\r":
                    style.innerSpace = true
                default:
                    current.append(ch)
                }
            }
        }
        guard current.isEmpty else { return nil }
        let yearPart: String?
        let monthPart: String
        let dayPart: String
        switch markers {
        case ["年", "月", "日"], ["年", "月", "号"]:
            (yearPart, monthPart, dayPart) = (parts[0], parts[1], parts[2])
        case ["月", "日"], ["月", "号"]:
            (yearPart, monthPart, dayPart) = (nil, parts[0], parts[1])
        default:
            return nil
        }
        style.dayWithHao = markers.last == "号"
        guard let month = number(monthPart, style: &style, isYear: false),
              let day = number(dayPart, style: &style, isYear: false) else { return nil }
        var year: Int?
        if let yearPart {
            guard let y = number(yearPart, style: &style, isYear: true) else { return nil }
            let digits = yearPart.count
            if digits == 2 { style.shortYear = true; year = 2000 + y } else if digits == 4 { year = y } else { return nil }
        }
        // Leading zeros only count for Arabic digits ("04月"); 〇 in a year is right.
        if monthPart.count == 2, monthPart.first == "0" { style.leadingZero = true }
        if dayPart.count == 2, dayPart.first == "0" { style.leadingZero = true }
        var date = ChineseDate(year: year, month: month, day: day)
        date.style = style
        return date
    }

    /// `parse` for the common case, on the UTF-8 bytes without making strings: Arabic digits
    /// (ASCII or full-width), the markers 年 月 日 号 and the spaces the plain split skips.
    /// Gives what `parse` gives for such a text, nil when the text has anything else (the
    /// general path reads it).
    private static func parseArabic(_ bytes: UnsafeBufferPointer<UInt8>) -> ChineseDate?? {
        // Each part: its value, how many digits, whether it starts with an ASCII 0.
        var values = (0, 0, 0)
        var counts = (0, 0, 0)
        var leadingZeros = (false, false, false)
        var markers: [UInt32] = []
        markers.reserveCapacity(3)
        var value = 0
        var count = 0
        var leadingZero = false
        var style = Style()
        var arabic = false
        var k = 0
        let n = bytes.count
        func digit(_ d: Int, ascii: Bool) {
            if count == 0 { leadingZero = ascii && d == 0 }
            value = value &* 10 &+ d
            count += 1
        }
        while k < n {
            let b = bytes[k]
            if b >= 0x30 && b <= 0x39 {
                digit(Int(b - 0x30), ascii: true)
                k += 1
            } else if b == 0x20 || b == 0x09 || b == 0x0A {
                style.innerSpace = true
                k += 1
            } else if b >= 0xE0 && b < 0xF0 && k + 2 < n {
                let scalar = UInt32(b & 0x0F) << 12 | UInt32(bytes[k + 1] & 0x3F) << 6 | UInt32(bytes[k + 2] & 0x3F)
                switch scalar {
                case 0xFF10...0xFF19:
                    digit(Int(scalar - 0xFF10), ascii: false)
                    style.fullwidthDigits = true
                case 0x3000:
                    style.innerSpace = true
                case 0x5E74, 0x6708, 0x65E5, 0x53F7: // 年 月 日 号
                    guard markers.count < 3 else { return .some(nil) }
                    switch markers.count {
                    case 0: (values.0, counts.0, leadingZeros.0) = (value, count, leadingZero)
                    case 1: (values.1, counts.1, leadingZeros.1) = (value, count, leadingZero)
                    default: (values.2, counts.2, leadingZeros.2) = (value, count, leadingZero)
                    }
                    markers.append(scalar)
                    arabic = arabic || count > 0
                    value = 0
                    count = 0
                    leadingZero = false
                default:
                    return nil
                }
                k += 3
            } else {
                return nil
            }
        }
        // Text after the last marker: not a date.
        guard count == 0 else { return .some(nil) }
        let hasYear: Bool
        switch markers {
        case [0x5E74, 0x6708, 0x65E5], [0x5E74, 0x6708, 0x53F7]: hasYear = true
        case [0x6708, 0x65E5], [0x6708, 0x53F7]: hasYear = false
        default: return .some(nil)
        }
        style.dayWithHao = markers.last == 0x53F7
        let parts = hasYear ? [(values.0, counts.0, leadingZeros.0), (values.1, counts.1, leadingZeros.1), (values.2, counts.2, leadingZeros.2)]
            : [(values.0, counts.0, leadingZeros.0), (values.1, counts.1, leadingZeros.1)]
        // An empty part, or one of more than four characters, is no number.
        for part in parts where part.1 == 0 || part.1 > 4 { return .some(nil) }
        if arabic { style.arabicNumerals = true }
        let month = parts[parts.count - 2]
        let day = parts[parts.count - 1]
        var year: Int?
        if hasYear {
            let digits = parts[0].1
            if digits == 2 { style.shortYear = true; year = 2000 + parts[0].0 } else if digits == 4 { year = parts[0].0 } else { return .some(nil) }
        }
        if (month.1 == 2 && month.2) || (day.1 == 2 && day.2) { style.leadingZero = true }
        var date = ChineseDate(year: year, month: month.0, day: day.0)
        date.style = style
        return .some(date)
    }

    /// The split above, by scalars, for a plain text (`SingleScalarText`: each character one scalar
    /// that no other character equals); false, with nothing done, for any other text.
    private static func splitPlain(_ text: String, parts: inout [String], current: inout String,
                                   markers: inout [Character], style: inout Style) -> Bool {
        let scalars = text.unicodeScalars
        guard scalars.allSatisfy({ SingleScalarText.isPlain($0.value) }) else { return false }
        for scalar in scalars {
            switch scalar {
            case "年", "月", "日", "号":
                parts.append(current)
                markers.append(Character(scalar))
                current = ""
            case " ", "\t", "\u{3000}", "\n":
                style.innerSpace = true
            default:
                current.unicodeScalars.append(scalar)
            }
        }
        return true
    }

    private static func number(_ text: String, style: inout Style, isYear: Bool) -> Int? {
        guard !text.isEmpty, text.count <= 4 else { return nil }
        // Arabic digits, ASCII or full-width.
        var value = 0
        var allArabic = true
        for scalar in text.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                value = value * 10 + Int(scalar.value - 48)
            } else if (0xFF10...0xFF19).contains(scalar.value) {
                value = value * 10 + Int(scalar.value - 0xFF10)
                style.fullwidthDigits = true
            } else {
                allArabic = false
                break
            }
        }
        if allArabic {
            style.arabicNumerals = true
            return value
        }
        style.chineseNumerals = true
        // Years are read digit by digit (二〇〇九); months and days are counted (十, 十一, 二十七,
        // 三十一, 廿七, 二十〇), the zero in any of its written forms.
        if isYear { return ChineseNumeral.parseDigits(text) }
        return ChineseNumeral.parse(text, allowing: [.zero, .nian])
    }
}

extension ChineseDate {
    /// A year as four digits.
    static func fourDigits(_ value: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
