@testable import BulletinLintCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Pipes and character devices are read without waiting for ever (issue 14, point 6), here with
/// short time limits; the command-line tests run the standard ones.
final class StreamReadingTests: XCTestCase {
    private let quick = DocumentReader.StreamTimeouts(writer: 300, idle: 600)

    private func pipe(_ label: String) throws -> URL {
        let url = try temporaryDirectory(label).appendingPathComponent("draft.txt")
        XCTAssertEqual(mkfifo(url.path, 0o600), 0)
        return url
    }

    private func shell(_ script: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        addTeardownBlock {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        return process
    }

    private func failure(_ result: Result<[UInt8], ReadFailure>) -> ReadFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    func testAPipeNobodyOpensForWritingIsGivenUp() throws {
        let url = try pipe("fifo")
        let failure = try XCTUnwrap(failure(DocumentReader.readBytes(path: url.path, streamTimeouts: quick)))
        XCTAssertEqual(failure.ruleID, "io-error")
        XCTAssertEqual(failure.message, "这是命名管道（FIFO），等了 1 秒仍没有程序向它写入，已放弃读取")
    }

    /// A writer that opens the pipe and sends nothing (`<(sleep 1000)`): given up after the idle
    /// limit.
    func testASilentWriterIsGivenUp() throws {
        let url = try pipe("fifo")
        _ = try shell("exec 3>\"$0\"; exec sleep 30", [url.path])
        let failure = try XCTUnwrap(failure(DocumentReader.readBytes(path: url.path, streamTimeouts: quick)))
        XCTAssertEqual(failure.message, "从管道或设备读取时 1 秒没有收到数据，已放弃读取")
    }

    /// A writer that comes late, sends in pieces with pauses shorter than the limits, and closes:
    /// everything is read.
    func testASlowWriterIsReadToTheEnd() throws {
        let url = try pipe("fifo")
        _ = try shell("sleep 0.1; { printf 报：; sleep 0.3; printf 省委。; sleep 0.3; printf '\\n'; } > \"$0\"", [url.path])
        guard case .success(let bytes) = DocumentReader.readBytes(path: url.path, streamTimeouts: quick) else {
            return XCTFail("not read")
        }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "报：省委。\n")
    }

    /// A writer that closes without writing: an empty document, at once.
    func testAWriterThatClosesAtOnceGivesAnEmptyDocument() throws {
        let url = try pipe("fifo")
        _ = try shell(": > \"$0\"", [url.path])
        guard case .success(let bytes) = DocumentReader.readBytes(path: url.path, streamTimeouts: .standard) else {
            return XCTFail("not read")
        }
        XCTAssertEqual(bytes, [])
    }

    /// A character device: `/dev/null` is empty, `/dev/zero` stops at the size limit.
    func testCharacterDevices() throws {
        guard case .success(let empty) = DocumentReader.readBytes(path: "/dev/null", streamTimeouts: quick) else {
            return XCTFail("/dev/null not read")
        }
        XCTAssertEqual(empty, [])
        let zero = try XCTUnwrap(failure(DocumentReader.readBytes(path: "/dev/zero", streamTimeouts: quick)))
        XCTAssertEqual(zero.message, "文件过大，超过 64 MB 的上限")
    }
}
