import BulletinLintCore
import Foundation
import XCTest

/// Element extraction on the shapes real documents take.
final class ParserShapesTests: XCTestCase {
    // MARK: A bulletin of our own with the reference page's artifacts

    func testOwnFixtureWithExtractionArtifacts() throws {
        let bulletin = try parse(try Fixtures.text("artifacts-bulletin.txt"))
        XCTAssertEqual(bulletin.first("internal-mark")?.text, "内部资料")
        XCTAssertEqual(bulletin.first("bulletin-name")?.fields["name"], "四川省地方志工作简报")
        let issue = try XCTUnwrap(bulletin.first("issue-number"))
        XCTAssertEqual(issue.fields, ["year": "2022", "number": "7", "total": "131"])
        let compiler = try XCTUnwrap(bulletin.first("compiler"))
        XCTAssertEqual(compiler.fields["name"], "四川省地方志工作办公室编")
        XCTAssertEqual(compiler.fields["date"], "2022-06-10")
        XCTAssertEqual(bulletin.first("column")?.fields["name"], "市州动态")
        XCTAssertEqual(bulletin.first("article-title")?.text, "绵阳市召开志鉴编纂推进会")
        // The page number is an artifact, not part of the paragraph it interrupts.
        XCTAssertEqual(bulletin.first("page-number")?.text, "- 1 -")
        let paragraphs = bulletin.elements(ofKind: "paragraph").map(\.text)
        XCTAssertEqual(paragraphs.count, 2)
        XCTAssertEqual(paragraphs.first, "6月 2日，绵阳市地方志办召开志鉴编纂推进会，对《绵阳年鉴（2022卷）》编纂工作作出安排，要求各供稿单位（部门，企业）按时报送资料。会议指出，要坚持“存史、育人、资政”。")
        XCTAssertEqual(paragraphs.last, "会议强调，要在 6月 30日前完成初审。")
        XCTAssertEqual(bulletin.first("attribution")?.fields["source"], "绵阳市地方志办")
        XCTAssertEqual(bulletin.first("report-to")?.entries.map(\.text),
                       ["省委", "省人大常委会", "省人民政府", "中国地方志指导小组办公室"])
        XCTAssertEqual(bulletin.first("issue-to")?.entries.count, 1)
        XCTAssertEqual(bulletin.first("imprint")?.fields["date"], "2022-06-10")
        XCTAssertEqual(bulletin.elements(ofKind: "body-date").compactMap { $0.fields["date"] }, ["2022-06-02", "2022-06-30"])
    }

    func testOwnFixtureLintsWithoutErrors() throws {
        let diagnostics = try lint(try Fixtures.text("artifacts-bulletin.txt"))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map { "\($0.ruleID)@\($0.span.start.line)" }, [])
        XCTAssertEqual(diagnostics.filter { $0.ruleID == "date-spacing" }.map(\.span.start.line), [13, 20, 28])
    }

    // MARK: Lists

    private let imprint = "\n某某办公室 2021年4月2日印发"

    /// Dates without a year take the 印发日期's, a December date in a January issue the year
    /// before; the same when the rule set lets an imprint stand anywhere (the years are then
    /// worked out after the whole parse, not as the body is read).
    func testDatesWithoutAYearTakeTheImprintsYear() throws {
        let text = """
        四川省地方志工作简报
        2022年第1期（总第125期）

        【工作动态】
        绵阳市召开志鉴编纂推进会
        12月30日，绵阳市召开志鉴编纂推进会，1月3日又召开了一次。（绵阳市地方志办）

        报：省委。
        四川省地方志工作办公室          2022年1月5日印发
        """
        let anywhere = try RuleSetLoader().load(text: "ruleset: x\nextends: [bulletin]\nelements:\n  imprint:\n    region: any\n",
                                                path: "anywhere.yaml")
        for bulletin in [try parse(text), anywhere.parser.parse(SourceText(path: "t.txt", text: text))] {
            let dates = bulletin.elements(ofKind: "body-date")
            XCTAssertEqual(dates.map { $0.fields["date"] }, ["2021-12-30", "2022-01-03"])
            XCTAssertEqual(dates.map { $0.fields["year-inferred"] }, ["true", "true"])
            XCTAssertEqual(bulletin.first("imprint")?.fields["date"], "2022-01-05")
            XCTAssertNil(bulletin.first("imprint")?.fields["year-inferred"])
        }
    }

    func testListSeparatedByDunhao() throws {
        let bulletin = try parse("报：省委、省人大常委会、省人民政府。" + imprint)
        XCTAssertEqual(bulletin.first("report-to")?.entries.map(\.text), ["省委", "省人大常委会", "省人民政府"])
    }

    func testDunhaoInsideAnEntryWhenCommasSeparate() throws {
        let bulletin = try parse("送：省直各部门，各市（州）委、市（州）人民政府。" + imprint)
        XCTAssertEqual(bulletin.first("send-to")?.entries.map(\.text), ["省直各部门", "各市（州）委、市（州）人民政府"])
    }

    func testListWithoutFinalFullStop() throws {
        let bulletin = try parse("报：省委，省人民政府" + imprint)
        XCTAssertEqual(bulletin.first("report-to")?.entries.map(\.text), ["省委", "省人民政府"])
        let diagnostics = try lint("信息公开选项：主动公开\n报：省委，省人民政府" + imprint)
        XCTAssertEqual(diagnostics.filter { $0.ruleID == "distribution-terminator" }.map(\.span.start.line), [2])
    }

    func testListWrappedAfterABlankLine() throws {
        let bulletin = try parse("报：省委，省人大常委会，省人民\n\n政府，政协四川省委。" + imprint)
        XCTAssertEqual(bulletin.first("report-to")?.entries.map(\.text), ["省委", "省人大常委会", "省人民政府", "政协四川省委"])
        let entry = try XCTUnwrap(bulletin.first("report-to")?.entries[2])
        XCTAssertEqual(bulletin.source.span(entry.range), Span(start: Position(line: 1, column: 13), end: Position(line: 3, column: 3)))
    }

    func testListLabelsTakeHalfWidthColonsAndSpaces() throws {
        let bulletin = try parse("抄送：省委办公厅，省政府办公厅。\n抄 报 : 中国地方志指导小组办公室。" + imprint)
        XCTAssertEqual(bulletin.first("copy-to")?.entries.map(\.text), ["省委办公厅", "省政府办公厅"])
        XCTAssertEqual(bulletin.first("copy-report-to")?.entries.map(\.text), ["中国地方志指导小组办公室"])
    }

    // MARK: The 印发 line

    func testImprintPaddedWithSpacesAndNoBreakSpaces() throws {
        for padding in [String(repeating: " ", count: 24), String(repeating: "\u{00A0}", count: 12), "\u{3000}\u{3000}"] {
            let bulletin = try parse("报：省委。\n四川省地方志工作办公室综合处\(padding)2021年4月2日印发")
            XCTAssertEqual(bulletin.first("imprint")?.fields["issuer"], "四川省地方志工作办公室综合处")
            XCTAssertEqual(bulletin.first("imprint")?.fields["date"], "2021-04-02")
        }
    }

    func testImprintSplitOverTwoLines() throws {
        let bulletin = try parse("报：省委。\n发：各市（州）地方志办公室。\n四川省地方志工作办公室综合处\n              2021年4月2日印发\n")
        let imprint = try XCTUnwrap(bulletin.first("imprint"))
        XCTAssertEqual(imprint.fields["issuer"], "四川省地方志工作办公室综合处")
        XCTAssertEqual(imprint.fields["date"], "2021-04-02")
        XCTAssertEqual(bulletin.source.span(imprint.range), Span(start: Position(line: 3, column: 1), end: Position(line: 4, column: 26)))
        // The issuer line is not swallowed by the 发 list above it.
        XCTAssertEqual(bulletin.first("issue-to")?.entries.map(\.text), ["各市（州）地方志办公室"])
        XCTAssertEqual(try lint("信息公开选项：主动公开\n" + bulletin.source.text).filter { $0.ruleID == "imprint-missing" }.count, 0)
    }

    func testCopyCountAfterTheImprint() throws {
        let bulletin = try parse("报：省委。\n某某办公室 2021年4月2日印发\n（共印80份）")
        XCTAssertEqual(bulletin.first("print-count")?.fields["count"], "80")
    }

    // MARK: Dates

    func testDatesWithSpacesInside() throws {
        let bulletin = try parse("报：省委。\n某某办公室 2019 年5 月27 日印发")
        XCTAssertEqual(bulletin.first("imprint")?.fields["date"], "2019-05-27")
        XCTAssertEqual(bulletin.first("imprint")?.fields["issuer"], "某某办公室")
    }

    func testChineseNumeralDatesWithEveryZero() throws {
        for zero in ["〇", "○", "O", "0"] {
            let text = "报：省委。\n某某办公室 二\(zero)\(zero)九年十一月二十七日印发"
            XCTAssertEqual(try parse(text).first("imprint")?.fields["date"], "2009-11-27", zero)
            // Parsed; a 2009 document is not judged by GB/T 9704-2012, a 2019 one is (Arabic
            // numerals).
            XCTAssertEqual(try lint(text).filter { $0.ruleID == "imprint-date-format" }.count, 0, zero)
            let recent = "报：省委。\n某某办公室 二\(zero)一九年十一月二十七日印发"
            XCTAssertEqual(try lint(recent).filter { $0.ruleID == "imprint-date-format" }.count, 1, zero)
        }
        XCTAssertEqual(ChineseDate.parse("二〇二一年四月二日")?.iso, "2021-04-02")
        XCTAssertEqual(ChineseDate.parse("二〇二一年十二月三十一日")?.iso, "2021-12-31")
    }

    func testBlankFormDateIsNotADate() throws {
        XCTAssertNil(ChineseDate.parse("2009年  月  日"))
        let bulletin = try parse("报：省委。\n某某办公室 2009年  月  日印发")
        XCTAssertNil(bulletin.first("imprint"))
        XCTAssertTrue(bulletin.elements(ofKind: "body-date").isEmpty)
    }

    func testDateStyles() throws {
        let zero = try XCTUnwrap(ChineseDate.parse("2021年04月02日"))
        XCTAssertTrue(zero.style.leadingZero)
        XCTAssertEqual(zero.iso, "2021-04-02")
        XCTAssertTrue(try XCTUnwrap(ChineseDate.parse("3月24号")).style.dayWithHao)
        XCTAssertFalse(try XCTUnwrap(ChineseDate.parse("2021年2月29日")).isValid)
        XCTAssertTrue(try XCTUnwrap(ChineseDate.parse("2024年2月29日")).isValid)
        XCTAssertEqual(ChineseDate.parse("3月 24日")?.iso, "--03-24")
    }

    func testJanuaryIssueTakesDecemberFromTheYearBefore() throws {
        let bulletin = try parse("【工作动态】\n某市召开会议\n12月28日，某市召开会议。（某市地方志办）\n报：省委。\n某某办公室 2022年1月5日印发")
        XCTAssertEqual(bulletin.first("body-date")?.fields["date"], "2021-12-28")
    }

    // MARK: Document numbers, 主题词, page numbers

    func testDocumentNumbersWithEveryBracket() throws {
        for (text, year) in [("川志函〔2019〕101号", "〔2019〕"), ("川志函[2019]101号", "[2019]"), ("川志函(2019)101号", "(2019)"),
                             ("川志函（2019）第1号", "（2019）")] {
            let number = try XCTUnwrap(try parse(text + "\n报：省委。").first("doc-number"), text)
            XCTAssertEqual(number.fields["org"], "川志函")
            // `bracket` is the year as written, for the bracket check; `year` and `number` are
            // the values.
            XCTAssertEqual(number.fields["bracket"], year)
            XCTAssertEqual(number.fields["year"], "2019")
        }
        XCTAssertEqual(try lint("川志函[2019]101号").filter { $0.ruleID == "doc-number-brackets" }.count, 1)
        XCTAssertEqual(try lint("川志函〔2019〕101号").filter { $0.ruleID.hasPrefix("doc-number") }.count, 0)
    }

    func testKeywordsLine() throws {
        let bulletin = try parse("主题词：地方志　工作　简报\n抄送：省委办公厅。\n某某办公室 2021年4月2日印发")
        XCTAssertEqual(bulletin.first("keywords")?.entries.map(\.text), ["地方志", "工作", "简报"])
    }

    func testPageNumberLines() throws {
        for line in ["- 1 -", "— 2 —", "－3－", "第 4 页"] {
            let bulletin = try parse("【工作动态】\n某市召开会议\n某市召开会议，\n\(line)\n研究工作。（某市地方志办）")
            XCTAssertEqual(bulletin.first("page-number")?.text, line)
            XCTAssertEqual(bulletin.first("paragraph")?.text, "某市召开会议，研究工作。", line)
        }
    }

    // MARK: Articles

    func testSeveralArticlesAndAnArticleWithoutAttribution() throws {
        let text = """
        【市州动态】
        绵阳市召开推进会
        绵阳市召开推进会。（绵阳市地方志办）
        德阳市开展培训
        德阳市开展培训。
        广元市完成初审
        广元市完成初审。（广元市地方志编纂中心）
        """
        let bulletin = try parse(text)
        XCTAssertEqual(bulletin.elements(ofKind: "article-title").map(\.text), ["绵阳市召开推进会", "德阳市开展培训", "广元市完成初审"])
        let diagnostics = try lint(text).filter { $0.ruleID == "attribution-missing" }
        XCTAssertEqual(diagnostics.map(\.span.start.line), [5])
        XCTAssertEqual(diagnostics.first?.message, "文章“德阳市开展培训”缺少来源署名")
    }

    func testAWrappedLineEndingInBracketsIsNotAnAttribution() throws {
        let bulletin = try parse("【工作动态】\n某县召开会议\n认真开展对各乡镇（部门）\n年鉴资料的催报工作。（某县地方志办）")
        XCTAssertEqual(bulletin.elements(ofKind: "attribution").map(\.text), ["（某县地方志办）"])
        XCTAssertEqual(bulletin.first("paragraph")?.text, "认真开展对各乡镇（部门）年鉴资料的催报工作。")
    }

    // MARK: inspect JSON

    func testInspectJSONShapeIsStable() throws {
        let bulletin = try parse("【工作动态】\n标题\n正文。（某办）\n报：省委，省政府。\n某办 2021年4月2日印发\n")
        let expected = """
        {
          "path": "t.txt",
          "encoding": "utf-8",
          "elements": [
            {
              "kind": "column",
              "text": "【工作动态】",
              "span": {
                "start": {
                  "line": 1,
                  "column": 1
                },
                "end": {
                  "line": 1,
                  "column": 7
                }
              },
              "fields": {
                "name": "工作动态"
              },
              "entries": [],
              "children": [
                {
                  "kind": "article",
                  "text": "标题\\n正文。（某办）",
                  "span": {
                    "start": {
                      "line": 2,
                      "column": 1
                    },
                    "end": {
                      "line": 3,
                      "column": 8
                    }
                  },
                  "fields": {
                    "title": "标题"
                  },
                  "entries": [],
                  "children": [
        """
        XCTAssertTrue(InspectFormatter.json(bulletin).hasPrefix(expected), InspectFormatter.json(bulletin))
        XCTAssertTrue(InspectFormatter.json(bulletin).contains("""
              "kind": "report-to",
              "text": "报：省委，省政府。",
        """))
        XCTAssertTrue(InspectFormatter.json(bulletin).contains("""
              "entries": [
                "省委",
                "省政府"
              ],
        """))
    }
}
