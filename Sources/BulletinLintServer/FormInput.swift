#if Server
import BulletinLintCore
import Foundation
import MultipartKit

/// The fields of an API request, from `multipart/form-data` (the page, `curl -F`) or from a
/// JSON object (`{"text", "name", "ruleset", "config", "finding"}`).
struct FormInput: Sendable {
    /// The uploaded document: its bytes and the file name the client gave (display only).
    var file: (bytes: [UInt8], name: String)?
    var text: String?
    var name: String?
    var ruleSet: String?
    /// An uploaded `.bulletinlint.yaml`.
    var config: (bytes: [UInt8], name: String)?
    var finding: Int?

    /// The document of the request: the file, else the pasted text; `missing` otherwise.
    func document() throws(LintService.Failure) -> LintService.Document {
        if let file {
            return .bytes(file.bytes, name: LintService.safeName(file.name, fallback: "上传的文档.txt"))
        }
        if let text {
            return .text(text, name: LintService.safeName(name, fallback: "粘贴的文本.txt"))
        }
        throw LintService.Failure(status: 400, code: "bad_request", message: "请上传文档（字段 file）或粘贴文本（字段 text）")
    }

    func configuration() throws(LintService.Failure) -> Configuration {
        try LintService.configuration(ruleSet: ruleSet, configText: config?.bytes, configName: config?.name)
    }

    // MARK: Parsing

    static func parse(body: [UInt8], contentType: String?) throws(LintService.Failure) -> FormInput {
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("multipart/form-data") {
            guard let boundary = parameter("boundary", in: contentType ?? ""), !boundary.isEmpty else {
                throw LintService.Failure(status: 400, code: "bad_request", message: "multipart/form-data 请求缺少 boundary")
            }
            return try multipart(body: body, boundary: boundary)
        }
        if type.hasPrefix("application/json") {
            return try json(body: body)
        }
        throw LintService.Failure(status: 415, code: "unsupported_media_type",
                                  message: "请求体应为 multipart/form-data 或 application/json")
    }

    private static func json(body: [UInt8]) throws(LintService.Failure) -> FormInput {
        guard let text = String(validating: body, as: UTF8.self), let value = try? JSON.parse(text),
              case .object = value else {
            throw LintService.Failure(status: 400, code: "bad_request", message: "请求体不是有效的 JSON 对象")
        }
        var input = FormInput()
        input.text = value["text"]?.stringValue
        input.name = value["name"]?.stringValue
        input.ruleSet = value["ruleset"]?.stringValue
        if let config = value["config"]?.stringValue { input.config = (Array(config.utf8), ".bulletinlint.yaml") }
        input.finding = value["finding"]?.intValue
        return input
    }

    private static func multipart(body: [UInt8], boundary: String) throws(LintService.Failure) -> FormInput {
        let parser = MultipartParser(boundary: boundary)
        var parts: [(headers: [(String, String)], body: [UInt8])] = []
        var headers: [(String, String)] = []
        var bytes: [UInt8] = []
        parser.onHeader = { field, value in headers.append((field, value)) }
        parser.onBody = { buffer in bytes.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            parts.append((headers, bytes))
            headers = []
            bytes = []
        }
        do {
            try parser.execute(body)
        } catch {
            throw LintService.Failure(status: 400, code: "bad_request", message: "multipart/form-data 请求体格式有误")
        }
        var input = FormInput()
        for part in parts {
            let disposition = part.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            guard let field = parameter("name", in: disposition) else { continue }
            let filename = parameter("filename", in: disposition)
            func string() throws(LintService.Failure) -> String {
                guard let value = String(validating: part.body, as: UTF8.self) else {
                    throw LintService.Failure(status: 400, code: "bad_request", message: "字段“\(field)”不是 UTF-8 文本")
                }
                return value
            }
            switch field {
            case "file":
                // A file input left empty still sends a part, with an empty name and no bytes.
                if let filename, !filename.isEmpty { input.file = (part.body, filename) }
            case "config":
                if let filename, !filename.isEmpty { input.config = (part.body, filename) }
                else if !part.body.isEmpty { input.config = (part.body, ".bulletinlint.yaml") }
            case "text":
                let value = try string()
                if !value.isEmpty { input.text = value }
            case "name": input.name = try string()
            case "ruleset": input.ruleSet = try string()
            case "finding":
                let value = try string().trimmingCharacters(in: .whitespaces)
                if !value.isEmpty {
                    guard let number = Int(value) else {
                        throw LintService.Failure(status: 400, code: "bad_request", message: "字段 finding 应为问题编号（整数）")
                    }
                    input.finding = number
                }
            default: continue
            }
        }
        return input
    }

    /// A parameter of a header value (`boundary=…`, `name="…"`), quoted or not; `filename*=`
    /// (RFC 5987, UTF-8) wins over `filename=`.
    static func parameter(_ key: String, in header: String) -> String? {
        var plain: String?
        var extended: String?
        for piece in splitParameters(header) {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            if name == key { plain = value }
            if name == key + "*", let quote = value.range(of: "''") {
                extended = String(value[quote.upperBound...]).removingPercentEncoding
            }
        }
        return extended ?? plain
    }

    /// Splits `a; b="x;y"; c` at semicolons outside quotes.
    private static func splitParameters(_ header: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for character in header {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces
    }
}
#endif
