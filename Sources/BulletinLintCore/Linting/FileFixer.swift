import Foundation

/// Fixes one file on disk, losing nothing: the new text is written to a temporary file beside it,
/// flushed and renamed over the original, in the file's own encoding (a GB18030 file stays
/// GB18030, a BOM stays), with its line endings, and with the original's owner, group,
/// permissions, ACL and extended attributes (or not at all, when one of them cannot be kept).
///
/// A file that changed on disk since it was read is not overwritten: right before the rename,
/// the file at the path must still be the one read (device and inode), with the same size,
/// modification and status-change times and the same bytes. What remains is the instant between
/// that last comparison and `rename(2)`, and a program that keeps the file open and writes to it
/// later (its write goes to the replaced file): POSIX has no way to replace a file on the
/// condition that it is unchanged, and editors take no lock bulletinlint could respect.
///
/// A file with more than one name (hard links) is not fixed: renaming a new file over one name
/// would leave the others with the old text.
public enum FileFixer {
    public struct Result: Sendable {
        public let path: String
        /// The text as read and as fixed (equal when nothing changed or nothing could be done).
        public let original: String
        public let fixed: String
        public let applied: Int
        /// Why the file was left alone, or what went wrong; nil when all went well.
        public let note: String?
        /// Fixes were found but not written: the file could not be written, or not safely
        /// (it changed meanwhile, has hard links, or its owner or attributes could not be kept).
        public var notWritten = false
        /// The path could not be read at all (missing, or not a regular file found in a folder):
        /// `note` says why; `check` reports it as an `io-error`.
        public var unread = false
        public var changed: Bool { original != fixed }
    }

    /// Formats that are not written back, with the reason users read.
    public static func refusal(forPath path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "docx": return "不直接修正 .docx（文件未改动）：用 bulletinlint annotate 另写一份审校稿，修正标为修订，在 Word 或 WPS 中接受"
        case "ofd", "pdf": return "OFD 和 PDF 是版式文件，只读，不能自动修正（文件未改动）"
        case let legacy where LegacyWordReader.extensions.contains(legacy):
            return "不能自动修正 .\(legacy) 文件（它经 LibreOffice 转换后检查）：请按提示在 Word 或 WPS 中修改（文件未改动）"
        default: return nil
        }
    }

    /// Fixes `path` from the findings `linter` reports for it (suppressions and `ignore:`
    /// entries applied); with `write: false` only computes the fixed text (for `--diff`).
    public static func fix(path: String, linter: DocumentLinter, unsafe: Bool, write: Bool) -> Result {
        func leave(_ note: String?, original: String = "", notWritten: Bool = false) -> Result {
            Result(path: path, original: original, fixed: original, applied: 0, note: note, notWritten: notWritten)
        }
        if let refusal = refusal(forPath: path) { return leave(refusal) }
        let bytes: [UInt8]
        let snapshot: FileSnapshot
        switch FileMetadata.readRegularFile(path: path) {
        case .success(let read): (bytes, snapshot) = read
        case .failure(let failure): return leave(failure.reason)
        }
        let source: SourceText
        // Read as `check` reads it: Markdown with its markup (code, link targets) kept from the rules.
        switch DocumentReader.read(bytes: bytes, format: DocumentFormat(pathExtension: DocumentReader.lowercasedPathExtension(path)),
                                   displayPath: path) {
        case .success(let decoded): source = decoded
        case .failure(let failure): return leave(failure.message)
        }
        let outcome = linter.fix(source, ignorePath: path, unsafe: unsafe)
        let note: String? = outcome.converged ? nil : "修正在 \(outcome.passes) 轮后仍未稳定（有的修正互相冲突），已停止；请检查结果"
        guard outcome.text != source.text else { return Result(path: path, original: source.text, fixed: source.text, applied: 0, note: note) }
        guard let encoded = encode(outcome.text, as: source.encoding, hadBOM: bytes.starts(with: [0xEF, 0xBB, 0xBF])) else {
            return leave("修正后的文字无法用原编码（\(source.encoding.rawValue)）保存，已跳过", original: source.text)
        }
        let result = Result(path: path, original: source.text, fixed: outcome.text, applied: outcome.applied, note: note)
        guard write else { return result }
        if snapshot.links > 1 {
            return leave("文件有 \(snapshot.links) 个名字（硬链接），替换它会让其他名字仍是旧内容，未写入修正（文件未改动）；"
                         + "请先用 --diff 查看改动后手工修改，或先复制一份取代硬链接再修正",
                         original: source.text, notWritten: true)
        }
        do {
            let file = try AtomicFile(path: path, replacingOnly: true)
            try file.write(bytes: encoded)
            // Another program may have saved the file meanwhile: never overwrite its work.
            try file.commit(keeping: .everything) { target in
                // The bytes, then (cheapest, so last) the file at the path: same inode, size,
                // modification and status-change times as when it was read.
                let changed = "文件在检查期间被修改过"
                guard case .success(let again) = FileMetadata.readRegularFile(path: target),
                      again.snapshot.isSameVersion(as: snapshot), again.bytes == bytes,
                      let now = FileSnapshot.of(path: target), now.isSameVersion(as: snapshot) else { return changed }
                return nil
            }
        } catch let error as ReportWriteError {
            return leave("未写入修正：\(error.reason)（文件未改动）", original: source.text, notWritten: true)
        } catch {
            return leave("未写入修正：\(error)（文件未改动）", original: source.text, notWritten: true)
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
