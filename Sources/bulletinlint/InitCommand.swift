import ArgumentParser
import BulletinLintCore
import Foundation

extension BulletinLint {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "在当前目录写入带中文注释的 .bulletinlint.yaml 示例配置；已存在时不覆盖。"
        )

        @Option(name: .long, help: ArgumentHelp("写入的目录。", valueName: "DIR"), completion: .directory)
        var directory: String = "."

        func run() throws {
            let path = (directory as NSString).appendingPathComponent(StarterConfig.fileName)
            if FileManager.default.fileExists(atPath: path) {
                printError("error: \(path) 已存在，未覆盖。")
                throw ExitCode(1)
            }
            // Create only: a file that appears meanwhile is not overwritten.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard descriptor >= 0 else {
                printError("error: 无法创建 \(path)")
                throw ExitCode(1)
            }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            handle.write(Data((StarterConfig.text + "\n").utf8))
            write("已写入 \(path)。用 bulletinlint test-rules 检查其中的示例，用 bulletinlint rules 查看生效的规则。\n")
        }
    }
}
