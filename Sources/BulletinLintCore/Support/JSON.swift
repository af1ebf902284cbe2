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

    /// Written by `JSONWriter`, the one place that knows the layout.
    func write(into out: inout [UInt8], indent: Int) {
        JSONWriter.write(into: &out, indent: indent) { $0.value(self) }
    }

    /// A newline and `2 × level` spaces, copied from one constant in a single append for the
    /// usual depths.
    static func lineBreak(indent level: Int, into out: inout [UInt8]) {
        let spaces: StaticString = "\n                                                                "
        let wanted = 2 * max(0, level)
        spaces.withUTF8Buffer { all in
            if wanted <= all.count - 1 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: all[0..<(1 + wanted)]))
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: all[0..<all.count]))
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: wanted - (all.count - 1)))
            }
        }
    }

    /// Decimal digits, without going through a `String`.
    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var index = out.count + digits
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        repeat {
            index -= 1
            out[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    static func escape(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        escape(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// `"`, `\`, control characters, DEL and U+2028/2029 escaped; everything else as it is,
    /// copied in runs. The runs are found eight bytes at a time (`attention`), so the Chinese
    /// text of a message costs a few instructions per word rather than per byte.
    static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let n = bytes.count
            let raw = UnsafeRawPointer(base)
            var runStart = 0
            var k = 0
            while k < n {
                if k + 8 <= n {
                    let mask = attention(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)))
                    if mask == 0 {
                        k += 8
                        continue
                    }
                    // The first byte that needs a look (the lowest in a little-endian word).
                    k += mask.trailingZeroBitCount >> 3
                } else if !needsAttention(base[k]) {
                    k += 1
                    continue
                }
                let b = base[k]
                var width = 1
                let escaped: StaticString
                switch b {
                case 0x22: escaped = "\\\""
                case 0x5C: escaped = "\\\\"
                case 0x0A: escaped = "\\n"
                case 0x0D: escaped = "\\r"
                case 0x09: escaped = "\\t"
                case 0xE2:
                    // U+2028 and U+2029 (E2 80 A8, E2 80 A9) end lines in JavaScript; “” and the
                    // other E2 characters do not.
                    guard k + 2 < n, base[k + 1] == 0x80, base[k + 2] == 0xA8 || base[k + 2] == 0xA9 else {
                        k += 1
                        continue
                    }
                    escaped = base[k + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                default:
                    // The other controls and DEL: \u00XX.
                    if k > runStart { out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: k - runStart)) }
                    JSON.unicodeEscape(b, into: &out)
                    k += 1
                    runStart = k
                    continue
                }
                if k > runStart { out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: k - runStart)) }
                escaped.withUTF8Buffer { out.append(contentsOf: $0) }
                k += width
                runStart = k
            }
            if n > runStart { out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: n - runStart)) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether `escape` must look at a byte: `"`, `\`, a control, DEL, or 0xE2 (which may start
    /// U+2028 or U+2029).
    @inline(__always)
    private static func needsAttention(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F || b == 0xE2
    }

    /// `needsAttention` for the eight bytes of a word at once: the high bit of each byte that
    /// needs a look is set, and no other bit. Exact: no carry crosses from one byte to the next.
    @inline(__always)
    private static func attention(_ word: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let high: UInt64 = 0x8080_8080_8080_8080
        // High bit set exactly where x's byte is zero: (x & 0x7F) + 0x7F reaches 0x80 unless the
        // low seven bits are zero, and x itself has it unless its top bit is zero.
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { ~(((x & low) &+ low) | x) & high }
        // Below 0x20: (b & 0x7F) + 0x60 reaches 0x80 when b & 0x7F ≥ 0x20, and b has it when b ≥ 0x80.
        let below20 = ~(((word & low) &+ 0x6060_6060_6060_6060) | word) & high
        return below20
            | zeroBytes(word ^ 0x2222_2222_2222_2222)
            | zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C)
            | zeroBytes(word ^ 0x7F7F_7F7F_7F7F_7F7F)
            | zeroBytes(word ^ 0xE2E2_E2E2_E2E2_E2E2)
    }

    /// `\u00XX` for a byte below 0x80, in lowercase hex.
    private static func unicodeEscape(_ byte: UInt8, into out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        hex.withUTF8Buffer { digits in
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
    }
}

/// Writes JSON straight into UTF-8 bytes — two-space indentation, `"key": value`, `[]` and `{}`
/// when empty — without building a `JSON` tree first (`JSON.render` walks its tree through it): a report writes thousands of values, and a tree of enums,
/// arrays and tuples costs more to build and free than the writing itself.
///
/// Containers are opened and closed explicitly; `key(_:)` starts a member of the innermost
/// object and `item()` an element of the innermost array, and the value follows.
///
///     JSONWriter.write(into: &bytes, indent: 2) { json in
///         json.openObject()
///         json.key("path"); json.string(path)
///         json.closeObject()
///     }
struct JSONWriter {
    var bytes: [UInt8]
    /// Per open container, innermost last: whether it has a member or element yet.
    private var started: [Bool] = []
    /// The indentation level of the value being written: the starting one, plus one per open
    /// container.
    private let baseIndent: Int

    private init(bytes: [UInt8], indent: Int) {
        self.bytes = bytes
        baseIndent = indent
        started.reserveCapacity(16)
    }

    /// Runs `body` with a writer that appends to `out`, as if nested `indent` levels deep. The
    /// bytes are moved into the writer and back, so they are never copied.
    static func write(into out: inout [UInt8], indent: Int, _ body: (inout JSONWriter) -> Void) {
        var writer = JSONWriter(bytes: [], indent: indent)
        swap(&writer.bytes, &out)
        body(&writer)
        swap(&writer.bytes, &out)
    }

    mutating func openObject() { open(UInt8(ascii: "{")) }
    mutating func closeObject() { close(UInt8(ascii: "}")) }
    mutating func openArray() { open(UInt8(ascii: "[")) }
    mutating func closeArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the innermost object; `name` is written as it is (no escaping).
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
    }

    /// Starts a member of the innermost object whose name is not a literal (and is escaped).
    /// Named apart from `key(_:)`, which a string literal would otherwise not pick.
    mutating func key(escaping name: String) {
        separate()
        JSON.escape(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
    }

    /// Starts an element of the innermost array.
    mutating func item() { separate() }

    mutating func string(_ value: String) { JSON.escape(value, into: &bytes) }
    mutating func int(_ value: Int) { JSON.appendInt(value, to: &bytes) }
    mutating func bool(_ value: Bool) { literal(value ? "true" : "false") }
    mutating func null() { literal("null") }

    /// A value given as a tree, at the current depth.
    mutating func value(_ value: JSON) {
        switch value {
        case .string(let s): string(s)
        case .int(let i): int(i)
        case .bool(let b): bool(b)
        case .null: null()
        case .array(let items):
            openArray()
            for element in items {
                item()
                self.value(element)
            }
            closeArray()
        case .object(let pairs):
            openObject()
            for (name, member) in pairs {
                key(escaping: name)
                self.value(member)
            }
            closeObject()
        }
    }

    private mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        started.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadItems = started.removeLast()
        if hadItems { JSON.lineBreak(indent: baseIndent + started.count, into: &bytes) }
        bytes.append(bracket)
    }

    /// `\n` before the first member or element of a container, `,\n` before the others, then
    /// the indentation of its level.
    private mutating func separate() {
        let last = started.count - 1
        if last >= 0, started[last] {
            bytes.append(UInt8(ascii: ","))
        } else if last >= 0 {
            started[last] = true
        }
        JSON.lineBreak(indent: baseIndent + started.count, into: &bytes)
    }
}
