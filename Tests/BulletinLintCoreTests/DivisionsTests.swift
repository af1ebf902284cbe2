import BulletinLintCore
import Foundation
import XCTest

/// `divisions`: a place written under a province or city that does not hold it, from the GB/T
/// 2260 code table, with an office's own additions.
final class DivisionsTests: XCTestCase {
    private func findings(_ line: String) throws -> [Diagnostic] {
        try lint("【工作动态】\n某市召开会议\n\(line)（某市地方志办）\n", rules: "default").filter { $0.ruleID == "division-mismatch" }
    }

    func testAPlaceUnderTheWrongProvinceIsReported() throws {
        let wrong = try findings("湖北省张家界市召开会议。")
        XCTAssertEqual(wrong.count, 1)
        XCTAssertEqual(wrong.first?.span.start, Position(line: 3, column: 4))
        XCTAssertTrue(wrong.first?.message.contains("张家界市属于湖南省") ?? false, wrong.first?.message ?? "")
        let municipality = try findings("四川省重庆市召开会议。")
        XCTAssertEqual(municipality.count, 1)
        XCTAssertTrue(municipality.first?.message.contains("省级行政区") ?? false)
        XCTAssertEqual(try findings("四川省成都市万州区召开会议。").count, 1, "万州区 is in 重庆市")
    }

    func testRightPlacesAndSharedNamesAreNotReported() throws {
        for line in ["湖南省张家界市召开会议。", "北京市朝阳区召开会议。", "吉林省长春市朝阳区召开会议。", "辽宁省朝阳市召开会议。",
                     "湖北省仙桃市召开会议。", "四川省成都市简阳市召开会议。", "重庆市万州区召开会议。",
                     "大同市城区召开会议。", "西安市城区道路改造。", "四川省人民政府召开会议。"] {
            XCTAssertEqual(try findings(line).count, 0, line)
        }
    }

    func testAnOfficeAddsItsOwnCodes() throws {
        func lint(_ add: String) throws -> [Diagnostic] {
            let yaml = """
            ruleset: office
            rules:
              - id: places
                check: divisions
            \(add)
                severity: warning
                message: “{parent}{child}”：{problem}
            """
            let ruleSet = try RuleSetLoader().load(text: yaml, path: "office.yaml")
            return Linter(ruleSet: ruleSet).lint(SourceText(path: "t.txt", text: "湖北省莱芜区召开会议。\n山东省张家界市召开会议。\n")).diagnostics
        }
        // 莱芜区 (2019) is not in the table: an unknown name is not judged until the office adds it.
        XCTAssertEqual(try lint("").map(\.span.start.line), [2])
        XCTAssertEqual(try lint("    add: { \"370116\": 莱芜区 }").map(\.span.start.line), [1, 2])
        XCTAssertThrowsError(try lint("    add: { \"3701\": 莱芜区 }")) { error in
            XCTAssertTrue((error as? RuleFileError)?.message.contains("6 位") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try lint("    data: nowhere")) { error in
            XCTAssertTrue((error as? RuleFileError)?.message.contains("divisions") ?? false, "\(error)")
        }
    }
}
