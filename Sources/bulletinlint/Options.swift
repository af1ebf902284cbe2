import ArgumentParser
import BulletinLintCore
import Foundation

/// How the rules are chosen, shared by the subcommands.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("规则集：内置名称（bulletin、gongwen、sichuan-difangzhi…）或 YAML 文件路径；可重复，后者优先。给出时不再查找 .bulletinlint.yaml。", valueName: "NAME|FILE"))
    var rules: [String] = []

    @Option(name: .long, help: ArgumentHelp("配置文件；不给出时从每个文件所在目录向上查找最近的 .bulletinlint.yaml，找不到则用内置 bulletin。", valueName: "FILE"))
    var config: String?

    func validate() throws {
        if !rules.isEmpty, config != nil {
            throw ValidationError("--rules 和 --config 不能同时使用：配置文件里可以用 extends 引用规则集。")
        }
    }

    var mode: ConfigResolver.Mode {
        if let config { return .configFile(config) }
        if !rules.isEmpty { return .ruleSets(rules) }
        return .discover
    }

    func resolver() -> ConfigResolver { ConfigResolver(mode: mode) }

    /// The configuration for one file (or the working directory); a mistake ends the run with 2.
    func configuration(forFile path: String?) throws -> Configuration {
        do {
            return try resolver().configuration(forFile: path)
        } catch {
            throw ConfigurationFailure(error)
        }
    }
}

/// A rule-file or configuration error: printed as `FILE:LINE:COL: error: …`, exit 2.
struct ConfigurationFailure: Error {
    let error: RuleFileError
    init(_ error: RuleFileError) { self.error = error }
}

/// Runs a command body, turning configuration errors into exit 2.
func withConfigurationErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as ConfigurationFailure {
        printError(failure.error.description)
        throw ExitCode(2)
    } catch let error as RuleFileError {
        printError(error.description)
        throw ExitCode(2)
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

/// `text` or `json`, for commands that print a listing.
enum ListingFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
