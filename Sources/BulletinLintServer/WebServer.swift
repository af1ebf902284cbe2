#if Server
import BulletinLintCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `bulletinlint serve`: the editors' web page and its JSON API on Hummingbird.
///
/// Safe by default: it listens on loopback unless told otherwise; the body of a request is
/// capped (413); linting runs with bounded concurrency and a time budget (`WorkLimiter`);
/// documents are read in memory (nothing is written to disk, no path from a request is used);
/// on loopback, requests must name a loopback host (DNS rebinding); every error is
/// `{"error": {"code", "message"}}` with a Chinese message.
public enum WebServer {
    /// The routes the server answers, as `METHOD path` (checked against docs/openapi.yaml).
    public static let routes: [String] = [
        "GET /", "GET /app.js", "GET /app.css", "GET /api/health", "GET /api/rules",
        "POST /api/lint", "POST /api/fix", "POST /api/annotate",
    ]

    /// Runs the server until the task is cancelled (tests) or SIGINT/SIGTERM (`serve`).
    /// `onRunning` receives the port it listens on (useful with port 0).
    public static func run(options: ServerOptions, handleSignals: Bool,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "bulletinlint-serve")
        // Errors reach the client as JSON; the server's own log would only repeat them (and logs
        // a cancelled connection as an error when the server stops).
        logger.logLevel = .critical
        let app = Application(
            router: router(options: options),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? options.port) },
            logger: logger
        )
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }

    static func router(options: ServerOptions) -> Router<BasicRequestContext> {
        let limiter = WorkLimiter(slots: options.maxConcurrent, queueLimit: options.maxQueued,
                                  timeout: .seconds(options.timeoutSeconds))
        let router = Router()
        router.middlewares.add(GuardMiddleware(loopbackOnly: options.isLoopback))

        router.get("/") { _, _ in asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in asset(PageAssets.javascript, type: "text/javascript; charset=utf-8") }
        router.get("/app.css") { _, _ in asset(PageAssets.css, type: "text/css; charset=utf-8") }
        router.get("/api/health") { _, _ in
            let load = limiter.load
            return json(.object([("status", .string("ok")), ("version", .string(BulletinLintVersion.current)),
                                 ("running", .int(load.running)), ("waiting", .int(load.waiting)),
                                 ("annotate", .bool(options.annotator != nil))]))
        }
        router.get("/api/rules") { request, _ in
            let name = request.uri.queryParameters.get("ruleset")
            return try await respond(limiter) { () throws(LintService.Failure) in try LintService.rulesJSON(ruleSet: name) }
        }
        router.post("/api/lint") { request, _ in
            let form = try await readForm(request, options: options)
            return try await respond(limiter) { () throws(LintService.Failure) in
                try LintService.lintJSON(try form.document(), configuration: try form.configuration())
            }
        }
        router.post("/api/fix") { request, _ in
            let form = try await readForm(request, options: options)
            return try await respond(limiter) { () throws(LintService.Failure) in
                try LintService.fixJSON(try form.document(), configuration: try form.configuration(), finding: form.finding)
            }
        }
        router.post("/api/annotate") { request, _ in
            let form = try await readForm(request, options: options)
            guard let annotator = options.annotator else {
                throw LintService.Failure(status: 501, code: "not_implemented",
                                          message: "此版本尚未提供批注版 .docx（bulletinlint annotate）；请先下载检查结果或修正后的文本")
            }
            guard let file = form.file, file.name.lowercased().hasSuffix(".docx") else {
                throw LintService.Failure(status: 400, code: "bad_request", message: "批注版只能由 .docx 文档生成：请上传 .docx 文件（字段 file）")
            }
            let name = LintService.safeName(file.name, fallback: "文档.docx")
            let configuration = try form.configuration()
            let result: Result<[UInt8], LintService.Failure> = try await limited(limiter) {
                do {
                    return .success(try annotator(file.bytes, name, DocumentLinter(configuration: configuration)))
                } catch let failure as LintService.Failure {
                    return .failure(failure)
                } catch {
                    return .failure(LintService.Failure(status: 422, code: "annotate_failed", message: "无法生成批注版：\(error)"))
                }
            }
            let bytes = try result.get()
            let stem = name.lowercased().hasSuffix(".docx") ? String(name.dropLast(5)) : name
            var headers = HTTPFields()
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            headers[.contentDisposition] = "attachment; filename*=UTF-8''" + percentEncoded(stem + ".审校.docx")
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return router
    }

    // MARK: Helpers

    /// Runs a lint job within the limiter and answers its JSON.
    private static func respond(_ limiter: WorkLimiter,
                                _ work: @escaping @Sendable () throws -> JSON) async throws -> Response {
        let result: Result<JSON, LintService.Failure> = try await limited(limiter) {
            do {
                return .success(try work())
            } catch let failure as LintService.Failure {
                return .failure(failure)
            } catch {
                return .failure(LintService.Failure(status: 500, code: "internal", message: "服务器内部错误"))
            }
        }
        return json(try result.get())
    }

    private static func limited<T: Sendable>(_ limiter: WorkLimiter, _ work: @escaping @Sendable () -> T) async throws -> T {
        do {
            return try await limiter.run(work)
        } catch .busy {
            throw LintService.Failure(status: 503, code: "busy", message: "服务器正忙（同时处理的请求已满），请稍后再试")
        } catch .timedOut {
            throw LintService.Failure(status: 504, code: "timeout",
                                      message: "处理超时（超过 \(limiter.timeout.components.seconds) 秒）：文档可能过大或规则过于复杂")
        }
    }

    /// Reads a request's body within the upload cap and parses its fields.
    private static func readForm(_ request: Request, options: ServerOptions) async throws -> FormInput {
        let cap = options.maxUploadBytes
        let tooLarge = LintService.Failure(status: 413, code: "payload_too_large",
                                           message: "上传内容超过 \(options.maxUploadMegabytes) MB 的上限（可用 --max-upload-mb 调整）")
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > cap {
            await drain(request, limit: declared)
            throw tooLarge
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: cap)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
        return try FormInput.parse(body: Array(buffer.readableBytesView), contentType: request.headers[.contentType])
    }

    /// Reads and drops what the client still sends (the `limit` it declared, at most 1 GB), so
    /// it reads the 413 instead of a reset connection.
    private static func drain(_ request: Request, limit: Int) async {
        var left = min(limit, 1 << 30)
        do {
            for try await chunk in request.body {
                left -= chunk.readableBytes
                if left <= 0 { break }
            }
        } catch {}
    }

    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.render())))
    }

    private static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `127.0.0.1`, `localhost`, `[::1]`, with or without a port.
    static func isLoopbackHost(_ authority: String?) -> Bool {
        guard let authority else { return false }
        var host = authority.lowercased()
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        return host == "localhost" || host == "::1" || host == "127.0.0.1" || host.hasPrefix("127.")
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "download.docx"
    }
}

/// Security headers on every answer, a JSON body for every error, and (on loopback) only
/// loopback host names, so a web page elsewhere cannot reach the server by DNS rebinding.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let loopbackOnly: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if loopbackOnly, !WebServer.isLoopbackHost(request.head.authority) {
            response = WebServer.json(LintService.Failure(status: 403, code: "forbidden_host",
                                                          message: "只接受发往本机地址（127.0.0.1、localhost）的请求").json,
                                      status: .forbidden)
        } else {
            do {
                response = try await next(request, context)
            } catch let failure as LintService.Failure {
                response = WebServer.json(failure.json, status: HTTPResponse.Status(code: failure.status))
            } catch let error as any HTTPResponseError {
                let (code, message): (String, String)
                switch error.status {
                case .notFound: (code, message) = ("not_found", "没有这个地址：\(request.method.rawValue) \(request.uri.path)")
                case .methodNotAllowed: (code, message) = ("method_not_allowed", "这个地址不接受 \(request.method.rawValue) 请求")
                case .contentTooLarge: (code, message) = ("payload_too_large", "上传内容超过上限")
                default: (code, message) = ("http_error", "请求有误（HTTP \(error.status.code)）")
                }
                response = WebServer.json(LintService.Failure(status: error.status.code, code: code, message: message).json,
                                          status: error.status)
            } catch {
                response = WebServer.json(LintService.Failure(status: 500, code: "internal", message: "服务器内部错误").json,
                                          status: .internalServerError)
            }
        }
        if let nosniff = HTTPField.Name("X-Content-Type-Options") { response.headers[nosniff] = "nosniff" }
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        if let referrer = HTTPField.Name("Referrer-Policy") { response.headers[referrer] = "no-referrer" }
        return response
    }
}
#endif
