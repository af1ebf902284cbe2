import ArgumentParser
import BulletinLintCore
import Foundation

extension BulletinLint {
    struct Accuracy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accuracy",
            abstract: "用标注了真值的文件集测量识别准确率：各类元素的召回率、精确率、虚构元素和误报的错误。",
            discussion: "真值文件（*.truth.json）的写法见 corpus/README.md。--check 与记录的数字比较，低于记录时退出码为 1。"
        )

        @Argument(help: ArgumentHelp("含 *.truth.json 的目录（默认 corpus）。", valueName: "DIR"), completion: .directory)
        var directory: String = "corpus"

        @Option(name: .long, help: ArgumentHelp("规则集（默认 default）。", valueName: "NAME|FILE"), completion: Completions.ruleSets)
        var rules: [String] = []

        @Flag(name: .long, help: "输出 JSON 格式的数字（供记录和比较）。")
        var json = false

        @Flag(name: .long, help: "不列出逐份说明。")
        var summary = false

        @Option(name: .long, help: ArgumentHelp("与记录的数字（JSON）比较，低于记录时失败。", valueName: "FILE"))
        var check: String?

        func run() throws {
            try withConfigurationErrors {
                let ruleSet = try RuleSetLoader().load(references: rules.isEmpty ? [BuiltinRuleSets.defaultName] : rules)
                let evaluation = CorpusEvaluation.evaluate(directory: directory, ruleSet: ruleSet)
                write(json ? evaluation.figuresJSON().render() + "\n" : evaluation.report(details: !summary))
                if let check {
                    guard let data = FileManager.default.contents(atPath: check), let text = String(data: data, encoding: .utf8),
                          let recorded = try? JSON.parse(text) else {
                        printError("无法读取记录的数字：\(check)")
                        throw ExitCode(2)
                    }
                    let drops = evaluation.drops(below: recorded)
                    if !drops.isEmpty {
                        printError(drops.map { "低于记录：\($0)" }.joined(separator: "\n"))
                        throw ExitCode(1)
                    }
                }
            }
        }
    }
}
