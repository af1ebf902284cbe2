import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What a folder scan cannot take in is reported as an `io-error`, never skipped in silence: a
/// file name that is not UTF-8, a folder that cannot be read, a dangling link with `--follow`
/// (issue 14, point 14).
final class FolderReportTests: XCTestCase {
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bl-folders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock {
            _ = chmod(url.path, 0o755)
            _ = chmod(url.appendingPathComponent("closed").path, 0o755)
            try? FileManager.default.removeItem(at: url)
        }
        return url
    }

    func testANameThatIsNotUTF8IsReported() throws {
        let dir = try scratch()
        try FileManager.default.copyItem(at: CLI.samplesDirectory.appendingPathComponent("clean.txt"),
                                         to: dir.appendingPathComponent("clean.txt"))
        // 简报.txt in GBK: bytes no UTF-8 decoder accepts.
        var name: [UInt8] = Array(dir.path.utf8) + [0x2F, 0xBC, 0xF2, 0xB1, 0xA8] + Array(".txt".utf8) + [0]
        let descriptor = name.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: buffer.count) { open($0, O_WRONLY | O_CREAT, 0o644) } } ?? -1
        }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        _ = close(descriptor)
        let run = try CLI.run(["--format", "json", "."], directory: dir)
        XCTAssertTrue(run.stdout.contains("不是 UTF-8 编码"), run.stdout)
        XCTAssertTrue(run.stdout.contains("\"rule\": \"io-error\""), run.stdout)
        XCTAssertTrue(run.stdout.contains("\"path\": \"clean.txt\""), run.stdout)
    }

    func testADanglingLinkIsReportedWhenLinksAreFollowed() throws {
        let dir = try scratch()
        XCTAssertEqual(symlink(dir.appendingPathComponent("gone.txt").path, dir.appendingPathComponent("draft.txt").path), 0)
        let followed = try CLI.run(["--follow", "--format", "json", "."], directory: dir)
        XCTAssertTrue(followed.stdout.contains("符号链接指向的文件不存在"), followed.stdout)
        XCTAssertEqual(followed.status, 1)
        // Links are not followed by default: nothing to report.
        let plain = try CLI.run(["--format", "json", "."], directory: dir)
        XCTAssertFalse(plain.stdout.contains("符号链接"), plain.stdout)
    }

    /// A folder whose path is longer than the system allows (PATH_MAX, 4096 bytes) cannot be
    /// opened by its path, even by root: reported, not skipped.
    func testAFolderPastThePathLimitIsReported() throws {
        let dir = try scratch()
        var descriptor = open(dir.path, O_RDONLY | O_DIRECTORY)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        let level = String(repeating: "长", count: 80)  // 240 bytes
        for _ in 0..<18 {
            XCTAssertEqual(mkdirat(descriptor, level, 0o755), 0)
            let next = openat(descriptor, level, O_RDONLY | O_DIRECTORY)
            _ = close(descriptor)
            descriptor = next
            XCTAssertGreaterThanOrEqual(descriptor, 0)
        }
        _ = close(descriptor)
        addTeardownBlock { _ = try? Process.run(URL(fileURLWithPath: "/bin/rm"), arguments: ["-rf", dir.path]).waitUntilExit() }
        let run = try CLI.run(["--format", "json", "."], directory: dir)
        XCTAssertTrue(run.stdout.contains("无法读取这个文件夹"), run.stdout)
        XCTAssertEqual(run.status, 1)
    }

    func testAFolderThatCannotBeReadIsReported() throws {
        guard getuid() != 0 else { throw XCTSkip("root reads every folder: a folder with mode 000 is readable to it") }
        let dir = try scratch()
        let closed = dir.appendingPathComponent("closed")
        try FileManager.default.createDirectory(at: closed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.samplesDirectory.appendingPathComponent("clean.txt"),
                                         to: closed.appendingPathComponent("clean.txt"))
        XCTAssertEqual(chmod(closed.path, 0o000), 0)
        let run = try CLI.run(["--format", "json", "."], directory: dir)
        XCTAssertTrue(run.stdout.contains("无法读取这个文件夹"), run.stdout)
        XCTAssertEqual(run.status, 1)
    }
}
