#if Server
import BulletinLintCore
@testable import BulletinLintServer
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// HTTP-level tests of `bulletinlint serve`: a real server on a free loopback port, real
/// requests through URLSession.
final class ServerTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/BulletinLintCoreTests/Fixtures")
    static let referencePage = fixtures.appendingPathComponent("sichuan-bulletin-2021-04-extract.txt")

    // MARK: A running server

    struct Running: Sendable {
        let task: Task<Void, any Error>
        let base: URL
        func stop() { task.cancel() }
    }

    final class PortBox: @unchecked Sendable {
        let lock = NSLock()
        var port: Int?
        func set(_ value: Int) { lock.lock(); port = value; lock.unlock() }
        func get() -> Int? { lock.lock(); defer { lock.unlock() }; return port }
    }

    func start(_ options: ServerOptions = ServerOptions()) async throws -> Running {
        var options = options
        options.host = "127.0.0.1"
        options.port = 0
        let box = PortBox()
        let task = Task { try await WebServer.run(options: options, handleSignals: false) { box.set($0) } }
        for _ in 0..<2000 {
            if let port = box.get() {
                return Running(task: task, base: URL(string: "http://127.0.0.1:\(port)")!)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        throw XCTSkip("the server did not start")
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 120
        return URLSession(configuration: configuration)
    }()

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var error: [String: Any] { object["error"] as? [String: Any] ?? [:] }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    func send(_ request: URLRequest) async throws -> Answer { try await Self.send(request) }

    static func send(_ request: URLRequest) async throws -> Answer {
        let (data, response) = try await ServerTests.session.data(for: request)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)"] = "\(value)" }
        return Answer(status: http.statusCode, headers: headers, body: data)
    }

    func get(_ server: Running, _ path: String) async throws -> Answer {
        try await send(URLRequest(url: URL(string: path, relativeTo: server.base)!))
    }

    /// A part of a multipart form: a field, or a file when `filename` is given.
    struct Part: Sendable {
        let name: String
        var filename: String? = nil
        let data: Data
        static func field(_ name: String, _ value: String) -> Part { Part(name: name, data: Data(value.utf8)) }
        static func file(_ name: String, _ filename: String, _ data: Data) -> Part { Part(name: name, filename: filename, data: data) }
    }

    func post(_ server: Running, _ path: String, _ parts: [Part]) async throws -> Answer {
        try await Self.post(server, path, parts)
    }

    static func post(_ server: Running, _ path: String, _ parts: [Part]) async throws -> Answer {
        let boundary = "----bulletinlint-test-\(UUID().uuidString)"
        var body = Data()
        for part in parts {
            body.append(Data("--\(boundary)\r\n".utf8))
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { disposition += "; filename=\"\(filename)\"" }
            body.append(Data((disposition + "\r\n").utf8))
            if part.filename != nil { body.append(Data("Content-Type: application/octet-stream\r\n".utf8)) }
            body.append(Data("\r\n".utf8))
            body.append(part.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var request = URLRequest(url: URL(string: path, relativeTo: server.base)!)
        request.httpMethod = "POST"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        return try await send(request)
    }

    func referenceData() throws -> Data { try Data(contentsOf: ServerTests.referencePage) }

    // MARK: Page

    func testPageScriptAndStylesheetAreServedAndNameNothingOutside() async throws {
        let server = try await start()
        defer { server.stop() }
        let page = try await get(server, "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        let html = String(decoding: page.body, as: UTF8.self)
        XCTAssertTrue(html.contains("<script src=\"/app.js\""))
        XCTAssertTrue(html.contains("lang=\"zh-CN\""))
        XCTAssertTrue(page.header("Content-Security-Policy")?.contains("default-src 'self'") ?? false)
        for path in ["/app.js", "/app.css"] {
            let asset = try await get(server, path)
            XCTAssertEqual(asset.status, 200, path)
        }
        // No CDN, font or script from elsewhere: no absolute URL in any of the three files.
        for text in [PageAssets.html, PageAssets.css, PageAssets.javascript] {
            XCTAssertFalse(text.contains("http://") || text.contains("https://") || text.contains("//cdn"), text.prefix(80).description)
            XCTAssertFalse(text.contains("@import") || text.contains("url("))
        }
    }

    func testEmbeddedPageIsTheSameAsThePageFiles() throws {
        let folder = ServerTests.repository.appendingPathComponent("Sources/BulletinLintServer/Page")
        for (file, embedded) in [("index.html", PageAssets.html), ("app.css", PageAssets.css), ("app.js", PageAssets.javascript)] {
            var text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            if text.hasSuffix("\n") { text.removeLast() }
            XCTAssertEqual(embedded, text, "\(file) changed: run scripts/embed-page")
        }
    }

    // MARK: Lint

    func testLintOfTheReferencePageGivesItsFindingsWithOffsetsIntoItsText() async throws {
        let server = try await start()
        defer { server.stop() }
        let answer = try await post(server, "/api/lint", [.file("file", "sichuan-bulletin-2021-04-extract.txt", try referenceData()), .field("ruleset", "default")])
        XCTAssertEqual(answer.status, 200, String(decoding: answer.body, as: UTF8.self))
        let object = answer.object
        let summary = try XCTUnwrap(object["summary"] as? [String: Any])
        XCTAssertEqual(summary["errors"] as? Int, 0)
        XCTAssertEqual(summary["warnings"] as? Int, 17)
        XCTAssertEqual(summary["fixable"] as? Int, 14)
        let findings = try XCTUnwrap(object["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.count, 17)
        let text = try XCTUnwrap(object["text"] as? String)
        let utf16 = Array(text.utf16)
        // The page has no masthead: two findings on line 1 come first.
        XCTAssertEqual(findings[0]["rule"] as? String, "bulletin-name-missing")
        XCTAssertEqual(findings[0]["fix"] as? NSNull, NSNull())
        // Then the date with a space on line 5: its offsets (UTF-16, as JavaScript counts) cut
        // exactly that text out.
        let first = findings[2]
        XCTAssertEqual(first["id"] as? Int, 2)
        XCTAssertEqual(first["rule"] as? String, "date-spacing")
        XCTAssertEqual(first["line"] as? Int, 5)
        let start = try XCTUnwrap(first["start"] as? Int), end = try XCTUnwrap(first["end"] as? Int)
        XCTAssertEqual(String(decoding: utf16[start..<end], as: UTF16.self), "3月 24日")
        XCTAssertEqual((first["fix"] as? [String: Any])?["applicability"] as? String, "safe")
        let byRule = try XCTUnwrap(summary["byRule"] as? [[String: Any]])
        XCTAssertEqual(byRule.map { $0["count"] as? Int ?? 0 }.reduce(0, +), 17)
        XCTAssertTrue(byRule.contains { $0["rule"] as? String == "distribution-inner-terminator" })
        let inspect = try XCTUnwrap(object["inspect"] as? [String: Any])
        let kinds = (inspect["elements"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        XCTAssertTrue(kinds.contains("masthead") || kinds.contains("报头") || !kinds.isEmpty, "\(kinds)")
    }

    func testLintOfPastedTextAndOfJSON() async throws {
        let server = try await start()
        defer { server.stop() }
        let text = String(decoding: try referenceData(), as: UTF8.self)
        let pasted = try await post(server, "/api/lint", [.field("text", text)])
        XCTAssertEqual(pasted.status, 200)
        XCTAssertEqual((pasted.object["findings"] as? [Any])?.count, 17)
        XCTAssertEqual(pasted.object["name"] as? String, "粘贴的文本.txt")

        var request = URLRequest(url: URL(string: "/api/lint", relativeTo: server.base)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["text": text, "name": "简报.txt", "ruleset": "default"])
        let json = try await send(request)
        XCTAssertEqual(json.status, 200)
        XCTAssertEqual((json.object["findings"] as? [Any])?.count, 17)
    }

    func testLintOfADocx() async throws {
        let server = try await start()
        defer { server.stop() }
        let docx = try Data(contentsOf: ServerTests.fixtures.appendingPathComponent("producers/docx/par-hyperlinks.docx"))
        let answer = try await post(server, "/api/lint", [.file("file", "稿件.docx", docx)])
        XCTAssertEqual(answer.status, 200, String(decoding: answer.body, as: UTF8.self))
        XCTAssertEqual(answer.object["format"] as? String, "docx")
        XCTAssertEqual(answer.object["name"] as? String, "稿件.docx")
        XCTAssertFalse((answer.object["text"] as? String ?? "").isEmpty)
    }

    func testACorruptDocxIsAClearJSONError() async throws {
        let server = try await start()
        defer { server.stop() }
        var bytes = Data([0x50, 0x4B, 0x03, 0x04])
        bytes.append(Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 37) }))
        let answer = try await post(server, "/api/lint", [.file("file", "坏文件.docx", bytes)])
        XCTAssertEqual(answer.status, 422)
        XCTAssertEqual(answer.header("Content-Type"), "application/json; charset=utf-8")
        let code = try XCTUnwrap(answer.error["code"] as? String)
        XCTAssertFalse(code.isEmpty)
        let message = try XCTUnwrap(answer.error["message"] as? String)
        XCTAssertTrue(message.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, message)
    }

    func testAnUploadPathIsNeverUsedAndTheNameKeepsOnlyItsLastPart() async throws {
        XCTAssertEqual(LintService.safeName("../../etc/passwd", fallback: "x"), "passwd")
        XCTAssertEqual(LintService.safeName("C:\\报告\\简报.docx", fallback: "x"), "简报.docx")
        XCTAssertEqual(LintService.safeName("..", fallback: "x"), "x")
        XCTAssertEqual(LintService.safeName("a\u{0}b\nc.txt", fallback: "x"), "abc.txt")
        let server = try await start()
        defer { server.stop() }
        // A file name pointing at a real file on disk: the bytes sent are what is linted.
        let answer = try await post(server, "/api/lint", [.file("file", "/etc/hostname.txt", Data("测试文本。".utf8))])
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.object["name"] as? String, "hostname.txt")
        XCTAssertEqual(answer.object["text"] as? String, "测试文本。")
    }

    func testDocumentTextComesBackAsDataNotMarkup() async throws {
        let server = try await start()
        defer { server.stop() }
        let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\n3月 24日召开会议。\n"
        let answer = try await post(server, "/api/lint", [.field("text", hostile)])
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.object["text"] as? String, hostile)
        XCTAssertEqual(answer.header("Content-Type"), "application/json; charset=utf-8")
        // The page itself never builds HTML from strings.
        XCTAssertFalse(PageAssets.javascript.contains("innerHTML"))
        XCTAssertFalse(PageAssets.javascript.contains("insertAdjacentHTML"))
    }

    // MARK: Limits

    func testAnUploadOverTheCapIs413WithAJSONError() async throws {
        let server = try await start()   // the default cap, 20 MB
        defer { server.stop() }
        let big = Data(repeating: 0x41, count: 30 * 1024 * 1024)
        let answer = try await post(server, "/api/lint", [.file("file", "big.txt", big)])
        XCTAssertEqual(answer.status, 413)
        XCTAssertEqual(answer.error["code"] as? String, "payload_too_large")
        XCTAssertTrue((answer.error["message"] as? String ?? "").contains("20 MB"))
        // The server still answers afterwards.
        let health = try await get(server, "/api/health")
        XCTAssertEqual(health.status, 200)
    }

    func testTheCapIsConfigurable() async throws {
        let server = try await start(ServerOptions(maxUploadMegabytes: 1))
        defer { server.stop() }
        let over = try await post(server, "/api/lint", [.file("file", "a.txt", Data(repeating: 0x41, count: 1_100_000))])
        XCTAssertEqual(over.status, 413)
        let under = try await post(server, "/api/lint", [.file("file", "a.txt", Data("测试。".utf8))])
        XCTAssertEqual(under.status, 200)
    }

    func testFiftyConcurrentUploadsAllSucceed() async throws {
        let server = try await start()
        defer { server.stop() }
        let data = try referenceData()
        let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let answer = try await ServerTests.post(server, "/api/lint", [.file("file", "简报.txt", data)])
                    return (answer.status, (answer.object["findings"] as? [Any])?.count ?? -1)
                }
            }
            var all: [(Int, Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        XCTAssertEqual(statuses.count, 50)
        XCTAssertTrue(statuses.allSatisfy { $0.0 == 200 && $0.1 == 17 }, "\(statuses.filter { $0.0 != 200 })")
    }

    func testTheLimiterRefusesBeyondItsQueueAndTimesOut() async throws {
        let limiter = WorkLimiter(slots: 1, queueLimit: 0, timeout: .milliseconds(300))
        let gate = DispatchSemaphore(value: 0)
        let blocked = Task { try await limiter.run { gate.wait(); return 1 } }
        // Wait until the blocked job holds the one slot.
        while limiter.load.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
        do {
            _ = try await limiter.run { 2 }
            XCTFail("a second job found room")
        } catch {
            XCTAssertEqual(error, .busy)
        }
        do {
            _ = try await blocked.value
            XCTFail("the blocked job did not time out")
        } catch let error as WorkLimiter.Refusal {
            XCTAssertEqual(error, .timedOut)
        }
        // The slot stays taken until the job really ends.
        XCTAssertEqual(limiter.load.running, 1)
        gate.signal()
        while limiter.load.running != 0 { try await Task.sleep(for: .milliseconds(5)) }
        let value = try await limiter.run { 3 }
        XCTAssertEqual(value, 3)
    }

    // MARK: Fix

    func testFixOneFindingThenAllSafeFixes() async throws {
        let server = try await start()
        defer { server.stop() }
        let data = try referenceData()
        let one = try await post(server, "/api/fix", [.file("file", "简报.txt", data), .field("finding", "2")])
        XCTAssertEqual(one.status, 200, String(decoding: one.body, as: UTF8.self))
        XCTAssertEqual(one.object["applied"] as? Int, 1)
        let result = try XCTUnwrap(one.object["result"] as? [String: Any])
        let fixed = try XCTUnwrap(result["text"] as? String)
        XCTAssertTrue(fixed.contains("3月24日全省地方志工作会议召开后"))
        XCTAssertEqual((result["findings"] as? [Any])?.count, 16)

        let all = try await post(server, "/api/fix", [.file("file", "简报.txt", data)])
        XCTAssertEqual(all.status, 200)
        XCTAssertEqual(all.object["applied"] as? Int, 14)
        let after = try XCTUnwrap(all.object["result"] as? [String: Any])
        XCTAssertEqual((after["summary"] as? [String: Any])?["fixable"] as? Int, 0)

        let noFix = try await post(server, "/api/fix", [.file("file", "简报.txt", data), .field("finding", "0")])
        XCTAssertEqual(noFix.status, 400)
        XCTAssertEqual(noFix.error["code"] as? String, "no_fix")
        // The distribution list's comma is an unsafe fix: the page never applies it.
        let unsafe = try await post(server, "/api/fix", [.file("file", "简报.txt", data), .field("finding", "15")])
        XCTAssertEqual(unsafe.status, 400)
        XCTAssertEqual(unsafe.error["code"] as? String, "unsafe_fix")
        let missing = try await post(server, "/api/fix", [.file("file", "简报.txt", data), .field("finding", "999")])
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(missing.error["code"] as? String, "bad_request")
    }

    // MARK: Rules and rule files

    func testRulesListsTheBuiltinSets() async throws {
        let server = try await start()
        defer { server.stop() }
        let rules = try await get(server, "/api/rules")
        XCTAssertEqual(rules.status, 200)
        let sets = try XCTUnwrap(rules.object["rulesets"] as? [String])
        XCTAssertEqual(sets, BuiltinRuleSets.names)
        XCTAssertFalse((rules.object["rules"] as? [Any] ?? []).isEmpty)
        let unknown = try await get(server, "/api/rules?ruleset=nope")
        XCTAssertEqual(unknown.status, 400)
        XCTAssertEqual(unknown.error["code"] as? String, "unknown_ruleset")
    }

    func testAnUploadedRuleFileIsUsedAndItsErrorsHaveLineAndColumn() async throws {
        let server = try await start()
        defer { server.stop() }
        let data = try referenceData()
        let config = "extends: default\nignore:\n  - path: \"**\"\n    rule: date-spacing\n    reason: 从 PDF 提取\n"
        let used = try await post(server, "/api/lint", [.file("file", "简报.txt", data), .file("config", ".bulletinlint.yaml", Data(config.utf8))])
        XCTAssertEqual(used.status, 200, String(decoding: used.body, as: UTF8.self))
        let rules = (used.object["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        XCTAssertFalse(rules.isEmpty)
        XCTAssertFalse(rules.contains("date-spacing"))

        let bad = "extends: default\nrules:\n  - id: x\n    chek: regex\n"
        let broken = try await post(server, "/api/lint", [.field("text", "测试。"), .file("config", "本单位.yaml", Data(bad.utf8))])
        XCTAssertEqual(broken.status, 400)
        XCTAssertEqual(broken.error["code"] as? String, "bad_rule_file")
        XCTAssertNotNil(broken.error["line"] as? Int)
        XCTAssertNotNil(broken.error["column"] as? Int)

        // A rule file from a request never reaches the disk through extends.
        for reference in ["/etc/passwd", "../secret.yaml", "rules/bulletin.yaml"] {
            let escape = try await post(server, "/api/lint", [.field("text", "测试。"), .file("config", "x.yaml", Data("extends: \(reference)\n".utf8))])
            XCTAssertEqual(escape.status, 400, reference)
            XCTAssertTrue((escape.error["message"] as? String ?? "").contains("只能扩展内置规则集"), reference)
        }
    }

    // MARK: Annotate

    func testAnnotateIs501WithoutAnAnnotatorAndServesWhatItMakes() async throws {
        let docx = try Data(contentsOf: ServerTests.fixtures.appendingPathComponent("producers/docx/par-hyperlinks.docx"))
        var none = ServerOptions()
        none.annotator = nil
        let without = try await start(none)
        let refused = try await post(without, "/api/annotate", [.file("file", "稿件.docx", docx)])
        without.stop()
        XCTAssertEqual(refused.status, 501)
        XCTAssertEqual(refused.error["code"] as? String, "not_implemented")

        var options = ServerOptions()
        options.annotator = { bytes, name, linter in
            XCTAssertEqual(name, "稿件.docx")
            return Array("reviewed:\(bytes.count)".utf8)
        }
        let with = try await start(options)
        defer { with.stop() }
        let answer = try await post(with, "/api/annotate", [.file("file", "稿件.docx", docx)])
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(String(decoding: answer.body, as: UTF8.self), "reviewed:\(docx.count)")
        XCTAssertEqual(answer.header("Content-Type"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        XCTAssertTrue(answer.header("Content-Disposition")?.contains("filename*=UTF-8''") ?? false)
        let text = try await post(with, "/api/annotate", [.file("file", "简报.txt", Data("测试。".utf8))])
        XCTAssertEqual(text.status, 400)
    }

    func testAnnotateGivesAReviewedDocxWithComments() async throws {
        let server = try await start()
        defer { server.stop() }
        let docx = try Data(contentsOf: ServerTests.fixtures.appendingPathComponent("documents/bulletin-libreoffice.docx"))
        let answer = try await post(server, "/api/annotate", [.file("file", "稿件.docx", docx)])
        XCTAssertEqual(answer.status, 200, String(decoding: answer.body.prefix(400), as: UTF8.self))
        XCTAssertTrue(answer.body.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a ZIP package")
        XCTAssertTrue(answer.body.range(of: Data("word/comments.xml".utf8)) != nil, "with a comments part")
        XCTAssertTrue(answer.header("Content-Disposition")?.contains(WebServer.percentEncoded("稿件.审校.docx")) ?? false)
        var corrupt = Data([0x50, 0x4B, 0x03, 0x04])
        corrupt.append(Data(repeating: 7, count: 500))
        let broken = try await post(server, "/api/annotate", [.file("file", "坏.docx", corrupt)])
        XCTAssertEqual(broken.status, 422)
        XCTAssertFalse((broken.error["message"] as? String ?? "").isEmpty)
    }

    // MARK: Errors

    func testUnknownRoutesAndBadBodiesAreJSONErrors() async throws {
        let server = try await start()
        defer { server.stop() }
        let missing = try await get(server, "/api/nothing")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.error["code"] as? String, "not_found")
        let empty = try await post(server, "/api/lint", [.field("ruleset", "default")])
        XCTAssertEqual(empty.status, 400)
        XCTAssertEqual(empty.error["code"] as? String, "bad_request")
        var plain = URLRequest(url: URL(string: "/api/lint", relativeTo: server.base)!)
        plain.httpMethod = "POST"
        plain.setValue("text/plain", forHTTPHeaderField: "Content-Type")
        plain.httpBody = Data("测试".utf8)
        let unsupported = try await send(plain)
        XCTAssertEqual(unsupported.status, 415)
        let unknownSet = try await post(server, "/api/lint", [.field("text", "测试。"), .field("ruleset", "nope")])
        XCTAssertEqual(unknownSet.status, 400)
        XCTAssertEqual(unknownSet.error["code"] as? String, "unknown_ruleset")
    }

    func testOnlyLoopbackHostNamesAreServedOnLoopback() {
        for host in ["127.0.0.1:8080", "localhost", "LOCALHOST:80", "[::1]:8080", "127.0.0.1"] {
            XCTAssertTrue(WebServer.isLoopbackHost(host), host)
        }
        for host in ["evil.example", "evil.example:8080", "192.168.1.2:8080", "localhost.evil.example", nil] as [String?] {
            XCTAssertFalse(WebServer.isLoopbackHost(host), host ?? "nil")
        }
    }

    // MARK: OpenAPI

    /// Every route of the server is in docs/openapi.yaml, and every operation there is a route.
    func testOpenAPIDescribesExactlyTheRoutes() throws {
        let text = try String(contentsOf: ServerTests.repository.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("openapi: 3.1"))
        var operations: Set<String> = []
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " ", first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(method)) {
                    operations.insert(method.uppercased() + " " + path)
                }
            }
        }
        XCTAssertEqual(operations, Set(WebServer.routes))
    }
}
#endif
