import ArgumentParser
import BulletinLintCore

extension BulletinLint {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "显示工具如何理解一个文档：识别出的元素、字段、名单条目及其位置。"
        )

        @Argument(help: ArgumentHelp("要查看的文件；“-”读取标准输入。", valueName: "FILE"))
        var path: String

        @OptionGroup var configOptions: ConfigOptions

        @Option(name: .long, help: "输出格式：text 或 json。")
        var format: ListingFormat = .text

        @Option(name: .long, help: ArgumentHelp("从标准输入读取时使用的文件名。", valueName: "NAME"))
        var stdinFilename: String?

        func run() throws {
            try withConfigurationErrors {
                let configuration = try configOptions.configuration(forFile: path == "-" ? nil : path)
                let result = path == "-"
                    ? DocumentReader.readStandardInput(displayPath: stdinFilename ?? "<stdin>")
                    : DocumentReader.read(path: path)
                switch result {
                case .failure(let failure):
                    printError("\(path): error: \(failure.message) [\(failure.ruleID)]")
                    throw ExitCode(1)
                case .success(let source):
                    let bulletin = configuration.ruleSet.parser.parse(source)
                    write(format == .json ? InspectFormatter.json(bulletin) : InspectFormatter.text(bulletin))
                }
            }
        }
    }
}
