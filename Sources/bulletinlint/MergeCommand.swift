import ArgumentParser
import BulletinLintCore
import Foundation

extension BulletinLint {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "合并分片（--shard）运行得到的 JSON 或 SARIF 报告，得到与不分片运行相同的报告。"
        )

        @Argument(help: ArgumentHelp("各分片的报告文件（同一种格式）。", valueName: "REPORT"))
        var reports: [String]

        @Option(name: .long, help: ArgumentHelp("写入文件（原子写入）；不给出时输出到标准输出。", valueName: "FILE"))
        var output: String?

        func validate() throws {
            if reports.isEmpty { throw ValidationError("请给出要合并的报告文件。") }
        }

        func run() throws {
            var inputs: [(path: String, text: String)] = []
            for path in reports {
                // Bounded before it is read: a 1 GB report aborted the run on allocation.
                let data: Data
                switch BoundedFile.read(path: path, limit: BoundedFile.reportLimit) {
                case .success(let read): data = read
                case .failure(.missing):
                    printError("error: 无法读取报告“\(path)”：文件不存在")
                    throw ExitCode(2)
                case .failure(let failure):
                    printError("error: 报告“\(path)”\(failure.reason)")
                    throw ExitCode(2)
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    printError("error: 无法读取报告“\(path)”")
                    throw ExitCode(2)
                }
                inputs.append((path, text))
            }
            do {
                let (_, merged) = try ReportMerger.merge(inputs)
                if let output { try ReportWriter.writeAtomically(merged, to: output) } else { write(merged) }
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        }
    }
}
