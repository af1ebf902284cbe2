// Compiled only with the MCP package trait (on by default); see Package.swift.
#if MCP
import Foundation
import Logging
import MCP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The MCP stdio transport: one JSON-RPC message per line on a pair of file descriptors
/// (standard input and output in the command, pipes in tests).
///
/// The SDK has a stdio transport of its own; this one exists for what a linter's documents need:
/// - a message of tens of megabytes (a document's text) is framed in linear time: each chunk read
///   is searched for the newline once, where the SDK's transport searches everything buffered
///   again after every 4 KB read;
/// - a line longer than `maximumMessageBytes` is dropped as it arrives (never buffered whole) and
///   answered with a JSON-RPC error;
/// - input is read by one blocking thread, so an idle server costs nothing (no polling) and the
///   descriptors' flags are left as they were (no `O_NONBLOCK` set on an inherited terminal);
/// - at the end of input the stream ends only after every request read has been answered (or
///   cancelled), so `printf '…' | bulletinlint mcp` gets all its answers before the server exits.
actor LineTransport: Transport {
    nonisolated let logger: Logger
    private let reader: LineReader
    private let writer: LineWriter
    private let ledger: RequestLedger
    private let stream: AsyncThrowingStream<Data, any Swift.Error>
    private var connected = false

    init(input: Int32, output: Int32, maximumMessageBytes: Int, logger: Logger) {
        self.logger = logger
        let (stream, continuation) = AsyncThrowingStream<Data, any Swift.Error>.makeStream()
        self.stream = stream
        let writer = LineWriter(descriptor: output)
        let ledger = RequestLedger(continuation: continuation)
        self.writer = writer
        self.ledger = ledger
        self.reader = LineReader(descriptor: input, maximumMessageBytes: maximumMessageBytes,
                                 writer: writer, ledger: ledger, logger: logger)
    }

    func connect() async throws {
        guard !connected else { return }
        connected = true
        let reader = self.reader
        let thread = Thread { reader.run() }
        thread.name = "bulletinlint.mcp.input"
        thread.start()
    }

    func disconnect() async {
        ledger.finish()
    }

    func send(_ data: Data) async throws {
        if let failure = writer.send(data) {
            // The client is gone (EPIPE) or output is broken: nothing more can be answered.
            logger.error("无法写入标准输出：\(failure)")
            ledger.finish()
            throw MCPError.transportError(OutputFailure(reason: failure))
        }
        ledger.sent(data)
    }

    func receive() -> AsyncThrowingStream<Data, any Swift.Error> {
        stream
    }
}

struct OutputFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// Writes whole lines; shared by the transport and the reading thread (which answers an
/// oversized line itself), so a lock keeps two messages from interleaving.
final class LineWriter: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes `message` and a newline; the errno text of a failure, nil on success.
    func send(_ message: Data) -> String? {
        var bytes = [UInt8](message)
        bytes.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            written += count
        }
        return nil
    }
}

/// Which requests are still unanswered, so the stream of incoming messages ends (and the server
/// with it) only when input has ended and every request read has had its answer.
final class RequestLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: Set<ID> = []
    private var inputEnded = false
    private var finished = false
    private let continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation

    init(continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation) {
        self.continuation = continuation
    }

    /// A message read: hands it on, and remembers the ids of the requests in it.
    func received(_ message: Data, items: [MessageProbe]) {
        lock.lock()
        for item in items {
            if let id = item.id, item.method != nil {
                pending.insert(id)
            } else if item.method == CancelledNotification.name, let id = item.cancelledID {
                // A cancelled request gets no answer.
                pending.remove(id)
            }
        }
        lock.unlock()
        continuation.yield(message)
    }

    /// A message written: the requests it answers are done.
    func sent(_ message: Data) {
        guard case .items(let items) = MessageProbe.read(message) else { return }
        let answered = items.compactMap { $0.method == nil ? $0.id : nil }
        guard !answered.isEmpty else { return }
        lock.lock()
        for id in answered { pending.remove(id) }
        let done = inputEnded && pending.isEmpty && !finished
        if done { finished = true }
        lock.unlock()
        if done { continuation.finish() }
    }

    /// Input ended: the stream ends now, or when the last open request is answered.
    func inputDidEnd() {
        lock.lock()
        inputEnded = true
        let done = pending.isEmpty && !finished
        if done { finished = true }
        lock.unlock()
        if done { continuation.finish() }
    }

    /// Ends the stream at once (the output is broken, or the server stops).
    func finish() {
        lock.lock()
        let done = !finished
        finished = true
        lock.unlock()
        if done { continuation.finish() }
    }
}

/// The id and method of each message in a line (one message, or a batch), read without the rest.
struct MessageProbe: Decodable {
    let id: ID?
    let method: String?
    let cancelledID: ID?

    private enum Keys: String, CodingKey { case id, method, params }
    private enum ParamKeys: String, CodingKey { case requestId }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        id = try? container.decodeIfPresent(ID.self, forKey: .id)
        method = try? container.decodeIfPresent(String.self, forKey: .method)
        if method == CancelledNotification.name,
           let params = try? container.nestedContainer(keyedBy: ParamKeys.self, forKey: .params) {
            cancelledID = try? params.decodeIfPresent(ID.self, forKey: .requestId)
        } else {
            cancelledID = nil
        }
    }

    enum Reading {
        /// Not JSON at all.
        case invalidJSON
        /// The messages' ids and methods (none for JSON that is not a message; the SDK answers it).
        case items([MessageProbe])
    }

    static func read(_ message: Data) -> Reading {
        let decoder = JSONDecoder()
        do {
            if message.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "[") {
                return .items(try decoder.decode([FailableProbe].self, from: message).compactMap(\.probe))
            }
            return .items([try decoder.decode(MessageProbe.self, from: message)])
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            return .invalidJSON
        } catch {
            return .items([])
        }
    }

    /// A batch item that may not be an object.
    struct FailableProbe: Decodable {
        let probe: MessageProbe?
        init(from decoder: any Decoder) throws {
            probe = try? MessageProbe(from: decoder)
        }
    }
}

/// Reads lines on a thread of its own, with blocking reads, until the input ends.
final class LineReader: @unchecked Sendable {
    private let descriptor: Int32
    private let maximumMessageBytes: Int
    private let writer: LineWriter
    private let ledger: RequestLedger
    private let logger: Logger

    init(descriptor: Int32, maximumMessageBytes: Int, writer: LineWriter, ledger: RequestLedger, logger: Logger) {
        self.descriptor = descriptor
        self.maximumMessageBytes = maximumMessageBytes
        self.writer = writer
        self.ledger = ledger
        self.logger = logger
    }

    func run() {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var line: [UInt8] = []
        // Past the limit: the rest of the line is dropped as it comes.
        var oversized = false
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base, buffer.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                logger.error("读取标准输入失败：\(String(cString: strerror(errno)))")
                break
            }
            if count == 0 { break }
            var start = 0
            while start < count {
                let newline = chunk[start..<count].firstIndex(of: 0x0A)
                let end = newline ?? count
                if !oversized {
                    if line.count + (end - start) > maximumMessageBytes {
                        oversized = true
                        line = []
                    } else {
                        line.append(contentsOf: chunk[start..<end])
                    }
                }
                guard let newline else { break }
                if oversized {
                    refuseOversized()
                } else {
                    deliver(line)
                }
                line.removeAll(keepingCapacity: line.count <= 1 << 20)
                oversized = false
                start = newline + 1
            }
        }
        // A last line without a newline still counts.
        if !oversized, !line.isEmpty { deliver(line) }
        if oversized { refuseOversized() }
        ledger.inputDidEnd()
    }

    private func deliver(_ line: [UInt8]) {
        var end = line.count
        if end > 0, line[end - 1] == 0x0D { end -= 1 }
        // Blank lines between messages are not messages.
        guard line[0..<end].contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        let message = Data(line[0..<end])
        switch MessageProbe.read(message) {
        case .invalidJSON:
            // Answered here: the SDK would answer with an invented id, which JSON-RPC reserves null for.
            logger.warning("收到一行不是 JSON 的输入")
            refuse(code: -32700, "消息不是有效的 JSON（每行应是一条 JSON-RPC 消息），未处理。")
        case .items(let items):
            ledger.received(message, items: items)
        }
    }

    private func refuseOversized() {
        let limit = maximumMessageBytes
        logger.warning("丢弃了一条超过 \(limit) 字节的消息")
        refuse(code: -32600, "消息超过 \(limit) 字节的上限，未处理。请缩短文本，或改用 path 参数给出文件路径。")
    }

    /// JSON-RPC's answer to a message it cannot read (its id unknown, so null).
    private func refuse(code: Int, _ message: String) {
        let error: [String: Any] = ["jsonrpc": "2.0", "id": NSNull(), "error": ["code": code, "message": message]]
        if let data = try? JSONSerialization.data(withJSONObject: error, options: [.sortedKeys]) {
            _ = writer.send(data)
        }
    }
}
#endif
