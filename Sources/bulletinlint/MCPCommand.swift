import ArgumentParser
#if MCP
import BulletinLintMCP
#endif
import Dispatch
import Foundation

extension BulletinLint {
    /// `mcp` when built with the MCP package trait (the default), else nothing.
    #if MCP
    static let traitSubcommands: [ParsableCommand.Type] = [MCP.self]
    #else
    static let traitSubcommands: [ParsableCommand.Type] = []
    #endif
}

#if MCP
extension BulletinLint {
    struct MCP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "启动 MCP 服务器，供 AI 助手（Claude、VS Code、Cursor 等）调用检查、修正、规则说明等工具。",
            discussion: """
            MCP 服务器经标准输入输出与 AI 助手通信（Model Context Protocol，每行一条 JSON-RPC 消息），\
            不监听任何端口；由助手启动，不需要手动运行。提供的工具：lint（检查文稿）、fix（自动修正，\
            返回修正后的全文，不写文件）、explain（说明规则）、list_rules（列出规则）、inspect（查看识别出的要素和文种）。\
            相对路径以服务器的工作目录为准；不指定规则集时使用最近的 .bulletinlint.yaml。标准输入关闭后，\
            答完已收到的请求即退出。日志写到标准错误。各助手的配置见 docs/EDITORS.md。
            """
        )

        @Flag(name: .long, help: "在标准错误输出调试日志。")
        var verbose = false

        func run() throws {
            // A client that goes away must not kill the server with SIGPIPE mid-write.
            signal(SIGPIPE, SIG_IGN)
            let level: BulletinLintMCPServer.LogLevel = verbose ? .debug : .warning
            let code = Blocking.wait { await BulletinLintMCPServer.run(input: STDIN_FILENO, output: STDOUT_FILENO, logLevel: level) }
            // Exit now: the reading thread may still sit in read(2) on an open input.
            Foundation.exit(code)
        }
    }
}

/// Waits on the main thread for async work (the command runs synchronously).
enum Blocking {
    static func wait(_ body: @escaping @Sendable () async -> Int32) -> Int32 {
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value
    }

    private final class Box: @unchecked Sendable {
        var value: Int32 = 0
    }
}
#endif
