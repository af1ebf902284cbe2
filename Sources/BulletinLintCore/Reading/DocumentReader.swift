import Foundation

/// A file that could not be read or decoded: reported as a diagnostic of its own, and the
/// run goes on with the next file.
public struct ReadFailure: Error, Sendable {
    /// `io-error`, `encoding-error`, `corrupt-document`, `archive-too-large`, `unsupported-format`,
    /// `pdf-no-text`, `pdftotext-missing`, `pdf-timeout` or `pdf-error`.
    public let ruleID: String
    public let message: String
    /// What to do about it; nil for the generic advice of the rule id.
    public var help: String? = nil

    public init(ruleID: String, message: String, help: String? = nil) {
        self.ruleID = ruleID
        self.message = message
        self.help = help
    }
}

/// Reads documents into `SourceText`.
public enum DocumentReader {
    /// Files larger than this are refused rather than read into memory.
    public static let maximumFileSize = 64 * 1024 * 1024

    public static func read(path: String, displayPath: String? = nil) -> Result<SourceText, ReadFailure> {
        let shown = displayPath ?? path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ReadFailure(ruleID: "io-error", message: "文件不存在或无法访问"))
        }
        if isDirectory.boolValue {
            return .failure(ReadFailure(ruleID: "io-error", message: "这是一个文件夹，不是文件"))
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let size = attributes[.size] as? NSNumber, size.intValue > maximumFileSize {
            return .failure(ReadFailure(ruleID: "io-error",
                                        message: "文件过大（\(size.intValue / 1_048_576) MB），超过 \(maximumFileSize / 1_048_576) MB 的上限"))
        }
        let pathExtension = (shown as NSString).pathExtension.lowercased()
        if let failure = unsupported(pathExtension) { return .failure(failure) }
        if DocumentFormat(pathExtension: pathExtension) == .pdf {
            // pdftotext reads the file itself.
            return PDFReader.read(path: path, displayPath: shown)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(ReadFailure(ruleID: "io-error", message: "无法打开文件（权限不足？）"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // Bounded: a device or pipe (`/dev/zero`, `<(…)`) has no size to check beforehand.
            data = try handle.read(upToCount: maximumFileSize + 1) ?? Data()
        } catch {
            return .failure(ReadFailure(ruleID: "io-error", message: "读取文件失败：\(error.localizedDescription)"))
        }
        if data.count > maximumFileSize {
            return .failure(ReadFailure(ruleID: "io-error", message: "文件过大，超过 \(maximumFileSize / 1_048_576) MB 的上限"))
        }
        return read(data: data, displayPath: shown)
    }

    /// Reads standard input to its end; `displayPath`'s extension says the format
    /// (`--stdin-filename draft.docx`).
    public static func readStandardInput(displayPath: String) -> Result<SourceText, ReadFailure> {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        if let failure = unsupported((displayPath as NSString).pathExtension.lowercased()) { return .failure(failure) }
        return read(data: data, displayPath: displayPath)
    }

    /// Reads a document's bytes in the format its name's extension says: .docx, .ofd, .pdf,
    /// .md/.markdown, anything else as plain text.
    public static func read(data: Data, displayPath: String) -> Result<SourceText, ReadFailure> {
        switch DocumentFormat(pathExtension: (displayPath as NSString).pathExtension) {
        case .docx?:
            return DocxReader.read(data: data, displayPath: displayPath)
        case .ofd?:
            return OFDReader.read(data: data, displayPath: displayPath)
        case .pdf?:
            return PDFReader.read(data: data, displayPath: displayPath)
        case .markdown?:
            return decode(bytes: [UInt8](data), displayPath: displayPath).map {
                MarkdownReader.source(text: $0.text, displayPath: displayPath, encoding: $0.encoding)
            }
        case .text?, nil:
            return decode(bytes: [UInt8](data), displayPath: displayPath)
        }
    }

    /// Formats that look like documents but that no reader handles: a message that says what
    /// to do instead of “binary content”.
    static func unsupported(_ pathExtension: String) -> ReadFailure? {
        guard ["doc", "wps", "rtf", "odt"].contains(pathExtension) else { return nil }
        return ReadFailure(ruleID: "unsupported-format", message: "不支持 .\(pathExtension) 格式",
                           help: "请在 Word 或 WPS 中“另存为” .docx 后再检查。")
    }

    public static func decode(bytes: [UInt8], displayPath: String) -> Result<SourceText, ReadFailure> {
        switch TextDecoding.decode(bytes) {
        case .success(let (text, encoding)):
            return .success(SourceText(path: displayPath, text: text, encoding: encoding))
        case .failure(let failure):
            return .failure(ReadFailure(ruleID: "encoding-error", message: failure.message))
        }
    }
}
