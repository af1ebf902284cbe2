// Compiled only with the MCP package trait (on by default); see Package.swift.
#if MCP
import BulletinLintCore
import Foundation
import MCP

/// A tool call the model can correct (a missing or wrong-typed argument, an unknown rule, a
/// file that cannot be read, a text over the limit): answered as a tool result with
/// `isError: true` and a Chinese message, as the MCP specification asks for input errors.
struct ToolFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The arguments of one tool call, read with checks.
struct ToolArguments {
    let tool: String
    private let values: [String: Value]

    /// Refuses an argument the tool does not take (a typo such as `txt` would otherwise be
    /// ignored silently).
    init(tool: String, values: [String: Value]?) throws(ToolFailure) {
        self.tool = tool
        self.values = values ?? [:]
        let accepted = ToolCatalog.arguments[tool] ?? []
        if let unknown = self.values.keys.sorted().first(where: { !accepted.contains($0) }) {
            let hint = Suggestion.closest(to: unknown, among: accepted.sorted()).map { "（是否要写“\($0)”？）" } ?? ""
            throw ToolFailure("\(tool) 不接受参数“\(unknown)”\(hint)；它的参数有：\(accepted.sorted().joined(separator: "、"))。")
        }
    }

    /// A string argument; nil when absent (or null).
    func string(_ key: String) throws(ToolFailure) -> String? {
        guard let value = values[key], !value.isNull else { return nil }
        switch value {
        case .string(let text):
            return text
        case .data(_, let data):
            // The SDK reads a string that happens to be a `data:` URL as bytes.
            return String(decoding: data, as: UTF8.self)
        default:
            throw ToolFailure("参数 \(key) 应为字符串，收到的是\(ToolArguments.kind(of: value))。")
        }
    }

    func requiredString(_ key: String) throws(ToolFailure) -> String {
        guard let value = try string(key) else { throw ToolFailure("\(tool) 缺少参数 \(key)。") }
        return value
    }

    func bool(_ key: String) throws(ToolFailure) -> Bool? {
        guard let value = values[key], !value.isNull else { return nil }
        guard case .bool(let flag) = value else {
            throw ToolFailure("参数 \(key) 应为 true 或 false，收到的是\(ToolArguments.kind(of: value))。")
        }
        return flag
    }

    static func kind(of value: Value) -> String {
        switch value {
        case .null: return " null"
        case .bool: return "布尔值"
        case .int, .double: return "数字"
        case .string, .data: return "字符串"
        case .array: return "数组"
        case .object: return "对象"
        }
    }
}

/// A document named in a call: its text, or a regular file on disk.
enum DocumentArgument {
    /// `name` is what reports show and what configuration and `ignore:` entries are found by
    /// (nil: none given; the working directory's configuration applies).
    case text(String, name: String?)
    case file(path: String)

    /// `text` or `path`, exactly one of them, checked against the limits `check` applies.
    init(_ arguments: ToolArguments, allowPath: Bool = true) throws(ToolFailure) {
        let text = try arguments.string("text")
        let path = allowPath ? try arguments.string("path") : nil
        let name = try arguments.string("name")
        switch (text, path) {
        case (nil, nil):
            throw ToolFailure(allowPath ? "\(arguments.tool) 需要 text（文稿全文）或 path（文件路径）二者之一。" : "\(arguments.tool) 缺少参数 text。")
        case (.some, .some):
            throw ToolFailure("text 和 path 只能给一个。")
        case (let text?, nil):
            try DocumentArgument.checkSize(text)
            self = .text(text, name: name)
        case (nil, let path?):
            if name != nil { throw ToolFailure("name 只用于 text；给出 path 时不用 name。") }
            if let failure = DocumentReader.regularFileFailure(path: path) {
                let relative = path.hasPrefix("/") ? "" : "（相对路径以服务器的工作目录 \(FileManager.default.currentDirectoryPath) 为准）"
                throw ToolFailure("无法读取“\(path)”：\(failure.message)\(relative)。")
            }
            self = .file(path: path)
        }
    }

    /// Text is held to the limit files are (`DocumentReader.maximumFileSize`).
    static func checkSize(_ text: String) throws(ToolFailure) {
        let size = text.utf8.count
        let limit = DocumentReader.maximumFileSize
        if size > limit {
            throw ToolFailure("text 有 \(size) 字节，超过 \(limit / 1_048_576) MB（\(limit) 字节）的上限，没有检查。")
        }
    }

    /// The path whose nearest `.bulletinlint.yaml` applies (nil: the working directory's).
    var configurationPath: String? {
        switch self {
        case .text(_, let name): return name
        case .file(let path): return path
        }
    }

    /// The shown name.
    var displayName: String {
        switch self {
        case .text(_, let name): return name ?? DocumentArgument.unnamed
        case .file(let path): return path
        }
    }

    static let unnamed = "<text>"

    var input: DocumentLinter.Input {
        switch self {
        case .text(let text, let name): return .text(text, name: name ?? DocumentArgument.unnamed)
        case .file(let path): return .file(path: path)
        }
    }
}
#endif
