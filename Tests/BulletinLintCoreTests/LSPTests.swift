@testable import BulletinLintCore
import Foundation
import XCTest

/// The language server in-process, over pipes; and its position arithmetic.
final class LSPTests: XCTestCase {
    // MARK: Positions

    func testPositionsAfterAstralCharactersInEachEncoding() {
        // 𠀀 (U+20000) and 😀 are four UTF-8 bytes, two UTF-16 units and one scalar each.
        let text = LSPText("a𠀀😀b\r\n第二行𠀀c\rz")
        let b = Array("a𠀀😀".utf8).count
        XCTAssertEqual(text.position(of: b, in: .utf8), LSPPosition(line: 0, character: 9))
        XCTAssertEqual(text.position(of: b, in: .utf16), LSPPosition(line: 0, character: 5))
        XCTAssertEqual(text.position(of: b, in: .utf32), LSPPosition(line: 0, character: 3))
        let line2 = Array("a𠀀😀b\r\n".utf8).count
        let c = line2 + Array("第二行𠀀".utf8).count
        XCTAssertEqual(text.position(of: c, in: .utf8), LSPPosition(line: 1, character: 13))
        XCTAssertEqual(text.position(of: c, in: .utf16), LSPPosition(line: 1, character: 5))
        XCTAssertEqual(text.position(of: c, in: .utf32), LSPPosition(line: 1, character: 4))
        for encoding in PositionEncoding.allCases {
            for offset in [0, 1, 5, b, line2, c, text.bytes.count] {
                XCTAssertEqual(text.offset(of: text.position(of: offset, in: encoding), in: encoding), offset, "\(encoding) \(offset)")
            }
        }
        // Half a surrogate pair is the start of the character; past the end of a line is its end;
        // a lone CR ends a line.
        XCTAssertEqual(text.offset(of: LSPPosition(line: 0, character: 2), in: .utf16), 1)
        XCTAssertEqual(text.offset(of: LSPPosition(line: 0, character: 99), in: .utf16), Array("a𠀀😀b".utf8).count)
        XCTAssertEqual(text.position(of: text.bytes.count, in: .utf16), LSPPosition(line: 2, character: 1))
        XCTAssertEqual(text.offset(of: LSPPosition(line: 9, character: 0), in: .utf8), text.bytes.count)
    }

    func testEncodingNegotiation() {
        XCTAssertEqual(PositionEncoding.negotiate(offered: []), .utf16)
        XCTAssertEqual(PositionEncoding.negotiate(offered: ["utf-16", "utf-8"]), .utf8)
        XCTAssertEqual(PositionEncoding.negotiate(offered: ["utf-32", "utf-16"]), .utf32)
        XCTAssertEqual(PositionEncoding.negotiate(offered: ["latin-1"]), .utf16)
    }

    func testIncrementalChangesInEachEncoding() {
        for encoding in PositionEncoding.allCases {
            var text = LSPText("𠀀😀日期\n")
            let after = text.position(of: 8, in: encoding)
            text.replace(LSPRange(start: after, end: after), with: "，", in: encoding)
            XCTAssertEqual(text.string, "𠀀😀，日期\n", "\(encoding)")
            let end = text.position(of: text.bytes.count - 1, in: encoding)
            text.replace(LSPRange(start: LSPPosition(line: 0, character: 0), end: end), with: "x", in: encoding)
            XCTAssertEqual(text.string, "x\n", "\(encoding)")
        }
    }

    // MARK: The server

    func testInitializeOpenPushAndShutdown() throws {
        let session = try Session()
        let result = try session.initialize(["general": ["positionEncodings": ["utf-32"]]])
        XCTAssertEqual((result["capabilities"] as? [String: Any])?["positionEncoding"] as? String, "utf-32")
        XCTAssertNil((result["capabilities"] as? [String: Any])?["diagnosticProvider"])
        session.open("file:///nowhere/draft.txt", text: "𠀀😀2021年3月 30日，某市召开会议。\n")
        let published = try session.notification("textDocument/publishDiagnostics")
        let diagnostics = try XCTUnwrap(published["diagnostics"] as? [[String: Any]])
        let spacing = try XCTUnwrap(diagnostics.first { $0["code"] as? String == "date-spacing" })
        XCTAssertEqual(((spacing["range"] as? [String: Any])?["start"] as? [String: Any])?["character"] as? Int, 2)
        XCTAssertEqual(published["version"] as? Int, 1)
        session.send(["jsonrpc": "2.0", "id": 9, "method": "shutdown"])
        let response = try session.response(9)
        XCTAssertTrue(response.keys.contains("result"))
        session.send(["jsonrpc": "2.0", "method": "exit"])
        XCTAssertEqual(session.waitForExit(), 0)
    }

    func testExitWithoutShutdownIsOneAndEndOfInputEndsTheServer() throws {
        let session = try Session()
        _ = try session.initialize([:])
        session.send(["jsonrpc": "2.0", "method": "exit"])
        XCTAssertEqual(session.waitForExit(), 1)

        let closed = try Session()
        closed.closeInput()
        XCTAssertEqual(closed.waitForExit(), 1)
    }

    func testMalformedMessagesGetErrorsAndTheServerGoesOn() throws {
        let session = try Session()
        session.send(["jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": [:]])
        XCTAssertEqual(try session.errorCode(1), -32002)
        _ = try session.initialize([:], id: 2)
        session.sendRaw(Data("{not json".utf8))
        XCTAssertEqual(try session.errorCode(nil), -32700)
        session.sendRawFrame(Data("Content-Type: x\r\n\r\n".utf8))
        XCTAssertEqual(try session.errorCode(nil), -32700)
        session.sendRaw(Data("[1, 2]".utf8))
        XCTAssertEqual(try session.errorCode(nil), -32600)
        session.send(["jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": ["textDocument": 7]])
        XCTAssertEqual(try session.errorCode(3), -32602)
        session.send(["jsonrpc": "2.0", "id": 4, "method": "textDocument/hover"])
        XCTAssertEqual(try session.errorCode(4), -32602)
        session.send(["jsonrpc": "2.0", "id": 5, "method": "workspace/symbol", "params": [:]])
        XCTAssertEqual(try session.errorCode(5), -32601)
        session.send(["jsonrpc": "2.0", "id": [1], "method": "shutdown"])
        XCTAssertEqual(try session.errorCode(nil), -32600)
        session.send(["jsonrpc": "2.0", "method": "textDocument/didChange", "params": ["nonsense": true]])
        session.send(["jsonrpc": "2.0", "id": 6, "method": "shutdown"])
        XCTAssertNotNil(try session.response(6)["result"])
    }

    func testACancelledRequestIsAnsweredAsCancelled() throws {
        let session = try Session()
        _ = try session.initialize([:])
        // Hold the server's queue so the request waits its turn while the cancellation arrives.
        let gate = DispatchSemaphore(value: 0)
        session.server.queue.async { gate.wait() }
        session.send(["jsonrpc": "2.0", "id": 7, "method": "textDocument/hover",
                      "params": ["textDocument": ["uri": "file:///x.txt"], "position": ["line": 0, "character": 0]]])
        session.send(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 7]])
        let deadline = Date().addingTimeInterval(30)
        while !session.server.cancellationPending(.int(7)), Date() < deadline { usleep(1000) }
        gate.signal()
        XCTAssertEqual(try session.errorCode(7), -32800)
    }

    func testNoResultForAnOlderVersionIsPublished() throws {
        let session = try Session()
        _ = try session.initialize([:], options: ["debounceMs": 20])
        let uri = "file:///nowhere/draft.txt"
        session.open(uri, text: "2021年3月 30日，某市召开会议。\n")
        for version in 2...12 {
            let text = version % 2 == 0 ? "2021年3月30日，某市召开会议。\n" : "2021年3月 30日，某市召开会议。\n"
            session.send(["jsonrpc": "2.0", "method": "textDocument/didChange", "params": [
                "textDocument": ["uri": uri, "version": version], "contentChanges": [["text": text]]]])
        }
        var versions: [Int] = []
        var last: [String: Any] = [:]
        while versions.last != 12 {
            last = try session.notification("textDocument/publishDiagnostics")
            versions.append(try XCTUnwrap(last["version"] as? Int))
        }
        XCTAssertEqual(versions, versions.sorted(), "published versions went backwards: \(versions)")
        XCTAssertEqual((last["diagnostics"] as? [Any])?.count, 0, "version 12 has no spacing problem")
    }

    func testAMegabyteDocumentIsAnsweredAndALargerOneIsSaidToBeTooLarge() throws {
        let paragraph = "2021年3月30日，某市召开全市地方志工作会议，总结2020年工作，安排部署2021年重点任务。\n"
        var text = ""
        while text.utf8.count < 1 << 20 { text += paragraph }
        text += "2021年3月 31日，某县召开会议。\n"
        let session = try Session()
        _ = try session.initialize(["textDocument": ["diagnostic": [:]]])
        let uri = "file:///nowhere/large.txt"
        session.open(uri, text: text)
        session.send(["jsonrpc": "2.0", "id": 5, "method": "textDocument/diagnostic", "params": ["textDocument": ["uri": uri]]])
        let report = try session.response(5, timeout: 300)
        let items = try XCTUnwrap((report["result"] as? [String: Any])?["items"] as? [[String: Any]])
        XCTAssertTrue(items.contains { $0["code"] as? String == "date-spacing" }, "the finding at the end of 1 MB")

        let small = try Session()
        _ = try small.initialize(["textDocument": ["diagnostic": [:]]], options: ["maxDocumentBytes": 1000])
        small.open(uri, text: text)
        small.send(["jsonrpc": "2.0", "id": 6, "method": "textDocument/diagnostic", "params": ["textDocument": ["uri": uri]]])
        let limited = try XCTUnwrap(((try small.response(6))["result"] as? [String: Any])?["items"] as? [[String: Any]])
        XCTAssertEqual(limited.map { $0["code"] as? String }, ["document-too-large"])
    }

    func testFixAllGivesTheTextDocumentLinterFixGives() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-fixall-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("draft.md").path
        let text = try Fixtures.text(Fixtures.reference)
        let session = try Session()
        _ = try session.initialize([:])
        let uri = LanguageServer.uri(fromPath: path)
        session.open(uri, text: text, language: "markdown")
        _ = try session.notification("textDocument/publishDiagnostics")
        session.send(["jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction", "params": [
            "textDocument": ["uri": uri], "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]],
            "context": ["diagnostics": [], "only": ["source.fixAll.bulletinlint"]]]])
        let actions = try XCTUnwrap((try session.response(3))["result"] as? [[String: Any]])
        XCTAssertEqual(actions.count, 1)
        let changes = try XCTUnwrap((actions[0]["edit"] as? [String: Any])?["changes"] as? [String: Any])
        let edits = try XCTUnwrap(changes[uri] as? [[String: Any]])
        // Apply the edits from the last to the first.
        var document = LSPText(text)
        for edit in edits.reversed() {
            let range = try XCTUnwrap(edit["range"] as? [String: Any])
            func position(_ key: String) throws -> LSPPosition {
                let value = try XCTUnwrap(range[key] as? [String: Any])
                return LSPPosition(line: try XCTUnwrap(value["line"] as? Int), character: try XCTUnwrap(value["character"] as? Int))
            }
            document.replace(LSPRange(start: try position("start"), end: try position("end")),
                             with: try XCTUnwrap(edit["newText"] as? String), in: .utf16)
        }
        let configuration = try ConfigResolver(mode: .discover).configuration(forFile: path)
        let linter = DocumentLinter(configuration: configuration)
        let expected = linter.fix(DocumentLinter.source(text: text, name: path), ignorePath: path, unsafe: false).text
        XCTAssertEqual(document.string, expected)
    }

    func testAConsistencyFindingPointsAtTheFirstSpellingForAClientThatShowsRelatedInformation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulletinlint-lsp-related-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "extends: [sichuan-difangzhi]\n".write(to: folder.appendingPathComponent(".bulletinlint.yaml"), atomically: true, encoding: .utf8)
        let uri = "file://" + folder.appendingPathComponent("draft.txt").path
        let text = "【工作动态】\n𠀀四川省地方志工作办公室召开会议，四川省地方志办公室主任出席。（省地方志办）\n"
        for supports in [true, false] {
            let session = try Session()
            _ = try session.initialize(["textDocument": ["publishDiagnostics": ["relatedInformation": supports]]])
            session.open(uri, text: text)
            let published = try session.notification("textDocument/publishDiagnostics")
            let diagnostics = try XCTUnwrap(published["diagnostics"] as? [[String: Any]])
            let finding = try XCTUnwrap(diagnostics.first { $0["code"] as? String == "office-name-consistency" }, "\(diagnostics)")
            guard supports else {
                XCTAssertNil(finding["relatedInformation"], "not sent to a client that did not ask")
                continue
            }
            let related = try XCTUnwrap(finding["relatedInformation"] as? [[String: Any]])
            XCTAssertEqual(related.count, 1)
            let location = try XCTUnwrap(related.first?["location"] as? [String: Any])
            XCTAssertEqual(location["uri"] as? String, uri)
            // Line 1, after 𠀀 (two UTF-16 units): the first spelling, 11 characters long.
            let range = try XCTUnwrap(location["range"] as? [String: Any])
            XCTAssertEqual((range["start"] as? [String: Any])?["line"] as? Int, 1)
            XCTAssertEqual((range["start"] as? [String: Any])?["character"] as? Int, 2)
            XCTAssertEqual((range["end"] as? [String: Any])?["character"] as? Int, 13)
            XCTAssertTrue((related.first?["message"] as? String)?.contains("四川省地方志工作办公室") ?? false)
        }
    }

    func testMarkdownOffersToIgnoreTheRuleOnTheLine() throws {
        let session = try Session()
        _ = try session.initialize([:])
        let uri = "file:///nowhere/draft.md"
        session.open(uri, text: "某市召开会议。\n  2021年3月 30日，某县召开会议。\n", language: "markdown")
        _ = try session.notification("textDocument/publishDiagnostics")
        session.send(["jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction", "params": [
            "textDocument": ["uri": uri], "range": ["start": ["line": 1, "character": 4], "end": ["line": 1, "character": 4]],
            "context": ["diagnostics": []]]])
        let answer = try session.response(3)
        let actions = try XCTUnwrap(answer["result"] as? [[String: Any]], "\(answer)")
        let ignore = try XCTUnwrap(actions.first { ($0["title"] as? String)?.contains("忽略规则 date-spacing") == true })
        let edits = (((ignore["edit"] as? [String: Any])?["changes"] as? [String: Any])?[uri] as? [[String: Any]]) ?? []
        XCTAssertEqual(edits.first?["newText"] as? String, "  <!-- bulletinlint-disable-next-line date-spacing -->\n")
        let quick = try XCTUnwrap(actions.first { $0["isPreferred"] as? Bool == true })
        XCTAssertEqual(quick["kind"] as? String, "quickfix")
    }
}

/// A server on a thread of its own, with pipes for its input and output.
private final class Session: @unchecked Sendable {
    let server: LanguageServer
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)
    /// How the server thread ended; held by the thread too, so it is set even while the session
    /// is being deinitialised.
    private let ending = Ending()

    private final class Ending: @unchecked Sendable {
        let lock = NSLock()
        var code: Int32?
    }

    private var exitCode: Int32? {
        ending.lock.lock()
        defer { ending.lock.unlock() }
        return ending.code
    }

    init() throws {
        server = LanguageServer(input: input.fileHandleForReading.fileDescriptor, output: output.fileHandleForWriting.fileDescriptor)
        let thread = Thread { [server, done, ending] in
            let code = server.run()
            ending.lock.lock()
            ending.code = code
            ending.lock.unlock()
            done.signal()
        }
        thread.start()
    }

    deinit {
        try? input.fileHandleForWriting.close()
        // Wait for the server to see the end of its input and stop before the pipes go: their
        // descriptors are closed with them and reused by the next session's pipes, which a
        // server still reading would take messages from.
        let deadline = Date().addingTimeInterval(10)
        while exitCode == nil, Date() < deadline { usleep(1000) }
    }

    func initialize(_ capabilities: [String: Any], options: [String: Any] = [:], id: Int = 1) throws -> [String: Any] {
        send(["jsonrpc": "2.0", "id": id, "method": "initialize",
              "params": ["processId": NSNull(), "capabilities": capabilities, "initializationOptions": options]])
        let result = try XCTUnwrap(try response(id)["result"] as? [String: Any])
        send(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
        return result
    }

    func open(_ uri: String, text: String, language: String = "plaintext") {
        send(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": [
            "textDocument": ["uri": uri, "languageId": language, "version": 1, "text": text]]])
    }

    func send(_ message: [String: Any]) {
        guard let body = try? JSONSerialization.data(withJSONObject: message) else { return XCTFail("not JSON: \(message)") }
        sendRaw(body)
    }

    func sendRaw(_ body: Data) {
        var frame = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        frame.append(body)
        sendRawFrame(frame)
    }

    func sendRawFrame(_ frame: Data) {
        input.fileHandleForWriting.write(frame)
    }

    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// The next message, within `timeout` seconds.
    func next(timeout: TimeInterval = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        let descriptor = output.fileHandleForReading.fileDescriptor
        while true {
            if let body = take() {
                return try XCTUnwrap(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw NSError(domain: "lsp", code: 1, userInfo: [NSLocalizedDescriptionKey: "no message within \(Int(timeout)) s"]) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { throw NSError(domain: "lsp", code: 2, userInfo: [NSLocalizedDescriptionKey: "output closed"]) }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// The response to request `id` (messages before it are skipped).
    func response(_ id: Int?, timeout: TimeInterval = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let message = try next(timeout: max(deadline.timeIntervalSinceNow, 0.001))
            guard message["method"] == nil else { continue }
            if let id, message["id"] as? Int == id { return message }
            if id == nil, message["id"] is NSNull { return message }
        }
    }

    func errorCode(_ id: Int?) throws -> Int? {
        (try response(id)["error"] as? [String: Any])?["code"] as? Int
    }

    /// The params of the next notification `method`.
    func notification(_ method: String) throws -> [String: Any] {
        while true {
            let message = try next()
            if message["method"] as? String == method, message["id"] == nil {
                return try XCTUnwrap(message["params"] as? [String: Any])
            }
        }
    }

    private func take() -> Data? {
        guard buffer.count >= 4 else { return nil }
        var end: Int?
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            end = i
            break
        }
        guard let end else { return nil }
        let header = String(decoding: buffer[0..<end], as: UTF8.self)
        guard let length = header.split(separator: "\r\n").compactMap({ line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
        }).first, buffer.count >= end + 4 + length else { return nil }
        let body = Data(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeFirst(end + 4 + length)
        return body
    }

    /// The server's exit code, or nil if it has not returned within 30 s.
    func waitForExit() -> Int32? {
        guard done.wait(timeout: .now() + 30) == .success else { return nil }
        return exitCode
    }
}
