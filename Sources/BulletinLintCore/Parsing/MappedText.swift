#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// A piece of text assembled from one or more ranges of the source (wrapped lines joined into
/// a paragraph, a list continued on the next line), with a map back to source offsets.
///
/// The source's artifacts (extraction spaces of a PDF or OFD, Markdown markup) are left out:
/// a range is cut around them, so the view reads `3月24日` where the source has `3 月 24 日`,
/// and a view offset still maps to the right source offset.
public struct MappedText: Sendable {
    public let text: String
    /// (offset in `text`, offset in the source, length) of each source piece, in order.
    /// Text between pieces is a virtual separator that maps to the next piece's start.
    let pieces: [(view: Int, source: Int, length: Int)]

    /// One source range (most lines and elements), without an array of ranges to make.
    public init(source: SourceText, range: TextRange) {
        guard source.artifacts.isEmpty else {
            self.init(source: source, ranges: [range])
            return
        }
        // A text without artifacts: one piece.
        self.init(text: String(source.slice(range)), pieces: [(0, range.lowerBound, range.count)])
    }

    /// Joins source ranges with `separator` between them.
    public init(source: SourceText, ranges: [TextRange], separator: String = "") {
        if ranges.count == 1, source.artifacts.isEmpty {
            self.init(source: source, range: ranges[0])
            return
        }
        var text = ""
        var pieces: [(view: Int, source: Int, length: Int)] = []
        pieces.reserveCapacity(ranges.count)
        if source.artifacts.isEmpty {
            // The joined length is known: the text grows once.
            text.reserveCapacity(ranges.reduce(0) { $0 + $1.count } + separator.utf8.count * max(0, ranges.count - 1))
        }
        var viewOffset = 0
        for (i, range) in ranges.enumerated() {
            if i > 0, !separator.isEmpty {
                text += separator
                viewOffset += separator.utf8.count
            }
            let content = source.contentPieces(of: range)
            if content.isEmpty {
                // Only artifacts: an empty piece keeps the range's place.
                pieces.append((viewOffset, range.lowerBound, 0))
                continue
            }
            for piece in content {
                pieces.append((viewOffset, piece.lowerBound, piece.count))
                text += source.slice(piece)
                viewOffset += piece.count
            }
        }
        self.init(text: text, pieces: pieces)
    }

    init(text: String, pieces: [(view: Int, source: Int, length: Int)]) {
        self.text = text
        self.pieces = pieces
    }

    /// The part of this view in `range`, still mapped to the source.
    public func subview(_ range: Range<Int>) -> MappedText {
        var pieces: [(view: Int, source: Int, length: Int)] = []
        for piece in self.pieces {
            let lower = max(piece.view, range.lowerBound)
            let upper = min(piece.view + piece.length, range.upperBound)
            if lower < upper || (range.isEmpty && lower == upper && pieces.isEmpty && lower >= piece.view && lower <= piece.view + piece.length) {
                pieces.append((lower - range.lowerBound, piece.source + (lower - piece.view), upper - lower))
            }
        }
        return MappedText(text: String(slice(range)), pieces: pieces)
    }

    /// The source range the whole view covers.
    public var sourceRange: TextRange {
        guard let first = pieces.first, let last = pieces.last else { return 0..<0 }
        return first.source..<(last.source + last.length)
    }

    /// Source offset of a view offset. `asEnd` maps a piece boundary to the end of the piece
    /// before it (for exclusive upper bounds) rather than the start of the one after.
    public func sourceOffset(_ offset: Int, asEnd: Bool = false) -> Int {
        guard !pieces.isEmpty else { return 0 }
        var low = 0
        var high = pieces.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if pieces[mid].view <= offset { low = mid } else { high = mid - 1 }
        }
        var piece = pieces[low]
        if asEnd, offset == piece.view, low > 0 {
            piece = pieces[low - 1]
            return piece.source + piece.length
        }
        if offset >= piece.view + piece.length {
            // In a separator after this piece, or past the end.
            if asEnd || low == pieces.count - 1 { return piece.source + piece.length }
            return pieces[low + 1].source
        }
        return piece.source + max(0, offset - piece.view)
    }

    public func sourceRange(_ range: Range<Int>) -> TextRange {
        let lower = sourceOffset(range.lowerBound)
        let upper = range.isEmpty ? lower : sourceOffset(range.upperBound, asEnd: true)
        return lower..<max(lower, upper)
    }

    /// The text of a view range.
    public func slice(_ range: Range<Int>) -> Substring {
        let utf8 = text.utf8
        let lower = min(max(range.lowerBound, 0), utf8.count)
        let upper = min(max(range.upperBound, lower), utf8.count)
        let start = utf8.index(utf8.startIndex, offsetBy: lower)
        return text[start..<utf8.index(start, offsetBy: upper - lower)]
    }
}

extension String {
    /// The same UTF-8 bytes: what a prepared text must share with the text it stands for (its
    /// offsets are byte offsets). Not `==`, which is canonical equivalence and, for Chinese text
    /// in separate storage, normalises both sides to compare them.
    func hasSameBytes(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var a = self
        var b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard let p = x.baseAddress, let q = y.baseAddress, p != q else { return true }
                return memcmp(p, q, x.count) == 0
            }
        }
    }
}
