import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read or decoded: reported as a diagnostic of its own, and the
/// run goes on with the next file.
public struct ReadFailure: Error, Sendable {
    /// The id of an `EngineRule` whose `isReadFailure` holds (`io-error`, `encoding-error`,
    /// `corrupt-document`, …).
    public let ruleID: String
    public let message: String
    /// What to do about it; nil for the generic advice of the rule id.
    public var help: String? = nil

    /// A failure of an engine id; without `help`, the id's generic advice.
    public init(_ rule: EngineRule, message: String, help: String? = nil) {
        self.ruleID = rule.id
        self.message = message
        self.help = help ?? rule.help
    }

    public init(ruleID: String, message: String, help: String? = nil) {
        self.ruleID = ruleID
        self.message = message
        self.help = help
    }

    /// The engine id, when `ruleID` is one.
    public var rule: EngineRule? { EngineRule(rawValue: ruleID) }

    /// The advice to print: the failure's own, else the generic advice of its id.
    public var resolvedHelp: String { help ?? rule?.help ?? EngineRule.ioError.help }
}

/// Reads documents into `SourceText`.
public enum DocumentReader {
    /// Files larger than this are refused rather than read into memory.
    public static let maximumFileSize = 64 * 1024 * 1024

    /// Reads a file: a regular file straight away (`readRegularFile`), anything else checked with
    /// `stat` first; read with `open`/`read` into one byte array (a
    /// bulletin is read once, so the Foundation layers — an attributes dictionary, `Data`, a copy
    /// into `[UInt8]` — would cost more than the read itself).
    public static func read(path: String, displayPath: String? = nil) -> Result<SourceText, ReadFailure> {
        let shown = displayPath ?? path
        let pathExtension = lowercasedPathExtension(shown)
        let format = DocumentFormat(pathExtension: pathExtension)
        if unsupported(pathExtension) == nil, format != .pdf, !LegacyWordReader.extensions.contains(pathExtension) {
            switch readRegularFile(path: path) {
            case .file(let bytes), .stream(.success(let bytes)): return read(bytes: bytes, format: format, displayPath: shown)
            case .stream(.failure(let failure)): return .failure(failure)
            case .elsewhere: break
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(ReadFailure(.ioError, message: missingMessage))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(ReadFailure(.ioError, message: folderMessage))
        }
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        // A socket or a disk is no document; a pipe or a character device (`<(…)`, `/dev/stdin`)
        // is read below, without waiting for ever.
        if !regular, !isStream(info.st_mode) {
            return .failure(ReadFailure(.ioError, message: specialFileMessage(info.st_mode)))
        }
        // The size of the path itself: a symbolic link's own (small) size lets it through, and the
        // bounded read below then refuses a large target, as it always has.
        if Int(info.st_size) > maximumFileSize, !isSymbolicLink(path) {
            return .failure(ReadFailure(.ioError, message: tooLargeMessage(size: Int(info.st_size))))
        }
        if let failure = unsupported(pathExtension) { return .failure(failure) }
        if !regular {
            // LibreOffice and pdftotext would open the path themselves and could wait on a pipe
            // for ever: its bytes are read here, and they get a regular copy.
            switch readBytes(path: path) {
            case .success(let bytes): return read(data: Data(bytes), displayPath: shown)
            case .failure(let failure): return .failure(failure)
            }
        }
        if LegacyWordReader.extensions.contains(pathExtension) {
            // LibreOffice reads the file itself.
            return LegacyWordReader.read(path: path, displayPath: shown)
        }
        if format == .pdf {
            // pdftotext reads the file itself.
            return PDFReader.read(path: path, displayPath: shown)
        }
        let bytes: [UInt8]
        switch readBytes(path: path) {
        case .success(let read): bytes = read
        case .failure(let failure): return .failure(failure)
        }
        return read(bytes: bytes, format: format, displayPath: shown)
    }

    /// Why `path` (its target, for a symbolic link) is not a regular file within the size limit,
    /// in the words `read(path:)` uses; nil when it is one. For callers that take nothing but a
    /// regular file (the MCP server: a named pipe or a device would hold a tool call for as long
    /// as `read(path:)` waits on it).
    public static func regularFileFailure(path: String) -> ReadFailure? {
        var info = stat()
        guard stat(path, &info) == 0 else { return ReadFailure(.ioError, message: missingMessage) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return ReadFailure(.ioError, message: folderMessage)
        case S_IFREG: break
        default: return ReadFailure(.ioError, message: specialFileMessage(info.st_mode))
        }
        if Int(info.st_size) > maximumFileSize {
            return ReadFailure(.ioError, message: tooLargeMessage(size: Int(info.st_size)))
        }
        return nil
    }

    static let missingMessage = "文件不存在或无法访问"
    static let folderMessage = "这是一个文件夹，不是文件"

    static func specialFileMessage(_ mode: mode_t) -> String {
        "这是\(specialFileKind(mode) ?? "特殊文件")，不是普通文件，无法检查"
    }

    /// The limit's message for `size` bytes (a file, or text handed over by a client).
    static func tooLargeMessage(size: Int) -> String {
        "文件过大（\(size / 1_048_576) MB），超过 \(maximumFileSize / 1_048_576) MB 的上限"
    }

    /// What `readRegularFile` found.
    private enum FastRead {
        /// A regular file's bytes.
        case file([UInt8])
        /// A pipe or a character device, read through the descriptor already open: opening a
        /// named pipe a second time could lose what a writer sent to the first.
        case stream(Result<[UInt8], ReadFailure>)
        /// Anything else, for `read` to handle step by step.
        case elsewhere
    }

    /// The common case in one `open`, one `fstat` and one `read`: a regular file within the
    /// size limit (the caller has checked that its format is read here and is not PDF).
    /// `.elsewhere` for anything else but a pipe or a character device (a folder, a large,
    /// missing or unreadable file, a read error, a file that grew), which `read` then handles
    /// step by step as before, with the same messages. Opened without blocking, so a named pipe
    /// is never waited on for ever.
    private static func readRegularFile(path: String) -> FastRead {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .elsewhere }
        defer { _ = close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .elsewhere }
        if isStream(info.st_mode) {
            return .stream(readStream(descriptor, fifo: (info.st_mode & S_IFMT) == S_IFIFO, timeouts: .standard))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= maximumFileSize else {
            return .elsewhere
        }
        let first = Int(info.st_size) + 1
        var code: Int32 = 0
        // A regular file gives fewer bytes than asked only at its end: once `fstat`'s size is
        // in, the `read` that would return 0 is skipped (one system call a file).
        let bytes = [UInt8](unsafeUninitializedCapacity: first) { buffer, initialized in
            initialized = readFully(descriptor, into: buffer, error: &code, enough: Int(info.st_size))
        }
        // A read error, or more than `fstat` said (the file grew): the careful path.
        guard code == 0, bytes.count < first else { return .elsewhere }
        return .file(bytes)
    }

    /// Whether `path` itself is a symbolic link.
    private static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// A file's bytes, at most `maximumFileSize` of them. A regular file is read into an array of
    /// its size plus one byte, so one `read` gets it all and the next sees its end; a device or
    /// pipe (`/dev/zero`, `<(…)`) has no size to check beforehand, so it is read in chunks,
    /// bounded by the limit, and never waited on for ever (`readStream`). Opened without
    /// blocking: opening a named pipe nobody writes to would otherwise wait for a writer.
    static func readBytes(path: String, streamTimeouts: StreamTimeouts = .standard) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ENXIO {
                // A socket (or a device with nothing behind it) cannot be opened as a file.
                return .failure(ReadFailure(.ioError, message: "这不是普通文件（套接字或设备），无法读取"))
            }
            return .failure(ReadFailure(.ioError, message: "无法打开文件（权限不足？）"))
        }
        defer { _ = close(descriptor) }
        let tooLarge = ReadFailure(.ioError, message: "文件过大，超过 \(maximumFileSize / 1_048_576) MB 的上限")
        var info = stat()
        let described = fstat(descriptor, &info) == 0
        if described, isStream(info.st_mode) {
            return readStream(descriptor, fifo: (info.st_mode & S_IFMT) == S_IFIFO, timeouts: streamTimeouts)
        }
        let regular = described && (info.st_mode & S_IFMT) == S_IFREG
        // A regular file past the limit (the target of a symbolic link): no need to read the
        // limit's worth first to find out.
        if regular, Int(info.st_size) > maximumFileSize { return .failure(tooLarge) }
        let first = regular ? Int(info.st_size) + 1 : 65_536
        var code: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: first) { buffer, initialized in
            initialized = readFully(descriptor, into: buffer, error: &code)
        }
        if code != 0 { return .failure(readFailure(code)) }
        // A full buffer: a pipe or a device, or a file that grew since `fstat`; read on in
        // growing chunks until the input ends or passes the limit.
        var ended = bytes.count < first
        while !ended, bytes.count <= maximumFileSize {
            let wanted = min(max(bytes.count, 65_536), maximumFileSize + 1 - bytes.count)
            let chunk = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
                initialized = readFully(descriptor, into: buffer, error: &code)
            }
            if code != 0 { return .failure(readFailure(code)) }
            bytes.append(contentsOf: chunk)
            ended = chunk.count < wanted
        }
        if bytes.count > maximumFileSize { return .failure(tooLarge) }
        return .success(bytes)
    }

    /// How long a pipe or a character device is waited on.
    struct StreamTimeouts: Sendable {
        /// A named pipe no program has opened for writing.
        var writer: Int
        /// A pipe or device with a writer, or a terminal, that gives nothing for this long.
        var idle: Int

        /// In milliseconds: ten seconds for a writer to appear (`<(…)` has one from the start),
        /// a minute without data.
        static let standard = StreamTimeouts(writer: 10_000, idle: 60_000)
    }

    /// Whether a file type is read as a stream: a pipe (a named one, `<(…)`, `/dev/stdin` on a
    /// pipe) or a character device (`/dev/null`, a terminal).
    static func isStream(_ mode: mode_t) -> Bool {
        let kind = mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFCHR
    }

    /// What a file that is not a regular file or a folder is, in words; nil for those two.
    static func specialFileKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFIFO: return "命名管道（FIFO）"
        case S_IFCHR: return "字符设备"
        case S_IFBLK: return "块设备"
        case S_IFSOCK: return "套接字（socket）"
        case S_IFLNK: return "符号链接"
        case S_IFREG, S_IFDIR: return nil
        default: return "特殊文件"
        }
    }

    /// Reads a pipe or a character device opened without blocking, to its end or past the size
    /// limit. `poll` waits for data: a named pipe that no program opens for writing is given up
    /// after `timeouts.writer` (a pipe with no writer reads as ended at once, so the wait cannot
    /// be left to `read`), and any input that stays silent after `timeouts.idle`; the run goes
    /// on with the next file either way.
    private static func readStream(_ descriptor: Int32, fifo: Bool, timeouts: StreamTimeouts) -> Result<[UInt8], ReadFailure> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var lastData = DispatchTime.now().uptimeNanoseconds
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 250)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failure(readFailure(errno))
            }
            if ready > 0, poller.revents & Int16(POLLNVAL) != 0 {
                // A device `poll` cannot watch (macOS terminals): read it as before, blocking.
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
            }
            let room = min(chunk.count, maximumFileSize + 1 - bytes.count)
            let got = chunk.withUnsafeMutableBufferPointer { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(descriptor, base, room)
            }
            let code = errno
            if got > 0 {
                bytes.append(contentsOf: chunk[0..<got])
                lastData = DispatchTime.now().uptimeNanoseconds
                if bytes.count > maximumFileSize {
                    return .failure(ReadFailure(.ioError, message: "文件过大，超过 \(maximumFileSize / 1_048_576) MB 的上限"))
                }
                continue
            }
            if got < 0, code != EAGAIN, code != EWOULDBLOCK, code != EINTR {
                return .failure(readFailure(code))
            }
            // Ready, and nothing to read: the end (the writer has closed its end).
            if got == 0, ready > 0 { break }
            let waited = Int((DispatchTime.now().uptimeNanoseconds - lastData) / 1_000_000)
            if got == 0, fifo {
                // Nothing ready, and a read that says “ended”: no program has the pipe open for
                // writing (once one had and closed it, `poll` would have said so).
                if waited >= timeouts.writer {
                    return .failure(ReadFailure(.ioError,
                                                message: "这是命名管道（FIFO），等了 \((timeouts.writer + 999) / 1000) 秒仍没有程序向它写入，已放弃读取"))
                }
            } else if waited >= timeouts.idle {
                return .failure(ReadFailure(.ioError, message: "从管道或设备读取时 \((timeouts.idle + 999) / 1000) 秒没有收到数据，已放弃读取"))
            }
        }
        return .success(bytes)
    }

    /// Reads until the buffer is full or the input ends, retrying interrupted reads; the count
    /// read. On a failure, `error` is set to the errno.
    private static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>,
                                  error: inout Int32, enough: Int? = nil) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var count = 0
        while count < buffer.count {
            let got = systemRead(descriptor, base + count, buffer.count - count)
            if got > 0 {
                count += got
                // Asked for more than `enough`, given exactly that: the end, for a regular file.
                if count == enough { break }
            } else if got == 0 {
                break
            } else if errno != EINTR {
                error = errno
                break
            }
        }
        return count
    }

    /// The message `FileHandle` gave for a failed read (its Cocoa error for the errno), kept
    /// word for word.
    private static func readFailure(_ code: Int32) -> ReadFailure {
        let cocoa: CocoaError.Code
        switch code {
        case ENOENT: cocoa = .fileReadNoSuchFile
        case EPERM, EACCES: cocoa = .fileReadNoPermission
        case ENAMETOOLONG: cocoa = .fileReadInvalidFileName
        default: cocoa = .fileReadUnknown
        }
        let error = NSError(domain: NSCocoaErrorDomain, code: cocoa.rawValue,
                            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(code))])
        return ReadFailure(.ioError, message: "读取文件失败：\(error.localizedDescription)")
    }

    /// The extension of a path's last component, lowercased, as `NSString.pathExtension` finds
    /// it. Names like `简报.txt` are answered from their UTF-8 without bridging to `NSString`,
    /// which costs more than reading a small file; anything unusual (a trailing slash, a dot
    /// after a character that could join it into one grapheme, a non-ASCII extension) is left
    /// to `NSString`.
    static func lowercasedPathExtension(_ path: String) -> String {
        var path = path
        let simple: String?? = path.withUTF8 { bytes -> String?? in
            let count = bytes.count
            guard count > 1, bytes[count - 1] != UInt8(ascii: "/") else { return .none }
            var dot = -1
            var index = count - 1
            while index >= 0 {
                let byte = bytes[index]
                if byte == UInt8(ascii: "/") { break }
                if byte == UInt8(ascii: ".") { dot = index; break }
                // Only ASCII letters and digits are answered here: every known extension is one.
                guard byte < 0x80 else { return .none }
                index -= 1
            }
            // No dot in the last component: no extension.
            guard dot >= 0 else { return .some("") }
            // A leading dot (`.txt`, `..`) starts a hidden name, not an extension.
            guard dot > 0, bytes[dot - 1] != UInt8(ascii: "/") else { return .none }
            // The character before the dot must not be able to join it (a prepended mark): ASCII,
            // or a CJK character (U+3000–U+9FFF, three bytes led by E3–E9).
            let before = bytes[dot - 1]
            let joinsNot = before < 0x80
                || (dot >= 3 && (0xE3...0xE9).contains(bytes[dot - 3]) && bytes[dot - 2] & 0xC0 == 0x80 && before & 0xC0 == 0x80)
            guard joinsNot else { return .none }
            var out = ""
            out.reserveCapacity(count - dot - 1)
            for byte in bytes[(dot + 1)...] {
                let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 : byte
                out.unicodeScalars.append(Unicode.Scalar(lowered))
            }
            return .some(out)
        }
        if let simple, let answer = simple { return answer }
        return (path as NSString).pathExtension.lowercased()
    }

    /// Reads standard input to its end; `displayPath`'s extension says the format
    /// (`--stdin-filename draft.docx`).
    /// Read with `read(2)` (not `FileHandle.readDataToEndOfFile`, which traps on a closed
    /// descriptor or a folder), at most `maximumFileSize` bytes; a user typing is waited for.
    public static func readStandardInput(displayPath: String) -> Result<SourceText, ReadFailure> {
        let bytes: [UInt8]
        switch readStandardInputBytes(STDIN_FILENO) {
        case .success(let read): bytes = read
        case .failure(let failure): return .failure(failure)
        }
        if let failure = unsupported(lowercasedPathExtension(displayPath)) { return .failure(failure) }
        return read(data: Data(bytes), displayPath: displayPath)
    }

    /// All of `descriptor` up to its end, or an `io-error`: closed (`<&-`), a folder
    /// (`< /tmp`), a read error, or more than `maximumFileSize` bytes.
    static func readStandardInputBytes(_ descriptor: Int32) -> Result<[UInt8], ReadFailure> {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            return .failure(ReadFailure(.ioError, message: "无法读取标准输入：\(ReportWriter.explain(errno))（标准输入已关闭？）"))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(ReadFailure(.ioError, message: "无法读取标准输入：标准输入是一个文件夹"))
        }
        if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > maximumFileSize {
            return .failure(ReadFailure(.ioError, message: "标准输入过大，超过 \(maximumFileSize / 1_048_576) MB 的上限"))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let room = min(chunk.count, maximumFileSize + 1 - bytes.count)
            let got = chunk.withUnsafeMutableBufferPointer { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(descriptor, base, room)
            }
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    // A non-blocking descriptor inherited from the caller: wait for data.
                    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    _ = poll(&poller, 1, 1000)
                    continue
                }
                return .failure(ReadFailure(.ioError, message: "无法读取标准输入：\(ReportWriter.explain(code))"))
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
            if bytes.count > maximumFileSize {
                return .failure(ReadFailure(.ioError, message: "标准输入过大，超过 \(maximumFileSize / 1_048_576) MB 的上限"))
            }
        }
        return .success(bytes)
    }

    /// Reads a document's bytes in the format its name's extension says: .docx, .ofd, .pdf,
    /// .md/.markdown, anything else as plain text.
    public static func read(data: Data, displayPath: String) -> Result<SourceText, ReadFailure> {
        let pathExtension = lowercasedPathExtension(displayPath)
        if LegacyWordReader.extensions.contains(pathExtension) { return LegacyWordReader.read(data: data, displayPath: displayPath) }
        let format = DocumentFormat(pathExtension: pathExtension)
        switch format {
        case .docx?:
            return DocxReader.read(data: data, displayPath: displayPath)
        case .ofd?:
            return OFDReader.read(data: data, displayPath: displayPath)
        case .pdf?:
            return PDFReader.read(data: data, displayPath: displayPath)
        case .markdown?, .text?, nil:
            return read(bytes: [UInt8](data), format: format, displayPath: displayPath)
        }
    }

    /// `read(data:displayPath:)` for bytes already in an array, in the format `displayPath`
    /// names: plain text and Markdown are decoded without a copy; the package readers take
    /// their `Data`.
    static func read(bytes: [UInt8], format: DocumentFormat?, displayPath: String) -> Result<SourceText, ReadFailure> {
        switch format {
        case .docx?, .ofd?, .pdf?:
            return read(data: Data(bytes), displayPath: displayPath)
        case .markdown?:
            return decode(bytes: bytes, displayPath: displayPath).map {
                MarkdownReader.source(text: $0.text, displayPath: displayPath, encoding: $0.encoding)
            }
        case .text?, nil:
            return decode(bytes: bytes, displayPath: displayPath)
        }
    }

    /// Formats that look like documents but that no reader handles: a message that says what
    /// to do instead of “binary content”.
    static func unsupported(_ pathExtension: String) -> ReadFailure? {
        // .doc, .wps, .rtf and .odt are read through LibreOffice (`LegacyWordReader`).
        guard ["xls", "xlsx", "et", "ppt", "pptx", "dps"].contains(pathExtension) else { return nil }
        return ReadFailure(.unsupportedFormat, message: "不支持 .\(pathExtension) 格式（表格、演示文稿不是公文或简报）")
    }

    public static func decode(bytes: [UInt8], displayPath: String) -> Result<SourceText, ReadFailure> {
        switch TextDecoding.decode(bytes) {
        case .success(let (text, encoding)):
            return .success(SourceText(path: displayPath, text: text, encoding: encoding))
        case .failure(let failure):
            return .failure(ReadFailure(.encodingError, message: failure.message))
        }
    }
}

/// `read(2)`, named apart from `DocumentReader.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
