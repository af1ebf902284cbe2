import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One version of a file as `stat` sees it: which file (device and inode), and enough to tell
/// whether it changed since (size, modification and status-change times: the latter moves on
/// every write, `chmod`, `chown`, ACL or extended-attribute change, and new hard link).
public struct FileSnapshot: Equatable, Sendable {
    public let device: UInt64
    public let inode: UInt64
    public let size: Int64
    /// Type and permission bits (`st_mode`).
    public let mode: UInt32
    public let owner: UInt32
    public let group: UInt32
    /// Names (hard links) of the file.
    public let links: UInt64
    let modified: [Int]
    let changed: [Int]

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        mode = UInt32(info.st_mode)
        owner = UInt32(info.st_uid)
        group = UInt32(info.st_gid)
        links = UInt64(info.st_nlink)
        #if canImport(Glibc)
        modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        changed = [Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec)]
        #else
        modified = [Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec)]
        changed = [Int(info.st_ctimespec.tv_sec), Int(info.st_ctimespec.tv_nsec)]
        #endif
    }

    /// The file `path` names (through symbolic links); nil when there is none.
    public static func of(path: String) -> FileSnapshot? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileSnapshot(info)
    }

    public static func of(descriptor: Int32) -> FileSnapshot? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return FileSnapshot(info)
    }

    public var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    public var permissions: UInt32 { mode & 0o7777 }

    public func isSameFile(as other: FileSnapshot) -> Bool {
        device == other.device && inode == other.inode
    }

    /// The same file, not written to, resized or changed in its metadata since.
    public func isSameVersion(as other: FileSnapshot) -> Bool {
        isSameFile(as: other) && size == other.size && modified == other.modified && changed == other.changed
    }
}

/// Reading a file for `--fix`, and carrying a file's metadata over to its replacement.
public enum FileMetadata {
    /// The bytes of a regular file and the version they are of, read through one descriptor
    /// (opened non-blocking, so a FIFO put in its place does not stall the run); the reason,
    /// in Chinese, when it cannot be read or changed while it was read.
    public static func readRegularFile(path: String) -> Result<(bytes: [UInt8], snapshot: FileSnapshot), TemporaryFileError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            return .failure(TemporaryFileError(reason: "无法读取文件：\(ReportWriter.explain(errno))"))
        }
        defer { _ = close(descriptor) }
        guard let before = FileSnapshot.of(descriptor: descriptor) else {
            return .failure(TemporaryFileError(reason: "无法读取文件属性：\(ReportWriter.explain(errno))"))
        }
        guard before.isRegularFile else {
            return .failure(TemporaryFileError(reason: "这不是普通文件，不能修正"))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(max(before.size, 0)) + 1)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(TemporaryFileError(reason: "读取失败：\(ReportWriter.explain(errno))"))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard let after = FileSnapshot.of(descriptor: descriptor), after.isSameVersion(as: before) else {
            return .failure(TemporaryFileError(reason: "文件在读取时被修改"))
        }
        return .success((bytes, before))
    }

    /// Gives `destination` the owner, group, extended attributes (POSIX ACLs among them:
    /// `system.posix_acl_access`) and permission bits of `source`, whose state is `status`.
    /// Returns what could not be kept, in Chinese; nil when everything was.
    public static func copy(from source: Int32, status: FileSnapshot, to destination: Int32) -> String? {
        var problems: [String] = []
        // Owner and group first: chown clears the set-user-ID and set-group-ID bits.
        if let current = FileSnapshot.of(descriptor: destination),
           current.owner != status.owner || current.group != status.group {
            if fchown(destination, uid_t(status.owner), gid_t(status.group)) != 0 {
                problems.append("无法保留文件的所有者和属组（\(ReportWriter.explain(errno))；需要 root 权限，或是该属组的成员）")
            }
        }
        if let failure = copyExtendedAttributes(from: source, to: destination) { problems.append(failure) }
        // Last: with an ACL, the group bits are its mask, which the copied ACL must not widen.
        if fchmod(destination, mode_t(status.permissions)) != 0 {
            problems.append("无法保留文件权限（\(ReportWriter.explain(errno))）")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "；")
    }

    /// Copies every extended attribute of `source`, and removes those `destination` got that
    /// `source` does not have (an ACL inherited from the folder's default ACL).
    static func copyExtendedAttributes(from source: Int32, to destination: Int32) -> String? {
        guard let names = attributeNames(source) else {
            return "无法读取扩展属性（\(ReportWriter.explain(errno))）"
        }
        for name in names {
            guard let value = attributeValue(source, name) else {
                return "无法读取扩展属性“\(name)”（\(ReportWriter.explain(errno))）"
            }
            if attributeValue(destination, name) == value { continue }
            let status = value.withUnsafeBytes { raw -> Int32 in
                Xattr.set(destination, name, raw.baseAddress, raw.count)
            }
            if status != 0 {
                return "无法保留扩展属性“\(name)”（\(ReportWriter.explain(errno))）"
            }
        }
        let kept = Set(names)
        for name in attributeNames(destination) ?? [] where !kept.contains(name) {
            let status = Xattr.remove(destination, name)
            // A security label is the system's to give, not the document's.
            if status != 0, !name.hasPrefix("security.") {
                return "无法去掉扩展属性“\(name)”（\(ReportWriter.explain(errno))）"
            }
        }
        return nil
    }

    /// The names of a file's extended attributes; empty where the filesystem has none, nil on
    /// an error.
    static func attributeNames(_ descriptor: Int32) -> [String]? {
        for _ in 0..<4 {
            let size = Xattr.list(descriptor, nil, 0)
            if size < 0 { return unsupported(errno) ? [] : nil }
            if size == 0 { return [] }
            var buffer = [CChar](repeating: 0, count: size)
            let listed = buffer.withUnsafeMutableBufferPointer { Xattr.list(descriptor, $0.baseAddress, $0.count) }
            if listed < 0 {
                if errno == ERANGE { continue }  // an attribute was added meanwhile
                return nil
            }
            var names: [String] = []
            var start = 0
            for index in 0..<listed where buffer[index] == 0 {
                let bytes = buffer[start..<index].map { UInt8(bitPattern: $0) }
                if !bytes.isEmpty { names.append(String(decoding: bytes, as: UTF8.self)) }
                start = index + 1
            }
            return names
        }
        return nil
    }

    /// One attribute's value; nil when it is missing or cannot be read.
    static func attributeValue(_ descriptor: Int32, _ name: String) -> [UInt8]? {
        for _ in 0..<4 {
            let size = Xattr.get(descriptor, name, nil, 0)
            if size < 0 { return nil }
            if size == 0 { return [] }
            var value = [UInt8](repeating: 0, count: size)
            let read = value.withUnsafeMutableBytes { Xattr.get(descriptor, name, $0.baseAddress, $0.count) }
            if read < 0 {
                if errno == ERANGE { continue }
                return nil
            }
            return Array(value[0..<read])
        }
        return nil
    }

    private static func unsupported(_ code: Int32) -> Bool {
        #if canImport(Glibc)
        return code == ENOTSUP || code == EOPNOTSUPP
        #else
        return code == ENOTSUP
        #endif
    }
}

/// The extended-attribute calls: on Linux looked up in the C library (Glibc's Swift module does
/// not include `<sys/xattr.h>`); where they are missing, a file has no extended attributes.
private enum Xattr {
    #if canImport(Glibc)
    private typealias ListCall = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int
    private typealias GetCall = @convention(c) (Int32, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
    private typealias SetCall = @convention(c) (Int32, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32) -> Int32
    private typealias RemoveCall = @convention(c) (Int32, UnsafePointer<CChar>) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: type)
    }

    private static let listCall = symbol("flistxattr", as: ListCall.self)
    private static let getCall = symbol("fgetxattr", as: GetCall.self)
    private static let setCall = symbol("fsetxattr", as: SetCall.self)
    private static let removeCall = symbol("fremovexattr", as: RemoveCall.self)

    static func list(_ descriptor: Int32, _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int {
        guard let listCall else { errno = ENOTSUP; return -1 }
        return listCall(descriptor, buffer, size)
    }

    static func get(_ descriptor: Int32, _ name: String, _ buffer: UnsafeMutableRawPointer?, _ size: Int) -> Int {
        guard let getCall else { errno = ENOTSUP; return -1 }
        return getCall(descriptor, name, buffer, size)
    }

    static func set(_ descriptor: Int32, _ name: String, _ value: UnsafeRawPointer?, _ size: Int) -> Int32 {
        guard let setCall else { errno = ENOTSUP; return -1 }
        return setCall(descriptor, name, value, size, 0)
    }

    static func remove(_ descriptor: Int32, _ name: String) -> Int32 {
        guard let removeCall else { errno = ENOTSUP; return -1 }
        return removeCall(descriptor, name)
    }
    #else
    static func list(_ descriptor: Int32, _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int {
        flistxattr(descriptor, buffer, size, 0)
    }

    static func get(_ descriptor: Int32, _ name: String, _ buffer: UnsafeMutableRawPointer?, _ size: Int) -> Int {
        fgetxattr(descriptor, name, buffer, size, 0, 0)
    }

    static func set(_ descriptor: Int32, _ name: String, _ value: UnsafeRawPointer?, _ size: Int) -> Int32 {
        fsetxattr(descriptor, name, value, size, 0, 0)
    }

    static func remove(_ descriptor: Int32, _ name: String) -> Int32 {
        fremovexattr(descriptor, name, 0)
    }
    #endif
}

/// Outputs (`--output`, `--report`, `--write-baseline`) that name one of the documents a run
/// reads: writing the report would replace the document.
public enum OutputInputClash {
    /// The first output that is the same file (device and inode, so hard links and symbolic
    /// links count) as an input: a file named on the command line, or one found in a folder
    /// named there that `isLinted` admits (a file the configuration excludes is not read).
    /// The folders are only listed when an output exists as a regular file.
    public static func find(outputs: [String], paths: [String], stdinName: String?, follow: Bool = false,
                            isLinted: (String) -> Bool) -> (output: String, input: String)? {
        var identities: [(snapshot: FileSnapshot, output: String)] = []
        for output in outputs {
            guard let snapshot = FileSnapshot.of(path: output), snapshot.isRegularFile else { continue }
            identities.append((snapshot, output))
        }
        guard !identities.isEmpty else { return nil }
        // The same files the run reads: with `--follow`, those reached through links too.
        for entry in FileCollector.entries(paths, stdinName: stdinName, follow: follow) {
            guard case .file(let path) = entry.item, let snapshot = FileSnapshot.of(path: path),
                  let match = identities.first(where: { $0.snapshot.isSameFile(as: snapshot) }) else { continue }
            if entry.explicit || isLinted(path) { return (match.output, path) }
        }
        return nil
    }
}
