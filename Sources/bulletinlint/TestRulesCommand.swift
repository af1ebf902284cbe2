import ArgumentParser
import BulletinLintCore

extension BulletinLint {
    struct TestRules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test-rules",
            abstract: "运行规则文件中每条规则的示例；有失败时退出码为 1。",
            discussion: "invalid 示例中用 ↓ 标出问题应当报告的位置（写在该字符之前）；没有 ↓ 的 invalid 示例会得到警告。不给出文件时测试当前生效的配置。"
        )

        @Argument(help: ArgumentHelp("规则文件或配置文件；不给出时使用当前生效的配置。", valueName: "FILE"), completion: Completions.yamlFile)
        var files: [String] = []

        @OptionGroup var configOptions: ConfigOptions

        @Flag(name: .long, help: "只测试这些文件中定义的规则，不测试继承来的规则。")
        var ownOnly = false

        func run() throws {
            var failed = false
            try withConfigurationErrors {
                var sets: [(RuleSet, Set<String>?)] = []
                if files.isEmpty {
                    sets.append((try configOptions.configuration(forFile: nil).ruleSet, nil))
                } else {
                    for file in files {
                        let isConfig = Configuration.fileNames.contains { file.hasSuffix($0) }
                        let ruleSet = isConfig
                            ? try RuleSetLoader().loadConfiguration(path: file).ruleSet
                            : try RuleSetLoader().load(references: [file])
                        let own = ownOnly ? Set(ruleSet.rules.filter { $0.origin.file == ruleSet.files.last }.map(\.id)) : nil
                        sets.append((ruleSet, own))
                    }
                }
                var examples = 0
                var failures: [ExampleRunner.Failure] = []
                var missing: [Rule] = []
                var unmarked: [ExampleRunner.UnmarkedExample] = []
                for (ruleSet, only) in sets {
                    let runner = ExampleRunner(ruleSet: ruleSet)
                    for rule in ruleSet.rules where only?.contains(rule.id) ?? true {
                        examples += rule.examples.valid.count + rule.examples.invalid.count
                        if rule.examples.valid.isEmpty && rule.examples.invalid.isEmpty { missing.append(rule) }
                        failures += runner.failures(of: rule) + runner.fixFailures(of: rule)
                        unmarked += runner.unmarkedExamples(of: rule)
                    }
                }
                for failure in failures {
                    let origin = failure.example.origin
                    write("\(origin.file):\(origin.line):\(origin.column): error: \(failure.message)\n")
                }
                for example in unmarked {
                    let origin = example.example.origin
                    write("\(origin.file):\(origin.line):\(origin.column): warning: \(example.message)\n")
                }
                for rule in missing {
                    write("\(rule.origin.file):\(rule.origin.line):\(rule.origin.column): warning: 规则“\(rule.id)”没有示例\n")
                }
                let unmarkedNote = unmarked.isEmpty ? "" : "，\(unmarked.count) 个 invalid 示例没有 ↓ 标记"
                write("共运行 \(examples) 个示例：\(failures.count) 个失败，\(missing.count) 条规则没有示例\(unmarkedNote)\n")
                failed = !failures.isEmpty
            }
            if failed { throw ExitCode(1) }
        }
    }
}
