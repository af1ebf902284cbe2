import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What is not a regular file, and symbolic links in folders (issue 14, points 6 and 7): a named
/// pipe never hangs a run, nothing that is not a regular file found in a folder is opened, links
/// in folders are followed only with `--follow`, loop-safe. Runs that hung before are run with
/// a deadline and killed when they pass it.
final class FileSystemSafetyTests: XCTestCase {
    private static let sample = CLI.samplesDirectory.appendingPathComponent("bad-dates.txt")

    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bl-fs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A device number (glibc's `makedev`, a macro Swift does not see), for small numbers.
    private static func device(_ major: UInt64, _ minor: UInt64) -> dev_t {
        dev_t((major << 8) | minor)
    }

    private func fifo(_ url: URL) {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(url.path, 0o600), 0, "mkfifo \(url.path)")
    }

    private func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The paths of a JSON report's files.
    private func paths(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let files = try XCTUnwrap(object?["files"] as? [[String: Any]], json, file: file, line: line)
        return files.compactMap { $0["path"] as? String }
    }

    // MARK: Point 6: named pipes, sockets, devices

    /// A named pipe nobody writes to, named directly as .txt, .pdf (pdftotext would open it and
    /// wait) and .doc (LibreOffice would): each is given up with an `io-error`, and the run ends.
    func testANamedPipeNobodyWritesToIsGivenUp() throws {
        let dir = try scratch()
        for name in ["a.txt", "b.pdf", "c.doc"] { fifo(dir.appendingPathComponent(name)) }
        let run = try Bounded.run(["check", "--jobs", "3", "a.txt", "b.pdf", "c.doc"], directory: dir, deadline: 60)
        let finished = try XCTUnwrap(run, "the run waited on a named pipe until it was killed")
        XCTAssertEqual(finished.status, 1, finished.stderr)
        for name in ["a.txt", "b.pdf", "c.doc"] {
            XCTAssertTrue(finished.stdout.contains("\(name):1:1: error: 这是命名管道（FIFO），等了 10 秒仍没有程序向它写入，已放弃读取 [io-error]"),
                          finished.stdout)
        }
    }

    /// A pipe with a writer — what `<(cat draft.txt)` and a named pipe someone writes to are —
    /// is read as before; a PDF through a pipe reaches pdftotext as a regular copy.
    func testAPipeWithAWriterIsRead() throws {
        let dir = try scratch()
        let pipe = dir.appendingPathComponent("draft.txt")
        fifo(pipe)
        let writer = try Bounded.start("/bin/sh", ["-c", "cat \"$0\" > \"$1\"", Self.sample.path, pipe.path])
        defer { Bounded.stop(writer) }
        let run = try XCTUnwrap(try Bounded.run(["check", "--format", "json", "draft.txt"], directory: dir, deadline: 60))
        let direct = try CLI.run(["check", "--format", "json", Self.sample.path], directory: dir)
        XCTAssertEqual(run.status, direct.status, run.stderr)
        XCTAssertEqual(run.stdout.replacingOccurrences(of: "draft.txt", with: "X"),
                       direct.stdout.replacingOccurrences(of: Self.sample.path, with: "X"))

        let pdf = CLI.repositoryRoot.appendingPathComponent("Tests/BulletinLintCoreTests/Fixtures/documents/bulletin.pdf")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else { return }
        let pdfPipe = dir.appendingPathComponent("draft.pdf")
        fifo(pdfPipe)
        let pdfWriter = try Bounded.start("/bin/sh", ["-c", "cat \"$0\" > \"$1\"", pdf.path, pdfPipe.path])
        defer { Bounded.stop(pdfWriter) }
        let pdfRun = try XCTUnwrap(try Bounded.run(["check", "--format", "json", "draft.pdf"], directory: dir, deadline: 60))
        let pdfDirect = try CLI.run(["check", "--format", "json", pdf.path], directory: dir)
        XCTAssertEqual(pdfRun.stdout.replacingOccurrences(of: "draft.pdf", with: "X"),
                       pdfDirect.stdout.replacingOccurrences(of: pdf.path, with: "X"))
    }

    /// Pipes found in a folder are never opened (a writer waiting on one is not let go), and
    /// are reported; the folder's documents are linted.
    func testPipesInAFolderAreReportedNotOpened() throws {
        let dir = try scratch()
        let docs = dir.appendingPathComponent("docs")
        try write(try String(contentsOf: Self.sample, encoding: .utf8), to: docs.appendingPathComponent("a.txt"))
        fifo(docs.appendingPathComponent("b.txt"))
        fifo(docs.appendingPathComponent("sub/c.pdf"))
        fifo(docs.appendingPathComponent("notes"))
        // Were the pipe opened for reading, the writer would go on and leave `opened` behind.
        let marker = dir.appendingPathComponent("opened")
        let writer = try Bounded.start("/bin/sh", ["-c", "echo x > \"$0\"; touch \"$1\"",
                                                   docs.appendingPathComponent("b.txt").path, marker.path])
        defer { Bounded.stop(writer) }
        let run = try XCTUnwrap(try Bounded.run(["check", "--format", "json", "docs"], directory: dir, deadline: 60),
                                "the run waited on a pipe in a folder until it was killed")
        XCTAssertEqual(try paths(run.stdout), ["docs/a.txt", "docs/b.txt", "docs/sub/c.pdf"])
        let text = try XCTUnwrap(try Bounded.run(["check", "docs"], directory: dir, deadline: 60))
        for name in ["docs/b.txt", "docs/sub/c.pdf"] {
            XCTAssertTrue(text.stdout.contains("\(name):1:1: error: 这是命名管道（FIFO），不是普通文件：文件夹中的这类文件不会被打开，已跳过（要读取它，请在命令行上直接给出这个路径） [io-error]"),
                          text.stdout)
        }
        usleep(300_000)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "a pipe in a folder was opened")
    }

    /// A socket, named directly or found in a folder, is not read: an `io-error` that says what
    /// it is.
    func testASocketIsNotRead() throws {
        let dir = try scratch()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("docs"), withIntermediateDirectories: true)
        let socketPath = dir.appendingPathComponent("docs/s.txt").path
        let socket = try XCTUnwrap(Bounded.bindSocket(socketPath), "cannot bind a socket at \(socketPath)")
        defer { close(socket) }
        let named = try XCTUnwrap(try Bounded.run(["check", "docs/s.txt"], directory: dir, deadline: 60))
        XCTAssertTrue(named.stdout.contains("docs/s.txt:1:1: error: 这是套接字（socket），不是普通文件，无法检查 [io-error]"), named.stdout)
        let found = try XCTUnwrap(try Bounded.run(["check", "docs"], directory: dir, deadline: 60))
        XCTAssertTrue(found.stdout.contains("docs/s.txt:1:1: error: 这是套接字（socket），不是普通文件：文件夹中的这类文件不会被打开，已跳过 [io-error]"),
                      found.stdout)
    }

    /// Device nodes (made with `mknod`, which needs root): a character device found in a folder
    /// is not opened; a block device named directly is refused.
    func testDeviceNodes() throws {
        let dir = try scratch()
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        // /dev/null's numbers (1, 3); a loop device's (7, 0).
        guard mknod(docs.appendingPathComponent("null.txt").path, S_IFCHR | 0o600, Self.device(1, 3)) == 0 else {
            throw XCTSkip("mknod needs root")
        }
        XCTAssertEqual(mknod(dir.appendingPathComponent("disk.txt").path, S_IFBLK | 0o600, Self.device(7, 0)), 0)
        let found = try XCTUnwrap(try Bounded.run(["check", "docs"], directory: dir, deadline: 60))
        XCTAssertTrue(found.stdout.contains("docs/null.txt:1:1: error: 这是字符设备，不是普通文件：文件夹中的这类文件不会被打开，已跳过（要读取它，请在命令行上直接给出这个路径） [io-error]"),
                      found.stdout)
        let disk = try XCTUnwrap(try Bounded.run(["check", "disk.txt"], directory: dir, deadline: 60))
        XCTAssertTrue(disk.stdout.contains("disk.txt:1:1: error: 这是块设备，不是普通文件，无法检查 [io-error]"), disk.stdout)
        // Named directly, a character device is read: /dev/null is an empty document.
        let null = try XCTUnwrap(try Bounded.run(["check", "--format", "json", "docs/null.txt"], directory: dir, deadline: 60))
        XCTAssertFalse(null.stdout.contains("io-error"), null.stdout)
    }

    // MARK: Point 7: symbolic links in folders

    /// A tree with a link back up (`sub/up -> ..`), links out of it (to a folder and to a file),
    /// and a link to `/`.
    private func linkedTree(_ dir: URL, root: Bool = true) throws -> URL {
        let tree = dir.appendingPathComponent("tree")
        try write("【工作动态】\n某市召开会议。\n", to: tree.appendingPathComponent("a.txt"))
        try write("【市州动态】\n某县召开会议。\n", to: tree.appendingPathComponent("sub/b.txt"))
        // Its first line, which reports quote, is a marker.
        try write("机密 ZX91\n" + (try String(contentsOf: Self.sample, encoding: .utf8)), to: dir.appendingPathComponent("outside/secret.txt"))
        XCTAssertEqual(symlink("..", tree.appendingPathComponent("sub/up").path), 0)
        XCTAssertEqual(symlink("../sub", tree.appendingPathComponent("sub/again").path), 0)
        XCTAssertEqual(symlink("../outside", tree.appendingPathComponent("out").path), 0)
        XCTAssertEqual(symlink("../outside/secret.txt", tree.appendingPathComponent("copy.txt").path), 0)
        XCTAssertEqual(symlink("a.txt", tree.appendingPathComponent("same.txt").path), 0)
        // Two links to each other, and one to nothing: neither is a folder or a file.
        XCTAssertEqual(symlink("y.txt", tree.appendingPathComponent("x.txt").path), 0)
        XCTAssertEqual(symlink("x.txt", tree.appendingPathComponent("y.txt").path), 0)
        if root {
            let link = tree.appendingPathComponent("root").path
            XCTAssertEqual(symlink("/", link), 0)
            // Teardown blocks run last first: the link goes before the folder is removed.
            addTeardownBlock { _ = unlink(link) }
        }
        return tree
    }

    /// By default links found in folders are not followed: each file once, nothing outside the
    /// tree, and the run ends (it went round `up` 40 times and walked `/` for ever).
    func testLinksInFoldersAreNotFollowedByDefault() throws {
        let dir = try scratch()
        _ = try linkedTree(dir)
        let run = try XCTUnwrap(try Bounded.run(["check", "--format", "json", "tree"], directory: dir, deadline: 60),
                                "the folder scan did not end")
        XCTAssertEqual(try paths(run.stdout), ["tree/a.txt", "tree/sub/b.txt"])
        XCTAssertFalse(run.stdout.contains("ZX91"), "a file outside the tree was read")
        // A link named on the command line is followed, as always.
        XCTAssertEqual(symlink("tree", dir.appendingPathComponent("named").path), 0)
        let named = try XCTUnwrap(try Bounded.run(["check", "--format", "json", "named", "tree/same.txt"], directory: dir, deadline: 60))
        XCTAssertEqual(try paths(named.stdout), ["named/a.txt", "named/sub/b.txt", "tree/same.txt"])
    }

    /// Just `sub/up -> ..`: each file once (it was reported 41 times).
    func testALinkBackUpReportsEachFileOnce() throws {
        let dir = try scratch()
        let tree = dir.appendingPathComponent("tree")
        try write("【工作动态】\n某市召开会议。\n", to: tree.appendingPathComponent("a.txt"))
        try write("【市州动态】\n某县召开会议。\n", to: tree.appendingPathComponent("sub/b.txt"))
        XCTAssertEqual(symlink("..", tree.appendingPathComponent("sub/up").path), 0)
        for arguments in [["tree"], ["--follow", "tree"]] {
            let run = try XCTUnwrap(try Bounded.run(["check", "--format", "json"] + arguments, directory: dir, deadline: 60))
            XCTAssertEqual(try paths(run.stdout), ["tree/a.txt", "tree/sub/b.txt"], "\(arguments)")
        }
    }

    /// `--follow` follows links, out of the tree too (that is what it asks for), each folder and
    /// each file once, and not into a folder that holds the tree (`..`, `/`).
    func testFollowIsLoopSafe() throws {
        let dir = try scratch()
        _ = try linkedTree(dir)
        let run = try XCTUnwrap(try Bounded.run(["check", "--follow", "--format", "json", "tree"], directory: dir, deadline: 60),
                                "--follow did not end")
        // The two links that name each other (x.txt ↔ y.txt) lead nowhere: each is reported as
        // an io-error (a link that cannot be resolved is said, not dropped), never read.
        XCTAssertEqual(try paths(run.stdout), ["tree/a.txt", "tree/copy.txt", "tree/sub/b.txt", "tree/x.txt", "tree/y.txt"])
        XCTAssertEqual(run.stdout.components(separatedBy: "符号链接指向的文件不存在或无法访问").count - 1, 2, run.stdout)
    }

    /// `--fix` on a folder does not edit a file outside it that a link names, unless `--follow`.
    func testFixDoesNotLeaveTheTree() throws {
        let dir = try scratch()
        _ = try linkedTree(dir, root: false)
        let secret = dir.appendingPathComponent("outside/secret.txt")
        let before = try Data(contentsOf: secret)
        let run = try XCTUnwrap(try Bounded.run(["check", "--fix", "tree"], directory: dir, deadline: 60))
        XCTAssertEqual(try Data(contentsOf: secret), before, "--fix edited a file outside the tree: \(run.stderr)")
        var info = stat()
        XCTAssertEqual(lstat(dir.appendingPathComponent("tree/copy.txt").path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFLNK, "the link was replaced")
    }
}

/// Running the executable with a deadline: a run that passes it is killed and gives nil.
enum Bounded {
    static func run(_ arguments: [String], directory: URL, deadline seconds: TimeInterval) throws -> CLI.Run? {
        let process = try CLI.process(arguments, directory: directory)
        guard let captured = try CLI.capture(process, deadline: seconds) else { return nil }
        return CLI.Run(status: captured.status, stdout: String(decoding: captured.stdout, as: UTF8.self),
                   stderr: String(decoding: captured.stderr, as: UTF8.self))
    }

    /// Starts a helper process (a writer to a pipe).
    static func start(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops a helper that may still wait on a pipe.
    static func stop(_ process: Process) {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// A listening Unix socket at `path`; its descriptor, or nil.
    static func bindSocket(_ path: String) -> Int32? {
        #if canImport(Glibc)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { close(descriptor); return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { close(descriptor); return nil }
        return descriptor
    }
}
