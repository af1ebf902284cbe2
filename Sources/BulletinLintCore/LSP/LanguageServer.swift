import Foundation

/// `bulletinlint lsp`: a language server over a pair of file descriptors (standard input and
/// output in the command; pipes in tests). It binds nothing.
///
/// One thread reads messages; everything else — the documents, the configurations, every answer
/// and every published diagnostic — happens in order on one serial queue, so answers come in the
/// order requests came and a document never changes while it is being linted. Each document is
/// linted through `DocumentLinter` (the one per-document pipeline) with the configuration of the
/// nearest `.bulletinlint.yaml`.
public final class LanguageServer: @unchecked Sendable {
    public struct Options: Sendable {
        /// How long after the last change a document is re-linted (push diagnostics).
        public var debounceMilliseconds: Int = 150
        /// A larger document is not linted; it gets one diagnostic saying so.
        public var maxDocumentBytes: Int = 8 << 20

        public init(debounceMilliseconds: Int = 150, maxDocumentBytes: Int = 8 << 20) {
            self.debounceMilliseconds = debounceMilliseconds
            self.maxDocumentBytes = maxDocumentBytes
        }
    }

    let reader: MessageReader
    let writer: MessageWriter
    let queue = DispatchQueue(label: "bulletinlint.lsp")
    var options: Options
    /// Where messages for people go (standard error in the command).
    let log: @Sendable (String) -> Void

    // State below is touched only on `queue`.
    var initialized = false
    var shutdownRequested = false
    var stopped = false
    var encoding = PositionEncoding.utf16
    var capabilities = JSONValue.null
    var pullDiagnostics = false
    /// The client shows `relatedInformation` of diagnostics.
    var relatedInformation = false
    var rootPath: String?
    var documents: [String: OpenDocument] = [:]
    var resolver = ConfigResolver(mode: .discover)
    var configGeneration = 0
    /// Rule-file errors by the URI of the file they are in, as found since the last reload.
    var configErrors: [String: RuleFileError] = [:]
    /// The config URIs that have a rule-file error published.
    var publishedConfigErrors: [String: String] = [:]
    var nextOutgoingID = 1

    /// Ids of requests cancelled before their turn (written by the reading thread).
    private let cancelLock = NSLock()
    private var cancelled: Set<RequestID> = []
    private var shutdownFlag = false

    public init(input: Int32, output: Int32, options: Options = Options(),
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        reader = MessageReader(descriptor: input)
        writer = MessageWriter(descriptor: output)
        self.options = options
        self.log = log
    }

    /// Serves until `exit` (or the end of input) and returns the exit code: 0 after `shutdown`,
    /// 1 without. Returns as soon as `exit` has been read, whether or not input stays open.
    public func run() -> Int32 {
        let decoder = JSONDecoder()
        while true {
            switch reader.next() {
            case .end:
                return queue.sync { stopped = true; return shutdownRequested ? 0 : 1 }
            case .malformed(let message):
                queue.async { self.sendError(id: nil, .parseError, message) }
            case .message(let data):
                guard let value = try? decoder.decode(JSONValue.self, from: data) else {
                    queue.async { self.sendError(id: nil, .parseError, "消息不是有效的 JSON") }
                    continue
                }
                let method = value["method"].stringValue
                if method == "$/cancelRequest", let id = RequestID(value["params"]["id"]) {
                    cancelLock.lock()
                    cancelled.insert(id)
                    cancelLock.unlock()
                    continue
                }
                if method == "exit" {
                    return queue.sync { stopped = true; return shutdownRequested ? 0 : 1 }
                }
                queue.async { self.dispatch(value, data: data) }
            }
        }
    }

    /// Whether a cancellation for `id` has been read and not yet used (tests).
    func cancellationPending(_ id: RequestID) -> Bool {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        return cancelled.contains(id)
    }

    private func takeCancelled(_ id: RequestID) -> Bool {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        return cancelled.remove(id) != nil
    }

    // MARK: Dispatch

    private func dispatch(_ message: JSONValue, data: Data) {
        guard !stopped else { return }
        guard case .object = message else {
            sendError(id: nil, .invalidRequest, "消息必须是 JSON 对象")
            return
        }
        let id = RequestID(message["id"])
        guard let method = message["method"].stringValue else {
            // A response to a request of ours (registerCapability, refresh): nothing to do.
            if !message["result"].isNull || !message["error"].isNull || id != nil { return }
            sendError(id: nil, .invalidRequest, "消息缺少 method")
            return
        }
        if case .object(let members) = message, members["id"] != nil, id == nil {
            sendError(id: nil, .invalidRequest, "请求的 id 必须是数字或字符串")
            return
        }
        if let id {
            handleRequest(id: id, method: method, data: data)
        } else {
            handleNotification(method: method, data: data)
        }
    }

    private func handleRequest(id: RequestID, method: String, data: Data) {
        if takeCancelled(id) {
            sendError(id: id, .requestCancelled, "请求已取消")
            return
        }
        if !initialized && method != "initialize" {
            sendError(id: id, .serverNotInitialized, "服务器尚未初始化")
            return
        }
        if shutdownRequested {
            sendError(id: id, .invalidRequest, "服务器已收到 shutdown，只接受 exit")
            return
        }
        do {
            switch method {
            case "initialize":
                if initialized {
                    sendError(id: id, .invalidRequest, "服务器已初始化")
                    return
                }
                respond(id, initialize(try params(JSONValue.self, data) ?? .null))
            case "shutdown":
                shutdownRequested = true
                respond(id, Optional<JSONValue>.none)
            case "textDocument/diagnostic":
                respond(id, documentDiagnostic(try required(DocumentDiagnosticParams.self, data)))
            case "textDocument/codeAction":
                respond(id, codeActions(try required(CodeActionParams.self, data)))
            case "textDocument/hover":
                respond(id, hover(try required(TextDocumentPositionParams.self, data)))
            default:
                sendError(id: id, .methodNotFound, "不支持的方法：\(method)")
            }
        } catch let error as InvalidParams {
            sendError(id: id, .invalidParams, error.message)
        } catch {
            sendError(id: id, .internalError, "\(error)")
        }
    }

    private func handleNotification(method: String, data: Data) {
        guard initialized, !shutdownRequested else { return }
        do {
            switch method {
            case "initialized":
                registerWatchers()
            case "textDocument/didOpen":
                didOpen(try required(DidOpenTextDocumentParams.self, data))
            case "textDocument/didChange":
                didChange(try required(DidChangeTextDocumentParams.self, data))
            case "textDocument/didSave":
                didSave(try required(DidSaveTextDocumentParams.self, data))
            case "textDocument/didClose":
                didClose(try required(DidCloseTextDocumentParams.self, data))
            case "workspace/didChangeWatchedFiles":
                let changes = try required(DidChangeWatchedFilesParams.self, data).changes
                if changes.contains(where: { LanguageServer.isRuleFile($0.uri) }) { reloadConfigurations() }
            case "workspace/didChangeConfiguration":
                reloadConfigurations()
            default:
                break  // `$/…` and anything else: notifications may be ignored
            }
        } catch let error as InvalidParams {
            log("bulletinlint lsp: \(method): \(error.message)")
        } catch {
            log("bulletinlint lsp: \(method): \(error)")
        }
    }

    private struct ParamsProbe: Decodable { var params: JSONValue? }

    struct InvalidParams: Error {
        let message: String
    }

    /// The params of a message, nil when it has none.
    private func params<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T? {
        guard (try? JSONDecoder().decode(ParamsProbe.self, from: data))?.params.map({ !$0.isNull }) == true else { return nil }
        do {
            return try JSONDecoder().decode(ParamsEnvelope<T>.self, from: data).params
        } catch {
            throw InvalidParams(message: "参数无效：\(LanguageServer.describe(error))")
        }
    }

    private func required<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        guard let value = try params(type, data) else { throw InvalidParams(message: "缺少参数") }
        return value
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "缺少“\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))”"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "“\(context.codingPath.map(\.stringValue).joined(separator: "."))”的类型不对"
        default:
            return "\(error)"
        }
    }

    // MARK: Sending

    func respond<R: Encodable>(_ id: RequestID, _ result: R) {
        writer.send(ResponseMessage(id: id, result: result, error: nil))
    }

    func sendError(id: RequestID?, _ code: RPCErrorCode, _ message: String) {
        writer.send(ResponseMessage<JSONValue>(id: id, result: nil, error: ResponseError(code: code.rawValue, message: message)))
    }

    func notify<P: Encodable>(_ method: String, _ params: P) {
        writer.send(OutgoingMessage(id: nil, method: method, params: params))
    }

    func request<P: Encodable>(_ method: String, _ params: P?) {
        let id = RequestID.string("bulletinlint-\(nextOutgoingID)")
        nextOutgoingID += 1
        writer.send(OutgoingMessage(id: id, method: method, params: params))
    }

    // MARK: initialize

    private func initialize(_ params: JSONValue) -> InitializeResult {
        capabilities = params["capabilities"]
        encoding = PositionEncoding.negotiate(offered: capabilities["general"]["positionEncodings"].stringArray)
        pullDiagnostics = !capabilities["textDocument"]["diagnostic"].isNull
        relatedInformation = capabilities["textDocument"]["publishDiagnostics"]["relatedInformation"].boolValue == true
        if let root = params["rootUri"].stringValue.flatMap(LanguageServer.path(fromURI:)) ?? params["rootPath"].stringValue {
            rootPath = root
        }
        let settings = params["initializationOptions"]
        if let debounce = settings["debounceMs"].intValue, debounce >= 0 { options.debounceMilliseconds = min(debounce, 10_000) }
        if let limit = settings["maxDocumentBytes"].intValue, limit > 0 { options.maxDocumentBytes = limit }
        initialized = true
        return InitializeResult(
            capabilities: ServerCapabilities(
                positionEncoding: encoding.rawValue,
                textDocumentSync: TextDocumentSyncOptions(openClose: true, change: 2, save: SaveOptions(includeText: false)),
                hoverProvider: true,
                codeActionProvider: CodeActionOptions(codeActionKinds: [LanguageServer.quickFixKind, LanguageServer.fixAllKind],
                                                      resolveProvider: false),
                diagnosticProvider: pullDiagnostics
                    ? DiagnosticOptions(identifier: "bulletinlint", interFileDependencies: false, workspaceDiagnostics: false) : nil),
            serverInfo: ServerInfo(name: "bulletinlint", version: BulletinLintVersion.current))
    }

    static let quickFixKind = "quickfix"
    static let fixAllKind = "source.fixAll.bulletinlint"

    /// Asks the client to tell us when rule files change, when it can be asked.
    private func registerWatchers() {
        guard capabilities["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"].boolValue == true else { return }
        let watchers = ["**/.bulletinlint.yaml", "**/.bulletinlint.yml", "**/*.yaml", "**/*.yml"].map(FileSystemWatcher.init)
        request("client/registerCapability", RegistrationParams(registrations: [
            Registration(id: "bulletinlint-rule-files", method: "workspace/didChangeWatchedFiles",
                         registerOptions: DidChangeWatchedFilesRegistrationOptions(watchers: watchers)),
        ]))
    }

    /// Whether a changed file can change a configuration: a `.bulletinlint.yaml` or any YAML
    /// file (a rule file a configuration extends).
    static func isRuleFile(_ uri: String) -> Bool {
        let lower = uri.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    // MARK: URIs

    /// The file path of a `file:` URI; nil for other schemes (`untitled:`).
    static func path(fromURI uri: String) -> String? {
        guard uri.lowercased().hasPrefix("file:") else { return nil }
        if let url = URL(string: uri), url.isFileURL { return url.path }
        var rest = uri.dropFirst("file:".count)
        if rest.hasPrefix("//") { rest = rest.dropFirst(2) }
        if let slash = rest.firstIndex(of: "/") { rest = rest[slash...] }
        return String(rest).removingPercentEncoding ?? String(rest)
    }

    static func uri(fromPath path: String) -> String {
        URL(fileURLWithPath: path).absoluteString
    }
}
