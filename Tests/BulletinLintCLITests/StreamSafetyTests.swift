import Foundation
import XCTest

/// Standard error closed (`2>&-`) or full (`2>/dev/full`), standard input closed (`<&-`) or a
/// folder (`< /tmp`): the run reports what it can and ends with its exit code, never a trap
/// (SIGILL from `FileHandle`). `--help` to a full disk exits 2.
final class StreamSafetyTests: XCTestCase {
    struct Outcome {
        let signalled: Bool
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `bulletinlint ARGUMENTS` through `sh`, with `redirections` (shell syntax) applied to
    /// it; stdout and stderr go to files unless the redirections say otherwise.
    private func run(_ arguments: [String], redirections: String, directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$0\" \"$@\" \(redirections)", try CLI.executable().path] + arguments
        process.currentDirectoryURL = directory ?? CLI.repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "BULLETINLINT_RECORD")
        environment["NO_COLOR"] = "1"
        process.environment = environment
        guard let captured = try CLI.capture(process) else { throw CLIError("bulletinlint did not end") }
        return Outcome(signalled: captured.signalled, status: captured.status,
                       stdout: String(decoding: captured.stdout, as: UTF8.self),
                       stderr: String(decoding: captured.stderr, as: UTF8.self))
    }

    private func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulletinlint-streams-doc-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    private static let fixable = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n某市研究其它工作。（某办）\n信息公开选项：主动公开\n报：省委。\n某办 2021年4月2日印发\n"

    func testClosedStandardErrorOnAConfigurationError() throws {
        let outcome = try run(["check", "--rules", "/missing-\(UUID().uuidString).yaml", "samples/clean.txt"], redirections: "2>&-")
        XCTAssertFalse(outcome.signalled, "killed by signal \(outcome.status)")
        XCTAssertEqual(outcome.status, 2)
    }

    func testFullStandardErrorOnAConfigurationError() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full")
        let outcome = try run(["check", "--rules", "/missing-\(UUID().uuidString).yaml", "samples/clean.txt"], redirections: "2>/dev/full")
        XCTAssertFalse(outcome.signalled, "killed by signal \(outcome.status)")
        XCTAssertEqual(outcome.status, 2)
    }

    func testClosedStandardErrorAfterFixing() throws {
        let folder = try scratchFolder()
        let file = folder.appendingPathComponent("doc.txt")
        try Self.fixable.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try run(["check", "--fix", "doc.txt"], redirections: "2>&-", directory: folder)
        XCTAssertFalse(outcome.signalled, "killed by signal \(outcome.status)")
        XCTAssertEqual(outcome.status, 0)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), Self.fixable.replacingOccurrences(of: "其它", with: "其他"))
    }

    func testFullStandardErrorWithDiff() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full")
        let folder = try scratchFolder()
        try Self.fixable.write(to: folder.appendingPathComponent("doc.txt"), atomically: true, encoding: .utf8)
        let outcome = try run(["check", "--diff", "doc.txt"], redirections: "2>/dev/full", directory: folder)
        XCTAssertFalse(outcome.signalled, "killed by signal \(outcome.status)")
        XCTAssertLessThan(outcome.status, 3)
        XCTAssertTrue(outcome.stdout.contains("+某市研究其他工作"), outcome.stdout)
    }

    func testClosedStandardInputIsAnIOError() throws {
        let outcome = try run(["check", "--format", "json", "-"], redirections: "<&-")
        XCTAssertFalse(outcome.signalled, "killed by signal \(outcome.status)")
        XCTAssertEqual(outcome.status, 1, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("io-error") && outcome.stdout.contains("标准输入"), outcome.stdout)
    }

    func testFolderAsStandardInputIsAnIOError() throws {
        let outcome = try run(["check", "--format", "json", "-"], redirections: "< /tmp")
        XCTAssertFalse(outcome.signalled, "killed by signal \(outcome.status)")
        XCTAssertEqual(outcome.status, 1, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("io-error") && outcome.stdout.contains("文件夹"), outcome.stdout)
    }

    /// Past the 64 MB limit of files: refused, not read whole.
    func testStandardInputPastTheLimitIsRefused() throws {
        let folder = try scratchFolder()
        let big = folder.appendingPathComponent("big.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: big.path, contents: nil))
        XCTAssertEqual(truncate(big.path, off_t(64 * 1024 * 1024 + 10)), 0)
        let outcome = try run(["check", "--format", "json", "-"], redirections: "< '\(big.path)'")
        XCTAssertFalse(outcome.signalled, "killed by signal \(outcome.status)")
        XCTAssertEqual(outcome.status, 1, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("io-error") && outcome.stdout.contains("64 MB"), outcome.stdout)
        let piped = try run(["check", "--format", "json", "-"], redirections: "< /dev/zero")
        XCTAssertFalse(piped.signalled, "killed by signal \(piped.status)")
        XCTAssertTrue(piped.stdout.contains("io-error") && piped.stdout.contains("64 MB"), piped.stdout)
    }

    func testHelpToAFullDiskExitsTwo() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full")
        let outcome = try run(["--help"], redirections: ">/dev/full")
        XCTAssertFalse(outcome.signalled, "killed by signal \(outcome.status)")
        XCTAssertEqual(outcome.status, 2)
        XCTAssertTrue(outcome.stderr.contains("无法写入标准输出"), outcome.stderr)
    }
}
