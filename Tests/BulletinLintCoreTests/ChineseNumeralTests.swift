@testable import BulletinLintCore
import XCTest

/// `ChineseNumeral` reads and writes what headings, dates and Word's list labels need, and each
/// of them still gets what it got before the numerals were gathered in one place.
final class ChineseNumeralTests: XCTestCase {
    // MARK: Reading

    func testCountingNumeralsFromOneToNinetyNine() {
        let table: [(String, Int?)] = [
            ("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("十九", 19), ("二十", 20), ("二十一", 21),
            ("三十一", 31), ("九十九", 99), ("一十", 10), ("一十一", 11),
            // Not counting numerals of 1 … 99.
            ("", nil), ("十十", nil), ("二十十", nil), ("十一一", nil), ("一二", nil), ("二三十", nil),
            ("一百", nil), ("百", nil), ("两", nil), ("1", nil), ("十1", nil), ("a", nil),
        ]
        for (text, expected) in table {
            XCTAssertEqual(ChineseNumeral.parse(text), expected, text)
            XCTAssertEqual(ChineseNumeral.parse(Array(text)[...]), expected, "\(text) as characters")
        }
    }

    func testZeroIsReadOnlyWhenAskedForAndOnlyAfterTen() {
        // Without `.zero`, a zero is no digit at all.
        for text in ["〇", "十〇", "二十零", "二十○"] { XCTAssertNil(ChineseNumeral.parse(text), text) }
        let table: [(String, Int?)] = [
            ("十〇", 10), ("二十〇", 20), ("二十零", 20), ("三十○", 30), ("二十O", 20), ("二十Ｏ", 20), ("二十0", 20),
            // Zero alone, or before 十, is still no number.
            ("〇", nil), ("零", nil), ("〇十", nil), ("零十一", nil), ("〇一", nil),
            ("二十七", 27), ("十", 10),
        ]
        for (text, expected) in table {
            XCTAssertEqual(ChineseNumeral.parse(text, allowing: .zero), expected, text)
        }
    }

    func testNianIsTwentyAtTheStartWhenAskedFor() {
        XCTAssertNil(ChineseNumeral.parse("廿七"))
        let table: [(String, Int?)] = [
            ("廿", 20), ("廿一", 21), ("廿七", 27), ("廿十", nil), ("廿一一", nil), ("二廿", nil), ("十廿", nil),
        ]
        for (text, expected) in table {
            XCTAssertEqual(ChineseNumeral.parse(text, allowing: .nian), expected, text)
        }
        XCTAssertEqual(ChineseNumeral.parse("廿〇", allowing: [.zero, .nian]), 20)
        XCTAssertNil(ChineseNumeral.parse("廿〇", allowing: .nian))
    }

    func testDigitByDigit() {
        let table: [(String, Int?)] = [
            ("二〇〇九", 2009), ("二○一九", 2019), ("二零二一", 2021), ("二O二O", 2020), ("一九九Ｏ", 1990),
            ("二0二四", 2024), ("〇", 0), ("九", 9), ("一二三", 123),
            ("", nil), ("二〇2一", nil), ("二十", nil), ("廿", nil), ("二〇〇九年", nil),
            // Too large for Int: no number rather than a trap.
            (String(repeating: "九", count: 30), nil),
        ]
        for (text, expected) in table {
            XCTAssertEqual(ChineseNumeral.parseDigits(text), expected, text)
        }
    }

    func testDigitValues() {
        for (character, value) in zip("〇一二三四五六七八九", 0...9) {
            XCTAssertEqual(ChineseNumeral.digitValue(character), value)
        }
        for character: Character in ["○", "零", "O", "Ｏ", "0"] { XCTAssertEqual(ChineseNumeral.digitValue(character), 0) }
        for character: Character in ["十", "廿", "百", "两", "1", "壹", "o"] { XCTAssertNil(ChineseNumeral.digitValue(character)) }
    }

    // MARK: Writing

    func testCountingForm() {
        let table: [(Int, String)] = [
            (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"), (19, "十九"), (20, "二十"), (21, "二十一"),
            (31, "三十一"), (99, "九十九"), (100, "一百"), (101, "一百零一"), (105, "一百零五"), (110, "一百一十"),
            (111, "一百一十一"), (200, "二百"), (1000, "一千"), (1001, "一千零一"), (1010, "一千零一十"),
            (1100, "一千一百"), (2024, "二千零二十四"), (9999, "九千九百九十九"),
            // Outside 1 … 9999: Arabic digits.
            (0, "0"), (-3, "-3"), (10_000, "10000"),
        ]
        for (value, expected) in table {
            XCTAssertEqual(ChineseNumeral.counting(value), expected, "\(value)")
        }
    }

    func testLegalForm() {
        let table: [(Int, String)] = [
            (1, "壹"), (9, "玖"), (10, "壹拾"), (12, "壹拾贰"), (20, "贰拾"), (105, "壹佰零伍"), (110, "壹佰壹拾"),
            (1010, "壹仟零壹拾"), (3008, "叁仟零捌"), (0, "0"), (10_000, "10000"),
        ]
        for (value, expected) in table {
            XCTAssertEqual(ChineseNumeral.legal(value), expected, "\(value)")
        }
    }

    func testDigitByDigitForm() {
        let table: [(Int, String)] = [(2009, "二〇〇九"), (2021, "二〇二一"), (0, "〇"), (7, "七"), (10, "一〇"), (-5, "-五")]
        for (value, expected) in table {
            XCTAssertEqual(ChineseNumeral.digitByDigit(value), expected, "\(value)")
        }
    }

    func testReadingWhatIsWrittenGivesTheValueBack() {
        for value in 1...99 {
            XCTAssertEqual(ChineseNumeral.parse(ChineseNumeral.counting(value)), value)
        }
        for value in [0, 7, 1990, 2009, 2024] {
            XCTAssertEqual(ChineseNumeral.parseDigits(ChineseNumeral.digitByDigit(value)), value)
        }
    }

    // MARK: The callers

    func testWordListLabelsByFormat() {
        let table: [(String, Int, String)] = [
            ("chineseCounting", 10, "十"), ("chineseCounting", 12, "十二"), ("chineseCounting", 105, "一百零五"),
            // The reader writes chineseCountingThousand as it writes chineseCounting.
            ("chineseCountingThousand", 10, "十"), ("chineseCountingThousand", 110, "一百一十"),
            ("japaneseCounting", 21, "二十一"), ("taiwaneseCounting", 3, "三"), ("koreanCounting", 20, "二十"),
            ("chineseLegalSimplified", 12, "壹拾贰"), ("chineseLegalSimplified", 105, "壹佰零伍"),
            ("ideographDigital", 105, "一〇五"), ("taiwaneseDigital", 20, "二〇"), ("japaneseDigitalTenThousand", 7, "七"),
            // Not one of the formats read: Arabic digits.
            ("ideographLegalTraditional", 12, "12"),
            ("chineseCounting", 0, "0"), ("chineseCounting", 10_000, "10000"),
        ]
        for (format, value, expected) in table {
            XCTAssertEqual(NumberFormat.format(value, as: format), expected, "\(format) \(value)")
        }
    }

    func testHeadingNumbers() {
        let table: [(String, Int?)] = [
            ("一、总体要求", 1), ("十、其他", 10), ("十一、附则", 11), ("二十、附则", 20), ("二十一、附则", 21),
            ("九十九、附则", 99), ("（十二）工作目标", 12), ("（一十）工作目标", 10),
            ("一百、附则", nil), ("十十、附则", nil), ("（十1）工作", nil),
        ]
        for (text, expected) in table {
            XCTAssertEqual(HeadingNumber.parse(text)?.number, expected, text)
        }
        XCTAssertEqual(HeadingNumber.form(level: 1, number: 1), "一、")
        XCTAssertEqual(HeadingNumber.form(level: 1, number: 10), "十、")
        XCTAssertEqual(HeadingNumber.form(level: 2, number: 12), "（十二）")
        XCTAssertEqual(HeadingNumber.form(level: 2, number: 20), "（二十）")
        // The number after 九十九 (the old formatter trapped on it).
        XCTAssertEqual(HeadingNumber.form(level: 1, number: 100), "一百、")
        XCTAssertEqual(HeadingNumber.form(level: 3, number: 12), "12.")
    }

    func testDatesInChineseNumerals() {
        let table: [(String, String?)] = [
            ("二〇〇九年十一月二十七日", "2009-11-27"), ("二○一九年十月一日", "2019-10-01"), ("二零二一年三月十日", "2021-03-10"),
            ("二O二O年二月廿九日", "2020-02-29"), ("十二月三十一日", "--12-31"), ("三月廿日", "--03-20"),
            ("五月二十〇日", "--05-20"), ("十月十〇日", "--10-10"),
            ("二〇〇九年〇月一日", nil), ("三月〇十日", nil), ("三月二三日", nil), ("二〇2九年一月一日", nil),
        ]
        for (text, expected) in table {
            XCTAssertEqual(ChineseDate.parse(text)?.iso, expected, text)
        }
    }

    func testDatesWrittenAsGBT97041999() {
        let table: [(Int?, Int, Int, String)] = [
            (2009, 11, 27, "二〇〇九年十一月二十七日"), (2021, 10, 1, "二〇二一年十月一日"), (2000, 1, 10, "二〇〇〇年一月十日"),
            (2024, 12, 20, "二〇二四年十二月二十日"), (2024, 3, 31, "二〇二四年三月三十一日"), (nil, 2, 29, "二月二十九日"),
        ]
        for (year, month, day, expected) in table {
            XCTAssertEqual(DateCheck.gbt97041999(ChineseDate(year: year, month: month, day: day)), expected)
        }
    }
}
