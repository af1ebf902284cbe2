import Foundation

/// Fixes one file on disk, losing nothing: the new text is written to a temporary file beside it,
/// flushed and renamed over the original, in the file's own encoding (a GB18030 file stays
/// GB18030, a BOM stays), with its line endings and permissions. A file that changed on disk
/// since it was read is not overwritten.
public enum FileFixer {
    public struct Result: Sendable {
        public let path: String
        /// The text as read and as fixed (equal when nothing changed or nothing could be done).
        public let original: String
        public let fixed: String
        public let applied: Int
        /// Why the file was left alone, or what went wrong; nil when all went well.
        public let note: String?
        public var changed: Bool { original != fixed }
    }

    /// Formats that are not written back, with the reason users read.
    public static func refusal(forPath path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "docx": return "暂不支持自动修正 .docx：请按提示在 Word 或 WPS 中修改（文件未改动）"
        case "ofd", "pdf": return "OFD 和 PDF 是版式文件，只读，不能自动修正（文件未改动）"
        default: return nil
        }
    }

    /// Fixes `path` from the findings `linter` reports for it (suppressions and `ignore:`
    /// entries applied); with `write: false` only computes the fixed text (for `--diff`).
    public static func fix(path: String, linter: DocumentLinter, unsafe: Bool, write: Bool) -> Result {
        func leave(_ note: String?, original: String = "") -> Result {
            Result(path: path, original: original, fixed: original, applied: 0, note: note)
        }
        if let refusal = refusal(forPath: path) { return leave(refusal) }
        guard let data = FileManager.default.contents(atPath: path) else { return leave("无法读取文件") }
        let bytes = [UInt8](data)
        let source: SourceText
        // Read as `check` reads it: Markdown with its markup (code, link targets) kept from the rules.
        switch DocumentReader.read(bytes: bytes, format: DocumentFormat(pathExtension: DocumentReader.lowercasedPathExtension(path)),
                                   displayPath: path) {
        case .success(let decoded): source = decoded
        case .failure(let failure): return leave(failure.message)
        }
        let outcome = linter.fix(source, ignorePath: path, unsafe: unsafe)
        var note: String? = outcome.converged ? nil : "修正在 \(outcome.passes) 轮后仍未稳定（有的修正互相冲突），已停止；请检查结果"
        guard outcome.text != source.text else { return Result(path: path, original: source.text, fixed: source.text, applied: 0, note: note) }
        guard let encoded = encode(outcome.text, as: source.encoding, hadBOM: bytes.starts(with: [0xEF, 0xBB, 0xBF])) else {
            return leave("修正后的文字无法用原编码（\(source.encoding.rawValue)）保存，已跳过", original: source.text)
        }
        let result = Result(path: path, original: source.text, fixed: outcome.text, applied: outcome.applied, note: note)
        guard write else { return result }
        // Another program may have saved the file meanwhile: never overwrite its work.
        guard FileManager.default.contents(atPath: path) == data else {
            return leave("文件在检查期间被修改过，未写入修正", original: source.text)
        }
        do {
            let file = try AtomicFile(path: path)
            try file.write(bytes: encoded)
            try file.commit()
        } catch {
            note = "写入失败：\(error)（原文件未改动）"
            return leave(note, original: source.text)
        }
        return result
    }

    /// The text in the file's encoding; nil when a character cannot be encoded.
    public static func encode(_ text: String, as encoding: TextEncoding, hadBOM: Bool) -> [UInt8]? {
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .utf8BOM: return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .utf16LE, .utf16BE:
            var out: [UInt8] = encoding == .utf16LE ? [0xFF, 0xFE] : [0xFE, 0xFF]
            for unit in text.utf16 {
                let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
                out += encoding == .utf16LE ? [low, high] : [high, low]
            }
            return out
        case .gb18030:
            return TextDecoding.encodeGB18030(text)
        }
    }
}
