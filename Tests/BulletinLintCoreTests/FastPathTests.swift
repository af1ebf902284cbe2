@testable import BulletinLintCore
import Foundation
import XCTest

/// The byte-level fast paths give what the character-level code they stand in for gives.
final class FastPathTests: XCTestCase {
    private func randomTexts(_ count: Int, alphabet: [Character]) -> [String] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (0..<count).map { _ in String((0..<(next() % 16)).map { _ in alphabet[next() % alphabet.count] }) }
    }

    private let alphabet: [Character] = Array("一二三十1２3.．、，。！？…”’）》」』（(【】[]《》“‘〔〕{} \t\u{3000}\u{00A0}\u{FEFF}\u{200B}\u{2002}\u{2003}\u{2009}\n年月日号éa𠮷") + ["e\u{301}", "（\u{301}", "\r\n", "\u{F9D1}"]

    func testLengthCountsWhatTheScalarFilterCounts() {
        for text in randomTexts(3000, alphabet: alphabet) {
            let expected = text.unicodeScalars.filter { !ParseState.trimmable.contains($0) && $0 != "\n" }.count
            XCTAssertEqual(LengthCheck.countedLength(text), expected, text.debugDescription)
        }
    }

    func testSentenceEndsAsCharactersSayTheyDo() {
        for text in randomTexts(3000, alphabet: alphabet) {
            var chars = text.reversed().makeIterator()
            var expected = false
            if var last = chars.next() {
                if "”’）》」』".contains(last), let before = chars.next() {
                    last = before
                    expected = "。！？…!?".contains(last)
                } else if !"”’）》」』".contains(last) {
                    expected = "。！？…!?".contains(last)
                }
            }
            XCTAssertEqual(LogicalLine.endsSentence(text), expected, text.debugDescription)
        }
    }

    func testHeadingNumbersAndDatesOfRandomText() {
        // Plain and not plain texts alike parse; the plain ones take the scalar path.
        for text in randomTexts(3000, alphabet: alphabet) {
            let heading = HeadingNumber.parse(text)
            if let heading { XCTAssertTrue(text.hasPrefix(heading.written), text.debugDescription) }
            _ = ChineseDate.parse(text)
        }
        XCTAssertNil(HeadingNumber.parse("3月24日，某市召开会议"))
        XCTAssertNil(HeadingNumber.parse("2021年全省地方志工作要点"))
        XCTAssertEqual(HeadingNumber.parse("1.坚持问题导向")?.level, 3)
        XCTAssertEqual(HeadingNumber.parse("12、坚持问题导向")?.correction, "12.")
        XCTAssertEqual(ChineseDate.parse("2021年 4月2日")?.style.innerSpace, true)
        XCTAssertEqual(ChineseDate.parse("3月24号")?.style.dayWithHao, true)
        XCTAssertNil(ChineseDate.parse("2009年  月  日"))
    }

    func testArabicDatesReadAsTheGeneralPathReadsThem() {
        // Date-shaped texts: digits of both widths, the markers, the spaces the byte path
        // skips, and a few characters it leaves to the general path.
        let dateAlphabet: [Character] = Array("0123456789０１２３４５６７８９年月日号年月日 \t\n\u{3000}一〇十廿\u{00A0}\ra") + ["\r\n", "1\u{301}"]
        var texts = randomTexts(20000, alphabet: dateAlphabet)
        // And texts built as dates are: (digits, spaces, marker) two or three times, with now and
        // then a part left out, a stray character or a digit after the last marker.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33) % bound
        }
        let digits: [Character] = Array("0123456789０１２３４５６７８９")
        let spaces: [Character] = [" ", "\t", "\n", "\u{3000}"]
        let markers: [[Character]] = [["年", "月", "日"], ["月", "日"], ["年", "月", "号"], ["月", "号"], ["年", "日"], ["月", "月", "日"]]
        for _ in 0..<20000 {
            var text = ""
            for marker in markers[next(markers.count)] {
                for _ in 0..<next(6) { text.append(digits[next(10) + (next(4) == 0 ? 10 : 0)]) }
                if next(5) == 0 { text.append(spaces[next(spaces.count)]) }
                if next(40) == 0 { text.append(dateAlphabet[next(dateAlphabet.count)]) }
                text.append(marker)
                if next(5) == 0 { text.append(spaces[next(spaces.count)]) }
            }
            if next(20) == 0 { text.append(digits[next(digits.count)]) }
            texts.append(text)
        }
        texts += ["2021年4月2日", "2021 年 04 月 02 日", "21年4月2号", "３月２４日", "2009年  月  日", "月日", "2021年4月", "4月2日5",
                  "12345年1月1日", "2021年4月2日3日", "0年0月0日", "2021年13月40日", "2021年２月0日", "00月00日"]
        for text in texts {
            XCTAssertEqual(ChineseDate.parse(text), ChineseDate.parseGeneral(text), text.debugDescription)
        }
        // Many of them are dates, of every style.
        let read = texts.compactMap { ChineseDate.parse($0) }
        XCTAssertGreaterThan(read.count, 3000)
        XCTAssertTrue(read.contains { $0.style.fullwidthDigits } && read.contains { $0.style.leadingZero }
                      && read.contains { $0.style.shortYear } && read.contains { $0.style.innerSpace }
                      && read.contains { $0.style.dayWithHao } && read.contains { $0.year == nil })
    }

    func testFirstCharactersByScalarsAreTheFirstCharacters() {
        for text in randomTexts(3000, alphabet: alphabet) + ["一二三四五六七八九十", "一二三四五六七八e\u{301}", "一二三四五六七e\u{301}"] {
            XCTAssertEqual(HeadingNumber.firstCharacters(text), Array(text.prefix(8)), text.debugDescription)
        }
    }

    func testBlankLinesAreWhatFoundationTrimsAway() {
        let spaces: [Character] = [" ", "\t", "\u{3000}", "\u{00A0}", "\u{2002}", "\u{200B}", "\u{FEFF}", "\n", "\r", "a", "年", "\u{0B}", "\u{1680}", "\u{202F}"]
        for text in randomTexts(3000, alphabet: spaces) + randomTexts(500, alphabet: alphabet) {
            XCTAssertEqual(YAMLDocument.isBlank(text), text.trimmingCharacters(in: .whitespaces).isEmpty, text.debugDescription)
        }
    }

    /// `PreparedText` computes the slot of a CJK ideograph (U+4E00–U+9FFF) and takes it as plain
    /// without looking in `ScalarTable.bmp`: the table must say the same for every one.
    func testIdeographsAreWhatTheScalarTableSays() {
        for value in UInt32(0x4E00)...UInt32(0x9FFF) {
            let entry = ScalarTable.bmp[Int(value)]
            XCTAssertEqual(Int(entry & ScalarTable.slotMask), ScalarTable.bloomSlot(value), String(value, radix: 16))
            XCTAssertNotEqual(entry & ScalarTable.plainBit, 0, String(value, radix: 16))
        }
    }

    func testTrimmingWithoutHashingTrimsTheSameScalars() {
        for text in randomTexts(3000, alphabet: alphabet) + ["", " ", "\u{3000}甲\u{FEFF}", "甲 乙", "\u{200B}"] {
            XCTAssertEqual(text.trimmingTrimmable(), text.trimmingScalars(ParseState.trimmable), text.debugDescription)
            // Where the kept text stands: after the leading blanks, as long as the trimmed text
            // (all of it, at the end, for a text of blanks only).
            let scalars = text.unicodeScalars
            let leading = String(scalars.drop { ParseState.trimmable.contains($0) }).utf8.count
            let kept = text.trimmingScalars(ParseState.trimmable).utf8.count
            let start = text.utf8.count - leading
            XCTAssertEqual(text.untrimmedUTF8Range(), start..<(start + kept), text.debugDescription)
            XCTAssertEqual(text.dropFirst(0).untrimmedUTF8Range(), start..<(start + kept), text.debugDescription)
        }
    }

    func testDisplayWidthOfAStringIsTheSumOfItsScalars() {
        var texts = randomTexts(3000, alphabet: alphabet)
        texts += ["四川省地方志工作简报", "䶵一鿿龥丂", "\u{4DFF}\u{4E00}\u{9FFF}\u{A000}", "abc\t１２３", "e\u{301}\u{200B}𠮷"]
        for text in texts {
            let expected = text.unicodeScalars.reduce(0) { $0 + ($1 == "\t" ? 4 : DisplayWidth.of($1)) }
            XCTAssertEqual(DisplayWidth.of(text), expected, text.debugDescription)
        }
        XCTAssertEqual(DisplayWidth.of("四川省地方志"), 12)
    }

    func testListSyntaxOfPlainAndOtherText() {
        let plain = ListSyntax("省委，省人大常委会、省人民政府（办公厅，秘书处）。")
        XCTAssertEqual(plain.entries.map(\.text), ["省委", "省人大常委会、省人民政府（办公厅，秘书处）"])
        XCTAssertEqual(plain.finalTerminator?.text, "。")
        let spaced = ListSyntax("年鉴  志书 方志馆")
        XCTAssertEqual(spaced.entries.map(\.text), ["年鉴", "志书", "方志馆"])
        // A combining mark makes the text not plain: the character path, same answer shape.
        let marked = ListSyntax("省委，e\u{301}办。")
        XCTAssertEqual(marked.entries.map(\.text), ["省委", "e\u{301}办"])
    }
}
