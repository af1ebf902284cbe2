import Foundation
import XCTest

/// `bulletinlint mcp` run as a subprocess and driven over pipes by a scripted MCP client: the
/// reference page linted and fixed through the tools must give what `check --format json` and
/// `check --fix` give on the same text; bad inputs must come back as MCP errors; the server
/// must write nothing but protocol to its standard output and leave once its input closes.
final class MCPServerTests: XCTestCase {
    static let reference = CLI.repositoryRoot.appendingPathComponent("Tests/BulletinLintCoreTests/Fixtures/sichuan-bulletin-2021-04-extract.txt")
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BulletinLintCoreTests/Fixtures/mcp", isDirectory: true)

    private var folder: URL!

    /// Whether the binary has `mcp` (built with the MCP package trait, the default). Without it,
    /// `mcp --help` is `check`'s help (`mcp` taken for a path).
    static let serverBuilt: Bool = (try? CLI.run(["mcp", "--help"]).stdout.contains("MCP 服务器")) == true

    override func setUpWithError() throws {
        try XCTSkipUnless(MCPServerTests.serverBuilt, "bulletinlint was built without the MCP trait (--disable-default-traits)")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulletinlint-mcp-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: MCPServerTests.reference, to: folder.appendingPathComponent("reference.txt"))
    }

    override func tearDownWithError() throws {
        // Nil when setUp skipped the test.
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    // MARK: lint and fix of the reference page

    func testLintGivesTheFindingsAndPositionsOfCheck() throws {
        let check = try CLI.run(["check", "--format", "json", "reference.txt"], directory: folder)
        XCTAssertEqual(check.status, 0, check.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let files = try XCTUnwrap(report["files"] as? [[String: Any]])
        let expected = try XCTUnwrap(files.first?["diagnostics"] as? [[String: Any]]).map(MCPServerTests.checkFinding)
        XCTAssertGreaterThan(expected.count, 10)

        let text = try String(contentsOf: folder.appendingPathComponent("reference.txt"), encoding: .utf8)
        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        try client.initialize()
        for arguments in [["path": "reference.txt"], ["text": text, "name": "reference.txt"]] as [[String: Any]] {
            let result = try client.callTool("lint", arguments)
            XCTAssertEqual(result["isError"] as? Bool, false)
            let structured = try XCTUnwrap(result["structuredContent"] as? [String: Any])
            let findings = try XCTUnwrap(structured["findings"] as? [[String: Any]])
            XCTAssertEqual(findings.map(MCPServerTests.toolFinding), expected, "\(arguments.keys.sorted())")
            XCTAssertEqual(structured["path"] as? String, "reference.txt")
            XCTAssertEqual((structured["genre"] as? [String: Any])?["genre"] as? String, "简报")
            // The text block carries the same answer as JSON.
            let content = try XCTUnwrap((result["content"] as? [[String: Any]])?.first?["text"] as? String)
            let fromText = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any])
            XCTAssertEqual((fromText["findings"] as? [Any])?.count, findings.count)
            // Offsets count Unicode scalars from the start of the text, from 0.
            let scalars = Array(text.unicodeScalars)
            let lineStarts = MCPServerTests.lineStarts(scalars)
            for finding in findings {
                for key in ["start", "end"] {
                    let position = try XCTUnwrap(finding[key] as? [String: Any])
                    let line = try XCTUnwrap(position["line"] as? Int), column = try XCTUnwrap(position["column"] as? Int)
                    XCTAssertEqual(position["offset"] as? Int, lineStarts[line - 1] + column - 1, "\(finding)")
                }
            }
        }
        // The date-spacing finding on line 5 covers “3月 24日”.
        let linted = try client.callTool("lint", ["text": text])
        let findings = try XCTUnwrap((linted["structuredContent"] as? [String: Any])?["findings"] as? [[String: Any]])
        let date = try XCTUnwrap(findings.first { $0["rule"] as? String == "date-spacing" })
        let start = try XCTUnwrap((date["start"] as? [String: Any])?["offset"] as? Int)
        let end = try XCTUnwrap((date["end"] as? [String: Any])?["offset"] as? Int)
        XCTAssertEqual(String(String.UnicodeScalarView(Array(text.unicodeScalars)[start..<end])), "3月 24日")
    }

    func testFixGivesTheTextOfCheckFix() throws {
        let original = try String(contentsOf: folder.appendingPathComponent("reference.txt"), encoding: .utf8)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("reference.txt"), to: folder.appendingPathComponent("unsafe.txt"))
        let safeRun = try CLI.run(["check", "--fix", "reference.txt"], directory: folder)
        let unsafeRun = try CLI.run(["check", "--fix", "--unsafe-fixes", "unsafe.txt"], directory: folder)
        XCTAssertEqual(safeRun.status, 0, safeRun.stderr)
        XCTAssertEqual(unsafeRun.status, 0, unsafeRun.stderr)
        let safeFixed = try String(contentsOf: folder.appendingPathComponent("reference.txt"), encoding: .utf8)
        let unsafeFixed = try String(contentsOf: folder.appendingPathComponent("unsafe.txt"), encoding: .utf8)
        XCTAssertNotEqual(safeFixed, original)
        XCTAssertNotEqual(unsafeFixed, safeFixed)

        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        try client.initialize()
        for (unsafe, expected) in [(false, safeFixed), (true, unsafeFixed)] {
            var arguments: [String: Any] = ["text": original]
            if unsafe { arguments["unsafe"] = true }
            let result = try client.callTool("fix", arguments)
            XCTAssertEqual(result["isError"] as? Bool, false)
            let structured = try XCTUnwrap(result["structuredContent"] as? [String: Any])
            XCTAssertEqual(structured["text"] as? String, expected, "unsafe: \(unsafe)")
            XCTAssertEqual(structured["changed"] as? Bool, true)
            XCTAssertEqual(structured["unsafe"] as? Bool, unsafe)
            // The changes, applied to the original from the end, give the fixed text; each
            // names the rules it fixes.
            let changes = try XCTUnwrap(structured["changes"] as? [[String: Any]])
            XCTAssertFalse(changes.isEmpty)
            var scalars = Array(original.unicodeScalars)
            for change in changes.reversed() {
                let start = try XCTUnwrap((change["start"] as? [String: Any])?["offset"] as? Int)
                let end = try XCTUnwrap((change["end"] as? [String: Any])?["offset"] as? Int)
                XCTAssertEqual(String(String.UnicodeScalarView(scalars[start..<end])), change["old"] as? String)
                scalars.replaceSubrange(start..<end, with: Array((try XCTUnwrap(change["new"] as? String)).unicodeScalars))
                XCTAssertFalse((change["rules"] as? [String] ?? []).isEmpty, "\(change)")
            }
            XCTAssertEqual(String(String.UnicodeScalarView(scalars)), expected)
            let rules = Set(changes.flatMap { $0["rules"] as? [String] ?? [] })
            XCTAssertTrue(rules.contains("date-spacing"), "\(rules)")
            XCTAssertEqual(rules.contains("distribution-inner-terminator"), unsafe, "\(rules)")
            // What is left is what `check` reports on the fixed text.
            let remaining = try XCTUnwrap((structured["remaining"] as? [String: Any])?["findings"] as? [[String: Any]])
            try Data(expected.utf8).write(to: folder.appendingPathComponent("after.txt"))
            let after = try CLI.run(["check", "--format", "json", "after.txt"], directory: folder)
            let afterReport = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
            let afterFindings = try XCTUnwrap(((afterReport["files"] as? [[String: Any]])?.first?["diagnostics"]) as? [[String: Any]])
            XCTAssertEqual(remaining.map(MCPServerTests.toolFinding), afterFindings.map(MCPServerTests.checkFinding))
        }
    }

    /// The nearest `.bulletinlint.yaml` is looked up on every call: one written, changed or
    /// broken between two calls takes effect at once.
    func testConfigurationChangesBetweenCallsAreSeen() throws {
        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        try client.initialize()
        func dateSpacing() throws -> (Int, Any?) {
            let result = try client.callTool("lint", ["path": "reference.txt"])
            let structured = try XCTUnwrap(result["structuredContent"] as? [String: Any], "\(result)")
            let findings = try XCTUnwrap(structured["findings"] as? [[String: Any]])
            return (findings.filter { $0["rule"] as? String == "date-spacing" }.count, structured["config"])
        }
        let (before, noConfig) = try dateSpacing()
        XCTAssertGreaterThan(before, 0)
        XCTAssertTrue(noConfig is NSNull)
        let config = folder.appendingPathComponent(".bulletinlint.yaml")
        try Data("extends: [bulletin]\noverrides:\n  date-spacing: off\n".utf8).write(to: config)
        let (off, used) = try dateSpacing()
        XCTAssertEqual(off, 0)
        XCTAssertEqual(used as? String, ".bulletinlint.yaml")
        try Data("extends: [bulletin]\noverrides:\n  date-spacing: { severity: error }\n".utf8).write(to: config)
        XCTAssertEqual(try dateSpacing().0, before)
        try Data("extends: [bulletin]\noverides: {}\n".utf8).write(to: config)
        let broken = try client.callTool("lint", ["path": "reference.txt"])
        XCTAssertEqual(broken["isError"] as? Bool, true)
        let message = (broken["content"] as? [[String: Any]])?.first?["text"] as? String ?? ""
        XCTAssertTrue(message.contains(".bulletinlint.yaml 第 2 行"), message)
    }

    /// Characters outside the Basic Multilingual Plane (one scalar, two UTF-16 units, four
    /// bytes) and CRLF line ends: offsets still count scalars, and the fixed text is still that
    /// of `check --fix`.
    func testOffsetsCountScalarsAndFixKeepsCRLF() throws {
        let lines = ["内部资料", "四川省地方志工作简报", "2021年第5期（总第125期）", "四川省地方志工作办公室编          2021年4月2日", "",
                     "【工作动态】", "省地方志办印发年度工作要点", "𠀀😀2021年3月 30日，省地方志办印发《2021年全省地方志工作要点》。（省地方志办）", ""]
        let text = lines.joined(separator: "\r\n")
        try Data(text.utf8).write(to: folder.appendingPathComponent("draft.txt"))
        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        try client.initialize()
        let linted = try XCTUnwrap(try client.callTool("lint", ["text": text])["structuredContent"] as? [String: Any])
        let date = try XCTUnwrap((linted["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "date-spacing" })
        let start = try XCTUnwrap(date["start"] as? [String: Any]), end = try XCTUnwrap(date["end"] as? [String: Any])
        XCTAssertEqual(start["line"] as? Int, 8)
        XCTAssertEqual(start["column"] as? Int, 3)
        let scalars = Array(text.unicodeScalars)
        let slice = scalars[try XCTUnwrap(start["offset"] as? Int)..<(try XCTUnwrap(end["offset"] as? Int))]
        XCTAssertEqual(String(String.UnicodeScalarView(slice)), "2021年3月 30日")

        let fixed = try XCTUnwrap(try client.callTool("fix", ["text": text, "name": "draft.txt"])["structuredContent"] as? [String: Any])
        let run = try CLI.run(["check", "--fix", "draft.txt"], directory: folder)
        XCTAssertNotEqual(run.status, 2, run.stderr)
        let onDisk = try String(contentsOf: folder.appendingPathComponent("draft.txt"), encoding: .utf8)
        XCTAssertNotEqual(onDisk, text)
        XCTAssertEqual(fixed["text"] as? String, onDisk)
        XCTAssertTrue(onDisk.contains("𠀀😀2021年3月30日"))
        XCTAssertEqual(onDisk.components(separatedBy: "\r\n").count, lines.count)
    }

    // MARK: explain, list_rules, inspect

    func testExplainListRulesAndInspectGiveWhatTheCommandsGive() throws {
        let explain = try CLI.run(["explain", "date-spacing"], directory: folder)
        let rules = try CLI.run(["rules", "--rules", "bulletin", "--format", "json"], directory: folder)
        let inspect = try CLI.run(["inspect", "--format", "json", "reference.txt"], directory: folder)
        XCTAssertEqual(explain.status, 0)
        XCTAssertEqual(rules.status, 0)
        XCTAssertEqual(inspect.status, 0)

        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        try client.initialize()

        let explained = try XCTUnwrap(try client.callTool("explain", ["rule": "date-spacing"])["structuredContent"] as? [String: Any])
        XCTAssertEqual(explained["id"] as? String, "date-spacing")
        XCTAssertEqual(explained["text"] as? String, explain.stdout)
        XCTAssertEqual(explained["fix"] as? String, "safe")
        XCTAssertFalse((explained["help"] as? String ?? "").isEmpty)
        let examples = try XCTUnwrap(explained["examples"] as? [String: Any])
        XCTAssertFalse((examples["invalid"] as? [Any] ?? []).isEmpty)
        XCTAssertFalse((examples["valid"] as? [Any] ?? []).isEmpty)
        let engine = try XCTUnwrap(try client.callTool("explain", ["rule": "io-error"])["structuredContent"] as? [String: Any])
        XCTAssertEqual(engine["engine"] as? Bool, true)

        let listed = try XCTUnwrap(try client.callTool("list_rules", ["rules": "bulletin"])["structuredContent"] as? [String: Any])
        let expectedRules = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(rules.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((listed["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String },
                       (expectedRules["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String })
        XCTAssertEqual(listed["ruleset"] as? String, "bulletin")
        XCTAssertTrue((listed["builtin"] as? [String] ?? []).contains("gongwen"))

        let inspected = try XCTUnwrap(try client.callTool("inspect", ["path": "reference.txt"])["structuredContent"] as? [String: Any])
        let expectedInspect = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8))
        XCTAssertEqual(try MCPServerTests.canonical(inspected), try MCPServerTests.canonical(expectedInspect))
        let fromText = try XCTUnwrap(try client.callTool("inspect", ["text": try String(contentsOf: MCPServerTests.reference, encoding: .utf8),
                                                                   "name": "reference.txt"])["structuredContent"] as? [String: Any])
        XCTAssertEqual(try MCPServerTests.canonical(fromText), try MCPServerTests.canonical(expectedInspect))
    }

    // MARK: Bad input

    /// Input the model can correct is a tool result with `isError: true` and a Chinese message;
    /// an unknown tool is a JSON-RPC error.
    func testBadInputsAreMCPErrors() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder"), withIntermediateDirectories: true)
        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        try client.initialize()
        let cases: [(String, [String: Any], String)] = [
            ("lint", [:], "text（文稿全文）或 path"),
            ("lint", ["text": "x", "path": "reference.txt"], "只能给一个"),
            ("lint", ["path": "missing.txt"], "文件不存在"),
            ("lint", ["path": "folder"], "文件夹"),
            ("lint", ["text": 12], "应为字符串"),
            ("lint", ["txt": "x"], "是否要写“text”"),
            ("lint", ["text": "x", "rules": "bulletn"], "是否要找“bulletin”"),
            ("lint", ["text": "x", "genre": "小说"], "未知的文书类别"),
            ("fix", ["path": "reference.txt"], "不接受参数“path”"),
            ("fix", ["text": "x", "unsafe": "yes"], "应为 true 或 false"),
            ("explain", [:], "缺少参数 rule"),
            ("explain", ["rule": "date-spacng"], "是否要找“date-spacing”"),
            ("inspect", ["path": "/dev/null"], "不是普通文件"),
        ]
        for (tool, arguments, phrase) in cases {
            let result = try client.callTool(tool, arguments)
            XCTAssertEqual(result["isError"] as? Bool, true, "\(tool) \(arguments)")
            let message = (result["content"] as? [[String: Any]])?.first?["text"] as? String ?? ""
            XCTAssertTrue(message.contains(phrase), "\(tool) \(arguments): \(message)")
            XCTAssertNil(result["structuredContent"])
        }
        let unknown = try client.request("tools/call", ["name": "lint-all", "arguments": [:]])
        let error = try XCTUnwrap(unknown["error"] as? [String: Any])
        XCTAssertEqual(error["code"] as? Int, -32602)
        XCTAssertTrue((error["message"] as? String ?? "").contains("未知的工具“lint-all”"), "\(error)")
    }

    /// A text over the limit files are held to (64 MB) is refused, not checked.
    func testTextOverTheLimitIsRefused() throws {
        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        try client.initialize()
        let limit = 64 * 1024 * 1024
        let result = try client.callTool("lint", ["text": String(repeating: "a", count: limit + 1)], timeout: 300)
        XCTAssertEqual(result["isError"] as? Bool, true)
        let message = (result["content"] as? [[String: Any]])?.first?["text"] as? String ?? ""
        XCTAssertTrue(message.contains("\(limit + 1) 字节，超过 64 MB"), message)
        // Still serving.
        XCTAssertEqual(try client.callTool("lint", ["text": "【工作动态】\n"])["isError"] as? Bool, false)
    }

    // MARK: The stdio transport

    /// Requests written and input closed at once: every one is answered, then the server exits
    /// with 0; standard output holds only JSON-RPC messages, one per line.
    func testAnswersEverythingThenExitsWhenInputCloses() throws {
        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        try client.initialize()
        try client.send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        for id in 10..<14 {
            try client.send(["jsonrpc": "2.0", "id": id, "method": "tools/call",
                             "params": ["name": "lint", "arguments": ["path": "reference.txt"]]])
        }
        try client.send(["jsonrpc": "2.0", "id": "ping", "method": "ping"])
        client.closeInput()
        var answered: Set<String> = []
        while let message = try client.nextMessage(timeout: 120, endOK: true) {
            answered.insert("\(message["id"] ?? "")")
            XCTAssertNil(message["error"], "\(message)")
        }
        XCTAssertEqual(answered, ["10", "11", "12", "13", "ping"])
        XCTAssertEqual(client.waitForExit(timeout: 30), 0)
    }

    func testRequestsBeforeInitializeAreRefused() throws {
        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        let early = try client.request("tools/list", [:])
        XCTAssertNotNil(early["error"], "\(early)")
        try client.initialize()
        XCTAssertNotNil((try client.request("tools/list", [:])["result"] as? [String: Any])?["tools"])
    }

    /// The session in `Fixtures/mcp/session.jsonl`, one step a line (`{"send": MESSAGE}`,
    /// `{"sendRaw": "LINE"}` for a line that is not JSON, `{"expect": MESSAGE}` for the answer):
    /// a request before `initialize`, initialize (one capability, tools), the tool list with its
    /// schemas, JSON-RPC errors (unknown tool, no tool name, unknown method, not JSON), tool
    /// errors, a small fix and a ping. `BULLETINLINT_RECORD=1` rewrites the expected messages
    /// from what the server sent (then read the diff).
    func testSessionTranscript() throws {
        let url = MCPServerTests.fixtures.appendingPathComponent("session.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let client = try MCPClient(directory: folder)
        defer { client.stop() }
        var recorded: [String] = []
        for (number, line) in lines.enumerated() {
            let step = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "line \(number + 1)")
            if let message = step["send"] as? [String: Any] {
                try client.send(message)
                recorded.append(line)
            } else if let raw = step["sendRaw"] as? String {
                try client.sendLine(raw)
                recorded.append(line)
            } else if step.keys.contains("expect") {
                // The session's folder is `$ROOT` in the transcript.
                let received = try MCPServerTests.canonical(try XCTUnwrap(try client.nextMessage(timeout: 60)))
                let actual = received.replacingOccurrences(of: folder.standardizedFileURL.path, with: "$ROOT")
                if CLI.isRecording {
                    recorded.append("{\"expect\":\(actual)}")
                } else {
                    XCTAssertEqual(actual, try MCPServerTests.canonical(step["expect"] ?? NSNull()), "session.jsonl line \(number + 1)")
                    recorded.append(line)
                }
            } else {
                XCTFail("session.jsonl line \(number + 1): unknown step")
            }
        }
        if CLI.isRecording { try Data((recorded.joined(separator: "\n") + "\n").utf8).write(to: url) }
    }

    func testHelpIsInChinese() throws {
        let run = try CLI.run(["mcp", "--help"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("MCP 服务器"), run.stdout)
    }

    // MARK: Helpers

    /// A finding of `check --format json` as rule, severity, message, positions and fix safety.
    static func checkFinding(_ diagnostic: [String: Any]) -> String {
        let span = diagnostic["span"] as? [String: Any] ?? [:]
        let start = span["start"] as? [String: Any] ?? [:], end = span["end"] as? [String: Any] ?? [:]
        let safety = ((diagnostic["fixes"] as? [[String: Any]])?.first?["applicability"] as? String) ?? "-"
        return "\(diagnostic["rule"] ?? "") \(diagnostic["severity"] ?? "") \(start["line"] ?? ""):\(start["column"] ?? "")-\(end["line"] ?? ""):\(end["column"] ?? "") \(safety) \(diagnostic["message"] ?? "")"
    }

    /// The same of a `lint` finding.
    static func toolFinding(_ finding: [String: Any]) -> String {
        let start = finding["start"] as? [String: Any] ?? [:], end = finding["end"] as? [String: Any] ?? [:]
        let safety = (finding["fix"] as? [String: Any])?["safety"] as? String ?? "-"
        return "\(finding["rule"] ?? "") \(finding["severity"] ?? "") \(start["line"] ?? ""):\(start["column"] ?? "")-\(end["line"] ?? ""):\(end["column"] ?? "") \(safety) \(finding["message"] ?? "")"
    }

    /// The scalar offset at which each line starts.
    static func lineStarts(_ scalars: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        for (i, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(i + 1) }
        return starts
    }

    static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]),
               as: UTF8.self)
    }
}

/// A scripted MCP client: `bulletinlint mcp` with pipes on its standard input and output, one
/// JSON-RPC message per line. Every line the server writes must be a JSON-RPC 2.0 message.
final class MCPClient {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []
    private var nextID = 1

    init(directory: URL) throws {
        process.executableURL = try CLI.executable()
        process.arguments = ["mcp"]
        process.currentDirectoryURL = directory
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func send(_ message: [String: Any]) throws {
        var line = try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])
        line.append(0x0A)
        try input.fileHandleForWriting.write(contentsOf: line)
    }

    /// Sends one line as it is (not necessarily JSON).
    func sendLine(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data((text + "\n").utf8))
    }

    /// Sends a request and returns its response, which must be the next message.
    func request(_ method: String, _ params: [String: Any], timeout: TimeInterval = 60) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        try send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
        guard let response = try nextMessage(timeout: timeout) else { throw CLIError("the server closed its output") }
        guard response["id"] as? Int == id else { throw CLIError("expected the response to \(id), got \(response)") }
        return response
    }

    func initialize() throws {
        let response = try request("initialize", [
            "protocolVersion": "2025-06-18", "capabilities": [:] as [String: Any],
            "clientInfo": ["name": "bulletinlint-tests", "version": "1"],
        ])
        guard response["result"] != nil else { throw CLIError("initialize failed: \(response)") }
        try send(["jsonrpc": "2.0", "method": "notifications/initialized"])
    }

    /// The `result` of a `tools/call`.
    func callTool(_ name: String, _ arguments: [String: Any], timeout: TimeInterval = 60) throws -> [String: Any] {
        let response = try request("tools/call", ["name": name, "arguments": arguments], timeout: timeout)
        guard let result = response["result"] as? [String: Any] else { throw CLIError("tools/call \(name) failed: \(response)") }
        return result
    }

    /// The next message; nil at the end of output when `endOK`.
    func nextMessage(timeout: TimeInterval, endOK: Bool = false) throws -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        let descriptor = output.fileHandleForReading.fileDescriptor
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Data(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                guard let message = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                      message["jsonrpc"] as? String == "2.0" else {
                    throw CLIError("not a JSON-RPC message on standard output: \(String(decoding: line, as: UTF8.self).prefix(200))")
                }
                return message
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw CLIError("no message from the server within \(Int(timeout)) s") }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else {
                if endOK, buffer.isEmpty { return nil }
                throw CLIError("the server closed its output")
            }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func stop() {
        closeInput()
        if waitForExit(timeout: 10) == nil { process.terminate() }
    }
}
