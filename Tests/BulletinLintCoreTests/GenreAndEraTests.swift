import BulletinLintCore
import Foundation
import XCTest

/// Genre read from the elements, rules conditioned on genre (`when:`) and era (`effective:`).
final class GenreAndEraTests: XCTestCase {
    private let bulletin = "四川省地方志工作简报\n2021年第5期（总第125期）\n【工作动态】\n某市召开会议\n某市召开会议。（某市地方志办）\n信息公开选项：主动公开\n报：省委。\n某某办公室 2021年4月2日印发"
    private let notice = "某县人民政府文件\n某府发〔2021〕3号\n关于做好防汛工作的通知\n各乡镇人民政府：\n请做好防汛工作。\n某县人民政府\n2021年5月6日\n抄送：县委办公室。\n某县人民政府办公室 2021年5月6日印发"

    func testGenreIsReadFromTheElements() throws {
        XCTAssertEqual(try parse(bulletin, rules: "default").genre.kind, .bulletin)
        XCTAssertEqual(try parse("四川省地方志信息专报\n第3期\n某市召开会议\n某市召开会议。", rules: "default").genre.kind, .specialReport)
        let document = try parse(notice, rules: "default")
        let official = document.genre
        XCTAssertEqual(official.kind, .official)
        XCTAssertEqual(official.wenzhong, "通知")
        let evidence = official.evidence(in: document.source)
        XCTAssertEqual(evidence, ["公文标题“关于做好防汛工作的通知”（第3行）", "发文机关标志“某县人民政府文件”（第1行）",
                                  "发文字号“某府发〔2021〕3号”（第2行）", "主送机关“各乡镇人民政府：”（第4行）"])
        for (title, wenzhong) in [("关于申请专项经费的请示", "请示"), ("关于同意设立某中心的批复", "批复"), ("关于商请支持某工作的函", "函"),
                                  ("关于某事的复函", "函"), ("全县防汛工作会议纪要", "纪要"), ("关于表彰先进集体的决定", "决定")] {
            XCTAssertEqual(try parse("\(title)\n某某：\n正文。", rules: "default").genre.wenzhong, wenzhong, title)
        }
        XCTAssertEqual(try parse("一段说明文字。\n另一段。", rules: "default").genre.kind, .unknown)
    }

    func testDefaultRulesFollowTheGenre() throws {
        // A 公文 gets no bulletin rule; a bulletin no 公文 rule.
        let officialIDs = Set(try lint(notice, rules: "default").map(\.ruleID))
        XCTAssertTrue(officialIDs.isDisjoint(with: ["attribution-missing", "disclosure-missing", "bulletin-name-missing", "issue-number-missing", "distribution-missing"]), "\(officialIDs)")
        let bulletinIDs = Set(try lint(bulletin, rules: "default").map(\.ruleID))
        XCTAssertFalse(bulletinIDs.contains("doc-number-missing"), "\(bulletinIDs)")
        // Each still gets its own: a bulletin without 报送名单, a 公文 without 发文字号.
        XCTAssertTrue(try lint(bulletin.replacingOccurrences(of: "报：省委。\n", with: ""), rules: "default").contains { $0.ruleID == "distribution-missing" })
        XCTAssertTrue(try lint(notice.replacingOccurrences(of: "某府发〔2021〕3号\n", with: ""), rules: "default").contains { $0.ruleID == "doc-number-missing" })
    }

    func testForcedGenreOverridesTheReadOne() throws {
        var linter = Linter(ruleSet: try ruleSet("default"))
        linter.forcedGenre = DocumentGenre(kind: .bulletin)
        let ids = Set(linter.lint(SourceText(path: "t.txt", text: notice)).diagnostics.map(\.ruleID))
        XCTAssertTrue(ids.contains("bulletin-name-missing"), "\(ids)")
    }

    func testEraDecidesTheSigningDateFormat() throws {
        let old = notice.replacingOccurrences(of: "2021年5月6日", with: "二〇〇九年五月六日")
            .replacingOccurrences(of: "〔2021〕", with: "〔2009〕")
        let oldIDs = try lint(old, rules: "default").map(\.ruleID)
        XCTAssertFalse(oldIDs.contains("signing-date-format"), "\(oldIDs)")
        XCTAssertFalse(oldIDs.contains("signing-date-format-1999"), "\(oldIDs)")
        XCTAssertFalse(oldIDs.contains("imprint-date-format"), "\(oldIDs)")
        // The same Chinese numerals in 2021 are against GB/T 9704-2012.
        let recent = notice.replacingOccurrences(of: "\n2021年5月6日\n", with: "\n二〇二一年五月六日\n")
        XCTAssertTrue(try lint(recent, rules: "default").contains { $0.ruleID == "signing-date-format" })
        // Arabic numerals in 2009 were against GB/T 9704-1999.
        let arabic2009 = notice.replacingOccurrences(of: "2021", with: "2009")
        XCTAssertTrue(try lint(arabic2009, rules: "default").contains { $0.ruleID == "signing-date-format-1999" })
    }

    func testKeywordsBelongToTheOldStandard() throws {
        let withKeywords = notice.replacingOccurrences(of: "抄送：", with: "主题词：防汛 通知\n抄送：")
        XCTAssertTrue(try lint(withKeywords, rules: "default").contains { $0.ruleID == "keywords-obsolete" })
        let old = withKeywords.replacingOccurrences(of: "2021", with: "2009")
        XCTAssertFalse(try lint(old, rules: "default").contains { $0.ruleID == "keywords-obsolete" })
    }

    func testConditionsAreCheckedWhereTheyAreWritten() throws {
        func error(_ yaml: String) -> RuleFileError? {
            do { _ = try RuleSetLoader().load(text: yaml, path: "r.yaml"); return nil } catch { return error }
        }
        let rule = "ruleset: t\nextends: [base]\nrules:\n  - id: r\n    check: required\n    element: imprint\n    severity: warning\n    message: m\n"
        let genre = try XCTUnwrap(error(rule + "    when: { genre: [简讯] }\n"))
        XCTAssertEqual([genre.line, genre.column], [9, 21])
        XCTAssertTrue(genre.message.contains("未知的文书类别“简讯”"), genre.message)
        let date = try XCTUnwrap(error(rule + "    effective: { from: 2012-7-1 }\n"))
        XCTAssertEqual(date.line, 9)
        XCTAssertTrue(date.message.contains("YYYY-MM-DD"), date.message)
        let order = try XCTUnwrap(error(rule + "    effective: { from: 2013-01-01, until: 2012-07-01 }\n"))
        XCTAssertTrue(order.message.contains("应早于"), order.message)
        let present = try XCTUnwrap(error(rule + "    when: { present: [issuer-marks] }\n"))
        XCTAssertEqual(present.line, 9)
        XCTAssertTrue(present.message.contains("未定义的元素“issuer-marks”"), present.message)
        XCTAssertTrue(present.message.contains("issuer-mark"), present.message)
        let key = try XCTUnwrap(error(rule + "    when: { genres: [简报] }\n"))
        XCTAssertTrue(key.message.contains("genre"), key.message)
        // A file-wide `when:` applies to the file's own rules.
        let set = try RuleSetLoader().load(text: "ruleset: t\nextends: [base]\nwhen: { genre: [公文] }\n" + rule.split(separator: "\n", maxSplits: 2)[2], path: "r.yaml")
        XCTAssertEqual(set.rule("r")?.condition.genres, ["公文"])
        // … and not to the rules it inherits.
        XCTAssertEqual(set.rule("imprint-missing")?.condition.genres, ["简报", "信息专报", "公文"])
    }

    func testConditionSummaries() {
        XCTAssertEqual(RuleCondition(genres: ["简报", "信息专报"]).summary, "适用：简报、信息专报")
        XCTAssertEqual(RuleCondition(from: "2012-07-01").summary, "施行：2012-07-01 起")
        XCTAssertEqual(RuleCondition(until: "2012-07-01").summary, "施行：2012-07-01 前")
        XCTAssertTrue(RuleCondition(until: "2012-07-01").applies(to: DocumentGenre(kind: .official), date: nil, today: "2011-01-01"))
        XCTAssertFalse(RuleCondition(until: "2012-07-01").applies(to: DocumentGenre(kind: .official), date: nil, today: "2026-12-07"))
    }
}
