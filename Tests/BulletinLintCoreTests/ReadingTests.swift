import BulletinLintCore
import Foundation
import XCTest

/// Bad and unusual input through the Reading stage and on through the linter: every file gets
/// text with the right line and column index, or a diagnostic of its own (DESIGN §6).
final class ReadingTests: XCTestCase {
    // MARK: Helpers

    private struct UnexpectedSuccess: Error {}

    /// A small, well-formed bulletin with one finding (“其它” on line 5, columns 19–20).
    static let document = """
        四川省地方志工作简报
        第5期
        【工作动态】
        某市召开地方志工作会议
        3月24日，某市召开地方志工作会议，其它工作进展顺利。（某市地方志办）
        信息公开选项：主动公开
        报：省委，省人民政府。
        四川省地方志工作办公室综合处 2021年4月2日印发

        """

    /// What linting `document` finds, as `rule line:col-line:col`.
    static let documentFindings = ["outdated-terms 5:19-5:21"]

    private func linter() throws -> Linter {
        Linter(ruleSet: try RuleSetLoader().load(references: ["bulletin"]))
    }

    private func findings(_ report: FileReport) -> [String] {
        report.diagnostics.map {
            "\($0.ruleID) \($0.span.start.line):\($0.span.start.column)-\($0.span.end.line):\($0.span.end.column)"
        }
    }

    private func decoded(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> SourceText {
        switch DocumentReader.decode(bytes: bytes, displayPath: "draft.txt") {
        case .success(let source):
            return source
        case .failure(let failure):
            XCTFail("could not decode: \(failure.ruleID) \(failure.message)", file: file, line: line)
            throw failure
        }
    }

    private func failure(_ result: Result<SourceText, ReadFailure>, file: StaticString = #filePath, line: UInt = #line) throws -> ReadFailure {
        switch result {
        case .success(let source):
            XCTFail("decoded as \(source.encoding.rawValue): \(source.text.prefix(40).debugDescription)", file: file, line: line)
            throw UnexpectedSuccess()
        case .failure(let failure):
            return failure
        }
    }

    private func utf16(_ text: String, littleEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += littleEndian ? [low, high] : [high, low]
        }
        return bytes
    }

    func testReferenceDocumentFindsExactlyTheOneFinding() throws {
        let report = try linter().lint(SourceText(path: "draft.txt", text: Self.document))
        XCTAssertEqual(findings(report), Self.documentFindings)
        XCTAssertEqual(report.diagnostics.first?.message, "“其它”应改为“其他”")
    }

    // MARK: Empty

    func testEmptyFileIsOneEmptyFileDiagnostic() throws {
        let source = try decoded([])
        XCTAssertEqual(source.text, "")
        XCTAssertEqual(source.encoding, .utf8)
        XCTAssertEqual(source.lineCount, 1)
        XCTAssertEqual(source.position(at: 0), Position(line: 1, column: 1))

        let report = try linter().lint(source)
        XCTAssertEqual(report.path, "draft.txt")
        XCTAssertEqual(findings(report), ["empty-file 1:1-1:1"])
        XCTAssertEqual(report.diagnostics.first?.severity, .error)
        XCTAssertEqual(report.diagnostics.first?.message, "文件为空，没有可检查的内容")
        XCTAssertEqual(report.diagnostics.first?.range, 0..<0)
    }

    func testBOMOnlyAndBlankFilesAreEmpty() throws {
        let bomOnly = try decoded([0xEF, 0xBB, 0xBF])
        XCTAssertEqual(bomOnly.text, "")
        XCTAssertEqual(bomOnly.encoding, .utf8BOM)
        XCTAssertEqual(findings(try linter().lint(bomOnly)), ["empty-file 1:1-1:1"])

        let blank = try decoded(Array(" \r\n\u{3000}\u{A0}\n\u{0C}\t\n".utf8))
        XCTAssertEqual(blank.lineCount, 4)
        XCTAssertEqual(findings(try linter().lint(blank)), ["empty-file 1:1-1:1"])
    }

    // MARK: Not text

    func testBinaryWithNULsIsAnEncodingError() throws {
        // A PNG header: not UTF-8 (0x89) and full of NULs.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        let failure = try failure(DocumentReader.decode(bytes: png, displayPath: "image.txt"))
        XCTAssertEqual(failure.ruleID, "encoding-error")
        XCTAssertEqual(failure.message, "文件包含二进制内容，不是文本文件")

        // Valid UTF-8 that holds a NUL is still not a text file.
        let nul = try self.failure(DocumentReader.decode(bytes: Array("报：省委。".utf8) + [0x00] + Array("印发".utf8), displayPath: "x.txt"))
        XCTAssertEqual(nul.ruleID, "encoding-error")
        XCTAssertEqual(nul.message, "文件包含二进制内容，不是文本文件")
    }

    func testMostlyControlCharactersIsBinary() throws {
        let bytes = Array(repeating: UInt8(0x01), count: 10) + Array("abc".utf8)
        let failure = try failure(DocumentReader.decode(bytes: bytes, displayPath: "x.bin"))
        XCTAssertEqual(failure.ruleID, "encoding-error")
        XCTAssertEqual(failure.message, "文件包含二进制内容，不是文本文件")
    }

    func testInvalidUTF8ThatIsNotGB18030EitherIsAnEncodingError() throws {
        let expected = "无法识别文件编码：既不是 UTF-8/UTF-16，也不是 GB18030/GBK"
        // 0xFF is not a byte of UTF-8, and GB18030 lead bytes stop at 0xFE.
        let stray = try failure(DocumentReader.decode(bytes: Array("报：省委".utf8) + [0xFF] + Array("。".utf8), displayPath: "x.txt"))
        XCTAssertEqual(stray.ruleID, "encoding-error")
        XCTAssertEqual(stray.message, expected)

        // GB18030 text cut in the middle of a character.
        let gb = try XCTUnwrap(TextDecoding.encodeGB18030("你好"))
        XCTAssertEqual(gb, [0xC4, 0xE3, 0xBA, 0xC3])
        let truncated = try failure(DocumentReader.decode(bytes: gb + [0x81], displayPath: "x.txt"))
        XCTAssertEqual(truncated.ruleID, "encoding-error")
        XCTAssertEqual(truncated.message, expected)

        // A UTF-8 BOM does not make invalid UTF-8 valid, and is not retried as GB18030.
        let bom = try failure(DocumentReader.decode(bytes: [0xEF, 0xBB, 0xBF] + gb, displayPath: "x.txt"))
        XCTAssertEqual(bom.ruleID, "encoding-error")
        XCTAssertEqual(bom.message, expected)
    }

    func testBrokenUTF16IsAnEncodingError() throws {
        let expected = "文件以 UTF-16 字节顺序标记开头，但内容不是有效的 UTF-16"
        let odd = try failure(DocumentReader.decode(bytes: [0xFF, 0xFE, 0x41], displayPath: "x.txt"))
        XCTAssertEqual(odd.ruleID, "encoding-error")
        XCTAssertEqual(odd.message, expected)
        // A lone high surrogate (D800) followed by “A”.
        let lone = try failure(DocumentReader.decode(bytes: [0xFE, 0xFF, 0xD8, 0x00, 0x00, 0x41], displayPath: "x.txt"))
        XCTAssertEqual(lone.ruleID, "encoding-error")
        XCTAssertEqual(lone.message, expected)
    }

    // MARK: Encodings

    func testGB18030IsDecodedExactly() throws {
        // Two-byte (GBK) and four-byte GB18030 characters: 𠀀 is U+20000, outside the BMP.
        let text = "四川省地方志工作简报\n第5期 · 𠀀 €\n"
        let bytes = try XCTUnwrap(TextDecoding.encodeGB18030(text))
        XCTAssertNil(String(validating: bytes, as: UTF8.self), "the fixture must not be valid UTF-8")
        let source = try decoded(bytes)
        XCTAssertEqual(source.encoding, .gb18030)
        XCTAssertEqual(source.text, text)
        XCTAssertEqual(source.lineCount, 3)
        XCTAssertEqual(source.line(2), "第5期 · 𠀀 €")
    }

    func testGB18030DocumentLintsLikeUTF8() throws {
        let source = try decoded(try XCTUnwrap(TextDecoding.encodeGB18030(Self.document)))
        XCTAssertEqual(source.encoding, .gb18030)
        XCTAssertEqual(source.text, Self.document)
        XCTAssertEqual(findings(try linter().lint(source)), Self.documentFindings)
    }

    func testUTF8BOMIsNotPartOfTheTextAndDoesNotShiftColumns() throws {
        let source = try decoded([0xEF, 0xBB, 0xBF] + Array(Self.document.utf8))
        XCTAssertEqual(source.encoding, .utf8BOM)
        XCTAssertEqual(source.text, Self.document)
        XCTAssertEqual(source.text.unicodeScalars.first, "四")
        XCTAssertEqual(source.line(1), "四川省地方志工作简报")
        XCTAssertEqual(findings(try linter().lint(source)), Self.documentFindings)

        // A finding on the first line starts at column 1, not 2.
        let firstLine = try decoded([0xEF, 0xBB, 0xBF] + Array("其它工作\n".utf8))
        let report = try linter().lint(firstLine)
        let outdated = try XCTUnwrap(report.diagnostics.first { $0.ruleID == "outdated-terms" })
        XCTAssertEqual(outdated.span, Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 3)))
        XCTAssertEqual(outdated.range, 0..<6)
    }

    func testUTF16LittleAndBigEndianWithBOM() throws {
        let text = "信息公开选项：主动公开\n报：省委。𠀀\n"
        let le = try decoded(utf16(text, littleEndian: true))
        XCTAssertEqual(le.encoding, .utf16LE)
        XCTAssertEqual(le.text, text)
        let be = try decoded(utf16(text, littleEndian: false))
        XCTAssertEqual(be.encoding, .utf16BE)
        XCTAssertEqual(be.text, text)
        XCTAssertEqual(be.lineCount, 3)
        XCTAssertEqual(be.line(2), "报：省委。𠀀")

        for littleEndian in [true, false] {
            let source = try decoded(utf16(Self.document, littleEndian: littleEndian))
            XCTAssertEqual(source.text, Self.document)
            XCTAssertEqual(findings(try linter().lint(source)), Self.documentFindings, "littleEndian: \(littleEndian)")
        }
    }

    func testUTF16WithoutBOMIsNotGuessed() throws {
        // Only UTF-16 with a BOM is read (DESIGN §3). Without one, ASCII in UTF-16 is half NUL
        // bytes: binary.
        let ascii = Array(utf16("Report: 2021", littleEndian: true).dropFirst(2))
        let binary = try failure(DocumentReader.decode(bytes: ascii, displayPath: "x.txt"))
        XCTAssertEqual(binary.ruleID, "encoding-error")
        XCTAssertEqual(binary.message, "文件包含二进制内容，不是文本文件")
        // These CJK bytes (A5 62 1A FF 01 77 D4 59 02 30) are neither UTF-8 nor GB18030 (0xFF).
        let cjk = Array(utf16("报：省委。", littleEndian: true).dropFirst(2))
        XCTAssertEqual(cjk, [0xA5, 0x62, 0x1A, 0xFF, 0x01, 0x77, 0xD4, 0x59, 0x02, 0x30])
        let undecodable = try failure(DocumentReader.decode(bytes: cjk, displayPath: "x.txt"))
        XCTAssertEqual(undecodable.ruleID, "encoding-error")
        XCTAssertEqual(undecodable.message, "无法识别文件编码：既不是 UTF-8/UTF-16，也不是 GB18030/GBK")
    }

    // MARK: Line ends

    func testCRLFLineNumbersAndColumns() throws {
        let source = SourceText(path: "x.txt", text: "甲乙\r\n丙\r\n\r\n丁")
        XCTAssertEqual(source.lineCount, 4)
        XCTAssertEqual(source.line(1), "甲乙")
        XCTAssertEqual(source.line(2), "丙")
        XCTAssertEqual(source.line(3), "")
        XCTAssertEqual(source.line(4), "丁")
        XCTAssertEqual(source.lineStarts, [0, 8, 13, 15])
        XCTAssertEqual(source.lineEnds, [6, 11, 13, 18])
        XCTAssertEqual(source.position(at: 3), Position(line: 1, column: 2))   // 乙
        XCTAssertEqual(source.position(at: 6), Position(line: 1, column: 3))   // the CR
        XCTAssertEqual(source.position(at: 7), Position(line: 1, column: 3))   // the LF, clamped
        XCTAssertEqual(source.position(at: 8), Position(line: 2, column: 1))   // 丙
        XCTAssertEqual(source.position(at: 15), Position(line: 4, column: 1))  // 丁
        XCTAssertEqual(source.position(at: 18), Position(line: 4, column: 2))  // end of text
        XCTAssertEqual(source.span(8..<11), Span(start: Position(line: 2, column: 1), end: Position(line: 2, column: 2)))
    }

    func testLoneCRLineNumbersAndColumns() throws {
        let source = SourceText(path: "x.txt", text: "甲乙\r丙\r\r丁\r")
        XCTAssertEqual(source.lineCount, 5)
        XCTAssertEqual(source.line(1), "甲乙")
        XCTAssertEqual(source.line(2), "丙")
        XCTAssertEqual(source.line(3), "")
        XCTAssertEqual(source.line(4), "丁")
        XCTAssertEqual(source.line(5), "")
        XCTAssertEqual(source.lineStarts, [0, 7, 11, 12, 16])
        XCTAssertEqual(source.position(at: 7), Position(line: 2, column: 1))
        XCTAssertEqual(source.position(at: 12), Position(line: 4, column: 1))
        XCTAssertEqual(source.span(12..<15), Span(start: Position(line: 4, column: 1), end: Position(line: 4, column: 2)))

        // CR followed by CRLF is two line ends, not one.
        let mixed = SourceText(path: "x.txt", text: "a\r\r\nb")
        XCTAssertEqual(mixed.lineCount, 3)
        XCTAssertEqual(mixed.line(3), "b")
        XCTAssertEqual(mixed.position(at: 4), Position(line: 3, column: 1))
    }

    func testCRLFAndCRDocumentsLintLikeLF() throws {
        let linter = try linter()
        for (name, ending) in [("CRLF", "\r\n"), ("CR", "\r")] {
            let text = Self.document.replacingOccurrences(of: "\n", with: ending)
            let source = try decoded(Array(text.utf8))
            XCTAssertEqual(source.lineCount, 9, name)
            XCTAssertEqual(source.line(8), "四川省地方志工作办公室综合处 2021年4月2日印发", name)
            XCTAssertEqual(findings(linter.lint(source)), Self.documentFindings, name)
        }
    }

    // MARK: Unusual characters

    func testFormFeedAndNoBreakSpacesAreCharactersOfTheirLine() throws {
        // pdftotext puts a form feed at a page break; Word exports indent with no-break spaces.
        let text = Self.document
            .replacingOccurrences(of: "3月24日", with: "\u{A0}\u{A0}3月24日")
            .replacingOccurrences(of: "信息公开选项", with: "\u{0C}信息公开选项")
        let source = try decoded(Array(text.utf8))
        XCTAssertEqual(source.lineCount, 9, "a form feed is not a line end")
        XCTAssertEqual(source.line(6), "\u{0C}信息公开选项：主动公开")
        XCTAssertEqual(source.position(at: source.lineStarts[5] + 1), Position(line: 6, column: 2))

        let report = try linter().lint(source)
        // The NBSPs are two columns; the form feed does not hide the 信息公开选项 line.
        XCTAssertEqual(findings(report), ["outdated-terms 5:21-5:23"])
    }

    func testNoBreakSpacesInsideAListEntry() throws {
        let text = Self.document.replacingOccurrences(of: "报：省委，省人民政府。", with: "报：省委，\u{A0}省人民政府。")
        let report = try linter().lint(SourceText(path: "x.txt", text: text))
        XCTAssertEqual(findings(report), Self.documentFindings)
    }

    // MARK: Size

    func testOneMegabyteSingleLineOfChineseFinishes() throws {
        let sentence = "某市召开地方志工作会议，研究部署年鉴编纂工作。"
        let text = String(repeating: sentence, count: 15_200) + "其它工作进展顺利。"
        XCTAssertGreaterThan(text.utf8.count, 1_048_576)
        let source = SourceText(path: "long.txt", text: text)
        XCTAssertEqual(source.lineCount, 1)
        let column = sentence.unicodeScalars.count * 15_200 + 1

        // One line of running text has no genre of its own: judged as a bulletin, so every
        // rule of the set runs over it.
        var bulletinLinter = try linter()
        bulletinLinter.forcedGenre = DocumentGenre(kind: .bulletin)
        let report = bulletinLinter.lint(source)

        let outdated = report.diagnostics.filter { $0.ruleID == "outdated-terms" }
        XCTAssertEqual(outdated.map(\.span), [Span(start: Position(line: 1, column: column),
                                                    end: Position(line: 1, column: column + 2))])
        let ids = Set(report.diagnostics.map(\.ruleID))
        for id in ["disclosure-missing", "distribution-missing"] {
            XCTAssertTrue(ids.contains(id), id)
        }
        for diagnostic in report.diagnostics {
            XCTAssertEqual(diagnostic.span.start.line, 1, diagnostic.ruleID)
            XCTAssertEqual(diagnostic.span.end.line, 1, diagnostic.ruleID)
            XCTAssertLessThanOrEqual(diagnostic.span.end.column, column + 9, diagnostic.ruleID)
        }
    }

    // MARK: Odd documents

    func testFileThatIsOnlyAFooter() throws {
        let text = "信息公开选项：主动公开\n报：省委，省人民政府。\n四川省地方志工作办公室综合处 2021年4月2日印发\n"
        let report = try linter().lint(SourceText(path: "footer.txt", text: text))
        // No false “missing 版记 element”; the masthead and body are reported missing, not errors.
        XCTAssertEqual(findings(report), [
            "bulletin-name-missing 1:1-1:12",
            "issue-number-missing 1:1-1:12",
            "column-missing 3:1-3:27",
        ])
        XCTAssertEqual(report.diagnostics.map(\.severity), [.warning, .warning, .info])
    }

    // MARK: Files

    func testNonexistentPathIsAnIOError() throws {
        let missing = try temporaryDirectory("reading").appendingPathComponent("no-such-file.txt").path
        let failure = try failure(DocumentReader.read(path: missing))
        XCTAssertEqual(failure.ruleID, "io-error")
        XCTAssertEqual(failure.message, "文件不存在或无法访问")
    }

    func testDirectoryIsAnIOError() throws {
        let directory = try temporaryDirectory("reading")
        let failure = try failure(DocumentReader.read(path: directory.path))
        XCTAssertEqual(failure.ruleID, "io-error")
        XCTAssertEqual(failure.message, "这是一个文件夹，不是文件")
    }

    func testEndlessDeviceIsRefusedAtTheSizeLimitInsteadOfReadForever() throws {
        // /dev/zero reports size 0 and never ends: the read must stop at the limit.
        guard FileManager.default.fileExists(atPath: "/dev/zero") else { throw XCTSkip("no /dev/zero") }
        let failure = try failure(DocumentReader.read(path: "/dev/zero"))
        XCTAssertEqual(failure.ruleID, "io-error")
        XCTAssertEqual(failure.message, "文件过大，超过 64 MB 的上限")
    }

    func testPipePassedByPathIsReadToItsEnd() throws {
        // What `bulletinlint <(pdftotext draft.pdf -)` passes: /dev/fd/N, a pipe of unknown size.
        let pipe = Pipe()
        let path = "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no /dev/fd") }
        pipe.fileHandleForWriting.write(Data("信息公开选项：主动公开\r\n".utf8))
        try pipe.fileHandleForWriting.close()
        switch DocumentReader.read(path: path, displayPath: "<pipe>") {
        case .success(let source):
            XCTAssertEqual(source.path, "<pipe>")
            XCTAssertEqual(source.text, "信息公开选项：主动公开\r\n")
            XCTAssertEqual(source.lineCount, 2)
        case .failure(let failure):
            XCTFail("\(failure.ruleID): \(failure.message)")
        }
    }

    func testReadingAGB18030FileFromDisk() throws {
        let file = try temporaryDirectory("reading").appendingPathComponent("draft.txt")
        try Data(try XCTUnwrap(TextDecoding.encodeGB18030(Self.document))).write(to: file)
        switch DocumentReader.read(path: file.path, displayPath: "drafts/draft.txt") {
        case .success(let source):
            XCTAssertEqual(source.path, "drafts/draft.txt")
            XCTAssertEqual(source.encoding, .gb18030)
            XCTAssertEqual(source.text, Self.document)
        case .failure(let failure):
            XCTFail("\(failure.ruleID): \(failure.message)")
        }
    }

    func testReadingABinaryFileFromDiskIsAnEncodingError() throws {
        let file = try temporaryDirectory("reading").appendingPathComponent("scan.txt")
        try Data([0x25, 0x50, 0x44, 0x46, 0x00, 0xE2, 0xE3, 0xCF, 0xD3, 0x00]).write(to: file)
        let failure = try failure(DocumentReader.read(path: file.path))
        XCTAssertEqual(failure.ruleID, "encoding-error")
        XCTAssertEqual(failure.message, "文件包含二进制内容，不是文本文件")
    }

    func testReadingAnEmptyFileFromDisk() throws {
        let file = try temporaryDirectory("reading").appendingPathComponent("empty.txt")
        try Data().write(to: file)
        switch DocumentReader.read(path: file.path) {
        case .success(let source):
            XCTAssertEqual(source.text, "")
            XCTAssertEqual(source.path, file.path)
            XCTAssertEqual(findings(try linter().lint(source)), ["empty-file 1:1-1:1"])
        case .failure(let failure):
            XCTFail("\(failure.ruleID): \(failure.message)")
        }
    }
}
