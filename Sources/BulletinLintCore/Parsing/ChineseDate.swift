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

    /// The split above, by scalars, for a plain text (`PlainText`: each character one scalar
    /// that no other character equals); false, with nothing done, for any other text.
    private static func splitPlain(_ text: String, parts: inout [String], current: inout String,
                                   markers: inout [Character], style: inout Style) -> Bool {
        let scalars = text.unicodeScalars
        guard scalars.allSatisfy({ PlainText.isPlain($0.value) }) else { return false }
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

    private static let chineseDigits: [Character: Int] = [
        "〇": 0, "○": 0, "O": 0, "零": 0, "0": 0, "Ｏ": 0,
        "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]

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
        if isYear {
            // Years are read digit by digit: 二〇〇九.
            var year = 0
            for ch in text {
                guard let digit = chineseDigits[ch] else { return nil }
                year = year * 10 + digit
            }
            return year
        }
        // 十, 十一, 二十, 二十七, 三十一, 廿七.
        var chars = Array(text)
        if chars.first == "廿" { chars = ["二", "十"] + chars.dropFirst() }
        if chars.count == 1 {
            if chars[0] == "十" { return 10 }
            guard let d = chineseDigits[chars[0]], d > 0 else { return nil }
            return d
        }
        if let tenIndex = chars.firstIndex(of: "十") {
            let tensPart = chars[..<tenIndex]
            let onesPart = chars[(tenIndex + 1)...]
            guard tensPart.count <= 1, onesPart.count <= 1 else { return nil }
            let tens = tensPart.isEmpty ? 1 : (tensPart.first.flatMap { chineseDigits[$0] } ?? -1)
            let ones = onesPart.isEmpty ? 0 : (onesPart.first.flatMap { chineseDigits[$0] } ?? -1)
            guard tens >= 1, ones >= 0 else { return nil }
            return tens * 10 + ones
        }
        return nil
    }
}

extension ChineseDate {
    /// A year as four digits.
    static func fourDigits(_ value: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
