import ArgumentParser
import BulletinLintCore
import Foundation

/// Rule set selection shared by the subcommands.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("规则集：内置名称（如 bulletin、gongwen、sichuan-difangzhi）或 YAML 文件路径；可重复，后者优先。", valueName: "NAME|FILE"))
    var rules: [String] = []

    func load() throws -> RuleSet {
        do {
            return try RuleSetLoader().load(references: rules.isEmpty ? [BuiltinRuleSets.defaultName] : rules)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

enum Terminal {
    /// Colour only on a terminal, and never with NO_COLOR set.
    static func wantsColor(disabled: Bool) -> Bool {
        if disabled { return false }
        if let value = ProcessInfo.processInfo.environment["NO_COLOR"], !value.isEmpty { return false }
        return isatty(STDOUT_FILENO) != 0
    }
}
