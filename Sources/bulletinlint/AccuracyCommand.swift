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

        @Flag(name: .long, help: "另列各规则的触发率：在真实文件、本项目编写的简报、埋设问题的公文稿（和 --samples 的目录）中触发的份数、占比、条数和示例；先列 --rules 的规则，再列只在其他内置规则集中的规则。")
        var ruleRates = false

        @Option(name: .long, help: ArgumentHelp("与 --rule-rates 同用：把这个目录中的文件另计一组（如 samples）。", valueName: "DIR"), completion: .directory)
        var samples: String?

        func validate() throws {
            if samples != nil, !ruleRates { throw ValidationError("--samples 只能与 --rule-rates 同用。") }
        }

        func run() throws {
            try withConfigurationErrors {
                let ruleSet = try RuleSetLoader().load(references: rules.isEmpty ? [BuiltinRuleSets.defaultName] : rules)
                let evaluation = CorpusEvaluation.evaluate(directory: directory, ruleSet: ruleSet)
                let rates = ruleRates ? try measureRates(first: ruleSet) : nil
                if json {
                    var figures = evaluation.figuresJSON()
                    if let rates, case .object(var pairs) = figures {
                        pairs.append(("rule-rates", rates.json()))
                        figures = .object(pairs)
                    }
                    write(figures.render() + "\n")
                } else {
                    write(evaluation.report(details: !summary) + (rates.map { "\n" + $0.report() } ?? ""))
                }
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

        /// The rates of the rules of `first`, then of the rules only the other built-in sets have.
        func measureRates(first: RuleSet) throws -> RuleRates {
            var sets = [first]
            for name in RuleReference.orderedBuiltinNames where name != first.name {
                sets.append(try RuleSetLoader.builtinReferencesOnly().load(references: [name]))
            }
            let corpus = RuleRates.corpusFiles(directory: directory)
            var groups: [(name: String, label: String, files: [String])] = [
                ("real", "真实文件", corpus.real), ("written", "本项目编写的简报", corpus.written),
            ]
            if !corpus.planted.isEmpty { groups.append(("planted", "埋设问题的公文稿", corpus.planted)) }
            if let samples {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: samples, isDirectory: &isFolder), isFolder.boolValue else {
                    printError("--samples：不是目录：\(samples)")
                    throw ExitCode(2)
                }
                let files = FileCollector.collect([samples]).compactMap { item -> String? in
                    if case .file(let path) = item { return path }
                    return nil
                }
                groups.append(("samples", URL(fileURLWithPath: samples).lastPathComponent, files))
            }
            return RuleRates.measure(groups: groups, ruleSets: sets)
        }
    }
}
