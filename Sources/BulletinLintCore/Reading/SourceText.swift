/// A position in a text: 1-based line, 1-based column counted in Unicode scalars
/// (the unit Yams marks and DESIGN §5 use).
public struct Position: Sendable, Hashable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Position, rhs: Position) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A range of the original text, as UTF-8 offsets into `SourceText.text`.
/// Line and column are computed only when something is reported.
public typealias TextRange = Range<Int>

/// A start and end position; `end` is exclusive (the column after the last character).
public struct Span: Sendable, Hashable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }
}

/// How a file's bytes were decoded.
public enum TextEncoding: String, Sendable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case gb18030 = "gb18030"
}

/// The decoded text of one document with a line index.
///
/// `text` is exactly the document's characters (a byte-order mark is not a character and is
/// dropped); line terminators (LF, CRLF, CR) are kept, so every offset points into the
/// original. Form feeds and no-break spaces are ordinary characters of their line.
public struct SourceText: Sendable {
    /// The path as it is reported (relative, as given on the command line).
    public let path: String
    public let text: String
    public let encoding: TextEncoding
    /// UTF-8 offset where each line starts.
    public let lineStarts: [Int]
    /// UTF-8 offset where each line's content ends (before its terminator).
    public let lineEnds: [Int]

    public init(path: String, text: String, encoding: TextEncoding = .utf8) {
        self.path = path
        self.text = text
        self.encoding = encoding
        var starts = [0]
        var ends: [Int] = []
        let bytes = text.utf8
        var offset = 0
        var previousWasCR = false
        for byte in bytes {
            if byte == 0x0A {
                ends.append(previousWasCR ? offset - 1 : offset)
                starts.append(offset + 1)
                previousWasCR = false
            } else {
                if previousWasCR {
                    ends.append(offset - 1)
                    starts.append(offset)
                }
                previousWasCR = byte == 0x0D
            }
            offset += 1
        }
        if previousWasCR {
            ends.append(offset - 1)
            starts.append(offset)
        }
        ends.append(offset)
        lineStarts = starts
        lineEnds = ends
    }

    public var lineCount: Int { lineStarts.count }
    public var utf8Count: Int { text.utf8.count }

    /// The text of a UTF-8 range (clamped to the text).
    public func slice(_ range: TextRange) -> Substring {
        let utf8 = text.utf8
        let lower = min(max(range.lowerBound, 0), utf8.count)
        let upper = min(max(range.upperBound, lower), utf8.count)
        let start = utf8.index(utf8.startIndex, offsetBy: lower)
        let end = utf8.index(start, offsetBy: upper - lower)
        return text[start..<end]
    }

    /// The first offset at or after `offset` that starts a Unicode scalar.
    public func scalarBoundary(atOrAfter offset: Int) -> Int {
        let utf8 = text.utf8
        var offset = min(max(offset, 0), utf8.count)
        var index = utf8.index(utf8.startIndex, offsetBy: offset)
        while index < utf8.endIndex, utf8[index] & 0xC0 == 0x80 {
            index = utf8.index(after: index)
            offset += 1
        }
        return offset
    }

    /// Content of a 1-based line, without its terminator.
    public func line(_ number: Int) -> Substring {
        guard number >= 1, number <= lineCount else { return "" }
        return slice(lineStarts[number - 1]..<lineEnds[number - 1])
    }

    /// 0-based index of the line that holds `offset`.
    public func lineIndex(containing offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    public func position(at offset: Int) -> Position {
        let index = lineIndex(containing: offset)
        let start = lineStarts[index]
        let clamped = min(offset, lineEnds[index])
        let column = clamped > start ? slice(start..<clamped).unicodeScalars.count + 1 : 1
        return Position(line: index + 1, column: column)
    }

    public func span(_ range: TextRange) -> Span {
        Span(start: position(at: range.lowerBound), end: position(at: range.upperBound))
    }

    /// Spans of many ranges in one pass over the text: counting columns from the line start for
    /// each range would be quadratic on a long line with many findings.
    public func spans(_ ranges: [TextRange]) -> [Span] {
        var offsets = Array(Set(ranges.flatMap { [$0.lowerBound, $0.upperBound] })).sorted()
        offsets = offsets.map { min(max($0, 0), utf8Count) }
        var positions: [Int: Position] = [:]
        var line = 0
        var lineStart = lineStarts[0]
        var cursor = lineStart
        var column = 1
        let bytes = text.utf8
        var index = bytes.startIndex
        for offset in offsets {
            let target = lineIndex(containing: offset)
            if target != line {
                line = target
                lineStart = lineStarts[line]
                cursor = lineStart
                column = 1
                index = bytes.index(bytes.startIndex, offsetBy: cursor)
            }
            let stop = min(offset, lineEnds[line])
            while cursor < stop {
                // Count scalars: every byte that is not a UTF-8 continuation byte starts one.
                if bytes[index] & 0xC0 != 0x80 { column += 1 }
                cursor += 1
                index = bytes.index(after: index)
            }
            positions[offset] = Position(line: line + 1, column: column)
        }
        return ranges.map { range in
            let lower = min(max(range.lowerBound, 0), utf8Count)
            let upper = min(max(range.upperBound, 0), utf8Count)
            return Span(start: positions[lower] ?? position(at: lower), end: positions[upper] ?? position(at: upper))
        }
    }
}
