import ArgumentParser
import BulletinLintCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the rules are chosen, shared by the subcommands.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("规则集：内置名称（bulletin、gongwen、sichuan-difangzhi…）或 YAML 文件路径；可重复，后者优先。给出时不再查找 .bulletinlint.yaml。", valueName: "NAME|FILE"), completion: Completions.ruleSets)
    var rules: [String] = []

    @Option(name: .long, help: ArgumentHelp("配置文件；不给出时从每个文件所在目录向上查找最近的 .bulletinlint.yaml，找不到则用内置 default（简报用简报规则，公文用公文规则）。", valueName: "FILE"), completion: Completions.yamlFile)
    var config: String?

    @Option(name: .long, help: ArgumentHelp("把每个文件都当作这一类文书检查（简报、信息专报、公文，或请示、通知等文种），不按报头、标题自动判断。", valueName: "类别"), completion: Completions.genres)
    var genre: String?

    /// The genre `--genre` names.
    var forcedGenre: DocumentGenre? { genre.flatMap(DocumentGenre.named) }

    /// The per-document pipeline of a configuration, with `--genre` applied.
    func documentLinter(_ configuration: Configuration) -> DocumentLinter {
        DocumentLinter(configuration: configuration, forcedGenre: forcedGenre)
    }

    func validate() throws {
        if let genre, DocumentGenre.named(genre) == nil {
            throw ValidationError("未知的文书类别“\(genre)”；可用：\(DocumentGenre.conditionNames.joined(separator: "、"))")
        }
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

/// Writes a line to standard error, after whatever standard output still holds, so the two
/// keep their order when they go to one place (`2>&1`).
func printError(_ text: String) {
    StandardOutput.shared.flush()
    StandardStreams.writeError(text + "\n")
}

/// Writes to standard output at once (after what is buffered).
func write(_ text: String) {
    StandardOutput.shared.append { $0.append(contentsOf: text.utf8) }
    StandardOutput.shared.flush()
}

/// Standard output, buffered: a report is written in pieces of `flushThreshold` bytes instead of
/// one `write` per file. Flushed before anything goes to standard error (`printError`, the
/// progress line), when a report is finished or abandoned, and at exit.
final class StandardOutput: @unchecked Sendable {
    static let shared = StandardOutput()
    static let flushThreshold = 64 * 1024

    private let lock = NSLock()
    private var buffer: [UInt8] = []

    private init() {
        buffer.reserveCapacity(2 * StandardOutput.flushThreshold)
        // A last resort: every path that ends the process flushes first.
        atexit { StandardOutput.shared.flushAtExit() }
    }

    /// Appends through `body`, and writes the buffer out once it passes the threshold.
    func append(_ body: (inout [UInt8]) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&buffer)
        if buffer.count >= StandardOutput.flushThreshold { writeOut() }
    }

    func flush() {
        lock.lock()
        defer { lock.unlock() }
        writeOut()
    }

    /// At exit, only when no other thread is in the middle of appending.
    private func flushAtExit() {
        guard lock.try() else { return }
        defer { lock.unlock() }
        writeOut()
    }

    /// Writes every buffered byte, retrying short writes. A failure (a full disk, a closed
    /// descriptor) ends the run with exit code 2 rather than losing the report silently.
    private func writeOut() {
        guard !buffer.isEmpty else { return }
        let failure = buffer.withUnsafeBufferPointer { ReportWriter.writeAll(STDOUT_FILENO, $0) }
        buffer.removeAll(keepingCapacity: true)
        if let failure {
            StandardStreams.writeError("error: 无法写入标准输出：\(ReportWriter.explain(failure))\n")
            _exit(2)
        }
    }
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
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
    var defaultValueDescription: String { value.rawValue }
}

/// `text` or `json`, for commands that print a listing.
enum ListingFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
