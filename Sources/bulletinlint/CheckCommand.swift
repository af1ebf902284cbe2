import ArgumentParser
import BulletinLintCore
import Foundation

extension BulletinLint {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "检查文件或文件夹（递归查找 .txt、.md）；“-”表示标准输入。"
        )

        @Argument(help: ArgumentHelp("要检查的文件或文件夹；“-”读取标准输入。", valueName: "PATH"))
        var paths: [String]

        @OptionGroup var configOptions: ConfigOptions

        @Option(name: .long, help: "输出格式。")
        var format: OutputFormatOption = .text

        @Flag(name: .long, help: "不使用颜色（设置 NO_COLOR 环境变量亦可）。")
        var noColor = false

        @Flag(name: .long, help: "只报告错误，不报告警告和提示。")
        var quiet = false

        @Option(name: .long, help: ArgumentHelp("从标准输入读取时，在报告中使用的文件名。", valueName: "NAME"))
        var stdinFilename: String?

        func validate() throws {
            if paths.isEmpty { throw ValidationError("请至少给出一个文件或文件夹（或用“-”读取标准输入）。") }
        }

        func run() throws {
            let resolver = configOptions.resolver()
            var reports: [FileReport] = []
            try withConfigurationErrors {
                let session = LintSession(resolver: resolver)
                let folders = paths.filter { path in
                    var isDirectory: ObjCBool = false
                    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                }
                reports = try session.run(FileCollector.entries(paths, stdinName: stdinFilename), folders: folders).reports
            }
            if quiet {
                reports = reports.map { FileReport(path: $0.path, source: $0.source, diagnostics: $0.diagnostics.filter { $0.severity == .error }) }
            }
            // Formats that describe the rules get every rule that ran.
            var rules: [Rule] = []
            var seen: Set<String> = []
            for configuration in resolver.configurations {
                for rule in configuration.ruleSet.rules where seen.insert(rule.id).inserted { rules.append(rule) }
            }
            let formatter = format.value.formatter(color: Terminal.wantsColor(disabled: noColor))
            write(formatter.format(reports, context: ReportContext(rules: rules)))
            if reports.contains(where: { $0.diagnostics.contains { $0.severity == .error } }) {
                throw ExitCode(1)
            }
        }
    }
}
