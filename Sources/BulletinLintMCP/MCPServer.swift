// Compiled only with the MCP package trait (on by default); see Package.swift.
#if MCP
import BulletinLintCore
import Dispatch
import Foundation
import Logging
import MCP

/// `bulletinlint mcp`: a Model Context Protocol server over stdio, built on the MCP Swift SDK,
/// with the tools `lint`, `fix`, `explain`, `list_rules` and `inspect` (`ToolCatalog`,
/// `Toolbox`).
///
/// The SDK's `Server` speaks the protocol (initialize and version negotiation, ping,
/// cancellation, JSON-RPC errors); `LineTransport` frames the messages; `Toolbox` does the work
/// through the core's `DocumentLinter`. It declares one capability, `tools`, and binds nothing.
public enum BulletinLintMCPServer {
    /// Larger lines are refused unread: the text limit (64 MB) with room for JSON escapes.
    public static let maximumMessageBytes = 2 * DocumentReader.maximumFileSize + (1 << 20)

    /// What the server tells the assistant about itself (it may go into the model's prompt).
    static let instructions = """
    bulletinlint 检查中文工作简报、信息专报和公文（含版记）是否符合规则集（报头、栏目、标题与来源、日期、标点、\
    报/送/发名单、印发行等），并能自动修正部分问题。用 lint 检查文稿（text 给全文，或 path 给文件路径），\
    用 fix 得到修正后的全文，用 explain 说明某条规则及其依据，用 list_rules 列出规则，\
    用 inspect 查看工具识别出的要素和文种。各工具都只读，不会改动文件。
    """

    /// Serves on `input` and `output` until input ends and every request read has been
    /// answered; returns the exit code (0, or 1 when the transport could not start). Log lines
    /// go to standard error, never to `output`.
    public typealias LogLevel = Logger.Level

    public static func run(input: Int32, output: Int32, logLevel: LogLevel = .warning) async -> Int32 {
        var logger = Logger(label: "bulletinlint.mcp") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = logLevel
        let toolbox = Toolbox()
        let server = Server(
            name: "bulletinlint",
            version: BulletinLintVersion.current,
            title: "bulletinlint 简报与公文检查",
            instructions: instructions,
            capabilities: Server.Capabilities(tools: Server.Capabilities.Tools()),
            // Not `.strict`: the SDK's strict mode drops a request sent before `initialize`
            // without an answer, leaving the client waiting; the handlers refuse it instead.
            configuration: .default)
        let initialized = InitializationFlag()
        await server.withMethodHandler(ListTools.self) { _ in
            try initialized.check()
            return ListTools.Result(tools: ToolCatalog.tools)
        }
        await server.withMethodHandler(ToolCall.self) { params in
            try initialized.check()
            let (name, arguments) = try ToolCall.read(params)
            return try await BulletinLintMCPServer.work { () throws(MCPError) in
                try toolbox.call(name: name, arguments: arguments)
            }
        }
        let transport = LineTransport(input: input, output: output, maximumMessageBytes: maximumMessageBytes, logger: logger)
        do {
            try await server.start(transport: transport) { _, _ in initialized.set() }
        } catch {
            logger.error("无法启动 MCP 服务器：\(error)")
            return 1
        }
        await server.waitUntilCompleted()
        await server.stop()
        return 0
    }

    /// Tool calls run here, as many at once as there are cores (an assistant that sends many
    /// calls at once gets them queued, not a thread and a document in memory each).
    static let workers: OperationQueue = {
        let queue = OperationQueue()
        queue.name = "bulletinlint.mcp.tools"
        queue.maxConcurrentOperationCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
        queue.qualityOfService = .userInitiated
        return queue
    }()

    /// Runs linting (synchronous and CPU-bound) on `workers` rather than on one of the few
    /// threads Swift's concurrency runtime shares with the SDK's message loop, so the server
    /// still reads, pings and cancels while a long document is checked.
    static func work<T: Sendable>(_ body: @escaping @Sendable () throws(MCPError) -> T) async throws(MCPError) -> T {
        let result: Result<T, MCPError> = await withCheckedContinuation { continuation in
            workers.addOperation {
                do throws(MCPError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}

/// Whether `initialize` has been received (the SDK keeps its own flag private).
final class InitializationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    /// Refuses a request that came before `initialize` (JSON-RPC -32600, as the SDK would).
    func check() throws(MCPError) {
        lock.lock()
        defer { lock.unlock() }
        guard value else { throw MCPError.invalidRequest("服务器尚未初始化：请先发送 initialize 请求。") }
    }
}

/// `tools/call` with its parameters read by us rather than by the SDK, whose decoding failure
/// (no `name`, `arguments` not an object) would be answered as an internal error (-32603) in
/// English instead of invalid parameters (-32602).
enum ToolCall: MCP.Method {
    static let name = CallTool.name
    typealias Parameters = Value
    typealias Result = CallTool.Result

    static func read(_ params: Value) throws(MCPError) -> (String, [String: Value]?) {
        guard case .object(let members) = params else {
            throw MCPError.invalidParams("tools/call 的 params 必须是对象，含工具名 name 和参数 arguments。")
        }
        guard case .string(let name)? = members["name"] else {
            throw MCPError.invalidParams("tools/call 缺少字符串 name（工具名：\(ToolCatalog.names.joined(separator: "、"))）。")
        }
        switch members["arguments"] {
        case nil, .null?: return (name, nil)
        case .object(let arguments)?: return (name, arguments)
        default: throw MCPError.invalidParams("tools/call 的 arguments 必须是对象（参数名到参数值）。")
        }
    }
}
#endif
