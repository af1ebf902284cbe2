import Foundation

/// Converts UTF-16 `NSRange`s of one string into UTF-8 offsets, for `ICURegex`'s
/// `NSRegularExpression` path.
struct OffsetConverter {
    let utf16Count: Int
    /// utf8Offsets[i] = UTF-8 offset of UTF-16 offset i; empty when the text is ASCII.
    private var table: [Int32] = []

    init(_ text: String) {
        var utf16Count = 0
        var ascii = true
        for unit in text.utf8 where unit >= 0x80 { ascii = false; break }
        if ascii {
            self.utf16Count = text.utf8.count
            return
        }
        var table: [Int32] = []
        table.reserveCapacity(text.utf8.count + 1)
        var utf8Offset: Int32 = 0
        for scalar in text.unicodeScalars {
            let width16 = scalar.value > 0xFFFF ? 2 : 1
            let width8 = Int32(UTF8.width(scalar))
            for _ in 0..<width16 { table.append(utf8Offset) }
            utf8Offset += width8
            utf16Count += width16
        }
        table.append(utf8Offset)
        self.table = table
        self.utf16Count = utf16Count
    }

    func utf8Offset(_ utf16: Int) -> Int {
        if table.isEmpty { return utf16 }
        return Int(table[min(max(utf16, 0), table.count - 1)])
    }

    func utf8Range(_ range: NSRange) -> Range<Int> {
        utf8Offset(range.location)..<utf8Offset(range.location + range.length)
    }
}
