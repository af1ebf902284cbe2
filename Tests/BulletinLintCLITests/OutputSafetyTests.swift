import BulletinLintCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `--output`, `--report` and `--write-baseline` never damage anything: a device, a pipe or a
/// descriptor link is written through, never replaced; an output that is one of the documents
/// is refused; a run stopped by a signal leaves no temporary file, and one killed outright
/// leaves one that is recognisable; a document read through a copy never lies readable in the
/// temporary folder (issue 14, points 1, 2 and 4).
final class OutputSafetyTests: XCTestCase {
    static let sample = CLI.samplesDirectory.appendingPathComponent("bad-dates.txt")

    // MARK: Point 1: devices, pipes, sockets, descriptor links

    /// As root a report sent to a device used to replace the device with a regular file
    /// (`--output /dev/null` broke the machine). The node is written through and stays.
    func testOutputAndReportOntoADeviceNodeKeepTheDevice() throws {
        try Safety.requireRoot()
        let dir = try Safety.scratch(self)
        let null = dir.appendingPathComponent("null").path
        let second = dir.appendingPathComponent("null2").path
        try Safety.makeNode(null, type: S_IFCHR, major: 1, minor: 3)
        try Safety.makeNode(second, type: S_IFCHR, major: 1, minor: 3)
        let run = try CLI.run(["check", Self.sample.path, "--output", null, "--report", "sarif=\(second)"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(Safety.fileType(null), S_IFCHR, "the device node was replaced")
        XCTAssertEqual(Safety.fileType(second), S_IFCHR, "the device node was replaced")
        XCTAssertEqual(try Safety.listing(dir), ["null", "null2"], "no temporary left")
    }

    /// A full device: the error says so (exit 2), and the node stays.
    func testOutputOntoAFullDeviceIsAClearError() throws {
        try Safety.requireRoot()
        let dir = try Safety.scratch(self)
        let full = dir.appendingPathComponent("full").path
        try Safety.makeNode(full, type: S_IFCHR, major: 1, minor: 7)
        let run = try CLI.run(["check", Self.sample.path, "--output", full])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("磁盘空间不足"), run.stderr)
        XCTAssertEqual(Safety.fileType(full), S_IFCHR)
    }

    /// A block device (a disk) is never written to, and never replaced.
    func testOutputOntoABlockDeviceIsRefused() throws {
        try Safety.requireRoot()
        let dir = try Safety.scratch(self)
        let disk = dir.appendingPathComponent("disk").path
        try Safety.makeNode(disk, type: S_IFBLK, major: 7, minor: 200)
        let run = try CLI.run(["check", Self.sample.path, "--output", disk])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("块设备"), run.stderr)
        XCTAssertEqual(Safety.fileType(disk), S_IFBLK)
        XCTAssertEqual(try Safety.listing(dir), ["disk"])
    }

    func testOutputOntoASocketIsRefused() throws {
        let dir = try Safety.scratch(self)
        let path = dir.appendingPathComponent("s.sock").path
        let socket = try Safety.bindSocket(path)
        defer { close(socket) }
        let run = try CLI.run(["check", Self.sample.path, "--output", path])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("套接字"), run.stderr)
        XCTAssertEqual(Safety.fileType(path), S_IFSOCK)
    }

    /// A named pipe nobody reads: refused at once (no hang), and it stays a pipe.
    func testOutputOntoAPipeWithoutReaderIsRefused() throws {
        let dir = try Safety.scratch(self)
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let run = try CLI.run(["check", Self.sample.path, "--output", fifo])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("没有程序在读取"), run.stderr)
        XCTAssertEqual(Safety.fileType(fifo), S_IFIFO)
    }

    /// A named pipe with a reader gets the report, as with `>`.
    func testOutputOntoAPipeReachesItsReader() throws {
        let dir = try Safety.scratch(self)
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        // The reader: open without waiting for a writer; the report (a few KB) fits in the pipe.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        let run = try CLI.run(["check", Self.sample.path, "--output", fifo])
        XCTAssertEqual(run.status, 1, run.stderr)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let expected = try CLI.run(["check", Self.sample.path]).stdout
        XCTAssertEqual(String(decoding: received, as: UTF8.self), expected)
        XCTAssertEqual(Safety.fileType(fifo), S_IFIFO)
    }

    /// `/dev/fd/1`, `/proc/self/fd/1` and `/dev/stdout` write to standard output, like `>`:
    /// through a pipe, and onto a file opened for appending, whose earlier text stays.
    func testDescriptorLinksWriteToTheDescriptor() throws {
        let expected = try CLI.run(["check", Self.sample.path]).stdout
        XCTAssertFalse(expected.isEmpty)
        let dir = try Safety.scratch(self)
        for link in ["/dev/fd/1", "/proc/self/fd/1", "/dev/stdout"] where FileManager.default.fileExists(atPath: link) {
            // Not `/dev/stdout` onto a pipe: a build that renames over targets would replace the
            // machine's `/dev/stdout` link (it cannot rename into `/dev/fd` or `/proc`).
            if link != "/dev/stdout" {
                let piped = try Safety.runWithStandardOutput(["check", Self.sample.path, "--output", link], to: nil)
                XCTAssertEqual(piped.status, 1, "\(link) onto a pipe: \(piped.stderr)")
                XCTAssertEqual(piped.stdout, expected, "\(link) onto a pipe")
            }
            let log = dir.appendingPathComponent("log.txt")
            try Data("earlier run\n".utf8).write(to: log)
            let appended = try Safety.runWithStandardOutput(["check", Self.sample.path, "--output", link], to: log)
            XCTAssertEqual(appended.status, 1, "\(link) onto a file: \(appended.stderr)")
            XCTAssertEqual(try String(contentsOf: log, encoding: .utf8), "earlier run\n" + expected, "\(link) onto a file")
        }
    }

    // MARK: Point 2: an output that is one of the documents

    /// `--output` (or `--report`, `--write-baseline`) naming a document, directly, through a
    /// hard or symbolic link, or as a file of a folder given, is refused (exit 2) and the
    /// document is untouched.
    func testOutputThatIsAnInputIsRefused() throws {
        let dir = try Safety.scratch(self)
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let document = docs.appendingPathComponent("sub/a.txt")
        try FileManager.default.copyItem(at: Self.sample, to: document)
        let original = try Data(contentsOf: document)
        XCTAssertEqual(link(document.path, dir.appendingPathComponent("hard.txt").path), 0)
        XCTAssertEqual(symlink(document.path, dir.appendingPathComponent("soft.txt").path), 0)
        let cases: [[String]] = [
            ["docs/sub/a.txt", "--output", "docs/sub/a.txt"],
            ["docs/sub/a.txt", "--format", "json", "--output", "./docs/sub/a.txt"],
            ["docs/sub/a.txt", "--report", "sarif=docs/sub/a.txt"],
            ["docs/sub/a.txt", "--write-baseline", "docs/sub/a.txt"],
            ["docs/sub/a.txt", "--output", "hard.txt"],
            ["docs/sub/a.txt", "--output", "soft.txt"],
            ["hard.txt", "--output", "docs/sub/a.txt"],
            ["docs", "--output", "docs/sub/a.txt"],
            ["docs", "--output", "hard.txt"],
            ["--fix", "docs", "--output", "soft.txt"],
        ]
        for arguments in cases {
            let run = try CLI.run(["check"] + arguments, directory: dir)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("就是要检查的文档"), "\(arguments): \(run.stderr)")
            XCTAssertEqual(try Data(contentsOf: document), original, "\(arguments) changed the document")
        }
        XCTAssertEqual(try Safety.listing(docs.appendingPathComponent("sub")), ["a.txt"])
    }

    /// With `--follow`, a document reached through a link in a folder is a document of the run:
    /// an output naming it is refused too. Without `--follow` the link is not read, so the
    /// output is written.
    func testOutputThatIsADocumentReachedThroughAFollowedLinkIsRefused() throws {
        let dir = try Safety.scratch(self)
        let docs = dir.appendingPathComponent("docs")
        let outside = dir.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let document = outside.appendingPathComponent("a.txt")
        try FileManager.default.copyItem(at: Self.sample, to: document)
        let original = try Data(contentsOf: document)
        XCTAssertEqual(symlink(outside.path, docs.appendingPathComponent("linked").path), 0)
        let followed = try CLI.run(["check", "--follow", "docs", "--output", "outside/a.txt"], directory: dir)
        XCTAssertEqual(followed.status, 2, followed.stderr)
        XCTAssertTrue(followed.stderr.contains("就是要检查的文档"), followed.stderr)
        XCTAssertEqual(try Data(contentsOf: document), original)
        let notFollowed = try CLI.run(["check", "docs", "--output", "outside/a.txt"], directory: dir)
        XCTAssertNotEqual(notFollowed.status, 2, notFollowed.stderr)
    }

    /// Outputs that are not documents of the run are written as before: an existing report,
    /// a `.txt` the configuration excludes, a file of another folder.
    func testOutputBesideTheDocumentsIsWritten() throws {
        let dir = try Safety.scratch(self)
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs.appendingPathComponent("reports"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.sample, to: docs.appendingPathComponent("a.txt"))
        try Data("extends: [default]\nexclude: [\"reports/**\"]\n".utf8).write(to: docs.appendingPathComponent(".bulletinlint.yaml"))
        for name in ["docs/report.json", "docs/reports/lint.txt", "other.txt"] {
            try Data("old\n".utf8).write(to: dir.appendingPathComponent(name))
            let run = try CLI.run(["check", "docs", "--output", name], directory: dir)
            XCTAssertEqual(run.status, 1, "\(name): \(run.stderr)")
            let written = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            XCTAssertTrue(written.contains("body-date-invalid"), "\(name): \(written)")
        }
    }

    // MARK: Point 4: signals and temporary files

    /// SIGINT and SIGTERM remove the temporary beside `--output`, and the run still ends by
    /// the signal (status 128 + N in a shell).
    func testSignalsRemoveTheTemporaryFile() throws {
        for signal in [SIGTERM, SIGINT, SIGHUP] {
            if Safety.isIgnored(signal) { continue }  // inherited as ignored: the run keeps it so
            let dir = try Safety.scratch(self)
            let running = try Safety.Running(["check", "-", "--output", "report.txt"], directory: dir)
            defer { running.stop() }
            let temporary = try Safety.waitForTemporary(in: dir)
            XCTAssertTrue(temporary.hasPrefix(".report.txt.bulletinlint-") && temporary.hasSuffix(".tmp"), temporary)
            kill(running.process.processIdentifier, signal)
            try Safety.waitUntil("the run ends on signal \(signal)") { !running.process.isRunning }
            XCTAssertEqual(running.process.terminationReason, .uncaughtSignal, "signal \(signal)")
            XCTAssertEqual(running.process.terminationStatus, signal)
            XCTAssertEqual(try Safety.listing(dir), [], "signal \(signal) left a temporary file")
        }
    }

    /// `kill -9`: nothing can run, so the temporary stays, under a name that says whose it is.
    func testAKilledRunLeavesARecognisableTemporary() throws {
        let dir = try Safety.scratch(self)
        let running = try Safety.Running(["check", "-", "--output", "报告.txt"], directory: dir)
        defer { running.stop() }
        _ = try Safety.waitForTemporary(in: dir)
        kill(running.process.processIdentifier, SIGKILL)
        try Safety.waitUntil("the run ends") { !running.process.isRunning }
        let left = try Safety.listing(dir)
        XCTAssertEqual(left.count, 1, "\(left)")
        let name = left.first ?? ""
        XCTAssertNotNil(name.range(of: #"^\.报告\.txt\.bulletinlint-[A-Za-z0-9]{10}\.tmp$"#, options: .regularExpression), name)
    }

    /// A .docx (and a PDF on standard input) is read without a copy lying in the temporary
    /// folder: no file is created there (only, where `O_TMPFILE` is missing, a private 0700
    /// folder), and nothing is left.
    func testDocumentsAreNotCopiedIntoTheTemporaryFolder() throws {
        let temporary = try Safety.scratch(self)
        guard let watch = Safety.DirectoryWatch(temporary.path) else { throw XCTSkip("inotify is not available") }
        let documents = CLI.repositoryRoot.appendingPathComponent("Tests/BulletinLintCoreTests/Fixtures/documents")
        let private0600 = try Safety.scratch(self).appendingPathComponent("private.docx")
        try FileManager.default.copyItem(at: documents.appendingPathComponent("bulletin-libreoffice.docx"), to: private0600)
        XCTAssertEqual(chmod(private0600.path, 0o600), 0)
        var runs = [try CLI.run(["check", private0600.path], environment: ["TMPDIR": temporary.path])]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") {
            runs.append(try CLI.run(["check", "-", "--stdin-filename", "in.pdf"], stdin: documents.appendingPathComponent("bulletin.pdf"),
                                    environment: ["TMPDIR": temporary.path]))
        }
        for run in runs { XCTAssertNotEqual(run.status, 2, run.stderr) }
        let created = watch.drain()
        XCTAssertEqual(created.filter { !$0.isDirectory }.map(\.name), [], "files created in the temporary folder")
        XCTAssertTrue(created.allSatisfy { $0.name.hasPrefix("bulletinlint-") }, "\(created)")
        XCTAssertEqual(try Safety.listing(temporary), [], "left in the temporary folder")
    }
}

/// Helpers of the safety tests (also used by `FixSafetyTests`).
enum Safety {
    static func requireRoot() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root (device nodes, owners, immutable folders); CI runs as root") }
    }

    static func scratch(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bl-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static func listing(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    static func makeNode(_ path: String, type: mode_t, major: UInt32, minor: UInt32) throws {
        let device = dev_t((major << 8) | minor)
        guard mknod(path, type | 0o644, device) == 0 else {
            throw XCTSkip("mknod failed (\(String(cString: strerror(errno)))): no device nodes here")
        }
    }

    /// Runs `bulletinlint` with standard output on a pipe (nil) or appended to `file` (`>>`).
    static func runWithStandardOutput(_ arguments: [String], to file: URL?) throws -> CLI.Run {
        let process = Process()
        process.executableURL = try CLI.executable()
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let pipe = Pipe()
        var appended: Int32 = -1
        if let file {
            appended = open(file.path, O_WRONLY | O_APPEND | O_CLOEXEC)
            guard appended >= 0 else { throw CLIError("cannot open \(file.path)") }
            process.standardOutput = FileHandle(fileDescriptor: appended, closeOnDealloc: false)
        } else {
            process.standardOutput = pipe
        }
        defer { if appended >= 0 { close(appended) } }
        try process.run()
        // Small outputs: read both to the end, then wait.
        let output = file == nil ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
        let messages = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Run(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                       stderr: String(decoding: messages, as: UTF8.self))
    }

    static func status(_ path: String) throws -> stat {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError("cannot stat \(path)") }
        return info
    }

    /// The type bits of what is at `path` (not following a link).
    static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    static func bindSocket(_ path: String) throws -> Int32 {
        #if canImport(Glibc)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw XCTSkip("no Unix sockets") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw XCTSkip("socket path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw XCTSkip("cannot bind a Unix socket")
        }
        return descriptor
    }

    static func isIgnored(_ signal: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(signal, nil, &current) == 0 else { return false }
        #if canImport(Glibc)
        guard let handler = current.__sigaction_handler.sa_handler else { return false }
        #else
        guard let handler = current.__sigaction_u.__sa_handler else { return false }
        #endif
        return unsafeBitCast(handler, to: Int.self) == 1
    }

    static func waitUntil(_ what: String, seconds: Double = 20, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw CLIError("timed out waiting until \(what)") }
            usleep(5_000)
        }
    }

    /// The name of the hidden temporary file that appears in `dir`.
    static func waitForTemporary(in dir: URL) throws -> String {
        var found: String? = nil
        try waitUntil("a temporary file appears") {
            found = (try? listing(dir))?.first { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }
            return found != nil
        }
        return found ?? ""
    }

    /// `bulletinlint` running with a standard input it waits on (a pipe kept open).
    final class Running {
        let process = Process()
        let input = Pipe()

        init(_ arguments: [String], directory: URL) throws {
            process.executableURL = try CLI.executable()
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? input.fileHandleForWriting.close()
        }
    }

    /// Names created in a folder, seen through inotify (Linux).
    final class DirectoryWatch {
        struct Created: Equatable {
            let name: String
            let isDirectory: Bool
        }

        private let descriptor: Int32

        init?(_ path: String) {
            #if os(Linux)
            typealias Initialise = @convention(c) (Int32) -> Int32
            typealias AddWatch = @convention(c) (Int32, UnsafePointer<CChar>, UInt32) -> Int32
            guard let initialise = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "inotify_init1"),
                  let add = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "inotify_add_watch") else { return nil }
            let descriptor = unsafeBitCast(initialise, to: Initialise.self)(O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            // IN_CREATE | IN_MOVED_TO
            guard unsafeBitCast(add, to: AddWatch.self)(descriptor, path, 0x100 | 0x80) >= 0 else {
                close(descriptor)
                return nil
            }
            self.descriptor = descriptor
            #else
            return nil
            #endif
        }

        deinit { close(descriptor) }

        /// What was created since the last call.
        func drain() -> [Created] {
            var out: [Created] = []
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                var offset = 0
                while offset + 16 <= count {
                    func word(_ at: Int) -> UInt32 {
                        UInt32(buffer[offset + at]) | UInt32(buffer[offset + at + 1]) << 8
                            | UInt32(buffer[offset + at + 2]) << 16 | UInt32(buffer[offset + at + 3]) << 24
                    }
                    let mask = word(4)
                    let length = Int(word(12))
                    let name = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                    out.append(Created(name: String(decoding: name, as: UTF8.self), isDirectory: mask & 0x4000_0000 != 0))
                    offset += 16 + length
                }
            }
            return out
        }

        /// Waits for a created name that `matches`.
        func wait(seconds: Double = 20, for matches: (Created) -> Bool) throws -> Created {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&poller, 1, 10)
                if let found = drain().first(where: matches) { return found }
            }
            throw CLIError("timed out waiting for a file to be created")
        }
    }
}
