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

    /// Text with NULs or many other control characters is a binary file that happened to decode.
    private static func checked(_ text: String, _ encoding: TextEncoding) -> Result<(String, TextEncoding), DecodingFailure> {
        var controls = 0
        var total = 0
        for scalar in text.unicodeScalars.prefix(65_536) {
            total += 1
            switch scalar.value {
            case 0: return .failure(DecodingFailure(reason: .binary))
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D: break
            case 0x01...0x1F, 0x7F: controls += 1
            default: break
            }
        }
        if total > 0, controls * 20 > total { return .failure(DecodingFailure(reason: .binary)) }
        return .success((text, encoding))
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
