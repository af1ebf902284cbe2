import ArgumentParser
import Foundation
import BulletinLintCore

@main
struct BulletinLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletinlint",
        abstract: "检查中文简报、信息专报和公文版记是否符合规则集。",
        discussion: "规则集用 YAML 编写；默认使用内置规则集 default（简报用简报规则，公文用公文规则）。退出码：0 无错误，1 有错误，2 用法、配置或规则文件错误。",
        version: BulletinLintVersion.current,
        subcommands: [Check.self, Inspect.self, Rules.self, Explain.self, TestRules.self, Init.self, Merge.self, Accuracy.self, LSP.self, Annotate.self, Serve.self] + traitSubcommands,
        defaultSubcommand: Check.self
    )

    /// Runs the command with the exit codes of the CLI contract: a usage error is 2 (not
    /// ArgumentParser's 64), like a configuration or rule-file error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if error is ExitCode { exit(withError: error) }
            if code == .success {
                // `--help` (in Chinese) and `--version`.
                let message = fullMessage(for: error)
                // Written through `write(2)`: `--help > /dev/full` must fail (exit 2), not trap
                // or claim success.
                if !message.isEmpty, let failure = StandardStreams.write(ChineseUsage.translate(message) + "\n", to: STDOUT_FILENO) {
                    StandardStreams.writeError("error: 无法写入标准输出：\(ReportWriter.explain(failure))\n")
                    exit(withError: ExitCode(2))
                }
                exit(withError: ExitCode.success)
            }
            if code.rawValue == 64 {
                StandardStreams.writeError(ChineseUsage.translate(fullMessage(for: error)) + "\n")
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
