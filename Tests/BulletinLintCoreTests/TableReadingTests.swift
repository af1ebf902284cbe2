@testable import BulletinLintCore
import Foundation
import XCTest

/// Tables in the document model (`SourceText.tables`): rows and cells as ranges of the text
/// the linter reports on, from a .docx's `w:tbl`, a Markdown pipe table and a plain-text one.
final class TableReadingTests: XCTestCase {
    /// The cells' texts, row by row, read back from the document's text through their ranges.
    private func texts(_ table: TextTable, in source: SourceText) -> [[String]] {
        table.rows.map { row in row.cells.map { String(source.slice($0.range)) } }
    }

    // MARK: Markdown

    func testMarkdownPipeTableCellsAreRangesOfTheText() throws {
        let text = """
        # 经费

        | 项目 | 金额（万元） |
        |:---|---:|
        | 人员经费 | 1,200 |
        公用经费 | 800
        | 含\\|竖线 |  |
        下一段文字。

        | 不是表格 |
        """
        let source = MarkdownReader.source(text: text, displayPath: "draft.md")
        XCTAssertEqual(source.tables.count, 1)
        let table = try XCTUnwrap(source.tables.first)
        // Leading and trailing pipes are optional; an escaped pipe is text; the table ends at the
        // first line without a pipe; a lone row without a delimiter row is no table.
        XCTAssertEqual(texts(table, in: source), [["项目", "金额（万元）"], ["人员经费", "1,200"], ["公用经费", "800"], ["含\\|竖线", ""]])
        XCTAssertEqual(table.rows.map(\.isHeader), [true, false, false, false])
        XCTAssertEqual(table.columnCount, 2)
        XCTAssertEqual(table.rows[1].cells.map(\.column), [0, 1])
        // Positions: the cell `1,200` is line 5, column 10.
        XCTAssertEqual(source.span(table.rows[1].cells[1].range).start, Position(line: 5, column: 10))
        // An empty cell is an empty range.
        XCTAssertTrue(table.rows[3].cells[1].range.isEmpty)
    }

    func testMarkdownTablesInCodeAndCommentsAreNotRead() {
        let text = """
        ```
        | 项目 | 金额 |
        | --- | --- |
        | 合计 | 1 |
        ```
        <!--
        | 项目 | 金额 |
        | --- | --- |
        -->
        | 项目 | 金额 |
        | --- | --- | --- |
        """
        // The last one's delimiter row has three cells under a header of two: no table (GFM).
        XCTAssertEqual(MarkdownReader.source(text: text, displayPath: "draft.md").tables.count, 0)
    }

    func testDocumentsWithoutTablesHaveNone() throws {
        XCTAssertTrue(MarkdownReader.source(text: "# 标题\n\n正文，没有表格。\n", displayPath: "a.md").tables.isEmpty)
        XCTAssertTrue(SourceText(path: "a.txt", text: "正文 | 竖线，但没有分隔行。\n").tablesForChecks().isEmpty)
        let docx = try PackageBuilder.docx(body: PackageBuilder.paragraph("正文，没有表格。"))
        guard case .success(let source) = DocxReader.read(data: docx, displayPath: "a.docx") else { return XCTFail("unreadable") }
        XCTAssertTrue(source.tables.isEmpty)
    }

    // MARK: Plain text

    func testPlainTextReadsOnlyPipeTablesWithADelimiterRow() throws {
        // Indented with ideographic spaces, as a Chinese draft may be.
        let text = "说明如下：\n\u{3000}| 项目 | 金额 |\n\u{3000}| --- | --- |\n\u{3000}| 甲 | 1 |\n\n甲 | 乙\n丙 | 丁\n"
        let source = SourceText(path: "a.txt", text: text)
        XCTAssertTrue(source.tables.isEmpty, "plain text is not read for tables until a check asks")
        let tables = source.tablesForChecks()
        XCTAssertEqual(tables.count, 1)
        XCTAssertEqual(try texts(XCTUnwrap(tables.first), in: source), [["项目", "金额"], ["甲", "1"]])
    }

    /// Odd texts made of table syntax: every cell is a range of the text on scalar boundaries,
    /// and the rule runs on them without trouble.
    func testCellRangesStayInsideTheTextOnOddInput() throws {
        let pieces = ["|", "-", ":", " ", "\\", "合计", "小　计", "1,2", "３", ".5", "%", "\u{3000}", "\n", "\r\n", "\r", "**", "`", "—", "一、", "其中"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let linter = Linter(ruleSet: try ruleSet("default"))
        for round in 0..<300 {
            var text = round % 2 == 0 ? "| 项目 | 金额 |\n| --- | --- |\n" : ""
            for _ in 0..<(20 + next() % 60) { text += pieces[next() % pieces.count] }
            for source in [SourceText(path: "t.txt", text: text), MarkdownReader.source(text: text, displayPath: "t.md")] {
                let tables = source.tablesForChecks()
                for cell in tables.flatMap({ $0.rows.flatMap(\.cells) }) {
                    XCTAssertTrue(cell.range.lowerBound >= 0 && cell.range.upperBound <= source.utf8Count, text.debugDescription)
                    XCTAssertEqual(source.scalarBoundary(atOrAfter: cell.range.lowerBound), cell.range.lowerBound, text.debugDescription)
                    XCTAssertEqual(source.scalarBoundary(atOrAfter: cell.range.upperBound), cell.range.upperBound, text.debugDescription)
                }
                for diagnostic in linter.lint(source).diagnostics where diagnostic.ruleID == "table-total-mismatch" {
                    let range = try XCTUnwrap(diagnostic.range)
                    XCTAssertTrue(range.upperBound <= source.utf8Count && !range.isEmpty, text.debugDescription)
                }
            }
        }
    }

    // MARK: docx

    private func cell(_ text: String, _ properties: String = "") -> String {
        "<w:tc>" + (properties.isEmpty ? "" : "<w:tcPr>\(properties)</w:tcPr>") + PackageBuilder.paragraph(text) + "</w:tc>"
    }

    private func row(_ cells: [String], _ properties: String = "") -> String {
        "<w:tr>" + (properties.isEmpty ? "" : "<w:trPr>\(properties)</w:trPr>") + cells.joined() + "</w:tr>"
    }

    func testDocxTableRowsCellsGridSpanAndVerticalMerge() throws {
        let table = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
            + row([cell("项目", "<w:vMerge w:val=\"restart\"/>"), cell("2023年", "<w:gridSpan w:val=\"2\"/>")], "<w:tblHeader/>")
            + row([cell("", "<w:vMerge/>"), cell("预算"), cell("决算")], "<w:tblHeader/>")
            + row(["<w:tc>" + PackageBuilder.paragraph("人员") + PackageBuilder.paragraph("经费　") + "</w:tc>", cell("1,200"), cell("")])
            + row([cell("合计", "<w:gridSpan w:val=\"2\"/>"), cell("9")])
            + row([cell("备注")], "<w:gridBefore w:val=\"2\"/>")
            + "</w:tbl>"
        let body = PackageBuilder.paragraph("经费情况如下：") + table + PackageBuilder.paragraph("以上。")
        let data = try PackageBuilder.docx(body: body)
        guard case .success(let source) = DocxReader.read(data: data, displayPath: "t.docx") else { return XCTFail("unreadable") }
        // The text is what it was before tables were read: one line per paragraph.
        XCTAssertEqual(source.text, "经费情况如下：\n项目\n2023年\n\n预算\n决算\n人员\n经费　\n1,200\n\n合计\n9\n备注\n以上。")
        let read = try XCTUnwrap(source.tables.first)
        XCTAssertEqual(source.tables.count, 1)
        XCTAssertEqual(texts(read, in: source), [["项目", "2023年"], ["", "预算", "决算"], ["人员\n经费", "1,200", ""], ["合计", "9"], ["备注"]])
        XCTAssertEqual(read.rows.map { $0.cells.map(\.column) }, [[0, 1], [0, 1, 2], [0, 1, 2], [0, 2], [2]])
        XCTAssertEqual(read.rows.map { $0.cells.map(\.span) }, [[1, 2], [1, 1, 1], [1, 1, 1], [2, 1], [1]])
        XCTAssertEqual(read.rows[1].cells.map(\.continuesAbove), [true, false, false])
        XCTAssertEqual(read.rows[0].cells.map(\.continuesAbove), [false, false], "restart begins a merge")
        XCTAssertEqual(read.rows.map(\.isHeader), [true, true, false, false, false])
        XCTAssertEqual(read.columnCount, 3)
        XCTAssertEqual(read.rows[3].cell(covering: 1)?.column, 0)
        // Cells are paragraphs: `1,200` is ¶9, column 1; an empty cell stands where its line starts.
        XCTAssertEqual(source.span(read.rows[2].cells[1].range).start, Position(line: 9, column: 1))
        XCTAssertEqual(read.rows[2].cells[2].range, source.lineStarts[9]..<source.lineStarts[9])
        XCTAssertEqual(source.span(read.range).start.line, 2)
    }

    func testDocxNestedTableIsATableOfItsOwn() throws {
        let inner = "<w:tbl>" + row([cell("内1"), cell("内2")]) + "</w:tbl>"
        let outer = "<w:tbl>" + row([cell("外"), "<w:tc>" + inner + PackageBuilder.paragraph("") + "</w:tc>"]) + "</w:tbl>"
        let data = try PackageBuilder.docx(body: outer)
        guard case .success(let source) = DocxReader.read(data: data, displayPath: "t.docx") else { return XCTFail("unreadable") }
        XCTAssertEqual(source.tables.count, 2)
        XCTAssertEqual(source.tables.map { texts($0, in: source) }, [[["外", "内1\n内2"]], [["内1", "内2"]]])
    }

    func testHostileGridSpansAreBounded() throws {
        let table = "<w:tbl>" + row([cell("甲", "<w:gridSpan w:val=\"9223372036854775807\"/>"), cell("乙", "<w:gridSpan w:val=\"-5\"/>")],
                                    "<w:gridBefore w:val=\"99999999\"/>") + "</w:tbl>"
        let data = try PackageBuilder.docx(body: table)
        guard case .success(let source) = DocxReader.read(data: data, displayPath: "t.docx") else { return XCTFail("unreadable") }
        let cells = try XCTUnwrap(source.tables.first?.rows.first?.cells)
        XCTAssertEqual(cells.map(\.column), [64, 128])
        XCTAssertEqual(cells.map(\.span), [64, 1])
    }

    // MARK: Several documents in one file

    func testEachDocumentOfAFileHasItsOwnTables() throws {
        func notice(_ day: Int, total: String) -> String {
            """
            四川省人民政府办公厅文件
            川办发〔2019〕\(day)号
            关于下达经费的通知
            各市（州）人民政府：
            经费如下。
            | 项目 | 金额 |
            | --- | --- |
            | 甲 | 1 |
            | 乙 | 2 |
            | 合计 | \(total) |
            四川省人民政府办公厅
            2019年5月\(day)日
            抄送：省委办公厅。
            四川省人民政府办公厅秘书处 2019年5月\(day)日印发
            """
        }
        let text = notice(14, total: "5") + "\n" + notice(20, total: "3")
        let diagnostics = try lint(text, rules: "default").filter { $0.ruleID == "table-total-mismatch" }
        // One finding, in the first document only, reported once.
        XCTAssertEqual(diagnostics.map(\.span.start), [Position(line: 10, column: 8)])
    }
}
