import ArgumentParser
import BulletinLintCore
import Foundation
#if Server
import BulletinLintServer
#endif

extension BulletinLint {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "启动本机网页：拖入文稿或粘贴文本，查看标出的问题、逐条修正、下载结果（另有 JSON 接口）。",
            discussion: """
            默认只监听本机（127.0.0.1），在浏览器中打开显示的地址即可使用；页面不加载任何外部资源，\
            文稿只在内存中处理，不写入磁盘。JSON 接口（POST /api/lint、/api/fix、/api/annotate，GET /api/rules）\
            见 docs/openapi.yaml。同时处理的请求数有上限，超出的排队等候，队列满时答 503；\
            单个请求超过时限答 504；上传超过上限答 413。按 Ctrl-C 停止。\
            此命令需要以 Server 特性构建：swift build --enable-all-traits（见 docs/EDITORS.md）。
            """
        )

        @Option(name: .long, help: ArgumentHelp("监听的地址；默认只有本机可以访问。改为其他地址（如 0.0.0.0）会让局域网内的其他人也能访问，启动时会给出警告。", valueName: "地址"))
        var host = "127.0.0.1"

        @Option(name: .long, help: ArgumentHelp("监听的端口；0 表示任选一个空闲端口。", valueName: "端口"))
        var port = 8080

        @Option(name: .customLong("max-upload-mb"), help: ArgumentHelp("上传内容的上限（MB），超过时答 413。", valueName: "MB"))
        var maxUploadMB = 20

        @Option(name: .long, help: ArgumentHelp("单个请求的处理时限（秒），超过时答 504。", valueName: "秒"))
        var timeout = 30

        @Option(name: .customLong("max-concurrent"), help: ArgumentHelp("同时检查的文稿数；默认为处理器核数。", valueName: "数量"))
        var maxConcurrent: Int?

        @Option(name: .customLong("max-queued"), help: ArgumentHelp("排队等候的请求数上限；再多的请求答 503。", valueName: "数量"))
        var maxQueued = 64

        func validate() throws {
            if !(0...65535).contains(port) { throw ValidationError("--port 应在 0 到 65535 之间。") }
            if !(1...1024).contains(maxUploadMB) { throw ValidationError("--max-upload-mb 应在 1 到 1024 之间。") }
            if !(1...3600).contains(timeout) { throw ValidationError("--timeout 应在 1 到 3600 秒之间。") }
            if let maxConcurrent, !(1...256).contains(maxConcurrent) { throw ValidationError("--max-concurrent 应在 1 到 256 之间。") }
            if !(0...10000).contains(maxQueued) { throw ValidationError("--max-queued 应在 0 到 10000 之间。") }
            if host.isEmpty { throw ValidationError("--host 不能为空。") }
        }

        func run() throws {
            #if Server
            var options = ServerOptions(host: host, port: port, maxUploadMegabytes: maxUploadMB, timeoutSeconds: timeout,
                                        maxQueued: maxQueued)
            if let maxConcurrent { options.maxConcurrent = maxConcurrent }
            if !options.isLoopback {
                StandardStreams.writeError("""
                warning: 正在监听 \(host)，不只是本机：同一网络中的其他人也能打开这个页面、上传文稿。\
                本服务没有登录和加密，只应在可信的网络中这样使用。\n
                """)
            }
            let outcome = ServeOutcome()
            let done = DispatchSemaphore(value: 0)
            let shownHost = host.contains(":") ? "[\(host)]" : host
            Task {
                do {
                    try await WebServer.run(options: options, handleSignals: true) { port in
                        _ = StandardStreams.write("bulletinlint serve 已启动：在浏览器中打开 http://\(shownHost):\(port)/（按 Ctrl-C 停止）\n",
                                                  to: STDOUT_FILENO)
                    }
                } catch {
                    outcome.fail("error: 无法在 \(shownHost):\(port) 启动网页服务：\(error)（端口可能已被占用，可用 --port 换一个）\n")
                }
                done.signal()
            }
            done.wait()
            if let message = outcome.message {
                StandardStreams.writeError(message)
                throw ExitCode(2)
            }
            #else
            StandardStreams.writeError("""
            error: 这个 bulletinlint 构建时没有包含网页服务（serve）。请以 Server 特性构建后再运行：
              swift build -c release --enable-all-traits
              .build/release/bulletinlint serve
            （或 swift run -c release --enable-all-traits bulletinlint serve；见 docs/EDITORS.md）\n
            """)
            throw ExitCode(2)
            #endif
        }
    }
}

#if Server
/// What the server task reports back to the synchronous command.
private final class ServeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?

    func fail(_ message: String) {
        lock.lock()
        stored = message
        lock.unlock()
    }

    var message: String? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
#endif
