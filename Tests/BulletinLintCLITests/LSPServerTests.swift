import Foundation
import XCTest

/// `bulletinlint lsp` run as a subprocess and driven over pipes by a scripted client. Each
/// session is a golden transcript in `Tests/BulletinLintCoreTests/Fixtures/lsp/*.jsonl` (a folder the package excludes from the core tests, so SwiftPM does not ask what these files are), one step a line:
///
/// - `{"send": MESSAGE}`: the client sends it (`$ROOT` in strings is the session's folder; a
///   string that is exactly `$TEXT:name` is the text of that file in the folder);
/// - `{"expect": MESSAGE}`: the next message from the server must be this one (keys in any
///   order; the same placeholders, so paths do not matter);
/// - `{"copy": ["repository/path", "name"]}`, `{"write": ["name", "text"]}`: set up files;
/// - `{"exitCode": N}`: the server must exit with N while its standard input is still open.
///
/// The client sends a step only after the server's answers before it have arrived, so the
/// transcript does not depend on timing. `BULLETINLINT_RECORD=1` rewrites the expected
/// messages from what the server sent (then read the diff).
final class LSPServerTests: XCTestCase {
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BulletinLintCoreTests/Fixtures/lsp", isDirectory: true)

    func testPushSessionInUTF16() throws { try runSession("push-utf16") }
    func testPullSessionInUTF8() throws { try runSession("pull-utf8") }
    func testSessionInUTF32WithoutShutdown() throws { try runSession("utf32-no-shutdown") }

    func testHelpIsInChinese() throws {
        let run = try CLI.run(["lsp", "--help"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("语言服务器"), run.stdout)
    }

    // MARK: The runner

    private func runSession(_ name: String) throws {
        let url = LSPServerTests.fixtures.appendingPathComponent(name + ".jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bulletinlint-lsp-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let rootPath = root.standardizedFileURL.path

        let server = try LSPProcess(directory: root)
        defer { server.terminate() }
        var recorded: [String] = []
        for (number, line) in lines.enumerated() {
            let step = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "line \(number + 1)")
            if let message = step["send"] {
                let resolved = try substitute(message, root: rootPath)
                try server.send(try JSONSerialization.data(withJSONObject: resolved, options: [.sortedKeys, .withoutEscapingSlashes]))
                recorded.append(line)
            } else if step.keys.contains("expect") {
                let received = try server.receive(timeout: 60)
                let receivedObject = try JSONSerialization.jsonObject(with: received)
                let actual = try canonical(unsubstitute(receivedObject, root: rootPath))
                if CLI.isRecording {
                    recorded.append("{\"expect\":\(actual)}")
                } else {
                    let expected = try canonical(step["expect"] ?? NSNull())
                    XCTAssertEqual(actual, expected, "\(name).jsonl line \(number + 1)")
                    if actual != expected { return }
                    recorded.append(line)
                }
            } else if let copy = step["copy"] as? [String], copy.count == 2 {
                let from = CLI.repositoryRoot.appendingPathComponent(copy[0])
                try FileManager.default.copyItem(at: from, to: root.appendingPathComponent(copy[1]))
                recorded.append(line)
            } else if let write = step["write"] as? [String], write.count == 2 {
                try Data(write[1].utf8).write(to: root.appendingPathComponent(write[0]))
                recorded.append(line)
            } else if let code = step["exitCode"] as? Int {
                let status = try XCTUnwrap(server.waitForExit(timeout: 30), "the server did not exit with its input still open")
                XCTAssertEqual(Int(status), code)
                recorded.append(line)
            } else {
                XCTFail("\(name).jsonl line \(number + 1): unknown step")
            }
        }
        if CLI.isRecording {
            try Data((recorded.joined(separator: "\n") + "\n").utf8).write(to: url)
        }
    }

    private func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]),
               as: UTF8.self)
    }

    /// Placeholders to values in a message to send.
    private func substitute(_ value: Any, root: String) throws -> Any {
        switch value {
        case let text as String:
            if text.hasPrefix("$TEXT:") {
                return try String(contentsOfFile: (root as NSString).appendingPathComponent(String(text.dropFirst(6))), encoding: .utf8)
            }
            return text.replacingOccurrences(of: "$ROOT", with: root)
        case let array as [Any]:
            return try array.map { try substitute($0, root: root) }
        case let object as [String: Any]:
            return try object.mapValues { try substitute($0, root: root) }
        default:
            return value
        }
    }

    /// Values to placeholders in a received message.
    private func unsubstitute(_ value: Any, root: String) -> Any {
        switch value {
        case let text as String:
            return text.replacingOccurrences(of: root, with: "$ROOT")
        case let array as [Any]:
            return array.map { unsubstitute($0, root: root) }
        case let object as [String: Any]:
            return object.mapValues { unsubstitute($0, root: root) }
        default:
            return value
        }
    }
}

/// `bulletinlint lsp` with pipes on its standard input and output.
final class LSPProcess {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []

    init(directory: URL) throws {
        process.executableURL = try CLI.executable()
        process.arguments = ["lsp"]
        process.currentDirectoryURL = directory
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func send(_ body: Data) throws {
        var frame = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        frame.append(body)
        try input.fileHandleForWriting.write(contentsOf: frame)
    }

    /// The next message's body; fails after `timeout` seconds rather than hang.
    func receive(timeout: TimeInterval) throws -> Data {
        let deadline = Date().addingTimeInterval(timeout)
        let descriptor = output.fileHandleForReading.fileDescriptor
        while true {
            if let message = takeMessage() { return message }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw CLIError("no message from the server within \(Int(timeout)) s") }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { throw CLIError("the server closed its output") }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    private func takeMessage() -> Data? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4, let end = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<($0 + 4)]) == separator }) else { return nil }
        let header = String(decoding: buffer[0..<end], as: UTF8.self)
        guard let line = header.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
              let length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        guard buffer.count >= end + 4 + length else { return nil }
        let body = Data(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeFirst(end + 4 + length)
        return body
    }

    /// The exit status, or nil if the process is still running after `timeout` seconds.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func terminate() {
        if process.isRunning { process.terminate() }
        try? input.fileHandleForWriting.close()
    }
}
