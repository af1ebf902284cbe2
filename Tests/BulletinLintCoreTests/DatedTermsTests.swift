import BulletinLintCore
import Foundation
import XCTest

/// `dated-terms`: a name is judged at the document's own date — the 2000 《国家行政机关公文处理办法》
/// is right in 2009 and superseded in 2020 — and an office's own entries are read strictly.
final class DatedTermsTests: XCTestCase {
    private func notice(citing regulation: String, printed date: String) -> String {
        """
        关于规范发文的通知
        各市（州）地方志办公室：
        根据\(regulation)，现将有关事项通知如下。
        抄送：省委办公厅。
        四川省地方志工作办公室综合处 \(date)印发
        """
    }

    private func findings(_ text: String, rule: String) throws -> [Diagnostic] {
        try lint(text, rules: "default").filter { $0.ruleID == rule }
    }

    func testTheSupersededRegulationIsJudgedAtTheDocumentsDate() throws {
        let regulation = "《国家行政机关公文处理办法》"
        XCTAssertEqual(try findings(notice(citing: regulation, printed: "2009年4月2日"), rule: "superseded-regulation").count, 0,
                       "a 2009 document cites the regulation then in force")
        XCTAssertEqual(try findings(notice(citing: regulation, printed: "2012年6月30日"), rule: "superseded-regulation").count, 0,
                       "the last day before the new regulation")
        let late = try findings(notice(citing: regulation, printed: "2020年4月2日"), rule: "superseded-regulation")
        XCTAssertEqual(late.count, 1)
        XCTAssertEqual(late.first?.span.start, Position(line: 3, column: 3))
        XCTAssertEqual(late.first.map { $0.range.map { $0.count } }, .some(regulation.utf8.count))
        XCTAssertTrue(late.first?.message.contains("《党政机关公文处理工作条例》") ?? false, late.first?.message ?? "")
        // The regulation that replaced it is never reported.
        XCTAssertEqual(try findings(notice(citing: "《党政机关公文处理工作条例》", printed: "2020年4月2日"), rule: "superseded-regulation").count, 0)
    }

    func testARenamedTermIsJudgedAtTheDocumentsDate() throws {
        func bulletin(_ date: String) -> String {
            "【工作动态】\n某市召开会议\n某市做好新冠肺炎疫情防控工作。（某市地方志办）\n送：省直各部门。\n四川省地方志工作办公室综合处 \(date)印发"
        }
        XCTAssertEqual(try findings(bulletin("2022年12月30日"), rule: "dated-terminology").count, 0)
        let renamed = try findings(bulletin("2023年2月1日"), rule: "dated-terminology")
        XCTAssertEqual(renamed.count, 1)
        XCTAssertTrue(renamed.first?.message.contains("新冠病毒感染") ?? false)
    }

    func testAnOfficeAddsItsOwnEntries() throws {
        let yaml = """
        ruleset: office
        rules:
          - id: office-old-names
            check: dated-terms
            terms:
              - { term: 市志办, until: 2019-03-01, replacement: 市地方志办 }
            severity: warning
            message: “{text}”自{until}起改称“{replacement}”
        """
        let ruleSet = try RuleSetLoader().load(text: yaml, path: "office.yaml")
        let report = Linter(ruleSet: ruleSet).lint(SourceText(path: "t.txt", text: "市志办召开会议。\n"))
        // Undated: judged today, after the change.
        XCTAssertEqual(report.diagnostics.map(\.message), ["“市志办”自2019-03-01起改称“市地方志办”"])
    }

    func testMistakesInTheEntriesPointAtTheirLine() throws {
        func error(_ entry: String) -> RuleFileError? {
            let yaml = "ruleset: office\nrules:\n  - id: x\n    check: dated-terms\n    terms:\n      - \(entry)\n    severity: warning\n    message: m\n"
            do { _ = try RuleSetLoader().load(text: yaml, path: "bad.yaml"); return nil } catch { return error }
        }
        let missing = try XCTUnwrap(error("{ term: 市志办 }"))
        XCTAssertEqual(missing.line, 6)
        XCTAssertTrue(missing.message.contains("until"), missing.message)
        let badDate = try XCTUnwrap(error("{ term: 市志办, until: 2019-3-1 }"))
        XCTAssertEqual(badDate.line, 6)
        XCTAssertTrue(badDate.message.contains("YYYY-MM-DD"), badDate.message)
        let typo = try XCTUnwrap(error("{ term: 市志办, untill: 2019-03-01 }"))
        XCTAssertTrue(typo.message.contains("“untill”") && typo.message.contains("until"), typo.message)
        let same = try XCTUnwrap(error("{ term: 市志办, until: 2019-03-01, replacement: 市志办 }"))
        XCTAssertTrue(same.message.contains("相同"), same.message)
    }
}
