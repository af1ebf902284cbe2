import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Golden tests for the CLI, as SwiftLint and ruff test their output: the real `bulletinlint` executable runs over
/// every bulletin in `samples/`, from the repository root, and its stdout must equal
/// `samples/expected/<name>.out` (text) or `samples/expected/all.json` (JSON, whole folder)
/// byte for byte.
///
/// Re-record after an intended change of output, then review `git diff samples/expected`:
///
///     BULLETINLINT_RECORD=1 swift test --skip-build --filter GoldenSamplesTests
final class GoldenSamplesTests: XCTestCase {
    // MARK: Golden files

    /// Every `samples/*.txt` against `samples/expected/<name>.out`, with the exit code.
    func testEachSampleMatchesItsGoldenOutput() throws {
        let samples = try CLI.sampleNames()
        XCTAssertGreaterThanOrEqual(samples.count, 9, "samples/ should hold at least nine bulletins")
        for name in samples {
            let run = try CLI.run(["--no-color", "samples/\(name).txt"])
            XCTAssertEqual(run.stderr, "", "\(name).txt: unexpected stderr")
            let expectedExit: Int32 = CLI.hasErrorDiagnostic(run.stdout) ? 1 : 0
            XCTAssertEqual(run.status, expectedExit, "\(name).txt: exit code")
            try CLI.compareOrRecord(run.stdout, golden: "\(name).out")
        }
    }

    /// The whole folder as JSON against `samples/expected/all.json`.
    func testFolderJSONMatchesGoldenOutput() throws {
        let run = try CLI.run(["--format", "json", "samples/"])
        XCTAssertEqual(run.stderr, "")
        // Some samples carry error-level defects, so the folder run fails.
        XCTAssertEqual(run.status, 1)
        try CLI.compareOrRecord(run.stdout, golden: "all.json")
    }

    /// Every golden file belongs to a sample: a renamed or deleted sample leaves no stale file.
    func testNoStaleGoldenFiles() throws {
        let samples = Set(try CLI.sampleNames())
        let expected = try FileManager.default.contentsOfDirectory(atPath: CLI.expectedDirectory.path)
        for file in expected where file.hasSuffix(".out") {
            XCTAssertTrue(samples.contains(String(file.dropLast(4))), "samples/expected/\(file) has no sample")
        }
    }

    /// The samples that document a well-formed bulletin must stay free of errors (DESIGN §6:
    /// no false errors on well-formed bulletins), whatever the golden file says.
    func testWellFormedSamplesHaveNoErrors() throws {
        // Also well-formed, but with false findings today (see samples/README.md, "Known
        // problems"); add them here once fixed: title-punctuation, pdf-wrapped-attribution.
        for name in ["clean", "pdf-extract", "gbk-encoded", "imprint-split"] {
            let run = try CLI.run(["--no-color", "samples/\(name).txt"])
            XCTAssertEqual(run.status, 0, "\(name).txt:\n\(run.stdout)")
            XCTAssertFalse(CLI.hasErrorDiagnostic(run.stdout), "\(name).txt:\n\(run.stdout)")
        }
        let clean = try CLI.run(["--no-color", "samples/clean.txt"])
        XCTAssertEqual(CLI.diagnosticHeaders(clean.stdout), [], "clean.txt should report nothing")
    }

    // MARK: CLI contract (DESIGN §5)

    /// A malformed rule file is a usage error: exit 2, `FILE:LINE:COL: error:` on stderr.
    func testMalformedRuleFileExitsTwoWithPosition() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulletinlint-golden-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("broken.yaml")
        // An unclosed flow sequence: a YAML syntax error, not just a schema mistake.
        try Data("""
            ruleset: broken
            extends: [bulletin]
            rules:
              - id: local-banned
                check: forbidden
                phrases: [截止目前, 其它
                severity: warning

            """.utf8).write(to: rules)
        let run = try CLI.run(["--rules", rules.path, "samples/clean.txt"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stdout, "", "nothing is linted with a broken rule set")
        let firstLine = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        XCTAssertTrue(firstLine.hasPrefix(rules.path + ":"), "stderr: \(run.stderr)")
        let position = firstLine.dropFirst(rules.path.count)
        XCTAssertNotNil(position.range(of: #"^:\d+:\d+: error: "#, options: .regularExpression), "stderr: \(run.stderr)")
    }

    /// `-` reads standard input; `--stdin-filename` names it in the report.
    func testStandardInputUsesStdinFilename() throws {
        let sample = CLI.repositoryRoot.appendingPathComponent("samples/missing-attribution.txt")
        let run = try CLI.run(["--no-color", "--stdin-filename", "draft.txt", "-"], stdin: sample)
        XCTAssertEqual(run.status, 1)
        let headers = CLI.diagnosticHeaders(run.stdout)
        XCTAssertFalse(headers.isEmpty)
        for header in headers {
            XCTAssertTrue(header.hasPrefix("draft.txt:"), header)
        }
        // Same findings as the file itself, under the other name.
        let direct = try CLI.run(["--no-color", "samples/missing-attribution.txt"])
        XCTAssertEqual(run.stdout, direct.stdout.replacingOccurrences(of: "samples/missing-attribution.txt:", with: "draft.txt:"))
    }

    /// No escape bytes with `NO_COLOR` or `--no-color`, even on a terminal.
    func testNoColorOutputHasNoEscapeBytes() throws {
        let args = ["samples/bad-dates.txt"]
        // Through a pipe.
        let piped = try CLI.run(args, environment: ["NO_COLOR": "1"])
        XCTAssertFalse(piped.stdout.contains("\u{1B}"))
        let flagged = try CLI.run(["--no-color"] + args)
        XCTAssertFalse(flagged.stdout.contains("\u{1B}"))
        // On a terminal, where colour is on by default.
        guard let coloured = try CLI.runOnTerminal(args) else {
            throw XCTSkip("no pseudo-terminal available")
        }
        XCTAssertTrue(coloured.contains("\u{1B}["), "colour expected on a terminal without NO_COLOR")
        let noColorEnv = try XCTUnwrap(try CLI.runOnTerminal(args, environment: ["NO_COLOR": "1"]))
        XCTAssertFalse(noColorEnv.contains("\u{1B}"), "NO_COLOR=1 on a terminal")
        let noColorFlag = try XCTUnwrap(try CLI.runOnTerminal(["--no-color"] + args))
        XCTAssertFalse(noColorFlag.contains("\u{1B}"), "--no-color on a terminal")
    }

    /// `--quiet` prints errors only: exactly the error diagnostics of the full output.
    func testQuietPrintsErrorsOnly() throws {
        let full = try CLI.run(["--no-color", "samples/bad-dates.txt"])
        let quiet = try CLI.run(["--no-color", "--quiet", "samples/bad-dates.txt"])
        XCTAssertEqual(quiet.status, 1)
        let errors = CLI.diagnosticBlocks(full.stdout).filter { $0.first?.contains(": error: ") == true }
        XCTAssertFalse(errors.isEmpty)
        XCTAssertEqual(CLI.diagnosticBlocks(quiet.stdout), errors)
        XCTAssertLessThan(errors.count, CLI.diagnosticBlocks(full.stdout).count, "the sample should also have warnings")

        // Warnings only: nothing to print, and the run passes.
        let warningsOnly = try CLI.run(["--no-color", "--quiet", "samples/wording.txt"])
        XCTAssertEqual(warningsOnly.status, 0)
        XCTAssertEqual(CLI.diagnosticHeaders(warningsOnly.stdout), [])
        // The summary does not claim “0 个警告” for warnings it hid.
        XCTAssertTrue(warningsOnly.stdout.hasSuffix("共检查 1 个文件：0 个错误（--quiet：警告和提示未显示）\n"), warningsOnly.stdout)
        XCTAssertFalse(quiet.stdout.contains("个警告"), quiet.stdout)
    }

    /// A folder's files come out sorted by path, each with the findings it has alone; files
    /// given in any order are reported sorted too.
    func testFolderOutputIsSortedByPath() throws {
        let run = try CLI.run(["--no-color", "samples"])
        XCTAssertEqual(run.status, 1)
        let paths = CLI.diagnosticHeaders(run.stdout).map(CLI.path(ofHeader:))
        XCTAssertEqual(paths, paths.sorted(), "paths in output order")
        var seen: [String] = []
        for path in paths where seen.last != path {
            XCTAssertFalse(seen.contains(path), "\(path) reported in two runs of lines")
            seen.append(path)
        }
        for name in try CLI.sampleNames() {
            let alone = try CLI.run(["--no-color", "samples/\(name).txt"])
            let blocks = CLI.diagnosticBlocks(run.stdout).filter { CLI.path(ofHeader: $0[0]) == "samples/\(name).txt" }
            XCTAssertEqual(blocks, CLI.diagnosticBlocks(alone.stdout), "samples/\(name).txt in the folder run")
        }

        let reversed = try CLI.run(["--no-color", "samples/wording.txt", "samples/bad-dates.txt"])
        let reversedPaths = CLI.diagnosticHeaders(reversed.stdout).map(CLI.path(ofHeader:))
        XCTAssertEqual(reversedPaths, reversedPaths.sorted())
        XCTAssertEqual(Set(reversedPaths), ["samples/bad-dates.txt", "samples/wording.txt"])
    }

    /// A path that does not exist is an `io-error` diagnostic of its own; the other files are
    /// still linted and reported.
    func testMissingPathIsReportedAndRunGoesOn() throws {
        let run = try CLI.run(["--no-color", "samples/wording.txt", "samples/no-such-bulletin.txt", "samples/clean.txt"])
        XCTAssertEqual(run.status, 1)
        let headers = CLI.diagnosticHeaders(run.stdout)
        XCTAssertTrue(headers.contains { $0.hasPrefix("samples/no-such-bulletin.txt:1:1: error: ") && $0.hasSuffix("[io-error]") },
                      run.stdout)
        let wording = try CLI.run(["--no-color", "samples/wording.txt"])
        XCTAssertEqual(CLI.diagnosticBlocks(run.stdout).filter { CLI.path(ofHeader: $0[0]) == "samples/wording.txt" },
                       CLI.diagnosticBlocks(wording.stdout))
        XCTAssertTrue(run.stdout.contains("\n共检查 3 个文件：1 个错误，5 个警告，0 个提示\n"), run.stdout)
    }
}

/// Running the built executable.
enum CLI {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The repository root: this file is `Tests/BulletinLintCLITests/GoldenSamplesTests.swift`.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let samplesDirectory = repositoryRoot.appendingPathComponent("samples", isDirectory: true)
    static let expectedDirectory = samplesDirectory.appendingPathComponent("expected", isDirectory: true)

    static var isRecording: Bool { ProcessInfo.processInfo.environment["BULLETINLINT_RECORD"] == "1" }

    /// `bulletinlint` in the products directory, which holds the `.xctest` bundle.
    static func executable() throws -> URL {
        let testBundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }
            ?? Bundle.allBundles.first { $0.executablePath?.hasSuffix(".xctest") == true }
        var candidates: [URL] = []
        if let testBundle {
            let path = testBundle.bundlePath.hasSuffix(".xctest") ? testBundle.bundlePath : testBundle.executablePath ?? ""
            candidates.append(URL(fileURLWithPath: path).deletingLastPathComponent())
        }
        // On Linux the test binary itself is the `.xctest` file.
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for folder in candidates {
            let url = folder.appendingPathComponent("bulletinlint")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw CLIError("bulletinlint executable not found next to the test bundle (looked in \(candidates.map(\.path))); build with `swift build --build-tests` first")
    }

    /// Sample names (without `.txt`), sorted.
    static func sampleNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: samplesDirectory.path)
            .filter { $0.hasSuffix(".txt") }
            .map { String($0.dropLast(4)) }
            .sorted()
    }

    /// Runs `bulletinlint` from the repository root. `NO_COLOR` is removed from the inherited
    /// environment so results do not depend on the caller's shell.
    static func run(_ arguments: [String], stdin: URL? = nil, environment: [String: String] = [:],
                    directory: URL? = nil) throws -> Run {
        let process = try process(arguments, environment: environment, directory: directory)
        guard let captured = try capture(process, stdin: stdin) else { throw CLIError("bulletinlint did not end") }
        return Run(status: captured.status, stdout: try decode(captured.stdout), stderr: try decode(captured.stderr))
    }

    /// `bulletinlint ARGUMENTS` set up as `run` runs it, for a caller that runs it otherwise.
    static func process(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        process.environment = childEnvironment(environment)
        return process
    }

    /// What a process wrote and how it ended.
    struct Captured {
        let status: Int32
        /// Ended by a signal (a trap, a kill) rather than an exit.
        let signalled: Bool
        let stdout: Data
        let stderr: Data
    }

    /// Runs a prepared process with stdout and stderr in files (not pipes: the JSON of a whole
    /// folder is larger than a pipe buffer) and standard input from `stdin` or empty. With a
    /// `deadline`, a process still running after that many seconds is killed and nil returned.
    static func capture(_ process: Process, stdin: URL? = nil, deadline: TimeInterval? = nil) throws -> Captured? {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulletinlint-run-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
              FileManager.default.createFile(atPath: errURL.path, contents: nil) else {
            throw CLIError("cannot create files in \(scratch.path)")
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        try process.run()
        if let deadline {
            let end = Date().addingTimeInterval(deadline)
            while process.isRunning, Date() < end { usleep(20_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
        }
        process.waitUntilExit()
        return Captured(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                        stdout: try Data(contentsOf: outURL), stderr: try Data(contentsOf: errURL))
    }

    /// Runs `bulletinlint` with stdout on a pseudo-terminal and returns what it wrote, or nil
    /// when no pseudo-terminal can be opened.
    static func runOnTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> String? {
        guard let (master, slave) = PseudoTerminal.open() else { return nil }
        defer { close(master) }
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.environment = childEnvironment(environment)
        process.standardOutput = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            close(slave)
            throw error
        }
        close(slave)
        // Read until the child has exited and the terminal is drained; a deadline guards a hang.
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready > 0 {
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }  // EIO on Linux once the last slave descriptor closes
                output.append(contentsOf: buffer[0..<count])
            } else if !process.isRunning {
                break
            }
        }
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }

    private static func childEnvironment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment.removeValue(forKey: "BULLETINLINT_RECORD")
        environment.merge(extra) { $1 }
        return environment
    }

    private static func decode(_ data: Data) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError("output is not UTF-8") }
        return text
    }

    /// Compares with `samples/expected/<golden>`, or rewrites it when recording.
    static func compareOrRecord(_ actual: String, golden: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = expectedDirectory.appendingPathComponent(golden)
        if isRecording {
            // Recording is not passing: a changed golden file fails the run that wrote it, so a
            // run with the variable left set cannot hide a change.
            let before = FileManager.default.contents(atPath: url.path)
            if before == Data(actual.utf8) { return }
            try FileManager.default.createDirectory(at: expectedDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url, options: .atomic)
            XCTFail("recorded samples/expected/\(golden); review the change and run again without BULLETINLINT_RECORD", file: file, line: line)
            return
        }
        guard let expectedData = FileManager.default.contents(atPath: url.path) else {
            XCTFail("missing samples/expected/\(golden); record it with BULLETINLINT_RECORD=1", file: file, line: line)
            return
        }
        if expectedData != Data(actual.utf8) {
            let expected = String(decoding: expectedData, as: UTF8.self)
            XCTFail("""
                output differs from samples/expected/\(golden) (re-record with BULLETINLINT_RECORD=1 if intended)
                \(firstDifference(expected: expected, actual: actual))
                """, file: file, line: line)
        }
    }

    /// The first differing line, for a readable failure.
    static func firstDifference(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let left = i < e.count ? String(e[i]) : "<end>"
            let right = i < a.count ? String(a[i]) : "<end>"
            if left != right { return "line \(i + 1):\n  expected: \(left)\n  actual:   \(right)" }
        }
        return "(same lines; the difference is in line ends or bytes)"
    }

    // MARK: Reading text output

    /// `path:line:col: severity: message [rule]` lines.
    static func diagnosticHeaders(_ output: String) -> [String] {
        diagnosticBlocks(output).map { $0[0] }
    }

    /// Each diagnostic with its excerpt and help lines (indented), without the summary line.
    static func diagnosticBlocks(_ output: String) -> [[String]] {
        var blocks: [[String]] = []
        for line in output.split(separator: "\n").map(String.init) {
            if line.hasPrefix(" ") {
                if !blocks.isEmpty { blocks[blocks.count - 1].append(line) }
            } else if isHeader(line) {
                blocks.append([line])
            }
        }
        return blocks
    }

    static func isHeader(_ line: String) -> Bool {
        line.range(of: #"^.+:\d+:\d+: (error|warning|info): "#, options: .regularExpression) != nil
    }

    static func hasErrorDiagnostic(_ output: String) -> Bool {
        diagnosticHeaders(output).contains { $0.range(of: #"^.+:\d+:\d+: error: "#, options: .regularExpression) != nil }
    }

    /// The path of a header line (everything before `:LINE:COL: `).
    static func path(ofHeader header: String) -> String {
        guard let range = header.range(of: #":\d+:\d+: (error|warning|info): "#, options: .regularExpression) else { return header }
        return String(header[..<range.lowerBound])
    }
}

/// A pseudo-terminal pair, for checking what the CLI does when stdout is a terminal.
/// Glibc's headers hide posix_openpt, grantpt, unlockpt and ptsname from Swift (they need
/// _XOPEN_SOURCE), so on Linux they are looked up at run time.
enum PseudoTerminal {
    /// (master, slave) descriptors, or nil when the system has none to give.
    static func open() -> (master: CInt, slave: CInt)? {
        #if canImport(Darwin)
        let master = posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0 else { return nil }
        guard grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            close(master)
            return nil
        }
        let slave = Darwin.open(name, O_RDWR | O_NOCTTY)
        #else
        typealias IntFromInt = @convention(c) (CInt) -> CInt
        typealias NameFromInt = @convention(c) (CInt) -> UnsafeMutablePointer<CChar>?
        guard let library = dlopen(nil, RTLD_NOW),
              let openSymbol = dlsym(library, "posix_openpt"), let grantSymbol = dlsym(library, "grantpt"),
              let unlockSymbol = dlsym(library, "unlockpt"), let nameSymbol = dlsym(library, "ptsname") else { return nil }
        let posixOpenPT = unsafeBitCast(openSymbol, to: IntFromInt.self)
        let grantPT = unsafeBitCast(grantSymbol, to: IntFromInt.self)
        let unlockPT = unsafeBitCast(unlockSymbol, to: IntFromInt.self)
        let ptsName = unsafeBitCast(nameSymbol, to: NameFromInt.self)
        let master = posixOpenPT(O_RDWR | O_NOCTTY)
        guard master >= 0 else { return nil }
        guard grantPT(master) == 0, unlockPT(master) == 0, let name = ptsName(master) else {
            close(master)
            return nil
        }
        let slave = Glibc.open(name, O_RDWR | O_NOCTTY)
        #endif
        guard slave >= 0 else {
            close(master)
            return nil
        }
        return (master, slave)
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
