#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads JSON-RPC messages framed by `Content-Length` headers (the LSP base protocol) from a
/// file descriptor.
final class MessageReader {
    enum Item {
        /// One message's body.
        case message(Data)
        /// A header block that could not be used (no or a bad `Content-Length`, a body over the
        /// limit); the reader has skipped past it.
        case malformed(String)
        /// End of input.
        case end
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The largest body read; a larger one is skipped and answered with an error.
    let maxBodyBytes: Int

    init(descriptor: Int32, maxBodyBytes: Int = 256 << 20) {
        self.descriptor = descriptor
        self.maxBodyBytes = maxBodyBytes
    }

    func next() -> Item {
        while true {
            // Headers end at the first empty line.
            guard let headerEnd = findHeaderEnd() else {
                if !fill() { return .end }
                continue
            }
            let headerBytes = buffer[start..<headerEnd]
            start = headerEnd + 4
            let header = String(decoding: headerBytes, as: UTF8.self)
            var length: Int? = nil
            var bad = false
            for line in header.components(separatedBy: "\r\n") where !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { bad = true; continue }
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name == "content-length" { length = Int(value) }
            }
            guard let length, length >= 0, !bad else {
                return .malformed("消息头无效：缺少或无法读取 Content-Length（\(header.prefix(200))）")
            }
            if length > maxBodyBytes {
                if !skip(length) { return .end }
                return .malformed("消息长度 \(length) 字节超过上限 \(maxBodyBytes) 字节，已跳过")
            }
            while buffer.count - start < length {
                if !fill() { return .end }
            }
            let body = Data(buffer[start..<(start + length)])
            start += length
            compact()
            return .message(body)
        }
    }

    private func findHeaderEnd() -> Int? {
        let count = buffer.count
        var i = start
        while i + 3 < count {
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// Reads more bytes; false at end of input.
    private func fill() -> Bool {
        if atEnd { return false }
        compact()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count < 0, errno == EINTR { continue }
            atEnd = true
            return false
        }
    }

    /// Drops `count` body bytes without keeping them.
    private func skip(_ count: Int) -> Bool {
        var left = count
        while left > 0 {
            let available = buffer.count - start
            if available == 0 {
                if !fill() { return false }
                continue
            }
            let taken = min(available, left)
            start += taken
            left -= taken
            compact()
        }
        return true
    }

    private func compact() {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// Writes framed messages to a file descriptor; one message at a time, whole.
final class MessageWriter: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    private let encoder: JSONEncoder
    /// False once a write failed (the client went away): later messages are dropped.
    private var open = true

    init(descriptor: Int32) {
        self.descriptor = descriptor
        encoder = JSONEncoder()
        // Sorted keys: the same message is the same bytes (the golden transcripts rely on it).
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    func send(_ message: some Encodable) {
        guard let body = try? encoder.encode(message) else { return }
        var frame = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        frame.append(contentsOf: body)
        lock.lock()
        defer { lock.unlock() }
        guard open else { return }
        var written = 0
        while written < frame.count {
            let count = frame.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count > 0 {
                written += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                open = false
                return
            }
        }
    }
}
