import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file that must stay small — a rule file, a configuration, a baseline, a shard
/// report — with its size checked before anything is read: a regular file by its size, anything
/// else (a pipe such as `--rules <(…)`, a device) by stopping one byte past the limit. So a
/// 1 GB file, or `/dev/zero`, is an error at once rather than an allocation that kills the run.
public enum BoundedFile {
    /// Rule files and configuration files (`--rules`, `--config`, `.bulletinlint.yaml`, and the
    /// files they extend): the largest built-in rule set is well under 100 KB.
    public static let ruleFileLimit = 4 * 1024 * 1024
    /// Baselines (`--baseline`) and the shard reports `merge` reads: as large as a document may be.
    public static let reportLimit = 64 * 1024 * 1024

    public enum Failure: Error, Sendable, Equatable {
        /// No such file (or a path that cannot be opened because a part of it is missing).
        case missing
        /// Larger than the limit: `size` is the file's size when known (a regular file), else nil.
        case tooLarge(size: Int?, limit: Int)
        /// Cannot be opened or read; the reason in Chinese.
        case unreadable(String)

        /// The reason in Chinese, after the file's name: `过大（…），上限为 4 MB`.
        public var reason: String {
            switch self {
            case .missing: return "不存在"
            case .tooLarge(let size, let limit):
                let shown = size.map { "（\(BoundedFile.megabytes($0))）" } ?? ""
                return "过大\(shown)，上限为 \(BoundedFile.megabytes(limit))"
            case .unreadable(let reason): return "无法读取：\(reason)"
            }
        }
    }

    /// `4 MB`, `150.2 MB`.
    static func megabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / 1_048_576
        if value == value.rounded() { return "\(Int(value)) MB" }
        return String(format: "%.1f MB", value)
    }

    /// `read(2)` (the name `read` is this type's own).
    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(descriptor, buffer, count)
        #else
        return Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// The bytes of `path`, at most `limit` of them.
    public static func read(path: String, limit: Int) -> Result<Data, Failure> {
        var descriptor: Int32
        repeat { descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            let code = errno
            return .failure(code == ENOENT || code == ENOTDIR ? .missing : .unreadable(ReportWriter.explain(code)))
        }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(ReportWriter.explain(errno))) }
        if (status.st_mode & S_IFMT) == S_IFDIR { return .failure(.unreadable("这是一个文件夹")) }
        let isRegular = (status.st_mode & S_IFMT) == S_IFREG
        if isRegular, Int(status.st_size) > limit { return .failure(.tooLarge(size: Int(status.st_size), limit: limit)) }
        var data = Data()
        if isRegular { data.reserveCapacity(Int(status.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { BoundedFile.systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(ReportWriter.explain(errno)))
            }
            if count == 0 { break }
            // A file that grew while read, or a pipe or device: stopped one chunk past the limit.
            if data.count + count > limit { return .failure(.tooLarge(size: isRegular ? data.count + count : nil, limit: limit)) }
            data.append(contentsOf: chunk[0..<count])
        }
        return .success(data)
    }
}
