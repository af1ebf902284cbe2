import ArgumentParser
import BulletinLintCore

extension BulletinLint {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "检查文件或文件夹（递归查找 .txt、.md）；“-”表示标准输入。"
        )

        @Argument(help: ArgumentHelp("要检查的文件或文件夹；“-”读取标准输入。", valueName: "PATH"))
        var paths: [String]

        @OptionGroup var ruleOptions: RuleOptions

        @Option(name: .long, help: "输出格式：text 或 json。")
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
            let ruleSet = try ruleOptions.load()
            let session = LintSession(ruleSet: ruleSet)
            let items = FileCollector.collect(paths, stdinName: stdinFilename)
            var reports = session.lint(items)
            if quiet {
                reports = reports.map { FileReport(path: $0.path, source: $0.source, diagnostics: $0.diagnostics.filter { $0.severity == .error }) }
            }
            let formatter = format.value.formatter(color: Terminal.wantsColor(disabled: noColor))
            write(formatter.format(reports, context: ReportContext(rules: ruleSet.rules)))
            if reports.contains(where: { $0.diagnostics.contains { $0.severity == .error } }) {
                throw ExitCode(1)
            }
        }
    }
}

struct OutputFormatOption: ExpressibleByArgument {
    let value: OutputFormat
    init(_ value: OutputFormat) { self.value = value }
    init?(argument: String) {
        guard let format = OutputFormat(rawValue: argument) else { return nil }
        value = format
    }
    static let text = OutputFormatOption(.text)
    static var allValueStrings: [String] { OutputFormat.allCases.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}
