import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A report that could not be written; the message is for users.
public struct ReportWriteError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public let path: String
    /// What failed, in Chinese: “无法在“out”中创建临时文件：权限不足”.
    public let reason: String

    public var message: String { "无法写入报告“\(path)”：\(reason)" }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// Writes report files (`--output`, `--report FORMAT=FILE`) so that a reader never sees a
/// partial file: the text goes to a temporary file in the target's folder, is flushed to disk,
/// and is renamed over the target in one step. On any failure the target is untouched and the
/// temporary file is removed.
public enum ReportWriter {
    public static func writeAtomically(_ text: String, to path: String) throws {
        let file = try AtomicFile(path: path)
        do {
            try file.write(text)
            try file.commit()
        } catch {
            file.abort()
            throw error
        }
    }
    /// A symbolic link is written through, the way `>` does, so it stays a link.
    static func resolvedTarget(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
              let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Folder (empty for the current one) and file name.
    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// Writes every byte, retrying short writes and interruptions; the errno on failure (also
    /// for the CLI's buffered standard output).
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if written == 0 { return EIO }
            offset += written
        }
        return nil
    }

    /// An errno in words, in Chinese (`权限不足`); also for the CLI's own writes.
    public static func explain(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "权限不足"
        case ENOENT: return "文件夹不存在"
        case ENOTDIR: return "路径中有一段不是文件夹"
        case EROFS: return "文件系统是只读的"
        case ENOSPC, EDQUOT: return "磁盘空间不足"
        case EFBIG: return "文件超过了允许的大小"
        case EISDIR: return "这是一个文件夹"
        case ENAMETOOLONG: return "路径太长"
        case EIO: return "读写设备出错"
        default: return "系统错误 \(code)（\(String(cString: strerror(code)))）"
        }
    }
}

/// A file written in pieces and put in place in one step: the text goes to a temporary file in
/// the target's folder, is flushed to disk, and is renamed over the target by `commit()`. Until
/// then, and after `abort()` or any failure, the target is untouched and no temporary is left.
public final class AtomicFile {
    public let path: String
    private let target: String
    private let directory: String
    private let temporary: String
    private var descriptor: Int32

    public init(path: String) throws {
        guard !path.isEmpty else { throw ReportWriteError(path: path, reason: "路径为空") }
        self.path = path
        target = ReportWriter.resolvedTarget(path)
        var info = stat()
        let exists = stat(target, &info) == 0
        if exists, (info.st_mode & S_IFMT) == S_IFDIR {
            throw ReportWriteError(path: path, reason: "这是一个文件夹")
        }
        let (folder, name) = ReportWriter.split(target)
        guard !name.isEmpty else { throw ReportWriteError(path: path, reason: "这是一个文件夹") }
        directory = folder
        // Hidden, next to the target, created exclusively (never someone else's file), with the
        // permissions a new file gets (0666 less the umask).
        var candidate = ""
        var opened: Int32 = -1
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64(UInt32.max)), radix: 16)
            candidate = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(suffix).tmp"
            opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if opened >= 0 || errno != EEXIST { break }
        }
        guard opened >= 0 else {
            let code = errno
            throw ReportWriteError(path: path, reason: "无法在“\(folder.isEmpty ? "." : folder)”中创建临时文件：\(ReportWriter.explain(code))")
        }
        // Replacing a report keeps its permissions.
        if exists { _ = fchmod(opened, info.st_mode & 0o7777) }
        temporary = candidate
        descriptor = opened
    }

    deinit { abort() }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(buffer: $0) }
    }

    public func write(bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try write(buffer: $0) }
    }

    private func write(buffer: UnsafeBufferPointer<UInt8>) throws {
        guard descriptor >= 0 else { throw ReportWriteError(path: path, reason: "文件已关闭") }
        let failure: Int32? = ReportWriter.writeAll(descriptor, buffer)
        if let failure {
            abort()
            throw ReportWriteError(path: path, reason: "写入失败：\(ReportWriter.explain(failure))")
        }
    }

    /// Flushes and renames over the target.
    public func commit() throws {
        guard descriptor >= 0 else { throw ReportWriteError(path: path, reason: "文件已关闭") }
        var failure: String? = nil
        if fsync(descriptor) != 0 { failure = "写入磁盘失败：\(ReportWriter.explain(errno))" }
        if close(descriptor) != 0, failure == nil { failure = "写入失败：\(ReportWriter.explain(errno))" }
        descriptor = -1
        if failure == nil, rename(temporary, target) != 0 {
            failure = "无法替换原文件：\(ReportWriter.explain(errno))"
        }
        if let failure {
            _ = unlink(temporary)
            throw ReportWriteError(path: path, reason: failure)
        }
        // Make the rename itself durable; a failure here leaves a complete file in place.
        let folder = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            _ = close(folder)
        }
    }

    /// Drops the temporary file; the target stays as it was.
    public func abort() {
        guard descriptor >= 0 else { return }
        _ = close(descriptor)
        descriptor = -1
        _ = unlink(temporary)
    }
}
