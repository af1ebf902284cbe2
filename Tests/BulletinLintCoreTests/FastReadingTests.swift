@testable import BulletinLintCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a file is written for speed (POSIX reads, a byte scan for binary content, a
/// `memchr` line table) and must keep the behaviour of the plain code it replaced: every error
/// message, and the same text and lines. Each fast path is checked against a straightforward
/// reference implementation, kept here.
final class FastReadingTests: XCTestCase {
    private func failure(_ result: Result<SourceText, ReadFailure>, file: StaticString = #filePath,
                         line: UInt = #line) -> ReadFailure? {
        switch result {
        case .success(let source):
            XCTFail("read as \(source.encoding.rawValue)", file: file, line: line)
            return nil
        case .failure(let failure):
            return failure
        }
    }

    /// A tiny deterministic generator, so a failing case can be reproduced.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    // MARK: Reading files

    func testReadingErrorsKeepTheirMessages() throws {
        let folder = try temporaryDirectory("io")
        let missing = try XCTUnwrap(failure(DocumentReader.read(path: folder.appendingPathComponent("none.txt").path)))
        XCTAssertEqual(missing.ruleID, "io-error")
        XCTAssertEqual(missing.message, "文件不存在或无法访问")
        // A path through a file is not a folder either.
        let file = folder.appendingPathComponent("a.txt")
        try Data("报：省委。\n".utf8).write(to: file)
        let through = try XCTUnwrap(failure(DocumentReader.read(path: file.path + "/b.txt")))
        XCTAssertEqual(through.message, "文件不存在或无法访问")
        let directory = try XCTUnwrap(failure(DocumentReader.read(path: folder.path)))
        XCTAssertEqual(directory.message, "这是一个文件夹，不是文件")
        let sheet = folder.appendingPathComponent("table.XLS")
        try Data("x".utf8).write(to: sheet)
        let unsupported = try XCTUnwrap(failure(DocumentReader.read(path: sheet.path)))
        XCTAssertEqual(unsupported.ruleID, "unsupported-format")
        XCTAssertEqual(unsupported.message, "不支持 .xls 格式（表格、演示文稿不是公文或简报）")
        // A dangling symbolic link.
        let dangling = folder.appendingPathComponent("gone.txt")
        XCTAssertEqual(symlink(folder.appendingPathComponent("nowhere.txt").path, dangling.path), 0)
        XCTAssertEqual(failure(DocumentReader.read(path: dangling.path))?.message, "文件不存在或无法访问")
    }

    func testTooLargeFilesAreRefusedWithoutReadingThem() throws {
        let folder = try temporaryDirectory("io")
        let large = folder.appendingPathComponent("large.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: large.path, contents: nil))
        // Sparse: no disk space is used.
        XCTAssertEqual(truncate(large.path, off_t(DocumentReader.maximumFileSize + 2 * 1_048_576)), 0)
        let failure = try XCTUnwrap(failure(DocumentReader.read(path: large.path)))
        XCTAssertEqual(failure.ruleID, "io-error")
        XCTAssertEqual(failure.message, "文件过大（66 MB），超过 64 MB 的上限")
        // Through a symbolic link, the size checked first is the link's own, as it always was:
        // the read then stops at the limit.
        let link = folder.appendingPathComponent("link.txt")
        XCTAssertEqual(symlink(large.path, link.path), 0)
        XCTAssertEqual(self.failure(DocumentReader.read(path: link.path))?.message, "文件过大，超过 64 MB 的上限")
        // One byte within the limit is read.
        let limit = folder.appendingPathComponent("limit.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: limit.path, contents: nil))
        XCTAssertEqual(truncate(limit.path, off_t(DocumentReader.maximumFileSize)), 0)
        guard case .success(let bytes) = DocumentReader.readBytes(path: limit.path) else { return XCTFail("not read") }
        XCTAssertEqual(bytes.count, DocumentReader.maximumFileSize)
    }

    func testUnreadableFileIsAnIOError() throws {
        guard geteuid() != 0 else { throw XCTSkip("root reads every file") }
        let file = try temporaryDirectory("io").appendingPathComponent("secret.txt")
        try Data("报：省委。\n".utf8).write(to: file)
        XCTAssertEqual(chmod(file.path, 0), 0)
        let failure = try XCTUnwrap(failure(DocumentReader.read(path: file.path)))
        XCTAssertEqual(failure.ruleID, "io-error")
        XCTAssertEqual(failure.message, "无法打开文件（权限不足？）")
    }

    func testAFailedReadSaysSo() throws {
        // A folder opens but cannot be read: the path a read error takes.
        let folder = try temporaryDirectory("io")
        guard case .failure(let failure) = DocumentReader.readBytes(path: folder.path) else { return XCTFail("read a folder") }
        XCTAssertEqual(failure.ruleID, "io-error")
        XCTAssertTrue(failure.message.hasPrefix("读取文件失败："), failure.message)
    }

    func testFilesOfManySizesReadWhole() throws {
        let folder = try temporaryDirectory("io")
        var generator = Generator(state: 7)
        for size in [0, 1, 7, 8, 9, 4095, 4096, 4097, 65_535, 65_536, 65_537, 300_001] {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: 0x41 + generator.next(26)) }
            let file = folder.appendingPathComponent("f\(size).txt")
            try Data(bytes).write(to: file)
            guard case .success(let read) = DocumentReader.readBytes(path: file.path) else { return XCTFail("\(size)") }
            XCTAssertEqual(read, bytes, "size \(size)")
        }
    }

    func testFormatsByPathStillReachTheirReaders() throws {
        let folder = try temporaryDirectory("io")
        let markdown = folder.appendingPathComponent("draft.MD")
        try Data("## 【工作动态】\n".utf8).write(to: markdown)
        guard case .success(let source) = DocumentReader.read(path: markdown.path) else { return XCTFail("not read") }
        XCTAssertEqual(source.format, .markdown)
        let docx = folder.appendingPathComponent("draft.docx")
        try Data("not a zip".utf8).write(to: docx)
        XCTAssertEqual(failure(DocumentReader.read(path: docx.path))?.ruleID, "corrupt-document")
    }

    /// The extension without `NSString`, against `NSString` itself.
    func testPathExtensionMatchesNSString() {
        let names = [
            "a.txt", "a.TXT", "简报.txt", "简报第5期.Markdown", "dir/.txt", "dir/..", "..", ".", "a.", "a/b.",
            "a.b/c", "x/", "a.pdf/", "a.tar.gz", ".hidden.md", "/", "", "no_ext", "a/b/c.docx", "a\u{0600}.pdf",
            "a.\u{301}pdf", "a.p\u{301}df", "é.ofd", "e\u{301}.ofd", "a//b.txt", "a.txt//", "目录/文件", "a b.t x t",
            "/tmp/prof200/000000.txt", "-", "<stdin>", "a.ÄÖ", "x.Ü.txt", "😀.md", "a.md\u{301}",
        ]
        for name in names {
            XCTAssertEqual(DocumentReader.lowercasedPathExtension(name), (name as NSString).pathExtension.lowercased(),
                           name.debugDescription)
        }
    }

    /// Collection with one argument skips the set of paths seen; with several, a file named
    /// twice or found in two named folders is still listed once, where it first appears.
    func testAFileNamedTwiceIsCollectedOnce() throws {
        let root = try temporaryDirectory("collect")
        let sub = root.appendingPathComponent("期刊")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["b.txt", "a.TXT", "c.png", "简报.Md"] { try Data("x".utf8).write(to: root.appendingPathComponent(name)) }
        try Data("x".utf8).write(to: sub.appendingPathComponent("d.docx"))
        let folder = root.path
        func listed(_ paths: [String]) -> [String] {
            FileCollector.entries(paths, stdinName: "草稿.txt").map { entry in
                switch entry.item {
                case .file(let path): return (entry.explicit ? "!" : "") + String(path.dropFirst(folder.count))
                case .missing(let path): return "?" + (path as NSString).lastPathComponent
                case .unreadable(let path, _): return "!?" + (path as NSString).lastPathComponent
                case .standardInput(let name): return "-" + name
                }
            }
        }
        let all = ["/a.TXT", "/b.txt", "/期刊/d.docx", "/简报.Md"]
        XCTAssertEqual(listed([folder]), all)
        XCTAssertEqual(listed([folder, folder + "/", folder + "/期刊"]), all)
        XCTAssertEqual(listed([folder + "/b.txt", folder, folder + "/b.txt"]), ["!/b.txt", "/a.TXT", "/期刊/d.docx", "/简报.Md"])
        XCTAssertEqual(listed([folder + "/期刊", "-", folder, folder + "/none.txt", "-"]),
                       ["/期刊/d.docx", "-草稿.txt", "/a.TXT", "/b.txt", "/简报.Md", "?none.txt", "-草稿.txt"])
        // Relative paths, from inside the folder: `./x` and `x` are one file, and `.` lists
        // names without a prefix.
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        func relative(_ paths: [String]) -> [String] {
            FileCollector.entries(paths).map { entry in
                guard case .file(let path) = entry.item else { return "?" }
                return (entry.explicit ? "!" : "") + path
            }
        }
        XCTAssertEqual(relative(["."]), ["a.TXT", "b.txt", "期刊/d.docx", "简报.Md"])
        XCTAssertEqual(relative(["./b.txt", "b.txt", ".", "./期刊", "期刊/"]), ["!b.txt", "a.TXT", "期刊/d.docx", "简报.Md"])
        XCTAssertEqual(relative(["期刊", "./"]), ["期刊/d.docx", "a.TXT", "b.txt", "简报.Md"])
    }

    // MARK: Binary content

    /// The check as it was: over the first 65,536 scalars.
    private func referenceLooksBinary(_ text: String) -> Bool {
        var controls = 0
        var total = 0
        for scalar in text.unicodeScalars.prefix(65_536) {
            total += 1
            switch scalar.value {
            case 0: return true
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D: break
            case 0x01...0x1F, 0x7F: controls += 1
            default: break
            }
        }
        return total > 0 && controls * 20 > total
    }

    private func fastLooksBinary(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { TextDecoding.looksBinary(utf8: $0) }
    }

    func testControlCharactersAtTheScalarLimit() {
        // 65,536 scalars, with three-byte fillers so bytes and scalars differ.
        for filler in ["a", "中", "😀"] {
            for controls in [3_276, 3_277] {
                // controls × 20 against 65,536: 65,520 is within, 65,540 is past.
                let text = String(repeating: "\u{01}", count: controls) + String(repeating: filler, count: 65_536 - controls)
                XCTAssertEqual(fastLooksBinary(text), controls == 3_277, "\(filler) \(controls)")
                XCTAssertEqual(fastLooksBinary(text), referenceLooksBinary(text))
                // Anything past the limit does not count.
                let after = text + String(repeating: "\u{01}", count: 10_000) + "\u{0}"
                XCTAssertEqual(fastLooksBinary(after), controls == 3_277, "\(filler) \(controls) after")
            }
            // A NUL as the last scalar looked at, and as the first one not.
            let body = String(repeating: filler, count: 65_535)
            XCTAssertTrue(fastLooksBinary(body + "\u{0}"))
            XCTAssertFalse(fastLooksBinary(body + "a\u{0}"))
            XCTAssertFalse(fastLooksBinary(body + "a\u{0}\u{0}"), "only the first 65,536 scalars count")
        }
        // Through the decoder: a binary failure.
        let binary = Array(String(repeating: "\u{01}", count: 3_277).utf8) + Array(String(repeating: "中", count: 62_259).utf8)
        guard case .failure(let failure) = DocumentReader.decode(bytes: binary, displayPath: "x.txt") else { return XCTFail("decoded") }
        XCTAssertEqual(failure.message, "文件包含二进制内容，不是文本文件")
    }

    func testControlScanAgreesWithTheScalarCheck() {
        let pieces = ["a", "中", "😀", "\u{01}", "\u{7F}", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{1F}", "\u{80}", "\u{85}", " "]
        var generator = Generator(state: 42)
        for round in 0..<400 {
            let length = generator.next(90)
            var text = ""
            for _ in 0..<length { text += pieces[generator.next(pieces.count)] }
            if generator.next(10) == 0 { text += "\u{0}" }
            XCTAssertEqual(fastLooksBinary(text), referenceLooksBinary(text), "round \(round): \(text.debugDescription)")
        }
    }

    // MARK: Line table

    /// The line table as it was built, byte by byte.
    private func referenceLines(_ text: String) -> ([Int], [Int]) {
        var starts = [0]
        var ends: [Int] = []
        var offset = 0
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 0x0A {
                ends.append(previousWasCR ? offset - 1 : offset)
                starts.append(offset + 1)
                previousWasCR = false
            } else if byte == 0x0D || previousWasCR {
                if previousWasCR {
                    ends.append(offset - 1)
                    starts.append(offset)
                }
                previousWasCR = byte == 0x0D
            }
            offset += 1
        }
        if previousWasCR {
            ends.append(offset - 1)
            starts.append(offset)
        }
        ends.append(offset)
        return (starts, ends)
    }

    func testLineTableAgreesWithTheByteLoop() {
        let fixed = ["", "\n", "\r", "\r\n", "\n\r", "\r\r\n", "a", "a\n", "a\r", "a\r\n", "\r\n\r\n", "中\r丙\n\r\n丁\r",
                     "a\rb\nc\r\nd", "\n\n\n", "\r\r\r", "x\r\n\n\r"]
        for text in fixed {
            let source = SourceText(path: "x.txt", text: text)
            let (starts, ends) = referenceLines(text)
            XCTAssertEqual(source.lineStarts, starts, text.debugDescription)
            XCTAssertEqual(source.lineEnds, ends, text.debugDescription)
        }
        let pieces = ["a", "中", "\n", "\r", "\r\n", "  ", "报：省委。"]
        var generator = Generator(state: 3)
        for round in 0..<500 {
            var text = ""
            for _ in 0..<generator.next(60) { text += pieces[generator.next(pieces.count)] }
            let source = SourceText(path: "x.txt", text: text)
            let (starts, ends) = referenceLines(text)
            XCTAssertEqual(source.lineStarts, starts, "round \(round): \(text.debugDescription)")
            XCTAssertEqual(source.lineEnds, ends, "round \(round): \(text.debugDescription)")
        }
    }
}
