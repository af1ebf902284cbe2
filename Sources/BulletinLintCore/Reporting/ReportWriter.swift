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
/// temporary file is removed. A device, a pipe or a descriptor link is written directly
/// (`AtomicFile`).
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
        case ENXIO: return "设备不存在或没有程序在读取"
        case EPIPE: return "读取方已关闭"
        case EBADF: return "文件描述符无效"
        case EMLINK: return "链接过多"
        case ELOOP: return "符号链接过多（可能成环）"
        case EEXIST: return "文件已存在"
        case EXDEV: return "不能跨文件系统改名"
        case ETXTBSY: return "文件正被执行"
        case EBUSY: return "设备或资源忙"
        default: return "系统错误 \(code)（\(String(cString: strerror(code)))）"
        }
    }
}


/// A file written in pieces and put in place in one step.
///
/// A regular file, or a path where nothing is yet, is replaced atomically: the text goes to a
/// temporary file beside the target, `.NAME.bulletinlint-XXXXXXXXXX.tmp` (mode 0600 while it is
/// written, registered with `TemporaryFiles` so a signal removes it), is flushed to disk, given
/// the replaced file's owner, group, permissions, ACL and extended attributes, and renamed over
/// the target by `commit()`. Until then, and after `abort()` or any failure, the target is
/// untouched and no temporary is left.
///
/// Anything else is never renamed over: a character device (`/dev/null`, a terminal) or a named
/// pipe is opened and written directly, the way `>` does (no `O_CREAT`, no `O_TRUNC`); a
/// descriptor link (`/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`) writes to that
/// descriptor of this process; a block device, a socket or a folder is refused. Only direct
/// writes can be left half-done by a failure.
public final class AtomicFile {
    public let path: String
    /// What the path resolves to (a symbolic link is written through, so it stays a link).
    public let target: String
    private let directory: String
    /// Nil for a direct write.
    private let temporary: String?
    private var registration: TemporaryFiles.Registration?
    private var descriptor: Int32
    /// The first write error, reported again by later writes and by `commit()`.
    private var failure: ReportWriteError?

    /// What `commit()` must carry over from the file it replaces.
    public enum Keeping: Sendable {
        /// Reports: the permissions, and the owner, group and extended attributes where the
        /// process may set them.
        case whatIsPossible
        /// Fixed documents: owner, group, permissions, ACL and extended attributes, or nothing
        /// is written.
        case everything
    }

    /// Opens `path` for writing. With `replacingOnly`, a path that is not a regular file (nor
    /// free) is refused instead of written directly (`--fix` writes only documents).
    public init(path: String, replacingOnly: Bool = false) throws {
        guard !path.isEmpty else { throw ReportWriteError(path: path, reason: "路径为空") }
        self.path = path
        if !replacingOnly, let number = AtomicFile.descriptorAlias(path) {
            target = path
            directory = ""
            temporary = nil
            descriptor = try AtomicFile.duplicate(number, path: path)
            return
        }
        target = ReportWriter.resolvedTarget(path)
        var info = stat()
        let exists = stat(target, &info) == 0
        if exists {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                break
            case S_IFDIR:
                throw ReportWriteError(path: path, reason: "这是一个文件夹")
            case S_IFCHR, S_IFIFO:
                if replacingOnly { throw ReportWriteError(path: path, reason: AtomicFile.refusal(info.st_mode & S_IFMT)) }
                directory = ""
                temporary = nil
                descriptor = try AtomicFile.openDirectly(target, fifo: info.st_mode & S_IFMT == S_IFIFO, path: path)
                return
            default:
                throw ReportWriteError(path: path, reason: AtomicFile.refusal(info.st_mode & S_IFMT))
            }
        }
        let (folder, name) = ReportWriter.split(target)
        guard !name.isEmpty else { throw ReportWriteError(path: path, reason: "这是一个文件夹") }
        directory = folder
        // Hidden, next to the target, created exclusively (never someone else's file). A file
        // that is replaced may be private: its new text is readable by nobody else until
        // `commit()` gives it the old file's permissions. A new file gets those a new file gets
        // (0666 less the umask).
        let stem = AtomicFile.truncated(name, toBytes: 255 - 29)
        // Registered before it exists: a signal that comes as soon as it is there removes it.
        let absolute = folder.hasPrefix("/") ? folder : FileManager.default.currentDirectoryPath + (folder.isEmpty ? "" : "/" + folder)
        var candidate = ""
        var opened: Int32 = -1
        var code: Int32 = 0
        for _ in 0..<16 {
            let name = ".\(stem).\(TemporaryFiles.marker)\(TemporaryFiles.randomSuffix()).tmp"
            candidate = (folder.isEmpty ? "" : folder + "/") + name
            registration = TemporaryFiles.register(absolute + "/" + name)
            opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, exists ? 0o600 : 0o666)
            code = errno
            if opened >= 0 { break }
            TemporaryFiles.unregister(registration)
            registration = nil
            if code != EEXIST { break }
        }
        guard opened >= 0 else {
            throw ReportWriteError(path: path, reason: "无法在“\(folder.isEmpty ? "." : folder)”中创建临时文件：\(ReportWriter.explain(code))")
        }
        temporary = candidate
        descriptor = opened
    }

    deinit { abort() }

    /// Whether the text goes straight to a device, a pipe or a descriptor (no rename).
    public var writesDirectly: Bool { temporary == nil }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(buffer: $0) }
    }

    public func write(bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try write(buffer: $0) }
    }

    private func write(buffer: UnsafeBufferPointer<UInt8>) throws {
        if let failure { throw failure }
        guard descriptor >= 0 else { throw ReportWriteError(path: path, reason: "文件已关闭") }
        if let code = ReportWriter.writeAll(descriptor, buffer) {
            let error = ReportWriteError(path: path, reason: "写入失败：\(ReportWriter.explain(code))")
            failure = error
            abort()
            throw error
        }
    }

    /// Flushes and renames over the target (or, for a direct write, closes). `unchanged` is
    /// called last before the rename, with the target: a reason not to replace it (it changed
    /// since it was read), or nil.
    public func commit(keeping: Keeping = .whatIsPossible, unchanged: ((String) -> String?)? = nil) throws {
        if let failure { throw failure }
        guard descriptor >= 0 else { throw ReportWriteError(path: path, reason: "文件已关闭") }
        guard let temporary else {
            // Devices and pipes cannot be synced (EINVAL); what matters is that close succeeds.
            let closed = close(descriptor)
            let code = errno
            descriptor = -1
            if closed != 0, code != EINTR {
                throw ReportWriteError(path: path, reason: "写入失败：\(ReportWriter.explain(code))")
            }
            return
        }
        var reason = carryOverMetadata(keeping)
        if reason == nil, fsync(descriptor) != 0 { reason = "写入磁盘失败：\(ReportWriter.explain(errno))" }
        if close(descriptor) != 0, reason == nil { reason = "写入失败：\(ReportWriter.explain(errno))" }
        descriptor = -1
        // The final step: what is at the target now. Only a regular file (or nothing) is ever
        // renamed over, and the caller gets a last look.
        if reason == nil, let now = FileSnapshot.of(path: target), !now.isRegularFile {
            reason = AtomicFile.refusal(mode_t(now.mode) & S_IFMT)
        }
        if reason == nil, let unchanged { reason = unchanged(target) }
        if reason == nil, rename(temporary, target) != 0 {
            reason = "无法替换原文件：\(ReportWriter.explain(errno))"
        }
        if let reason {
            _ = unlink(temporary)
            TemporaryFiles.unregister(registration)
            registration = nil
            throw ReportWriteError(path: path, reason: reason)
        }
        TemporaryFiles.unregister(registration)
        registration = nil
        // Make the rename itself durable; a failure here leaves a complete file in place.
        let folder = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            _ = close(folder)
        }
    }

    /// Drops the temporary file; the target stays as it was. A direct write is closed (what
    /// was written stays written).
    public func abort() {
        guard descriptor >= 0 else { return }
        _ = close(descriptor)
        descriptor = -1
        if let temporary {
            _ = unlink(temporary)
            TemporaryFiles.unregister(registration)
            registration = nil
        }
    }

    /// Gives the temporary file what the file it replaces has; a reason when `.everything` was
    /// asked for and something could not be kept.
    private func carryOverMetadata(_ keeping: Keeping) -> String? {
        let original = open(target, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW)
        guard original >= 0 else {
            let code = errno
            if code == ENOENT { return nil }  // nothing to replace: a new file keeps its mode
            return keeping == .everything ? "无法读取原文件的属性：\(ReportWriter.explain(code))" : nil
        }
        defer { _ = close(original) }
        guard let status = FileSnapshot.of(descriptor: original), status.isRegularFile else {
            return keeping == .everything ? "原文件已不是普通文件" : nil
        }
        switch keeping {
        case .everything:
            return FileMetadata.copy(from: original, status: status, to: descriptor)
        case .whatIsPossible:
            if FileMetadata.copy(from: original, status: status, to: descriptor) != nil {
                _ = fchmod(descriptor, mode_t(status.permissions))
            }
            return nil
        }
    }

    /// Why a file of this type is not written.
    static func refusal(_ type: mode_t) -> String {
        switch type {
        case S_IFBLK: return "这是一个块设备（磁盘或分区），不会把报告写到设备上"
        case S_IFSOCK: return "这是一个套接字，无法写入"
        case S_IFDIR: return "这是一个文件夹"
        case S_IFCHR, S_IFIFO: return "这不是普通文件（是设备或管道），不能替换"
        default: return "这不是普通文件，无法写入"
        }
    }

    /// The descriptor a path such as `/dev/stdout` or `/proc/self/fd/3` stands for.
    static func descriptorAlias(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdin": return 0
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/\(getpid())/fd/"] where path.hasPrefix(prefix) {
            let number = path.dropFirst(prefix.count)
            guard !number.isEmpty, number.count < 10, number.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            return Int32(number)
        }
        return nil
    }

    /// A copy of one of this process's descriptors, open for writing.
    private static func duplicate(_ number: Int32, path: String) throws -> Int32 {
        let flags = fcntl(number, F_GETFL)
        guard flags >= 0 else { throw ReportWriteError(path: path, reason: "文件描述符 \(number) 没有打开") }
        guard flags & O_ACCMODE != O_RDONLY else {
            throw ReportWriteError(path: path, reason: "文件描述符 \(number) 只能读取，不能写入")
        }
        let copy = fcntl(number, F_DUPFD_CLOEXEC, 3)
        guard copy >= 0 else { throw ReportWriteError(path: path, reason: ReportWriter.explain(errno)) }
        return copy
    }

    /// Opens a device or a named pipe for writing as `>` would, but without waiting for a
    /// reader of a pipe (refused: nothing would ever read the report).
    private static func openDirectly(_ target: String, fifo: Bool, path: String) throws -> Int32 {
        let opened = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY | (fifo ? O_NONBLOCK : 0))
        guard opened >= 0 else {
            let code = errno
            if fifo, code == ENXIO {
                throw ReportWriteError(path: path, reason: "这是一个命名管道（FIFO），但没有程序在读取它")
            }
            throw ReportWriteError(path: path, reason: ReportWriter.explain(code))
        }
        // Swapped for a regular file since the check: writing over its start would be a surprise.
        guard let now = FileSnapshot.of(descriptor: opened), !now.isRegularFile,
              mode_t(now.mode) & S_IFMT != S_IFBLK else {
            _ = close(opened)
            throw ReportWriteError(path: path, reason: "文件在打开时被替换，未写入")
        }
        if fifo {
            let flags = fcntl(opened, F_GETFL)
            if flags >= 0 { _ = fcntl(opened, F_SETFL, flags & ~O_NONBLOCK) }
        }
        return opened
    }

    /// At most `limit` bytes of `name`, cut between characters.
    static func truncated(_ name: String, toBytes limit: Int) -> String {
        guard name.utf8.count > limit else { return name }
        var out = ""
        var count = 0
        for character in name {
            let size = character.utf8.count
            if count + size > limit { break }
            out.append(character)
            count += size
        }
        return out
    }
}
