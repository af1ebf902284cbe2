import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if os(Linux)
import Synchronization
#endif

/// Why a temporary file or folder could not be made, in Chinese.
public struct TemporaryFileError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

/// The temporary files of a run, and their removal when the run is stopped.
///
/// Every temporary bulletinlint makes carries `marker` in its name, so one left by a run that was
/// killed outright (`kill -9`, a power cut: nothing can run then) is recognisable:
/// `.报告.txt.bulletinlint-k3J9xQ2mPz.tmp` beside a report or a fixed file (the name of the
/// target cut to fit the 255-byte limit), `bulletinlint-k3J9xQ2mPz` for a private folder (mode
/// 0700) in the temporary folder (`TMPDIR`, else `/tmp`).
///
/// While a temporary exists its path is registered here. On SIGINT, SIGTERM, SIGHUP, SIGQUIT or
/// SIGPIPE a handler unlinks the registered files and removes the registered (empty) folders,
/// then re-raises the signal with its default action, so the run ends as it would have, with the
/// status of the signal. The handler only reads a table allocated up front, compares bytes
/// (`strstr`) and calls `unlink`, `rmdir`, `signal` and `raise`, all async-signal-safe. It is
/// installed when the first temporary is registered, and only for signals whose action is still
/// the default: a signal the parent ignores (`nohup`) stays ignored, and an embedding program's
/// own handler is kept.
public enum TemporaryFiles {
    /// In every temporary name.
    public static let marker = "bulletinlint-"

    /// A registered path; `unregister` it once the temporary is gone (renamed or removed).
    public struct Registration: Sendable {
        fileprivate let slot: Int
    }

    /// Registers a temporary file (or, with `folder`, a folder, removed when empty) for removal
    /// on a signal. Nil when the table is full or the path too long: the temporary still works,
    /// it is only not removed on a signal.
    @discardableResult
    public static func register(_ path: String, folder: Bool = false) -> Registration? {
        _ = signalHandlersInstalled
        return Registry.add(path, kind: folder ? Registry.folder : Registry.file)
    }

    public static func unregister(_ registration: Registration?) {
        guard let registration else { return }
        Registry.remove(registration.slot)
    }

    /// Ten random letters and digits.
    static func randomSuffix() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    /// The temporary folder: `TMPDIR`, else `/tmp`, without a trailing slash.
    static var baseDirectory: String {
        var base = FileManager.default.temporaryDirectory.path
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty ? "/tmp" : base
    }

    private static let signalHandlersInstalled: Void = Registry.installHandlers()
}

/// A folder only this user can enter (mode 0700, made exclusively), named
/// `bulletinlint-XXXXXXXXXX` in the temporary folder, for copies of documents and the files of
/// external programs. Registered for removal on a signal; `remove()` (or deinit) deletes it with
/// all it holds.
public final class PrivateDirectory {
    public let path: String
    private var registrations: [TemporaryFiles.Registration?] = []
    private var removed = false

    public init() throws(TemporaryFileError) {
        let base = TemporaryFiles.baseDirectory
        var code: Int32 = 0
        for _ in 0..<16 {
            let candidate = base + "/" + TemporaryFiles.marker + TemporaryFiles.randomSuffix()
            // Registered before it exists: a signal that comes as soon as it is there removes it.
            let registration = TemporaryFiles.register(candidate, folder: true)
            if mkdir(candidate, 0o700) == 0 {
                // Whatever the umask: searchable by this user only.
                _ = chmod(candidate, 0o700)
                path = candidate
                registrations.append(registration)
                return
            }
            code = errno
            TemporaryFiles.unregister(registration)
            if code != EEXIST { break }
        }
        throw TemporaryFileError(reason: "无法在“\(base)”中创建临时文件夹：\(ReportWriter.explain(code))")
    }

    deinit { remove() }

    /// The path of `name` inside, registered so that a signal removes it (as a file, or as an
    /// empty folder with `folder`).
    public func item(_ name: String, folder: Bool = false) -> String {
        let item = path + "/" + name
        registrations.append(TemporaryFiles.register(item, folder: folder))
        return item
    }

    /// Writes `data` to a new file `name` inside (mode 0600, never through a link) and returns
    /// its path; a failure is an `io-error` the run reports for the document.
    public func write(_ data: Data, named name: String) -> Result<String, ReadFailure> {
        let file = item(name)
        let opened = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard opened >= 0 else {
            return .failure(ReadFailure(.ioError, message: "无法写入临时文件：\(ReportWriter.explain(errno))"))
        }
        let failure = data.withUnsafeBytes { ReportWriter.writeAll(opened, $0.bindMemory(to: UInt8.self)) }
        _ = close(opened)
        if let failure {
            return .failure(ReadFailure(.ioError, message: "无法写入临时文件：\(ReportWriter.explain(failure))"))
        }
        return .success(file)
    }

    /// Deletes the folder and everything in it.
    public func remove() {
        guard !removed else { return }
        removed = true
        try? FileManager.default.removeItem(atPath: path)
        for registration in registrations { TemporaryFiles.unregister(registration) }
        registrations = []
    }
}

/// Bytes put in a file for a library that reads only files (ZIPFoundation), where nobody else can
/// read them and from where nothing is left behind. On Linux the file has no name at all
/// (`O_TMPFILE`, mode 0600) and `path` is its `/proc/self/fd/N` link; elsewhere it is a 0600 file
/// in a `PrivateDirectory`. Open `path`, then call `release()`: the name (if any) is removed at
/// once, and the open handle keeps the data readable.
public final class ScratchFile {
    public let path: String
    private var descriptor: Int32
    private var directory: PrivateDirectory?

    public init(containing data: Data, name: String) throws(TemporaryFileError) {
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        // O_TMPFILE is __O_TMPFILE | O_DIRECTORY; Glibc's Swift module does not export it.
        let unnamed = open(TemporaryFiles.baseDirectory, 0o20000000 | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
        if unnamed >= 0 {
            if let failure = ScratchFile.fill(unnamed, data) {
                _ = close(unnamed)
                throw TemporaryFileError(reason: "无法写入临时文件：\(ReportWriter.explain(failure))")
            }
            let link = "/proc/self/fd/\(unnamed)"
            if access(link, R_OK) == 0 {
                path = link
                descriptor = unnamed
                return
            }
            _ = close(unnamed)
        }
        #endif
        let folder = try PrivateDirectory()
        let file = folder.item(name)
        let opened = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard opened >= 0 else {
            let code = errno
            folder.remove()
            throw TemporaryFileError(reason: "无法创建临时文件：\(ReportWriter.explain(code))")
        }
        if let failure = ScratchFile.fill(opened, data) {
            _ = close(opened)
            folder.remove()
            throw TemporaryFileError(reason: "无法写入临时文件：\(ReportWriter.explain(failure))")
        }
        _ = close(opened)
        path = file
        descriptor = -1
        directory = folder
    }

    deinit { release() }

    /// Removes the name (and the private folder) or closes the unnamed file; what has `path`
    /// open keeps reading it.
    public func release() {
        if descriptor >= 0 {
            _ = close(descriptor)
            descriptor = -1
        }
        directory?.remove()
        directory = nil
    }

    private static func fill(_ descriptor: Int32, _ data: Data) -> Int32? {
        data.withUnsafeBytes { raw in
            ReportWriter.writeAll(descriptor, raw.bindMemory(to: UInt8.self))
        }
    }
}

/// The table the signal handler reads: a fixed number of slots, each a kind byte and room for a
/// path, allocated once. Slots are filled and emptied under a lock; the handler takes no lock
/// and only reads.
private enum Registry {
    static let free: UInt8 = 0
    static let file: UInt8 = 1
    static let folder: UInt8 = 2

    static let slotCount = 1024
    static let slotSize = 4096
    /// Touched only where used: the pages of unused slots are never written.
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = .allocate(capacity: slotCount * slotSize)
    nonisolated(unsafe) static let kinds: UnsafeMutablePointer<UInt8> = {
        let kinds = UnsafeMutablePointer<UInt8>.allocate(capacity: slotCount)
        kinds.initialize(repeating: free, count: slotCount)
        return kinds
    }()
    /// The marker as a C string: a path without it is never removed.
    nonisolated(unsafe) static let marker: UnsafeMutablePointer<CChar> = strdup(TemporaryFiles.marker)
    static let lock = NSLock()
    /// Where the search for a free slot starts: slots are reused as late as possible.
    nonisolated(unsafe) static var next = 0

    static func add(_ path: String, kind: UInt8) -> TemporaryFiles.Registration? {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < slotSize, !bytes.contains(0) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        for step in 0..<slotCount {
            let slot = (next + step) % slotCount
            guard kinds[slot] == free else { continue }
            let start = paths + slot * slotSize
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress { start.update(from: base, count: chars.count) }
                }
            }
            start[bytes.count] = 0
            // The path is complete before the slot says so.
            fence()
            kinds[slot] = kind
            next = (slot + 1) % slotCount
            return TemporaryFiles.Registration(slot: slot)
        }
        return nil
    }

    static func remove(_ slot: Int) {
        guard slot >= 0, slot < slotCount else { return }
        lock.lock()
        kinds[slot] = free
        fence()
        lock.unlock()
    }

    static func fence() {
        #if os(Linux)
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        #endif
    }

    /// Called from the signal handler: files first, then folders (deepest first, as a folder
    /// is registered before what it holds).
    static func removeAll() {
        var slot = 0
        while slot < slotCount {
            if kinds[slot] == file {
                let path = paths + slot * slotSize
                if strstr(path, marker) != nil { _ = unlink(path) }
            }
            slot += 1
        }
        var pass = 0
        while pass < 3 {
            slot = slotCount - 1
            while slot >= 0 {
                if kinds[slot] == folder {
                    let path = paths + slot * slotSize
                    if strstr(path, marker) != nil { _ = rmdir(path) }
                }
                slot -= 1
            }
            pass += 1
        }
    }

    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE]

    static func installHandlers() {
        // Everything the handler reads exists before it can run.
        _ = (slotCount, slotSize, file, folder)
        _ = paths
        _ = kinds
        _ = marker
        lock.lock()
        defer { lock.unlock() }
        for signal in signals where isDefault(signal) { install(signal) }
    }

    private static func isDefault(_ signal: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(signal, nil, &current) == 0 else { return false }
        #if canImport(Glibc)
        if current.sa_flags & Int32(SA_SIGINFO) != 0 { return false }
        return current.__sigaction_handler.sa_handler == nil
        #else
        if current.sa_flags & SA_SIGINFO != 0 { return false }
        return current.__sigaction_u.__sa_handler == nil
        #endif
    }

    private static func install(_ signal: Int32) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = registryHandler
        #else
        action.__sigaction_u.__sa_handler = registryHandler
        #endif
        sigemptyset(&action.sa_mask)
        for other in signals { sigaddset(&action.sa_mask, other) }
        action.sa_flags = 0
        _ = sigaction(signal, &action, nil)
    }
}

/// Removes the registered temporaries, then lets the signal do what it would have done.
private func registryHandler(_ received: Int32) {
    Registry.removeAll()
    _ = signal(received, SIG_DFL)
    // Blocked while the handler runs: delivered, with the default action, when it returns.
    _ = raise(received)
}
