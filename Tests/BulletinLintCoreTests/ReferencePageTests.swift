import BulletinLintCore
import Foundation
import XCTest

/// A real page of a published bulletin (`Fixtures/sichuan-bulletin-2021-04-extract.txt`, text
/// extracted from the public PDF; its source is in `Fixtures/README.md`) and variants of it.
final class ReferencePageTests: XCTestCase {
    private func reference() throws -> String { try Fixtures.text(Fixtures.reference) }

    func testElementsOfTheReferencePage() throws {
        let bulletin = try parse(try reference())
        XCTAssertEqual(bulletin.first("disclosure")?.fields["value"], "主动公开")
        XCTAssertEqual(bulletin.first("report-to")?.entries.map(\.text),
                       ["省委", "省人大常委会", "省人民政府", "政协四川省委", "中国地方志指导小组办公室"])
        XCTAssertEqual(bulletin.first("send-to")?.entries.map(\.text), ["省直各部门", "各市（州）委、市（州）人民政府"])
        XCTAssertEqual(bulletin.first("issue-to")?.entries.map(\.text), ["各市（州）地方志办公室（党史地方志研究室，地方志编纂中心）"])
        let imprint = try XCTUnwrap(bulletin.first("imprint"))
        XCTAssertEqual(imprint.fields["issuer"], "四川省地方志工作办公室综合处")
        XCTAssertEqual(imprint.fields["date"], "2021-04-02")
        XCTAssertEqual(bulletin.first("column")?.fields["name"], "特别关注")
        XCTAssertEqual(bulletin.first("article-title")?.text, "全省各地传达学习全省地方志工作会议精神")
        XCTAssertEqual(bulletin.first("attribution")?.fields["source"], "省地方志办")
        XCTAssertEqual(bulletin.elements(ofKind: "article").count, 1)
    }

    func testSpansOfTheReferencePage() throws {
        let bulletin = try parse(try reference())
        let source = bulletin.source
        func span(_ kind: String) -> String? {
            bulletin.first(kind).map { e in
                let s = source.span(e.range)
                return "\(s.start.line):\(s.start.column)-\(s.end.line):\(s.end.column)"
            }
        }
        // The column line starts with a space (a page-break artifact): the span starts after it.
        XCTAssertEqual(span("column"), "1:2-1:8")
        XCTAssertEqual(span("article-title"), "3:1-3:20")
        XCTAssertEqual(span("attribution"), "146:16-146:23")
        XCTAssertEqual(span("disclosure"), "148:1-148:12")
        // The 报 list runs on to its continuation line after a blank line.
        XCTAssertEqual(span("report-to"), "149:1-151:14")
        XCTAssertEqual(span("imprint"), "154:1-154:29")
        let imprint = try XCTUnwrap(bulletin.first("imprint"))
        XCTAssertEqual(String(source.slice(try XCTUnwrap(imprint.fieldRanges["date"]))), "2021年 4月 2日")
        let lastEntry = try XCTUnwrap(bulletin.first("report-to")?.entries.last)
        XCTAssertEqual(source.span(lastEntry.range).start, Position(line: 151, column: 1))
    }

    func testBodyDatesTakeTheirYearFromTheImprint() throws {
        let bulletin = try parse(try reference())
        let dates = bulletin.elements(ofKind: "body-date").compactMap { $0.fields["date"] }
        XCTAssertEqual(dates.first, "2021-03-24")
        XCTAssertTrue(dates.allSatisfy { $0.hasPrefix("2021-03-") }, "\(dates)")
        XCTAssertEqual(dates.count, 13)
    }

    func testTheReferencePageHasNoErrors() throws {
        let diagnostics = try lint(try reference())
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.ruleID), [])
        // The spaces PDF extraction puts into dates are warnings, not errors.
        XCTAssertTrue(diagnostics.contains { $0.ruleID == "date-spacing" && $0.severity == .warning })
    }

    // MARK: Variants

    private func variant(_ edit: (inout [String]) -> Void) throws -> [Diagnostic] {
        var lines = try reference().components(separatedBy: "\n")
        edit(&lines)
        return try lint(lines.joined(separator: "\n"))
    }

    private func errors(_ diagnostics: [Diagnostic], _ rule: String) -> [String] {
        diagnostics.filter { $0.ruleID == rule }.map { "\($0.severity.rawValue)@\($0.span.start.line)" }
    }

    private func index(of prefix: String, in lines: [String]) -> Int {
        lines.firstIndex { $0.hasPrefix(prefix) } ?? -1
    }

    func testWithoutTheDisclosureLine() throws {
        let diagnostics = try variant { $0[index(of: "信息公开选项", in: $0)] = "" }
        // Reported where it belongs: at the 报 line, the first line of the 版记.
        XCTAssertEqual(errors(diagnostics, "disclosure-missing"), ["warning@149"])
    }

    func testWithoutTheDistributionLists() throws {
        let diagnostics = try variant { lines in
            for prefix in ["报：", "中国地方志指导小组办公室", "送：", "发："] { lines[index(of: prefix, in: lines)] = "" }
        }
        XCTAssertEqual(errors(diagnostics, "distribution-missing"), ["error@154"])
    }

    func testWithoutTheImprintLine() throws {
        let diagnostics = try variant { $0[index(of: "四川省地方志工作办公室综合处", in: $0)] = "" }
        // After the last element of the 版记, the 发 line.
        XCTAssertEqual(errors(diagnostics, "imprint-missing"), ["error@153"])
    }

    func testWithoutTheAttribution() throws {
        let diagnostics = try variant { lines in
            let i = index(of: "信息，激励党员干部感恩奋进。", in: lines)
            lines[i] = "信息，激励党员干部感恩奋进。"
        }
        // On the article's last line.
        XCTAssertEqual(errors(diagnostics, "attribution-missing"), ["error@146"])
        XCTAssertEqual(diagnostics.first { $0.ruleID == "attribution-missing" }?.message,
                       "文章“全省各地传达学习全省地方志工作会议精神”缺少来源署名")
    }

    func testWithIssueToBeforeReportTo() throws {
        let diagnostics = try variant { lines in
            let report = index(of: "报：", in: lines)
            let issue = index(of: "发：", in: lines)
            let issueLine = lines[issue]
            lines.remove(at: issue)
            lines.insert(issueLine, at: report)
        }
        // The 发 line is the one out of place; 报 and 送 keep their order.
        XCTAssertEqual(errors(diagnostics, "distribution-order"), ["error@149"])
        XCTAssertEqual(diagnostics.first { $0.ruleID == "distribution-order" }?.message, "“发”应排在“送”之后")
    }

    func testWithAnImpossibleImprintDate() throws {
        let diagnostics = try variant { lines in
            lines[index(of: "四川省地方志工作办公室综合处", in: lines)] = "四川省地方志工作办公室综合处 2021年4月32日印发"
        }
        XCTAssertEqual(errors(diagnostics, "imprint-date-invalid"), ["error@154"])
        let diagnostic = try XCTUnwrap(diagnostics.first { $0.ruleID == "imprint-date-invalid" })
        XCTAssertEqual(diagnostic.span.start.column, 16)
        XCTAssertEqual(diagnostic.message, "印发日期“2021年4月32日”不存在：日历上没有这一天")
    }
}
