import Foundation
import ZIPFoundation

/// Caps on what a .docx or .ofd package may unpack to. A package is untrusted input: a zip bomb
/// (a few KB that inflate to gigabytes, or a million entries) is refused with
/// `archive-too-large` instead of filling memory.
public struct PackageLimits: Sendable {
    /// Entries in the archive's directory.
    public var maximumEntries: Int
    /// Uncompressed bytes of one part that is read.
    public var maximumPartSize: Int
    /// Uncompressed bytes of all parts read from one package.
    public var maximumTotalSize: Int

    public init(maximumEntries: Int = 10_000, maximumPartSize: Int = 64 * 1024 * 1024,
                maximumTotalSize: Int = 256 * 1024 * 1024) {
        self.maximumEntries = maximumEntries
        self.maximumPartSize = maximumPartSize
        self.maximumTotalSize = maximumTotalSize
    }

    public static let standard = PackageLimits()
}

/// A ZIP package (docx, ofd) opened for reading parts by path, within `PackageLimits`.
final class PackageArchive {
    private let archive: Archive
    private let limits: PackageLimits
    /// Entry paths without a leading slash, as stored.
    private(set) var paths: [String] = []
    private var entries: [String: Entry] = [:]
    private var lowercased: [String: String] = [:]
    private var unpacked = 0
    /// Bytes of the package: no entry's compressed data can be longer.
    private let size: Int
    /// The package itself, from which deflated parts are inflated (see `inflate`).
    private let bytes: Data
    /// Where each entry's local header starts, by path, as the central directory says; empty
    /// when `LocalHeaders` cannot read the directory (a ZIP64 archive).
    private var localHeaders: [String: Int] = [:]
    /// What kind of document the package should be, for messages (“Word 文档”, “OFD 文件”).
    let documentName: String

    /// Opens a package from its bytes; a broken archive or one over the limits is a `ReadFailure`.
    init(data: Data, documentName: String, limits: PackageLimits) throws(ReadFailure) {
        self.limits = limits
        self.documentName = documentName
        guard data.count >= 22, data.starts(with: [0x50, 0x4B]) else {
            throw ReadFailure.corrupt("文件不是有效的\(documentName)（不是 ZIP 压缩包，文件可能已损坏或扩展名有误）")
        }
        // Through a file, not ZIPFoundation's in-memory archive: its memory reader traps on an
        // offset past the end, which a corrupt directory can name. The file is readable by
        // nobody else and has no name (or loses it as soon as it is open): the open handle keeps
        // it readable, and nothing is left behind (on Linux not even by a run that is killed).
        let scratch: ScratchFile
        do {
            scratch = try ScratchFile(containing: data, name: "package.zip")
        } catch {
            throw ReadFailure(.ioError, message: error.reason)
        }
        defer { scratch.release() }
        do {
            archive = try Archive(url: URL(fileURLWithPath: scratch.path), accessMode: .read)
        } catch {
            throw ReadFailure.corrupt("文件不是有效的\(documentName)（ZIP 压缩包已损坏，无法打开）")
        }
        scratch.release()
        size = data.count
        bytes = data
        let offsets = LocalHeaders.offsets(in: data)
        var count = 0
        for entry in archive {
            count += 1
            if count > limits.maximumEntries {
                throw ReadFailure.tooLarge("压缩包中的条目超过 \(limits.maximumEntries) 个，疑似“压缩炸弹”，已拒绝读取")
            }
            guard entry.type == .file else { continue }
            var path = entry.path
            while path.hasPrefix("/") { path.removeFirst() }
            if entries[path] == nil {
                entries[path] = entry
                // ZIPFoundation lists entries in the directory's order.
                if let offsets, count - 1 < offsets.count { localHeaders[path] = offsets[count - 1] }
                paths.append(path)
                lowercased[path.lowercased()] = path
            }
        }
        if count == 0 {
            throw ReadFailure.corrupt("文件不是有效的\(documentName)（ZIP 压缩包是空的）")
        }
    }

    /// Whether a part exists (case-insensitively, as Windows producers are lax).
    func contains(_ path: String) -> Bool {
        resolve(path) != nil
    }

    private func resolve(_ path: String) -> String? {
        let normalised = PackageArchive.normalise(path)
        if entries[normalised] != nil { return normalised }
        return lowercased[normalised.lowercased()]
    }

    /// The bytes of a part; nil when it does not exist. A part larger than the limits, or one
    /// whose data is corrupt, throws.
    func read(_ path: String) throws(ReadFailure) -> Data? {
        guard let name = resolve(path), let entry = entries[name] else { return nil }
        let cap = min(limits.maximumPartSize, limits.maximumTotalSize - unpacked)
        if entry.compressedSize > UInt64(size) {
            throw ReadFailure.corrupt("\(documentName)中的“\(name)”已损坏（压缩数据长于文件本身）")
        }
        if entry.uncompressedSize > UInt64(max(cap, 0)) {
            throw ReadFailure.tooLarge("“\(name)”解压后有 \(entry.uncompressedSize / 1_048_576) MB，超过上限，疑似“压缩炸弹”，已拒绝读取")
        }
        var data = Data()
        var overflow = false
        do {
            let consumer: Consumer = { chunk in
                // The declared size may lie: count what really comes out.
                if data.count + chunk.count > cap {
                    overflow = true
                    throw ArchiveReadStop()
                }
                data.append(chunk)
            }
            let checksum: CRC32
            if entry.isCompressed {
                // Never through ZIPFoundation's own inflation, which can read for ever (see
                // `inflate`). Without an offset from the directory (a ZIP64 directory, or one
                // this reader cannot follow but ZIPFoundation can), the entry's local header is
                // found by its name.
                guard let header = localHeaders[name] ?? LocalHeaders.find(path: entry.path, in: bytes) else {
                    throw ReadFailure.corrupt("\(documentName)中的“\(name)”已损坏（压缩包目录与文件内容不符）")
                }
                checksum = try inflate(entry, localHeader: header, consumer: consumer)
            } else {
                checksum = try archive.extract(entry, skipCRC32: false, consumer: consumer)
            }
            if checksum != entry.checksum {
                throw ReadFailure.corrupt("\(documentName)中的“\(name)”已损坏（校验和不符）")
            }
        } catch let failure as ReadFailure {
            throw failure
        } catch {
            if overflow {
                throw ReadFailure.tooLarge("“\(name)”解压后超过 \(cap / 1_048_576) MB 的上限，疑似“压缩炸弹”，已拒绝读取")
            }
            throw ReadFailure.corrupt("\(documentName)中的“\(name)”已损坏，无法解压")
        }
        unpacked += data.count
        return data
    }

    /// Inflates a deflated entry from the package's bytes, never past its compressed size.
    ///
    /// ZIPFoundation's own inflation (0.9.20, on Linux) reads until the deflate stream says it
    /// has ended: a stream that never ends (a stored block longer than what follows it) made it
    /// read the end of the file again and again, for ever — a 267-byte .docx hung the run
    /// (found by `fuzz-docx`). Here the input ends where the entry's data ends, and an
    /// unfinished stream is an error.
    private func inflate(_ entry: Entry, localHeader: Int, consumer: Consumer) throws -> CRC32 {
        guard let start = LocalHeaders.dataStart(in: bytes, localHeader: localHeader) else { throw ArchiveReadStop() }
        let end = start + Int(min(entry.compressedSize, UInt64(bytes.count - start)))
        let chunkSize = 16 * 1024
        let base = bytes.startIndex
        return try Data.decompress(size: Int64(end - start), bufferSize: chunkSize, skipCRC32: false, provider: { position, _ in
            let from = start + Int(position)
            guard from < end else { throw ArchiveReadStop() }
            // ZIPFoundation hands zlib `bufferSize` bytes whatever the chunk's length: a short
            // last chunk is padded with zeros, never read past.
            var chunk = self.bytes.subdata(in: (base + from)..<(base + min(from + chunkSize, end)))
            if chunk.count < chunkSize { chunk.append(Data(count: chunkSize - chunk.count)) }
            return chunk
        }, consumer: consumer)
    }

    /// Reads and parses an XML part; nil when it does not exist.
    func xml(_ path: String) throws(ReadFailure) -> XMLNode? {
        guard let data = try read(path) else { return nil }
        do {
            return try XMLTree.parse(data)
        } catch {
            throw ReadFailure.corrupt("\(documentName)中的“\(PackageArchive.normalise(path))”不是有效的 XML：\(error.reason)")
        }
    }

    /// A part path without a leading slash, with `.` and `..` segments resolved.
    static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.replacingOccurrences(of: "\\", with: "/").split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// A path written relative to the folder of `base` (or absolute, with a leading slash).
    static func resolve(_ target: String, relativeTo base: String) -> String {
        if target.hasPrefix("/") { return normalise(target) }
        let folder = base.split(separator: "/").dropLast().joined(separator: "/")
        return normalise(folder.isEmpty ? target : folder + "/" + target)
    }
}

/// Thrown from an extraction consumer to stop inflating.
private struct ArchiveReadStop: Error {}

/// The few fields of a ZIP's central directory and local headers that ZIPFoundation does not
/// make public: where each entry's data starts.
enum LocalHeaders {
    /// The offset of each entry's local header, in the directory's order; nil for an archive
    /// this does not read (no end record, a ZIP64 directory, a directory past the end).
    static func offsets(in data: Data) -> [Int]? {
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard bytes.count >= 22 else { return nil }
        // The end record: its signature within the last 22 + 65,535 bytes (a comment's room).
        var end = bytes.count - 22
        let lowest = max(0, end - 65_535)
        while end >= lowest, !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 5 && bytes[end + 3] == 6) {
            end -= 1
        }
        guard end >= lowest else { return nil }
        let count = u16(end + 10)
        var at = u32(end + 16)
        guard count != 0xFFFF, at != 0xFFFF_FFFF else { return nil }
        var offsets: [Int] = []
        offsets.reserveCapacity(count)
        for _ in 0..<count {
            guard at + 46 <= bytes.count, u32(at) == 0x0201_4B50 else { return nil }
            let offset = u32(at + 42)
            guard offset != 0xFFFF_FFFF else { return nil }
            offsets.append(offset)
            at += 46 + u16(at + 28) + u16(at + 30) + u16(at + 32)
        }
        return offsets
    }

    /// The first local header whose name is `path` (its UTF-8 bytes), for an entry the central
    /// directory gives no usable offset for; nil when there is none.
    static func find(path: String, in data: Data) -> Int? {
        let name = Array(path.utf8)
        guard !name.isEmpty else { return nil }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var at = 0
            while at + 30 + name.count <= bytes.count {
                if bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 3, bytes[at + 3] == 4,
                   Int(bytes[at + 26]) | Int(bytes[at + 27]) << 8 == name.count,
                   name.indices.allSatisfy({ bytes[at + 30 + $0] == name[$0] }) {
                    return at
                }
                at += 1
            }
            return nil
        }
    }

    /// Where the data of the entry whose local header is at `localHeader` starts; nil when
    /// there is no local header there.
    static func dataStart(in data: Data, localHeader: Int) -> Int? {
        let base = data.startIndex
        guard localHeader >= 0, localHeader + 30 <= data.count else { return nil }
        func byte(_ at: Int) -> Int { Int(data[base + localHeader + at]) }
        guard byte(0) == 0x50, byte(1) == 0x4B, byte(2) == 3, byte(3) == 4 else { return nil }
        let start = localHeader + 30 + (byte(26) | byte(27) << 8) + (byte(28) | byte(29) << 8)
        return start <= data.count ? start : nil
    }
}

extension ReadFailure {
    static func corrupt(_ message: String) -> ReadFailure {
        ReadFailure(.corruptDocument, message: message)
    }

    static func tooLarge(_ message: String) -> ReadFailure {
        ReadFailure(.archiveTooLarge, message: message)
    }
}
