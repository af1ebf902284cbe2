/// The UTF-16 form of a `PreparedText`, made on first use (a text is searched by one thread).
final class UTF16Text {
    /// The units, in memory this object owns: an array would be allocated through the standard
    /// library's unspecialised path, with a run-time type look-up, for every text searched.
    private(set) var units = UnsafeBufferPointer<UInt16>(start: nil, count: 0)

    deinit {
        units.deallocate()
    }

    /// Whether every unit is ASCII (UTF-16 offsets are UTF-8 offsets).
    private(set) var isASCII = true
    private var filled = false

    func fill(_ text: String) {
        if filled { return }
        filled = true
        var text = text
        text.withUTF8 { bytes in
            let n = bytes.count
            // At most one UTF-16 unit per UTF-8 byte.
            // Locals, not captures: kept in registers through the loop.
            let buffer = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: max(n, 1))
            let bytes = bytes
            var k = 0
            var u = 0
            var ascii = true
            while k < n {
                let b = bytes[k]
                // The two common cases first: ASCII, and the three-byte scalars of CJK text.
                if b < 0x80 {
                    buffer[u] = UInt16(b)
                    u += 1
                    k += 1
                    continue
                }
                ascii = false
                if b >= 0xE0, b < 0xF0, k + 2 < n {
                    buffer[u] = UInt16(b & 0x0F) << 12 | UInt16(bytes[k + 1] & 0x3F) << 6 | UInt16(bytes[k + 2] & 0x3F)
                    u += 1
                    k += 3
                    continue
                }
                guard let (value, width) = UTF8Scalar.decode(bytes, at: k) else { break }
                if value > 0xFFFF {
                    let v = value - 0x10000
                    buffer[u] = UInt16(0xD800 + (v >> 10))
                    buffer[u + 1] = UInt16(0xDC00 + (v & 0x3FF))
                    u += 2
                } else {
                    buffer[u] = UInt16(value)
                    u += 1
                }
                k += width
            }
            units = UnsafeBufferPointer(start: buffer.baseAddress, count: u)
            isASCII = ascii
        }
    }

    /// Maps UTF-16 offsets to UTF-8 offsets by walking the units from the last offset asked
    /// for (matches come in order, groups close to them), instead of keeping a table of every
    /// offset: an offset inside a surrogate pair maps to the pair's start, one past the end to
    /// the end.
    struct OffsetWalker {
        private var unit = 0
        private var byte = 0

        mutating func utf8Offset(_ target: Int, in units: UnsafeBufferPointer<UInt16>) -> Int {
            let t = min(max(target, 0), units.count)
            // Back (a group inside the match just mapped), a scalar at a time.
            while unit > t {
                let c = units[unit - 1]
                if c & 0xFC00 == 0xDC00, unit >= 2, units[unit - 2] & 0xFC00 == 0xD800 {
                    byte -= 4
                    unit -= 2
                } else {
                    byte -= c < 0x80 ? 1 : c < 0x800 ? 2 : 3
                    unit -= 1
                }
            }
            while unit < t {
                let c = units[unit]
                if c < 0x80 {
                    byte += 1
                    unit += 1
                } else if c < 0x800 {
                    byte += 2
                    unit += 1
                } else if c & 0xFC00 == 0xD800, unit + 1 < units.count, units[unit + 1] & 0xFC00 == 0xDC00 {
                    if unit + 1 == t { return byte }
                    byte += 4
                    unit += 2
                } else {
                    byte += 3
                    unit += 1
                }
            }
            return byte
        }
    }
}
