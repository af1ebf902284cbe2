/// Turns `w:body` (or a header) into paragraphs, one line each.
struct BodyWalker {
    struct Line {
        var text: String
        var runs: [Typography.Run] = []
        var paragraph: Typography.Paragraph?
        /// Revisions and comment anchors, with ranges relative to the line start.
        var revisions: [Typography.Revision] = []
        var commentStarts: [String: Int] = [:]
        var commentEnds: [String: Int] = [:]
        /// Where the line's text came from, when origins are recorded (`annotate`); empty when
        /// the text had to be cleaned (the offsets no longer fit) or nothing was recorded.
        var origins: [Origin] = []
        /// The `w:p` element, when origins are recorded.
        var paragraphNode: XMLNode?
    }

    /// A piece of a line's text and the element it was read from: a `w:t` (its whole text), a
    /// `w:tab` or a `w:noBreakHyphen`, inside the run `run`. Ranges are UTF-8 offsets in the line.
    struct Origin {
        var range: Range<Int>
        let node: XMLNode
        let run: XMLNode
    }

    struct SectionBreak {
        /// Index of the last line of the section.
        let lastLine: Int
        let node: XMLNode
    }

    let styles: Styles
    var numbering: Numbering
    let collectTypography: Bool
    /// Records `Line.origins` and `Line.paragraphNode` (for `annotate`, which writes back into
    /// the XML); off when only reading.
    var recordsOrigins = false
    private(set) var lines: [Line] = []
    private(set) var sectionBreaks: [SectionBreak] = []
    private var finalSection: XMLNode?

    init(styles: Styles, numbering: Numbering, collectTypography: Bool) {
        self.styles = styles
        self.numbering = numbering
        self.collectTypography = collectTypography
    }

    /// Block-level content: paragraphs, tables, content controls, the final section.
    mutating func walkBlocks(_ node: XMLNode) {
        for child in node.children {
            switch child.name {
            case "p": walkParagraph(child)
            case "tbl": walkTable(child)
            case "sdt": if let content = child.child("sdtContent") { walkBlocks(content) }
            case "customXml", "ins", "moveTo": walkBlocks(child)
            case "AlternateContent": if let choice = child.child("Choice") ?? child.child("Fallback") { walkBlocks(choice) }
            case "sectPr": finalSection = child
            default: continue
            }
        }
    }

    /// A table as the walker met it: each cell the lines its paragraphs became (placed in the
    /// text by `sourceText`).
    struct PendingTable {
        struct Cell {
            let lines: Range<Int>
            let column: Int
            let span: Int
            let continuesAbove: Bool
        }
        struct Row {
            let cells: [Cell]
            let isHeader: Bool
            /// The lines of all its cells.
            let lines: Range<Int>
        }
        let rows: [Row]
    }

    /// The tables met so far (a table inside a cell is a table of its own, listed before the
    /// table that holds it).
    private(set) var tables: [PendingTable] = []

    /// Most columns a row can have in Word (63), with room: a bigger `w:gridSpan` or
    /// `w:gridBefore` is a broken or hostile file, not a layout.
    private static let maximumGridColumns = 64

    /// A table's cells, row by row, in reading order: each cell's paragraphs become lines as
    /// before; the table records which lines each cell holds and the grid column it starts at
    /// (`w:gridBefore` skips columns at the start of a row, `w:gridSpan` widens a cell, and
    /// `w:vMerge` without `restart` continues the cell above).
    private mutating func walkTable(_ table: XMLNode) {
        var rows: [PendingTable.Row] = []
        for row in table.children("tr") {
            let rowProperties = row.child("trPr")
            var column = BodyWalker.gridCount(rowProperties?.child("gridBefore"), minimum: 0)
            let rowStart = lines.count
            var cells: [PendingTable.Cell] = []
            for cell in row.children("tc") {
                let properties = cell.child("tcPr")
                let span = BodyWalker.gridCount(properties?.child("gridSpan"), minimum: 1)
                let merge = properties?.child("vMerge")
                let continues = merge != nil && merge?.attribute("val") != "restart"
                let first = lines.count
                walkBlocks(cell)
                cells.append(PendingTable.Cell(lines: first..<lines.count, column: column, span: span, continuesAbove: continues))
                column += span
            }
            let header = rowProperties?.child("tblHeader").map { BodyWalker.isOn($0.attribute("val")) } ?? false
            rows.append(PendingTable.Row(cells: cells, isHeader: header, lines: rowStart..<lines.count))
        }
        tables.append(PendingTable(rows: rows))
    }

    /// A `w:gridSpan` / `w:gridBefore` count, within Word's limits.
    private static func gridCount(_ node: XMLNode?, minimum: Int) -> Int {
        guard let value = node?.attribute("val"), let count = Int(value) else { return minimum }
        return min(max(count, minimum), maximumGridColumns)
    }

    /// An OOXML on/off value: absent means on.
    private static func isOn(_ value: String?) -> Bool {
        guard let value else { return true }
        return !["0", "false", "off"].contains(value)
    }

    /// State of one paragraph being assembled.
    private struct ParagraphState {
        var text = ""
        var runs: [Typography.Run] = []
        var revisions: [Typography.Revision] = []
        var commentStarts: [String: Int] = [:]
        var commentEnds: [String: Int] = [:]
        /// Open complex fields: true once past `separate` (their result is shown).
        var fields: [Bool] = []
        var revision: (kind: Typography.Revision.Kind, author: String?)? = nil
        var deleting = false
        var origins: [Origin] = []
    }

    private mutating func walkParagraph(_ node: XMLNode) {
        let properties = node.child("pPr")
        let styleID = properties?.child("pStyle")?.attribute("val")
        let style = styles.paragraphStyle(styleID)
        let direct = ParagraphProperties(properties)
        let paragraphProperties = style.paragraph.applying(direct)
        // The paragraph mark's properties do not format the text; the style's do.
        let baseRun = style.run
        var state = ParagraphState()
        var label: String?
        if let (text, levelRun) = numbering.nextLabel(numberingID: paragraphProperties.numberingID,
                                                     level: paragraphProperties.numberingLevel) {
            label = text
            append(text, properties: baseRun.applying(levelRun), to: &state)
        }
        if let change = properties?.child("pPrChange") {
            let start = state.text.utf8.count
            state.revisions.append(Typography.Revision(kind: .formatting, author: change.attribute("author"), line: 0,
                                                       range: start..<start, text: ""))
        }
        walkInline(node, baseRun: baseRun, state: &state)
        var line = Line(text: BodyWalker.clean(state.text))
        if line.text.utf8.count != state.text.utf8.count {
            // Control characters were dropped: offsets no longer fit the runs.
            state.runs = []
            state.origins = []
        }
        if recordsOrigins {
            line.origins = state.origins
            line.paragraphNode = node
        }
        line.runs = state.runs
        line.revisions = state.revisions
        line.commentStarts = state.commentStarts
        line.commentEnds = state.commentEnds
        if collectTypography {
            var paragraph = Typography.Paragraph(line: 0)
            paragraph.style = style.name
            paragraph.numberingLabel = label
            paragraph.alignment = BodyWalker.alignment(paragraphProperties.alignment)
            // An indent in twips is counted in characters of the paragraph's own text: the size
            // most of its characters have (direct formatting over the style's), not the
            // document default's.
            // (The runs here still hold the paragraph's own offsets; they are placed in the
            // document's text when the paragraph is laid into it.)
            paragraph.runs = state.runs
            let fontSize = (paragraph.dominantSize ?? baseRun.size ?? 21) / 2
            if let chars = paragraphProperties.firstLineChars, chars != 0 {
                paragraph.firstLineIndent = chars / 100
            } else if let chars = paragraphProperties.hangingChars, chars != 0 {
                paragraph.firstLineIndent = -chars / 100
            } else if let twips = paragraphProperties.firstLine {
                paragraph.firstLineIndent = twips / 20 / fontSize
            } else if let twips = paragraphProperties.hanging {
                paragraph.firstLineIndent = -twips / 20 / fontSize
            } else {
                paragraph.firstLineIndent = 0
            }
            let leading = line.text.prefix { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
            paragraph.indentedWithSpaces = !leading.isEmpty && label == nil
            line.paragraph = paragraph
        }
        lines.append(line)
        if let section = properties?.child("sectPr") {
            sectionBreaks.append(SectionBreak(lastLine: lines.count - 1, node: section))
        }
    }

    private mutating func walkInline(_ node: XMLNode, baseRun: RunProperties, state: inout ParagraphState) {
        for child in node.children {
            switch child.name {
            case "r":
                walkRun(child, baseRun: baseRun, state: &state)
            case "ins", "moveTo":
                let saved = state.revision
                state.revision = (child.name == "ins" ? .insertion : .move, child.attribute("author"))
                walkInline(child, baseRun: baseRun, state: &state)
                state.revision = saved
            case "del", "moveFrom":
                let saved = (state.revision, state.deleting)
                state.revision = (child.name == "del" ? .deletion : .move, child.attribute("author"))
                state.deleting = true
                walkInline(child, baseRun: baseRun, state: &state)
                (state.revision, state.deleting) = saved
            case "hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir", "sdtContent":
                walkInline(child, baseRun: baseRun, state: &state)
            case "sdt":
                if let content = child.child("sdtContent") { walkInline(content, baseRun: baseRun, state: &state) }
            case "AlternateContent":
                if let choice = child.child("Choice") ?? child.child("Fallback") { walkInline(choice, baseRun: baseRun, state: &state) }
            case "commentRangeStart":
                if let id = child.attribute("id") { state.commentStarts[id] = state.text.utf8.count }
            case "commentRangeEnd":
                if let id = child.attribute("id") { state.commentEnds[id] = state.text.utf8.count }
            case "pPr":
                continue
            default:
                continue
            }
        }
    }

    private mutating func walkRun(_ run: XMLNode, baseRun: RunProperties, state: inout ParagraphState) {
        let direct = run.child("rPr")
        let properties = baseRun.applying(styles.characterStyle(direct?.child("rStyle")?.attribute("val"))).applying(RunProperties(direct))
        if let change = direct?.child("rPrChange") {
            let start = state.text.utf8.count
            state.revisions.append(Typography.Revision(kind: .formatting, author: change.attribute("author"), line: 0,
                                                       range: start..<start, text: ""))
        }
        for child in run.children {
            let visible = !state.fields.contains(false)
            switch child.name {
            case "t":
                guard visible else { continue }
                if state.deleting {
                    record(child.text, state: &state)
                } else {
                    append(child.text, properties: properties, to: &state, origin: child, run: run)
                }
            case "delText":
                if visible { record(child.text, state: &state) }
            case "tab", "ptab":
                if visible, !state.deleting { append("\t", properties: properties, to: &state, origin: child, run: run) }
            case "noBreakHyphen":
                if visible, !state.deleting { append("-", properties: properties, to: &state, origin: child, run: run) }
            case "fldChar":
                switch child.attribute("fldCharType") {
                case "begin": state.fields.append(false)
                case "separate": if !state.fields.isEmpty { state.fields[state.fields.count - 1] = true }
                case "end": _ = state.fields.popLast()
                default: break
                }
            case "commentReference":
                if let id = child.attribute("id"), state.commentStarts[id] == nil {
                    state.commentStarts[id] = state.text.utf8.count
                }
            case "drawing", "pict", "object", "AlternateContent":
                // Text boxes hold paragraphs of their own: each becomes a line before this one.
                // Of an AlternateContent only the first choice counts (the fallback repeats it).
                let holder = child.name == "AlternateContent" ? (child.child("Choice") ?? child.child("Fallback")) : child
                for box in holder?.descendants("txbxContent") ?? [] { walkBlocks(box) }
            default:
                continue
            }
        }
    }

    /// Text shown in the paragraph; `origin` is the element it was read from (none for a
    /// numbering label).
    private func append(_ text: String, properties: RunProperties, to state: inout ParagraphState,
                        origin: XMLNode? = nil, run: XMLNode? = nil) {
        guard !text.isEmpty else { return }
        let start = state.text.utf8.count
        state.text += text
        let range = start..<state.text.utf8.count
        if recordsOrigins, let origin, let run { state.origins.append(Origin(range: range, node: origin, run: run)) }
        if let revision = state.revision {
            if let last = state.revisions.last, last.kind == revision.kind, last.author == revision.author,
               last.range.upperBound == start, !last.range.isEmpty {
                state.revisions[state.revisions.count - 1].range = last.range.lowerBound..<range.upperBound
                state.revisions[state.revisions.count - 1].text += text
            } else {
                state.revisions.append(Typography.Revision(kind: revision.kind, author: revision.author, line: 0, range: range, text: text))
            }
        }
        guard collectTypography else { return }
        var cjk = 0
        var other = 0
        for scalar in text.unicodeScalars {
            if BodyWalker.isCJK(scalar) { cjk += 1 } else if !scalar.properties.isWhitespace { other += 1 }
        }
        let fonts = styles.theme
        let run = Typography.Run(range: range, eastAsiaFont: fonts.resolve(properties.eastAsia), latinFont: fonts.resolve(properties.latin),
                                 size: properties.size ?? 21, bold: properties.bold ?? false,
                                 cjkCharacters: cjk, otherCharacters: other)
        state.runs.append(run)
    }

    /// Deleted text: not shown, recorded as a revision.
    private func record(_ text: String, state: inout ParagraphState) {
        guard !text.isEmpty else { return }
        let at = state.text.utf8.count
        let kind = state.revision?.kind ?? .deletion
        let author = state.revision?.author
        if let last = state.revisions.last, last.kind == kind, last.author == author, last.range == at..<at, !last.text.isEmpty {
            state.revisions[state.revisions.count - 1].text += text
        } else {
            state.revisions.append(Typography.Revision(kind: kind, author: author, line: 0, range: at..<at, text: text))
        }
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E80...0x2FDF, 0x3000...0x303F, 0x3040...0x30FF, 0x3100...0x312F, 0x3190...0x31FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
             0x20000...0x3FFFF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2014:
            return true
        default:
            return false
        }
    }

    /// Line terminators and other control characters cannot stand inside a line.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !(scalar.value < 0x20 && scalar != "\t") && scalar != "\u{2028}" && scalar != "\u{2029}" && scalar != "\u{85}" {
            out.append(scalar)
        }
        return String(out)
    }

    static func alignment(_ value: String?) -> Typography.Alignment? {
        switch value {
        case "left", "start": return .left
        case "center": return .center
        case "right", "end": return .right
        case "both", "lowKashida", "mediumKashida", "highKashida", "thaiDistribute": return .justify
        case "distribute": return .distribute
        case nil: return .left
        default: return nil
        }
    }

    // MARK: Result

    func sourceText(path: String, styles: Styles, comments: [String: (author: String?, text: String)],
                    apart: [ApartText]) -> SourceText {
        let text = lines.map(\.text).joined(separator: "\n")
        var typography = Typography()
        // A comment may end in a later paragraph than it starts in.
        var commentEnds: [String: Int] = [:]
        var lineOffset = 0
        for line in lines {
            for (id, end) in line.commentEnds { commentEnds[id] = lineOffset + end }
            lineOffset += line.text.utf8.count + 1
        }
        var offset = 0
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            if var paragraph = line.paragraph {
                paragraph.line = lineNumber
                paragraph.runs = line.runs.map { run in
                    var run = run
                    run.range = (run.range.lowerBound + offset)..<(run.range.upperBound + offset)
                    return run
                }
                typography.paragraphs[lineNumber] = paragraph
            }
            for revision in line.revisions {
                var revision = revision
                revision.line = lineNumber
                revision.range = (revision.range.lowerBound + offset)..<(revision.range.upperBound + offset)
                typography.revisions.append(revision)
            }
            for (id, start) in line.commentStarts.sorted(by: { $0.value < $1.value }) {
                let end = commentEnds[id] ?? (offset + start)
                let comment = comments[id]
                typography.comments.append(Typography.Comment(author: comment?.author, line: lineNumber,
                                                              range: (offset + start)..<max(offset + start, end),
                                                              text: comment?.text ?? ""))
            }
            offset += line.text.utf8.count + 1
        }
        // Sections: each `w:sectPr` closes the paragraphs since the previous one.
        var breaks = sectionBreaks
        if let finalSection { breaks.append(SectionBreak(lastLine: lines.count - 1, node: finalSection)) }
        var first = 1
        for (index, sectionBreak) in breaks.enumerated() {
            let last = sectionBreak.lastLine + 1
            var section = BodyWalker.section(sectionBreak.node, number: index + 1, styles: styles)
            section.lines = first <= last ? first...last : nil
            typography.sections.append(section)
            first = last + 1
        }
        var source = SourceText(path: path, text: text, format: .docx, typography: typography, apart: apart)
        if !tables.isEmpty { source.tables = placedTables(in: text) }
        return source
    }

    /// The tables with their cells placed in the text: a cell's range runs from its first
    /// line's start to its last line's end, trimmed; an empty cell is an empty range where its
    /// first line would start.
    private func placedTables(in text: String) -> [TextTable] {
        var starts: [Int] = []
        starts.reserveCapacity(lines.count)
        var offset = 0
        for line in lines {
            starts.append(offset)
            offset += line.text.utf8.count + 1
        }
        let count = text.utf8.count
        func range(_ span: Range<Int>) -> TextRange {
            guard let first = span.first, let last = span.last, first >= 0, last < lines.count else {
                let at = span.lowerBound >= 0 && span.lowerBound < starts.count ? starts[span.lowerBound] : count
                return at..<at
            }
            return TextTable.trimmed(starts[first]..<(starts[last] + lines[last].text.utf8.count), in: text)
        }
        let placed = tables.compactMap { table -> TextTable? in
            let rows = table.rows.map { row in
                let cells = row.cells.map { cell in
                    TextTable.Cell(range: range(cell.lines), column: cell.column, span: cell.span, continuesAbove: cell.continuesAbove)
                }
                return TextTable.Row(cells: cells, isHeader: row.isHeader, range: range(row.lines))
            }
            return rows.isEmpty ? nil : TextTable(rows: rows)
        }
        return placed.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
    }
}
