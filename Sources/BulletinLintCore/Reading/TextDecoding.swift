#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file's bytes could not become text.
public struct DecodingFailure: Error, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case binary
        case invalidUTF16
        case undecodable
    }
    public let reason: Reason

    /// The message users read.
    public var message: String {
        switch reason {
        case .binary: return "文件包含二进制内容，不是文本文件"
        case .invalidUTF16: return "文件以 UTF-16 字节顺序标记开头，但内容不是有效的 UTF-16"
        case .undecodable: return "无法识别文件编码：既不是 UTF-8/UTF-16，也不是 GB18030/GBK"
        }
    }
}

/// Turns bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, otherwise GB18030
/// (a superset of GBK and GB2312), which Windows tools still write.
public enum TextDecoding {
    public static func decode(_ bytes: [UInt8]) -> Result<(String, TextEncoding), DecodingFailure> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(validating: bytes[3...], as: UTF8.self) else {
                return .failure(DecodingFailure(reason: .undecodable))
            }
            return checked(text, .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let littleEndian = bytes[0] == 0xFF
            guard let text = decodeUTF16(bytes[2...], littleEndian: littleEndian) else {
                return .failure(DecodingFailure(reason: .invalidUTF16))
            }
            return checked(text, littleEndian ? .utf16LE : .utf16BE)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return checked(text, .utf8)
        }
        if looksBinary(bytes) { return .failure(DecodingFailure(reason: .binary)) }
        if let text = decodeGB18030(bytes) {
            return checked(text, .gb18030)
        }
        return .failure(DecodingFailure(reason: .undecodable))
    }

    /// How many leading Unicode scalars `checked` looks at.
    static let checkedScalars = 65_536

    /// Text with NULs or many other control characters is a binary file that happened to decode.
    private static func checked(_ text: String, _ encoding: TextEncoding) -> Result<(String, TextEncoding), DecodingFailure> {
        var text = text
        let binary = text.withUTF8 { looksBinary(utf8: $0) }
        if binary { return .failure(DecodingFailure(reason: .binary)) }
        return .success((text, encoding))
    }

    /// Whether the first `checkedScalars` scalars of valid UTF-8 hold a NUL, or more than one in
    /// twenty of them are other control characters (C0 but tab, LF, VT, FF and CR; and DEL).
    ///
    /// Works on the bytes, not the scalars: a byte below 0x20 or 0x7F never occurs inside a
    /// multi-byte sequence, so it is exactly such a scalar; and the scalars are counted as the
    /// bytes that are not continuation bytes (10xxxxxx). Eight bytes are tested at a time; only a
    /// word with a control byte (about one in ten: the line ends) is looked at byte by byte, and
    /// the scalars are only counted when a control character is found.
    static func looksBinary(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let limit = prefixLength(bytes, scalars: checkedScalars)
        var controls = 0
        var index = 0
        @inline(__always) func examine(_ byte: UInt8) -> Bool {
            if byte < 0x20 || byte == 0x7F {
                if byte == 0 { return true }
                if byte < 0x09 || byte > 0x0D { controls += 1 }
            }
            return false
        }
        let raw = UnsafeRawPointer(base)
        while index + 8 <= limit {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if hasControlByte(word) {
                for offset in index..<(index + 8) {
                    if examine(base[offset]) { return true }
                }
            }
            index += 8
        }
        while index < limit {
            if examine(base[index]) { return true }
            index += 1
        }
        guard controls > 0 else { return false }
        var total = 0
        for offset in 0..<limit where base[offset] & 0xC0 != 0x80 { total += 1 }
        return total > 0 && controls * 20 > total
    }

    /// Whether any byte of `word` is below 0x20 or is 0x7F (exact, with no false positives:
    /// no carry crosses a byte).
    @inline(__always)
    private static func hasControlByte(_ word: UInt64) -> Bool {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let high: UInt64 = 0x8080_8080_8080_8080
        // High bit clear exactly where the byte is below 0x20: (b & 0x7F) + 0x60 reaches 0x80
        // when b & 0x7F ≥ 0x20, and b itself has it when b ≥ 0x80.
        let below20 = ~(((word & low) &+ 0x6060_6060_6060_6060) | word) & high
        // Zero bytes of word ^ 0x7F…: the DEL bytes.
        let flipped = word ^ low
        let del = ~(((flipped & low) &+ low) | flipped) & high
        return (below20 | del) != 0
    }

    /// The number of bytes that hold the first `scalars` scalars of valid UTF-8 (all of them
    /// when there are fewer).
    static func prefixLength(_ bytes: UnsafeBufferPointer<UInt8>, scalars: Int) -> Int {
        // Every scalar has at least one byte: a text this short has no more scalars than that.
        guard bytes.count > scalars else { return bytes.count }
        var seen = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] & 0xC0 != 0x80 {
                if seen == scalars { return index }
                seen += 1
            }
            index += 1
        }
        return bytes.count
    }

    private static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(65_536).contains(0)
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
            index += 2
        }
        var text = ""
        text.reserveCapacity(units.count)
        var decoder = UTF16()
        var iterator = units.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        return text
    }

    /// Strict GB18030 decoding through iconv: any invalid sequence gives nil.
    static func decodeGB18030(_ bytes: [UInt8]) -> String? {
        #if canImport(Glibc) || canImport(Darwin)
        let descriptor = iconv_open("UTF-8", "GB18030")
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        var input = bytes
        // GB18030 characters are at most 4 bytes and become at most 4 UTF-8 bytes; 2 bytes
        // become 3, so 2× is always enough.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let outputCapacity = output.count
        var produced = 0
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else {
                    return inBuffer.count == 0
                }
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outputCapacity
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                produced = outputCapacity - outLeft
                return result != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        return String(validating: output[0..<produced], as: UTF8.self)
        #else
        return nil
        #endif
    }

    /// Encodes text as GB18030 (used by tests to build fixtures).
    public static func encodeGB18030(_ text: String) -> [UInt8]? {
        #if canImport(Glibc) || canImport(Darwin)
        let descriptor = iconv_open("GB18030", "UTF-8")
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let capacity = output.count
        var produced = 0
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return true }
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = capacity
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                produced = capacity - outLeft
                return result != -1 && inLeft == 0
            }
        }
        return ok ? Array(output[0..<produced]) : nil
        #else
        return nil
        #endif
    }
}
