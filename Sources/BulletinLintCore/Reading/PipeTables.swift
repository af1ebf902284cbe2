#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GFM pipe tables: a header row, a delimiter row (`| --- | :---: |`, as many cells as the
/// header) and body rows up to a blank line or a line without a pipe. Cells are split on
/// unescaped `|`; a leading and a trailing pipe are optional. Leading spaces, tabs and
/// ideographic spaces before a row are indentation.
///
/// The Markdown reader asks about the delimiter rows it met outside code, comments and front
/// matter. Plain text has no markup, but the same shape (a row of `---` cells under a row of as
/// many cells) does not happen by accident, so a .txt's pipe tables are read too; no other shape
/// of plain text (aligned columns, tabs) is taken for a table, since that would be a guess.
enum PipeTables {
    /// The pipe tables of a text. `delimiterRows` are the lines (0-based) that may be delimiter
    /// rows; nil: any line that starts within `range` (the whole text when nil) may be.
    static func tables(in source: SourceText, delimiterRows: [Int]? = nil, within range: TextRange? = nil) -> [TextTable] {
        let candidates: [Int]
        if let delimiterRows {
            candidates = delimiterRows
        } else {
            let count = source.utf8Count
            let lower = min(max(range?.lowerBound ?? 0, 0), count)
            let upper = min(max(range?.upperBound ?? count, lower), count)
            // Most texts hold no pipe at all: one byte scan says so.
            guard containsPipe(source.text, lower..<upper) else { return [] }
            let first = source.lineIndex(containing: lower)
            let last = upper > lower ? source.lineIndex(containing: upper - 1) : first
            candidates = Array(first...last)
        }
        var tables: [TextTable] = []
        // Lines already taken by a table: a delimiter row there is a body row of that table.
        var taken = -1
        for index in candidates where index > taken && index >= 1 {
            guard let delimiter = cells(ofLine: index, in: source), delimiter.count >= 1,
                  isDelimiterRow(delimiter, in: source) else { continue }
            let headerIndex = index - 1
            guard headerIndex > taken, let header = cells(ofLine: headerIndex, in: source), header.count == delimiter.count else { continue }
            let width = header.count
            var rows = [row(header, line: headerIndex, width: width, isHeader: true, in: source)]
            var next = index + 1
            while next < source.lineCount, let body = cells(ofLine: next, in: source) {
                rows.append(row(body, line: next, width: width, isHeader: false, in: source))
                next += 1
            }
            tables.append(TextTable(rows: rows))
            taken = next - 1
        }
        return tables
    }

    private static func containsPipe(_ text: String, _ range: Range<Int>) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, range.lowerBound >= 0, range.upperBound <= bytes.count, !range.isEmpty else { return false }
            return memchr(base + range.lowerBound, 0x7C, range.count) != nil
        }
    }

    private static func row(_ ranges: [TextRange], line: Int, width: Int, isHeader: Bool, in source: SourceText) -> TextTable.Row {
        let kept = ranges.prefix(width)
        let cells = kept.enumerated().map { TextTable.Cell(range: $0.element, column: $0.offset) }
        let lower = kept.first?.lowerBound ?? source.lineStarts[line]
        let upper = kept.last?.upperBound ?? lower
        return TextTable.Row(cells: cells, isHeader: isHeader, range: lower..<max(lower, upper))
    }

    /// The cells of a line (their trimmed ranges), or nil when the line is blank or holds no
    /// unescaped pipe.
    static func cells(ofLine index: Int, in source: SourceText) -> [TextRange]? {
        let start = source.lineStarts[index]
        let end = source.lineEnds[index]
        guard start < end else { return nil }
        let line = source.slice(start..<end)
        guard line.utf8.contains(UInt8(ascii: "|")) else { return nil }
        // (offset, scalar) of the line; cheap for the short lines of a table.
        var scalars: [(offset: Int, scalar: Unicode.Scalar)] = []
        var offset = start
        for scalar in line.unicodeScalars {
            scalars.append((offset, scalar))
            offset += UTF8.width(scalar)
        }
        var first = 0
        while first < scalars.count, TextTable.isSpace(scalars[first].scalar) { first += 1 }
        var last = scalars.count
        while last > first, TextTable.isSpace(scalars[last - 1].scalar) { last -= 1 }
        guard first < last else { return nil }
        // Pipes that split cells: not escaped by an odd run of backslashes.
        var pipes: [Int] = []
        var backslashes = 0
        for i in first..<last {
            let scalar = scalars[i].scalar
            if scalar == "|", backslashes % 2 == 0 { pipes.append(i) }
            backslashes = scalar == "\\" ? backslashes + 1 : 0
        }
        guard !pipes.isEmpty else { return nil }
        var bounds = [first - 1] + pipes + [last]
        // A leading pipe opens the row and a trailing one closes it: no empty cell outside them.
        if pipes.first == first { bounds.removeFirst() }
        if let lastPipe = pipes.last, lastPipe == last - 1, bounds.count > 1 { bounds.removeLast() }
        func offsetOf(_ i: Int) -> Int { i < scalars.count ? scalars[i].offset : end }
        var cells: [TextRange] = []
        for (a, b) in zip(bounds, bounds.dropFirst()) {
            let lower = offsetOf(a + 1)
            let upper = offsetOf(b)
            cells.append(TextTable.trimmed(lower..<max(lower, upper), in: source.text))
        }
        return cells
    }

    /// Every cell is `---`, `:---`, `---:` or `:---:`.
    private static func isDelimiterRow(_ cells: [TextRange], in source: SourceText) -> Bool {
        for cell in cells {
            var scalars = Array(source.slice(cell).unicodeScalars)
            if scalars.first == ":" { scalars.removeFirst() }
            if scalars.last == ":" { scalars.removeLast() }
            guard !scalars.isEmpty, scalars.allSatisfy({ $0 == "-" }) else { return false }
        }
        return true
    }
}
