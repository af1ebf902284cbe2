/// A table of a document as its reader found it: rows of cells, each cell a range of
/// `SourceText.text`, so that whatever a check finds in a cell points into the text it reports on.
///
/// A .docx table comes from `w:tbl` (rows `w:tr`, cells `w:tc`; every paragraph of a cell is a
/// line of the text, so a cell's range may cover several lines); a Markdown table is a GFM pipe
/// table. Columns are grid positions: a cell spanning several (`w:gridSpan`) starts at the first
/// and covers the rest, and a cell merged with the one above (`w:vMerge`) says so, so the columns
/// of every row stay aligned.
public struct TextTable: Sendable, Hashable {
    public struct Cell: Sendable, Hashable {
        /// The cell's text in `SourceText.text`, without the spaces and line ends around it; an
        /// empty range (where the cell's first line starts) when the cell holds nothing.
        public var range: TextRange
        /// The grid column the cell starts at, 0-based.
        public var column: Int
        /// How many grid columns the cell covers (1 unless merged across).
        public var span: Int
        /// The cell continues the one above it (a vertical merge): it shows that cell's text, not
        /// a value of its own.
        public var continuesAbove: Bool

        public init(range: TextRange, column: Int, span: Int = 1, continuesAbove: Bool = false) {
            self.range = range
            self.column = column
            self.span = max(1, span)
            self.continuesAbove = continuesAbove
        }

        /// The grid columns the cell covers.
        public var columns: Range<Int> { column..<(column + span) }
    }

    public struct Row: Sendable, Hashable {
        public var cells: [Cell]
        /// The document says the row is a header: the Markdown header row, a .docx row marked
        /// `w:tblHeader` (repeated on every page).
        public var isHeader: Bool
        /// The row's text in `SourceText.text`, from its first cell's start to its last cell's end.
        public var range: TextRange

        public init(cells: [Cell], isHeader: Bool = false, range: TextRange) {
            self.cells = cells
            self.isHeader = isHeader
            self.range = range
        }

        /// The cell that covers a grid column, if any.
        public func cell(covering column: Int) -> Cell? {
            cells.first { $0.columns.contains(column) }
        }
    }

    public var rows: [Row]
    /// From the first row's start to the last row's end.
    public var range: TextRange

    public init(rows: [Row]) {
        self.rows = rows
        let lower = rows.first?.range.lowerBound ?? 0
        let upper = rows.map(\.range.upperBound).max() ?? lower
        range = lower..<max(lower, upper)
    }

    /// How many grid columns the table has.
    public var columnCount: Int {
        rows.map { $0.cells.map(\.columns.upperBound).max() ?? 0 }.max() ?? 0
    }

    /// `range` without the spaces, tabs, ideographic spaces and line ends at either end.
    static func trimmed(_ range: TextRange, in text: String) -> TextRange {
        let utf8 = text.utf8
        let lower = min(max(range.lowerBound, 0), utf8.count)
        let upper = min(max(range.upperBound, lower), utf8.count)
        let start = utf8.index(utf8.startIndex, offsetBy: lower)
        let end = utf8.index(start, offsetBy: upper - lower)
        let scalars = text.unicodeScalars[start..<end]
        var head = lower
        for scalar in scalars {
            guard isSpace(scalar) else { break }
            head += UTF8.width(scalar)
        }
        if head == upper { return lower..<lower }
        var tail = upper
        for scalar in scalars.reversed() {
            guard isSpace(scalar) else { break }
            tail -= UTF8.width(scalar)
        }
        return head..<tail
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r", "\u{3000}", "\u{A0}", "\u{2002}", "\u{2003}", "\u{2009}", "\u{200B}", "\u{FEFF}": return true
        default: return false
        }
    }
}
