#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
///
/// For a .docx or .ofd, `text` is the extracted text with one paragraph per line (line N is
/// paragraph ¶N); for a .pdf, it is what `pdftotext -layout` printed. `artifacts` marks what the
/// extraction or the markup put there and the author did not write (see `Artifact`); every
/// `MappedText` leaves those ranges out, so checks see `3月24日` where the PDF text has `3 月 24 日`,
/// while offsets still point into `text`.
public struct SourceText: Sendable {
    /// The path as it is reported (relative, as given on the command line).
    public let path: String
    public let text: String
    public let encoding: TextEncoding
    /// UTF-8 offset where each line starts.
    public let lineStarts: [Int]
    /// UTF-8 offset where each line's content ends (before its terminator).
    public let lineEnds: [Int]
    /// The kind of document the text came from.
    public var format: DocumentFormat = .text
    /// Ranges the author did not write, sorted and disjoint (set through `setArtifacts`).
    public private(set) var artifacts: [Artifact] = []
    /// What a .docx or .ofd says about fonts, sizes and pages; nil for plain text, Markdown and PDF.
    public var typography: Typography?
    /// Text kept out of `text`: page headers and footers, template pages.
    public var apart: [ApartText] = []
    /// Lines (1-based) that the page layout shows as continuing the paragraph of the line
    /// before (a PDF's hard wraps): the parser never ends a paragraph before one of them, even
    /// after a sentence end.
    public var wrappedLines: Set<Int> = []
    /// The tables the reader found (a .docx's `w:tbl`, a Markdown pipe table), in text order;
    /// their cells are ranges of `text`. Empty for a document without tables and for formats
    /// whose tables cannot be read back (PDF, OFD); plain text's pipe tables are read when a
    /// check asks (`CheckContext.tables`).
    public var tables: [TextTable] = []

    public init(path: String, text: String, encoding: TextEncoding = .utf8) {
        self.path = path
        self.text = text
        self.encoding = encoding
        var contiguous = text
        (lineStarts, lineEnds) = contiguous.withUTF8 { SourceText.lineTable($0) }
    }

    /// Where each line starts and where its content ends. A line ends at LF, CRLF or a lone CR;
    /// the last line runs to the end of the text (an empty line after a final terminator).
    ///
    /// The terminators are found with `memchr`, which skips a line's bytes many at a time; a
    /// text without CR (the usual case) needs one `memchr` per line.
    static func lineTable(_ bytes: UnsafeBufferPointer<UInt8>) -> (starts: [Int], ends: [Int]) {
        let count = bytes.count
        var starts = [0]
        var ends: [Int] = []
        guard let base = bytes.baseAddress, count > 0 else { return (starts, [0]) }
        // A guess at the line count (bulletin lines run to a few dozen characters) saves most
        // regrowing.
        starts.reserveCapacity(count / 48 + 2)
        ends.reserveCapacity(count / 48 + 2)
        let raw = UnsafeRawPointer(base)
        /// Offset of the next `byte` at or after `from`, or `count`.
        func next(_ byte: UInt8, from: Int) -> Int {
            guard from < count, let found = memchr(raw + from, Int32(byte), count - from) else { return count }
            return raw.distance(to: UnsafeRawPointer(found))
        }
        var nextLF = next(0x0A, from: 0)
        var nextCR = next(0x0D, from: 0)
        while nextLF < count || nextCR < count {
            if nextLF < nextCR {
                ends.append(nextLF)
                starts.append(nextLF + 1)
                nextLF = next(0x0A, from: nextLF + 1)
            } else {
                // A CR, alone or before an LF (`nextLF` is `count` when there is no LF left).
                let crlf = nextLF == nextCR + 1 && nextLF < count
                let after = nextCR + (crlf ? 2 : 1)
                ends.append(nextCR)
                starts.append(after)
                if crlf { nextLF = next(0x0A, from: after) }
                nextCR = next(0x0D, from: after)
            }
        }
        ends.append(count)
        return (starts, ends)
    }

    /// A copy with another format, typography and text kept apart (readers use it).
    init(path: String, text: String, encoding: TextEncoding = .utf8, format: DocumentFormat,
         artifacts: [Artifact] = [], typography: Typography? = nil, apart: [ApartText] = []) {
        self.init(path: path, text: text, encoding: encoding)
        self.format = format
        self.typography = typography
        self.apart = apart
        setArtifacts(artifacts)
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
        SourceText.lineIndex(containing: offset, lineStarts: lineStarts)
    }

    /// 0-based index of the line that holds `offset`, given where each line starts (sorted,
    /// the first 0): a binary search.
    static func lineIndex(containing offset: Int, lineStarts: [Int]) -> Int {
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

extension SourceText {
    /// The tables checks see: the reader's, or for plain text the pipe tables written in it
    /// (within `range`, when given; read on each call: `CheckContext` keeps them per document).
    func tablesForChecks(within range: TextRange? = nil) -> [TextTable] {
        format == .text && tables.isEmpty ? PipeTables.tables(in: self, within: range) : tables
    }

    /// Sets the artifacts: sorted, empty ones dropped, overlapping ones merged (the first
    /// one's kind is kept), and clamped to the text.
    public mutating func setArtifacts(_ list: [Artifact]) {
        let count = utf8Count
        let sorted = list.map { Artifact(range: min(max($0.range.lowerBound, 0), count)..<min(max($0.range.upperBound, 0), count), kind: $0.kind) }
            .filter { !$0.range.isEmpty }
            .sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        var merged: [Artifact] = []
        for artifact in sorted {
            if let last = merged.last, artifact.range.lowerBound <= last.range.upperBound {
                let upper = max(last.range.upperBound, artifact.range.upperBound)
                merged[merged.count - 1] = Artifact(range: last.range.lowerBound..<upper, kind: last.kind)
            } else {
                merged.append(artifact)
            }
        }
        artifacts = merged
    }

    /// The parts of `range` that are not artifacts, in order (the whole range when the text has
    /// none; nothing when artifacts cover it).
    public func contentPieces(of range: TextRange) -> [TextRange] {
        guard !artifacts.isEmpty, !range.isEmpty else { return [range] }
        // The first artifact that ends after the range starts.
        var low = 0
        var high = artifacts.count
        while low < high {
            let mid = (low + high) / 2
            if artifacts[mid].range.upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var pieces: [TextRange] = []
        var cursor = range.lowerBound
        var index = low
        while index < artifacts.count, artifacts[index].range.lowerBound < range.upperBound {
            let artifact = artifacts[index].range
            if artifact.lowerBound > cursor { pieces.append(cursor..<artifact.lowerBound) }
            cursor = max(cursor, artifact.upperBound)
            index += 1
        }
        if cursor < range.upperBound { pieces.append(cursor..<range.upperBound) }
        return pieces
    }

    /// The text of a range without its artifacts: what the author wrote there.
    public func content(_ range: TextRange) -> String {
        if artifacts.isEmpty { return String(slice(range)) }
        return contentPieces(of: range).map { String(slice($0)) }.joined()
    }

    /// The artifacts that overlap a range.
    public func artifacts(in range: TextRange) -> [Artifact] {
        guard !artifacts.isEmpty else { return [] }
        var low = 0
        var high = artifacts.count
        while low < high {
            let mid = (low + high) / 2
            if artifacts[mid].range.upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var out: [Artifact] = []
        var index = low
        while index < artifacts.count, artifacts[index].range.lowerBound < max(range.upperBound, range.lowerBound + 1) {
            if artifacts[index].range.overlaps(range) || (range.isEmpty && artifacts[index].range.contains(range.lowerBound)) {
                out.append(artifacts[index])
            }
            index += 1
        }
        return out
    }
}
