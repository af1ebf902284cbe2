/// How LSP positions count characters within a line (`PositionEncodingKind`).
public enum PositionEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"

    /// The encoding the server uses, from the client's `general.positionEncodings`: UTF-8 when
    /// offered (the linter's own offsets, no conversion), else UTF-32 (Unicode scalars, the
    /// columns the CLI prints), else UTF-16, which every client must support.
    public static func negotiate(offered: [String]) -> PositionEncoding {
        for preferred in [PositionEncoding.utf8, .utf32] where offered.contains(preferred.rawValue) { return preferred }
        return .utf16
    }
}

/// An open document's text as UTF-8 bytes with its line table, converting between the linter's
/// UTF-8 offsets and LSP positions in any encoding. Lines end at LF, CRLF or a lone CR, as both
/// LSP and `SourceText` have it.
public struct LSPText: Sendable {
    public private(set) var bytes: [UInt8]
    /// UTF-8 offset where each line starts.
    public private(set) var lineStarts: [Int]
    /// UTF-8 offset where each line's content ends (before its terminator).
    public private(set) var lineEnds: [Int]

    public init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        (lineStarts, lineEnds) = LSPText.lineTable(bytes)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    static func lineTable(_ bytes: [UInt8]) -> ([Int], [Int]) {
        var starts = [0]
        var ends: [Int] = []
        starts.reserveCapacity(bytes.count / 48 + 2)
        ends.reserveCapacity(bytes.count / 48 + 2)
        let count = bytes.count
        var i = 0
        bytes.withUnsafeBufferPointer { buffer in
            while i < count {
                let byte = buffer[i]
                if byte == 10 {
                    ends.append(i)
                    starts.append(i + 1)
                } else if byte == 13 {
                    ends.append(i)
                    if i + 1 < count, buffer[i + 1] == 10 { i += 1 }
                    starts.append(i + 1)
                }
                i += 1
            }
        }
        ends.append(count)
        return (starts, ends)
    }

    /// Length in bytes of the UTF-8 sequence a lead byte starts (1 for a stray byte).
    @inline(__always) static func sequenceLength(_ lead: UInt8) -> Int {
        if lead < 0xC0 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }

    /// 0-based index of the line holding `offset`.
    func lineIndex(containing offset: Int) -> Int {
        SourceText.lineIndex(containing: offset, lineStarts: lineStarts)
    }

    /// The LSP position of a UTF-8 offset (clamped to the text; an offset inside a line
    /// terminator is the end of its line).
    public func position(of offset: Int, in encoding: PositionEncoding) -> LSPPosition {
        let offset = min(max(offset, 0), bytes.count)
        let line = lineIndex(containing: offset)
        let start = lineStarts[line]
        let end = min(offset, lineEnds[line])
        switch encoding {
        case .utf8:
            return LSPPosition(line: line, character: end - start)
        case .utf16, .utf32:
            var units = 0
            var i = start
            while i < end {
                let length = LSPText.sequenceLength(bytes[i])
                units += encoding == .utf16 && length == 4 ? 2 : 1
                i += length
            }
            return LSPPosition(line: line, character: units)
        }
    }

    public func range(of range: Range<Int>, in encoding: PositionEncoding) -> LSPRange {
        LSPRange(start: position(of: range.lowerBound, in: encoding), end: position(of: range.upperBound, in: encoding))
    }

    /// The UTF-8 offset of an LSP position. A line past the end is the end of the text; a
    /// character past the line's end is its end (as the protocol says); a position inside a
    /// character (half a surrogate pair, a byte inside a UTF-8 sequence) is its start.
    public func offset(of position: LSPPosition, in encoding: PositionEncoding) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineStarts.count else { return bytes.count }
        let start = lineStarts[position.line]
        let end = lineEnds[position.line]
        let wanted = max(position.character, 0)
        var i = start
        var units = 0
        while i < end, units < wanted {
            let length = LSPText.sequenceLength(bytes[i])
            let size: Int
            switch encoding {
            case .utf8: size = length
            case .utf16: size = length == 4 ? 2 : 1
            case .utf32: size = 1
            }
            if units + size > wanted { break }
            units += size
            i += length
        }
        return min(i, end)
    }

    /// Replaces the text between two positions (an incremental change).
    public mutating func replace(_ range: LSPRange, with text: String, in encoding: PositionEncoding) {
        var lower = offset(of: range.start, in: encoding)
        var upper = offset(of: range.end, in: encoding)
        if upper < lower { swap(&lower, &upper) }
        replace(bytes: lower..<upper, with: text)
    }

    mutating func replace(bytes range: Range<Int>, with text: String) {
        bytes.replaceSubrange(range, with: Array(text.utf8))
        (lineStarts, lineEnds) = LSPText.lineTable(bytes)
    }
}
