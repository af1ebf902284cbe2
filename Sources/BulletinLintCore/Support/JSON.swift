/// A JSON value with ordered object keys, so reports are byte-for-byte stable.
public indirect enum JSON: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    public static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.render() == rhs.render() }

    /// Pretty-printed with two-space indentation and a final newline.
    public func render() -> String {
        var out: [UInt8] = []
        write(into: &out, indent: 0)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Rendered as if nested `indent` levels deep, without a final newline (for streaming).
    public func render(indent: Int) -> String {
        var out: [UInt8] = []
        write(into: &out, indent: indent)
        return String(decoding: out, as: UTF8.self)
    }

    // Written as UTF-8 bytes: appending to a byte array costs far less than appending to a
    // `String`, and a report holds thousands of small pieces.
    private func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .string(let s): JSON.escape(s, into: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(contentsOf: "[\n".utf8)
            for i in items.indices {
                JSON.indent(indent + 1, into: &out)
                items[i].write(into: &out, indent: indent + 1)
                if i == items.count - 1 { out.append(0x0A) } else { out.append(contentsOf: ",\n".utf8) }
            }
            JSON.indent(indent, into: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(contentsOf: "{\n".utf8)
            for i in pairs.indices {
                JSON.indent(indent + 1, into: &out)
                JSON.escape(pairs[i].0, into: &out)
                out.append(contentsOf: ": ".utf8)
                pairs[i].1.write(into: &out, indent: indent + 1)
                if i == pairs.count - 1 { out.append(0x0A) } else { out.append(contentsOf: ",\n".utf8) }
            }
            JSON.indent(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func indent(_ level: Int, into out: inout [UInt8]) {
        for _ in 0..<max(0, level) { out.append(0x20); out.append(0x20) }
    }

    static func escape(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        escape(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// `"`, `\`, control characters, DEL and U+2028/2029 escaped; everything else as it is.
    static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            let n = bytes.count
            var runStart = 0
            var k = 0
            func flush(_ end: Int) {
                if end > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
            }
            while k < n {
                let b = bytes[k]
                var escaped: String? = nil
                var width = 1
                switch b {
                case 0x22: escaped = "\\\""
                case 0x5C: escaped = "\\\\"
                case 0x0A: escaped = "\\n"
                case 0x0D: escaped = "\\r"
                case 0x09: escaped = "\\t"
                case 0x00..<0x20, 0x7F: escaped = JSON.unicodeEscape(UInt32(b))
                case 0xE2 where k + 2 < n && bytes[k + 1] == 0x80 && (bytes[k + 2] == 0xA8 || bytes[k + 2] == 0xA9):
                    escaped = JSON.unicodeEscape(bytes[k + 2] == 0xA8 ? 0x2028 : 0x2029)
                    width = 3
                default:
                    break
                }
                if let escaped {
                    flush(k)
                    out.append(contentsOf: escaped.utf8)
                    k += width
                    runStart = k
                } else {
                    k += 1
                }
            }
            flush(n)
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: false)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
