@testable import BulletinLintCore
import Foundation
import XCTest

/// `table-totals` (rule `table-total-mismatch`): a 合计/总计/小计 row that is not the sum of the
/// rows it totals, in Markdown, plain-text and .docx tables.
final class TableTotalsTests: XCTestCase {
    private static let rule = "table-total-mismatch"

    /// The default rules, loaded once for all the tests.
    private static let defaultRules = Result { try RuleSetLoader().load(references: ["default"]) }

    private func defaultLinter() throws -> Linter { Linter(ruleSet: try TableTotalsTests.defaultRules.get()) }

    /// The rule's findings on a Markdown text.
    private func markdown(_ text: String) throws -> (source: SourceText, findings: [Diagnostic]) {
        let source = MarkdownReader.source(text: text, displayPath: "t.md")
        return (source, try defaultLinter().lint(source).diagnostics.filter { $0.ruleID == TableTotalsTests.rule })
    }

    /// The rule's findings on a table written in Markdown under a header `项目 | 金额`.
    private func amounts(_ rows: [(String, String)], header: String = "| 项目 | 金额 |") throws -> [Diagnostic] {
        let body = rows.map { "| \($0.0) | \($0.1) |" }.joined(separator: "\n")
        return try markdown("\(header)\n| --- | --- |\n\(body)\n").findings
    }

    /// The rule's findings with a rule file of its own (parameters).
    private func own(_ parameters: String, _ text: String) throws -> [Diagnostic] {
        let yaml = """
        ruleset: office
        rules:
          - id: totals
            check: table-totals
        \(parameters)
            severity: warning
            message: “{column}”栏的{label}“{total}”与各项之和不符（各项相加为{sum}）
        """
        let ruleSet = try RuleSetLoader().load(text: yaml, path: "office.yaml")
        return Linter(ruleSet: ruleSet).lint(MarkdownReader.source(text: text, displayPath: "t.md")).diagnostics
    }

    // MARK: Right and wrong totals

    func testARightTotalIsNotReported() throws {
        XCTAssertEqual(try amounts([("人员经费", "50"), ("公用经费", "30"), ("合计", "80")]).count, 0)
        XCTAssertEqual(try amounts([("人员经费", "50"), ("公用经费", "30"), ("总　计", "80")]).count, 0)
    }

    func testAWrongTotalIsReportedOnTheTotalCell() throws {
        let text = "| 项目 | 金额（万元） |\n|---|---:|\n| 人员经费 | 1,200 |\n| 公用经费 | 800 |\n| **合　计** | **2,100** |\n"
        let (source, findings) = try markdown(text)
        XCTAssertEqual(findings.count, 1)
        let finding = try XCTUnwrap(findings.first)
        // Exactly the number the author wrote, without the bold markers around it.
        XCTAssertEqual(finding.range.map { String(source.slice($0)) }, "2,100")
        XCTAssertEqual(finding.span, Span(start: Position(line: 5, column: 15), end: Position(line: 5, column: 20)))
        XCTAssertEqual(finding.message, "“金额（万元）”栏的合计“2,100”与各项之和不符（各项相加为2,000）")
        XCTAssertEqual(finding.severity, .warning)
    }

    func testEveryLabelAndItsSpellings() throws {
        for label in ["合计", "总计", "小计", "总数", "合　计", "合 计", "合计：", "合计（万元）", "三、合计"] {
            XCTAssertEqual(try amounts([("甲", "1"), ("乙", "2"), (label, "5")]).count, 1, label)
        }
        // Not a label: an item whose name merely contains one.
        XCTAssertEqual(try amounts([("甲", "1"), ("乙", "2"), ("合计划外项目", "5")]).count, 0)
    }

    func testALabelInAnyCellBeforeTheNumbers() throws {
        let text = "| 序号 | 项目 | 金额 |\n| --- | --- | --- |\n| 1 | 甲 | 10 |\n| 2 | 乙 | 20 |\n|  | 合计 | 40 |\n"
        let findings = try markdown(text).findings
        XCTAssertEqual(findings.map(\.span.start), [Position(line: 5, column: 11)])
        XCTAssertTrue(findings.first?.message.contains("“金额”栏") ?? false)
    }

    // MARK: 小计 and 合计

    func testSubtotalsAndTheGrandTotal() throws {
        let right = [("甲", "10"), ("乙", "20"), ("小计", "30"), ("丙", "5"), ("丁", "5"), ("小计", "10"), ("合计", "40")]
        XCTAssertEqual(try amounts(right).count, 0)
        // A wrong 小计: only it is reported (合计 is the sum of the detail rows).
        var wrongSubtotal = right
        wrongSubtotal[2].1 = "35"
        let findings = try amounts(wrongSubtotal)
        XCTAssertEqual(findings.map(\.span.start.line), [5])
        XCTAssertTrue(findings.first?.message.contains("小计“35”") ?? false)
        XCTAssertTrue(findings.first?.message.contains("各项相加为30") ?? false)
        // A wrong 合计 is neither the sum of the rows nor of the 小计s.
        var wrongTotal = right
        wrongTotal[6].1 = "45"
        XCTAssertEqual(try amounts(wrongTotal).map(\.span.start.line), [9])
        // Rows after the last 小计 count with the 小计s.
        XCTAssertEqual(try amounts([("甲", "10"), ("乙", "20"), ("小计", "30"), ("丙", "5"), ("合计", "35")]).count, 0)
    }

    func testAGrandTotalOfGrandTotals() throws {
        let rows = [("甲", "10"), ("乙", "20"), ("合计", "30"), ("丙", "5"), ("丁", "6"), ("合计", "11"), ("总计", "41")]
        XCTAssertEqual(try amounts(rows).count, 0)
        var wrong = rows
        wrong[6].1 = "45"
        XCTAssertEqual(try amounts(wrong).map(\.span.start.line), [9])
    }

    func testATotalAboveItsRows() throws {
        XCTAssertEqual(try amounts([("合计", "80"), ("人员经费", "50"), ("公用经费", "30")]).count, 0)
        XCTAssertEqual(try amounts([("合计", "90"), ("人员经费", "50"), ("公用经费", "30")]).map(\.span.start.line), [3])
        // 小计 above each group, 合计 above all.
        let groups = [("合计", "40"), ("小计", "30"), ("甲", "10"), ("乙", "20"), ("小计", "10"), ("丙", "4"), ("丁", "6")]
        XCTAssertEqual(try amounts(groups).count, 0)
    }

    // MARK: Numbers

    func testThousandsSeparatorsFullWidthDigitsAndSigns() throws {
        XCTAssertEqual(try amounts([("甲", "1,234,567"), ("乙", "１２３"), ("丙", "-10"), ("合计", "1,234,680")]).count, 0)
        let findings = try amounts([("甲", "1,234,567"), ("乙", "１２３"), ("合计", "1,234,790")])
        XCTAssertTrue(findings.first?.message.contains("各项相加为1,234,690") ?? false, findings.first?.message ?? "")
        // Sums beyond what can be added exactly say nothing (and do not trap).
        XCTAssertEqual(try amounts([("甲", "999999999999999999"), ("乙", "999999999999999999"), ("丙", "-999999999999999999"),
                                    ("丁", "0.000001"), ("合计", "1")]).count, 0)
        // A badly grouped number is no number: the column is left alone.
        XCTAssertEqual(try amounts([("甲", "12,34"), ("乙", "1"), ("合计", "99")]).count, 0)
    }

    func testDecimalsWithRounding() throws {
        // 33.33 × 3 = 99.99, written 100.00: within half a cent per row.
        XCTAssertEqual(try amounts([("甲", "33.33"), ("乙", "33.33"), ("丙", "33.33"), ("合计", "100.00")]).count, 0)
        // Whole numbers rounded from 33.4, 33.3, 33.3.
        XCTAssertEqual(try amounts([("甲", "33"), ("乙", "33"), ("丙", "33"), ("合计", "100")]).count, 0)
        // Beyond rounding.
        let findings = try amounts([("甲", "33.33"), ("乙", "33.33"), ("丙", "33.33"), ("合计", "100.33")])
        XCTAssertEqual(findings.count, 1)
        XCTAssertTrue(findings.first?.message.contains("各项相加为99.99") ?? false, findings.first?.message ?? "")
        // Mixed places: the sum is shown with the most decimals written.
        let mixed = try amounts([("甲", "12.5"), ("乙", "10"), ("合计", "23.5")])
        XCTAssertTrue(mixed.first?.message.contains("各项相加为22.5") ?? false, mixed.first?.message ?? "")
    }

    func testToleranceParameter() throws {
        let text = "| 项目 | 金额 |\n| --- | --- |\n| 甲 | 33 |\n| 乙 | 33 |\n| 丙 | 33 |\n| 合计 | 100 |\n"
        XCTAssertEqual(try own("", text).count, 0)
        XCTAssertEqual(try own("    tolerance: 0", text).count, 1)
        XCTAssertThrowsError(try own("    tolerance: -1", text)) { error in
            XCTAssertTrue((error as? RuleFileError)?.message.contains("tolerance") ?? false, "\(error)")
        }
    }

    func testCountColumnsAreAddedExactly() throws {
        let header = "| 地区 | 人数 |"
        XCTAssertEqual(try amounts([("甲区", "12"), ("乙区", "8"), ("合计", "21")], header: header).count, 1)
        XCTAssertEqual(try amounts([("甲区", "12"), ("乙区", "8"), ("合计", "21")], header: "| 地区 | 金额（万元） |").count, 0)
    }

    func testEmptyAndDashCellsCountAsNothing() throws {
        XCTAssertEqual(try amounts([("甲", "10"), ("乙", "—"), ("丙", ""), ("丁", "/"), ("戊", "-"), ("合计", "10")]).count, 0)
        // An empty total says nothing.
        XCTAssertEqual(try amounts([("甲", "10"), ("乙", "20"), ("合计", "")]).count, 0)
    }

    // MARK: Columns left alone

    func testPercentAndRatioColumnsAreSkipped() throws {
        let text = """
        | 项目 | 金额 | 占比 | 增长率 | 人均 | 比上年 |
        | --- | --- | --- | --- | --- | --- |
        | 甲 | 60 | 60 | 5 | 3 | 1 |
        | 乙 | 40 | 40 | 7 | 2 | 1 |
        | 合计 | 100 | 99 | 12.5 | 2.5 | 3 |
        """
        XCTAssertEqual(try markdown(text).findings.count, 0)
        // A column with a percentage anywhere, whatever its name.
        let percent = "| 项目 | 完成 |\n| --- | --- |\n| 甲 | 60% |\n| 乙 | 30% |\n| 合计 | 95% |\n"
        XCTAssertEqual(try markdown(percent).findings.count, 0)
        XCTAssertEqual(try amounts([("甲", "60"), ("乙", "30"), ("合计", "95%")]).count, 0)
    }

    func testAColumnWithTextIsSkipped() throws {
        XCTAssertEqual(try amounts([("甲", "60"), ("乙", "见附件"), ("合计", "95")]).count, 0)
        XCTAssertEqual(try amounts([("甲", "60"), ("乙", "30万元"), ("合计", "95")]).count, 0)
        // Text after the last total (a note row) does not matter.
        XCTAssertEqual(try amounts([("甲", "60"), ("乙", "30"), ("合计", "95"), ("注", "单位：万元")]).count, 1)
    }

    func testOwnLabelsAndSkippedColumns() throws {
        let text = "| 项目 | 金额 | 序号 |\n| --- | --- | --- |\n| 甲 | 1 | 1 |\n| 乙 | 2 | 2 |\n| 共计 | 5 | 5 |\n"
        XCTAssertEqual(try own("", text).count, 0, "共计 is not a default label")
        XCTAssertEqual(try own("    labels: [共计]", text).map(\.span.start.column), [8], "序号 is skipped")
        XCTAssertEqual(try own("    labels: [共计]\n    skip-columns: [率]", text).map(\.span.start.column), [8, 12])
        XCTAssertThrowsError(try own("    labels: []", text))
        XCTAssertThrowsError(try own("    lables: [共计]", text)) { error in
            XCTAssertTrue((error as? RuleFileError)?.message.contains("labels") ?? false, "\(error)")
        }
    }

    // MARK: Headers and structure

    func testAMergedHeaderNamesTheColumn() throws {
        // Two header rows: the first row of numbers comes after both.
        let text = """
        | 项目 | 2023年 |  |
        | --- | --- | --- |
        |  | 预算数 | 决算数 |
        | 甲 | 10 | 9 |
        | 乙 | 20 | 21 |
        | 合计 | 30 | 33 |
        """
        let findings = try markdown(text).findings
        XCTAssertEqual(findings.map(\.span.start), [Position(line: 6, column: 13)])
        XCTAssertTrue(findings.first?.message.hasPrefix("“决算数”栏") ?? false, findings.first?.message ?? "")
    }

    func testAStatisticalFormWithColumnNumbersAndRowNumbers() throws {
        // 栏次 under the header, 行次 beside each row; 合计 first (行次 1), 3 = 1 + 2.
        let text = """
        | 项目 | 行次 | 男 | 女 | 合计 |
        | --- | --- | --- | --- | --- |
        | 甲 | 乙 | 1 | 2 | 3 |
        | 合计 | 1 | 30 | 25 | 55 |
        | 甲单位 | 2 | 10 | 15 | 25 |
        | 乙单位 | 3 | 20 | 10 | 30 |
        """
        XCTAssertEqual(try markdown(text).findings.count, 0)
        let wrong = text.replacingOccurrences(of: "| 合计 | 1 | 30 | 25 | 55 |", with: "| 合计 | 1 | 30 | 35 | 65 |")
        XCTAssertEqual(try markdown(wrong).findings.map(\.message), ["“女”栏的合计“35”与各项之和不符（各项相加为25）",
                                                                      "“合计”栏的合计“65”与各项之和不符（各项相加为55）"])
    }

    func testNumberedLevelsAndOfWhichRows() throws {
        // 一、 rows add up to the total; their 1. 2. rows add up to them.
        let levels = [("一、人员经费", "50"), ("1.工资", "30"), ("2.津贴", "20"), ("二、公用经费", "30"), ("合计", "80")]
        XCTAssertEqual(try amounts(levels).count, 0)
        var wrong = levels
        wrong[4].1 = "85"
        XCTAssertEqual(try amounts(wrong).count, 1, "numbered levels are clear: a total that fits none is reported")
        // Items that do not add up to their heading (a partial breakdown): the top level does.
        let partial = [("一、人员经费", "50"), ("1.工资", "30"), ("2.津贴", "15"), ("二、公用经费", "30"), ("合计", "80")]
        XCTAssertEqual(try amounts(partial).count, 0)
        // The lowest level adds up when the headings carry no number.
        XCTAssertEqual(try amounts([("一、人员经费", ""), ("1.工资", "30"), ("2.津贴", "15"), ("二、公用经费", "30"), ("合计", "75")]).count, 0)
        // A parent row without its own number: the rows under it stand for it.
        XCTAssertEqual(try amounts([("人员经费", "50"), ("工资", "30"), ("津贴", "20"), ("公用经费", "30"), ("合计", "80")]).count, 0)
        // 其中 rows are a part of the row above, not more rows to add; when no reading fits,
        // the structure is unclear and nothing is reported.
        let ofWhich = [("一般公共预算", "100"), ("其中：教育", "30"), ("科技", "20"), ("政府性基金", "50"), ("合计", "150")]
        XCTAssertEqual(try amounts(ofWhich).count, 0)
        var unclear = ofWhich
        unclear[4].1 = "170"
        XCTAssertEqual(try amounts(unclear).count, 0)
    }

    func testTablesWithoutTotalsOrNumbersSayNothing() throws {
        XCTAssertEqual(try amounts([("甲", "1"), ("乙", "2")]).count, 0)
        XCTAssertEqual(try markdown("| 项目 | 说明 |\n| --- | --- |\n| 合计 | 见下 |\n").findings.count, 0)
        // A column named 合计 (a row's total) is a header, not a total row.
        let text = "| 项目 | 上半年 | 下半年 | 合计 |\n| --- | --- | --- | --- |\n| 甲 | 1 | 2 | 3 |\n| 乙 | 3 | 4 | 7 |\n| 合计 | 4 | 6 | 10 |\n"
        XCTAssertEqual(try markdown(text).findings.count, 0)
    }

    func testNoFindingWithoutTables() throws {
        let text = "关于下达经费的通知\n各单位：\n经费合计 100 万元，其中人员经费 50 万元、公用经费 30 万元。\n"
        XCTAssertEqual(try defaultLinter().lint(SourceText(path: "t.txt", text: text)).diagnostics.filter { $0.ruleID == TableTotalsTests.rule }.count, 0)
        XCTAssertEqual(try markdown(text).findings.count, 0)
    }

    func testPlainTextPipeTable() throws {
        let text = "经费如下：\n| 项目 | 金额 |\n| --- | --- |\n| 甲 | 1 |\n| 乙 | 2 |\n| 合计 | 5 |\n"
        let findings = try defaultLinter().lint(SourceText(path: "t.txt", text: text)).diagnostics.filter { $0.ruleID == TableTotalsTests.rule }
        XCTAssertEqual(findings.map(\.span.start), [Position(line: 6, column: 8)])
    }

    // MARK: docx

    private func cell(_ text: String, _ properties: String = "") -> String {
        "<w:tc>" + (properties.isEmpty ? "" : "<w:tcPr>\(properties)</w:tcPr>") + PackageBuilder.paragraph(text) + "</w:tc>"
    }

    private func row(_ cells: [String]) -> String { "<w:tr>" + cells.joined() + "</w:tr>" }

    private func docx(_ body: String) throws -> (source: SourceText, findings: [Diagnostic]) {
        let data = try PackageBuilder.docx(body: body)
        guard case .success(let source) = DocxReader.read(data: data, displayPath: "t.docx") else {
            XCTFail("unreadable")
            return (SourceText(path: "t.docx", text: ""), [])
        }
        return (source, try defaultLinter().lint(source).diagnostics.filter { $0.ruleID == TableTotalsTests.rule })
    }

    /// A table with a header merged across (经费 over 预算 and 决算), a category cell merged down
    /// (人员类 over two rows) and a 合计 label across the two label columns.
    private func mergedTable(total: String) -> String {
        let merged = "<w:vMerge w:val=\"restart\"/>"
        return "<w:tbl>"
            + row([cell("类别", merged), cell("项目", merged), cell("经费（万元）", "<w:gridSpan w:val=\"2\"/>")])
            + row([cell("", "<w:vMerge/>"), cell("", "<w:vMerge/>"), cell("预算"), cell("决算")])
            + row([cell("人员类", merged), cell("工资"), cell("120.50"), cell("118.20")])
            + row([cell("", "<w:vMerge/>"), cell("津贴"), cell("30.00"), cell("29.80")])
            + row([cell("公用类"), cell("办公费"), cell("49.50"), cell("50.00")])
            + row([cell("合　计", "<w:gridSpan w:val=\"2\"/>"), cell("200.00"), cell(total)])
            + "</w:tbl>"
    }

    func testDocxTableWithGridSpanAndVerticalMerge() throws {
        XCTAssertEqual(try docx(mergedTable(total: "198.00")).findings.count, 0)
        let (source, findings) = try docx(PackageBuilder.paragraph("经费情况如下：") + mergedTable(total: "200.00"))
        XCTAssertEqual(findings.count, 1)
        let finding = try XCTUnwrap(findings.first)
        XCTAssertEqual(finding.range.map { String(source.slice($0)) }, "200.00")
        // The last cell of the table, a paragraph of its own: ¶23.
        XCTAssertEqual(finding.span.start, Position(line: 23, column: 1))
        XCTAssertEqual(finding.message, "“经费（万元）决算”栏的合计“200.00”与各项之和不符（各项相加为198.00）")
        XCTAssertEqual(source.location(finding.span.start), "¶23:1")
    }

    func testADocxHeaderOfYearsIsAHeader() throws {
        // No row is marked as a header: the first row's only numbers are years.
        let table = "<w:tbl>" + row([cell("项目"), cell("2023"), cell("2024")]) + row([cell("甲"), cell("1"), cell("2")])
            + row([cell("乙"), cell("3"), cell("4")]) + row([cell("合计"), cell("4"), cell("9")]) + "</w:tbl>"
        XCTAssertEqual(try docx(table).findings.map(\.message), ["“2024”栏的合计“9”与各项之和不符（各项相加为6）"])
        // Without a header row, the first row is a row of numbers, and columns are named by place.
        let bare = "<w:tbl>" + row([cell("甲"), cell("10")]) + row([cell("乙"), cell("20")]) + row([cell("合计"), cell("40")]) + "</w:tbl>"
        XCTAssertEqual(try docx(bare).findings.map(\.message), ["“第2列”栏的合计“40”与各项之和不符（各项相加为30）"])
    }

    // MARK: A real shape

    /// A 经费 breakdown as a 公文 attaches it: a caption across the table, a unit line, a 序号
    /// column, numbered categories with their items, 小计 per category and a 合计.
    private static func budgetNotice(total: String) -> String {
        """
        四川省地方志工作办公室文件
        川志发〔2023〕12号
        关于下达2023年地方志工作经费的通知
        各市（州）地方志办公室：
        现将2023年地方志工作经费下达给你们，请按规定使用。
        附件：2023年地方志工作经费分配表

        | 序号 | 项目 | 预算数（万元） | 占比 | 备注 |
        | :---: | --- | ---: | ---: | --- |
        | 一 | 志书编纂 |  |  |  |
        | 1 | 市（州）志 | 120.00 | 30.0% |  |
        | 2 | 县（市、区）志 | 80.00 | 20.0% | 含续修 |
        |  | 小计 | 200.00 | 50.0% |  |
        | 二 | 年鉴编纂 |  |  |  |
        | 1 | 综合年鉴 | 150.00 | 37.5% |  |
        | 2 | 专业年鉴 | 50.00 | 12.5% | — |
        |  | 小计 | 200.00 | 50.0% |  |
        |  | **合　计** | **\(total)** | 100% |  |

        四川省地方志工作办公室
        2023年3月1日
        """
    }

    func testARealShapedBudgetTable() throws {
        XCTAssertEqual(try markdown(TableTotalsTests.budgetNotice(total: "400.00")).findings.count, 0)
        let (source, findings) = try markdown(TableTotalsTests.budgetNotice(total: "410.00"))
        XCTAssertEqual(findings.count, 1)
        let finding = try XCTUnwrap(findings.first)
        XCTAssertEqual(finding.range.map { String(source.slice($0)) }, "410.00")
        XCTAssertEqual(finding.message, "“预算数（万元）”栏的合计“410.00”与各项之和不符（各项相加为400.00）")
        // The 占比 and 备注 columns are not added up; the 序号 column is not either.
        XCTAssertEqual(findings.map(\.span.start.line), [18])
    }

    func testARealShapedBudgetTableInDocx() throws {
        let rows: [[String]] = [
            ["序号", "项目", "预算数（万元）", "备注"],
            ["一", "志书编纂", "", ""],
            ["1", "市（州）志", "120.00", ""],
            ["2", "县（市、区）志", "80.00", "含续修"],
            ["", "小计", "200.00", ""],
            ["二", "年鉴编纂", "", ""],
            ["1", "综合年鉴", "150.00", ""],
            ["2", "专业年鉴", "50.00", "—"],
            ["", "小计", "210.00", ""],
            ["合计", "", "400.00", ""],
        ]
        let caption = row([cell("2023年地方志工作经费分配表", "<w:gridSpan w:val=\"4\"/>")])
        let table = "<w:tbl>" + caption + rows.map { row($0.map { cell($0) }) }.joined() + "</w:tbl>"
        let (source, findings) = try docx(PackageBuilder.paragraph("附件") + table)
        // The second 小计 is wrong (150 + 50 = 200); the 合计 is the sum of the items.
        XCTAssertEqual(findings.map { $0.range.map { String(source.slice($0)) } }, ["210.00"])
        XCTAssertTrue(findings.first?.message.hasPrefix("“预算数（万元）”栏的小计“210.00”") ?? false, findings.first?.message ?? "")
    }
}
