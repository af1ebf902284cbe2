@testable import BulletinLintCore
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
            let expected = text.unicodeScalars.filter { !ParseRun.trimmable.contains($0) && $0 != "\n" }.count
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
