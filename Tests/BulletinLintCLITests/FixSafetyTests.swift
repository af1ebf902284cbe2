import BulletinLintCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `--fix` loses nothing: the file keeps its owner, group, permissions, ACL and extended
/// attributes; a hard-linked file is not split; a save made while the fix is written wins; a fix
/// that cannot be written fails the run (issue 14, points 3 and 5).
final class FixSafetyTests: XCTestCase {
    static let text = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n某市研究其它工作。（某办）\n信息公开选项：主动公开\n报：省委。\n某办 2021年4月2日印发\n"
    static let fixed = text.replacingOccurrences(of: "其它", with: "其他")

    private func document(_ dir: URL, _ name: String = "doc.txt", text: String = FixSafetyTests.text) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Owner, group, mode, an ACL and a user attribute survive the fix (root: the owner and
    /// group are someone else's, which a plain rename of a new file would lose).
    func testFixKeepsOwnerGroupModeACLAndAttributes() throws {
        try Safety.requireRoot()
        let dir = try Safety.scratch(self)
        let file = try document(dir)
        XCTAssertEqual(chown(file.path, 1234, 5678), 0)
        XCTAssertEqual(chmod(file.path, 0o640), 0)
        // user::rw- user:4321:r-- group::r-- mask::r-- other::---
        var acl: [UInt8] = [2, 0, 0, 0]
        for (tag, perm, id) in [(0x01, 6, UInt32.max), (0x02, 4, 4321), (0x04, 4, UInt32.max), (0x10, 4, UInt32.max), (0x20, 0, UInt32.max)] {
            acl += [UInt8(tag), 0, UInt8(perm), 0, UInt8(id & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id >> 16 & 0xFF), UInt8(id >> 24)]
        }
        let attributes: [(String, [UInt8])] = [("system.posix_acl_access", acl), ("user.bulletinlint-test", Array("来源：省委办公厅".utf8))]
        for (name, value) in attributes {
            guard Attributes.set(file.path, name, value) else {
                throw XCTSkip("the filesystem of \(dir.path) does not take \(name) (\(String(cString: strerror(errno))))")
            }
        }
        let before = try Safety.status(file.path)
        let run = try CLI.run(["check", "--fix", "doc.txt"], directory: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), Self.fixed)
        let after = try Safety.status(file.path)
        XCTAssertNotEqual(after.st_ino, before.st_ino, "replaced atomically (a new inode)")
        XCTAssertEqual(after.st_uid, 1234)
        XCTAssertEqual(after.st_gid, 5678)
        XCTAssertEqual(after.st_mode & 0o7777, 0o640)
        for (name, value) in attributes {
            XCTAssertEqual(Attributes.get(file.path, name), value, name)
        }
        XCTAssertEqual(try Safety.listing(dir), ["doc.txt"])
    }

    /// A file with two names is left alone, with a note and exit 2: replacing one name would
    /// leave the other with the old text.
    func testHardLinkedFileIsNotSplit() throws {
        let dir = try Safety.scratch(self)
        let file = try document(dir)
        let other = dir.appendingPathComponent("other-name.txt")
        XCTAssertEqual(link(file.path, other.path), 0)
        let run = try CLI.run(["check", "--fix", "doc.txt"], directory: dir)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("硬链接"), run.stderr)
        XCTAssertTrue(run.stderr.contains("  doc.txt"), run.stderr)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), Self.text)
        let first = try Safety.status(file.path)
        let second = try Safety.status(other.path)
        XCTAssertEqual(first.st_ino, second.st_ino)
        XCTAssertEqual(first.st_nlink, 2)
        XCTAssertEqual(try Safety.listing(dir), ["doc.txt", "other-name.txt"])
    }

    /// An editor saves the file while the fix is being written (after the fixer read it and
    /// made its temporary file, before the rename): the editor's text stays, the fix is not
    /// written, exit 2. The fixer is stopped (SIGSTOP) as soon as its temporary file appears,
    /// the editor saves, and the fixer goes on. Both kinds of save: a new file renamed over (most
    /// editors) and a rewrite in place.
    func testASaveDuringTheFixIsNotOverwritten() throws {
        let filler = String(repeating: "某市研究部署年度工作，要求各单位认真落实。\n", count: 4_000)
        let edited = "编辑器保存的新内容\n"
        for inPlace in [false, true] {
            var conclusive = false
            for _ in 0..<5 where !conclusive {
                let dir = try Safety.scratch(self)
                let file = try document(dir, "big.txt", text: Self.text + filler)
                guard let watch = Safety.DirectoryWatch(dir.path) else { throw XCTSkip("inotify is not available") }
                let running = try Safety.Running(["check", "--fix", "--jobs", "1", "big.txt"], directory: dir)
                defer { running.stop() }
                _ = try watch.wait { $0.name.hasPrefix(".big.txt.") && $0.name.hasSuffix(".tmp") }
                kill(running.process.processIdentifier, SIGSTOP)
                // Stopped too late (already renamed): try again.
                if (try? String(contentsOf: file, encoding: .utf8)) != Self.text + filler {
                    kill(running.process.processIdentifier, SIGCONT)
                    continue
                }
                conclusive = true
                if inPlace {
                    let handle = try FileHandle(forWritingTo: file)
                    try handle.truncate(atOffset: 0)
                    try handle.write(contentsOf: Data(edited.utf8))
                    try handle.close()
                } else {
                    let saved = dir.appendingPathComponent("editor-save")
                    try Data(edited.utf8).write(to: saved)
                    XCTAssertEqual(rename(saved.path, file.path), 0)
                }
                kill(running.process.processIdentifier, SIGCONT)
                try Safety.waitUntil("the fix ends", seconds: 120) { !running.process.isRunning }
                let now = try String(contentsOf: file, encoding: .utf8)
                XCTAssertTrue(now == edited, "the editor's save was overwritten (in place: \(inPlace)): \(now.prefix(40))")
                XCTAssertEqual(running.process.terminationStatus, 2, "in place: \(inPlace)")
                XCTAssertEqual(try Safety.listing(dir), ["big.txt"], "in place: \(inPlace)")
            }
            XCTAssertTrue(conclusive, "the fixer could never be stopped before its rename")
        }
    }

    /// A folder that cannot be written: the fix fails the run (exit 2) and names the file.
    func testFixThatCannotBeWrittenFailsTheRun() throws {
        let dir = try Safety.scratch(self)
        let folder = dir.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = try document(folder)
        if geteuid() == 0 {
            // Root writes anywhere: an immutable folder refuses even root.
            guard Self.chattr("+i", folder.path) else {
                throw XCTSkip("chattr +i failed: install e2fsprogs (scripts/install-test-deps) on a filesystem that has the immutable flag")
            }
            addTeardownBlock { _ = Self.chattr("-i", folder.path) }
        } else {
            XCTAssertEqual(chmod(folder.path, 0o555), 0)
            addTeardownBlock { _ = chmod(folder.path, 0o755) }
        }
        let run = try CLI.run(["check", "--fix", "locked/doc.txt"], directory: dir)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("未写入修正"), run.stderr)
        XCTAssertTrue(run.stderr.contains("修正没有写入") && run.stderr.contains("  locked/doc.txt"), run.stderr)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), Self.text)
        XCTAssertEqual(try Safety.listing(folder), ["doc.txt"])
    }

    static func chattr(_ flag: String, _ path: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chattr", flag, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// Extended attributes by path, through the C library (no `attr` or `acl` package needed).
enum Attributes {
    #if os(Linux)
    private typealias SetCall = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32) -> Int32
    private typealias GetCall = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int

    static func set(_ path: String, _ name: String, _ value: [UInt8]) -> Bool {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setxattr") else { return false }
        let call = unsafeBitCast(symbol, to: SetCall.self)
        return value.withUnsafeBytes { call(path, name, $0.baseAddress, $0.count, 0) } == 0
    }

    static func get(_ path: String, _ name: String) -> [UInt8]? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getxattr") else { return nil }
        let call = unsafeBitCast(symbol, to: GetCall.self)
        var value = [UInt8](repeating: 0, count: 4096)
        let size = value.withUnsafeMutableBytes { call(path, name, $0.baseAddress, $0.count) }
        return size < 0 ? nil : Array(value[0..<size])
    }
    #else
    static func set(_ path: String, _ name: String, _ value: [UInt8]) -> Bool { false }
    static func get(_ path: String, _ name: String) -> [UInt8]? { nil }
    #endif
}
