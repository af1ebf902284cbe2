import ArgumentParser
import BulletinLintCore
import Foundation

extension BulletinLint {
    struct LSP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lsp",
            abstract: "启动语言服务器（LSP），供 VS Code、Neovim、Helix、Emacs 等编辑器在编写时检查文稿。",
            discussion: """
            语言服务器经标准输入输出与编辑器通信（JSON-RPC，Content-Length 分帧），不监听任何端口；\
            由编辑器启动，不需要手动运行。检查纯文本和 Markdown 文稿，使用文件所在目录向上最近的 .bulletinlint.yaml。\
            编辑器的 initializationOptions 可设 debounceMs（停止输入多少毫秒后重新检查，默认 150）\
            和 maxDocumentBytes（超过此大小的文件不检查并给出提示，默认 8388608）。各编辑器的配置见 docs/EDITORS.md。
            """
        )

        @Flag(name: .customLong("stdio"), help: "经标准输入输出通信（默认即是；为兼容编辑器插件的习惯写法）。")
        var stdio = false

        func run() throws {
            // A client that goes away must not kill the server with SIGPIPE mid-write.
            signal(SIGPIPE, SIG_IGN)
            let server = LanguageServer(input: STDIN_FILENO, output: STDOUT_FILENO) { message in
                StandardStreams.writeError(message + "\n")
            }
            let code = server.run()
            // Exit now, even if standard input stays open.
            Foundation.exit(code)
        }
    }
}
