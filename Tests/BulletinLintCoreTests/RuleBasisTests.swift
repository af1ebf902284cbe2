import BulletinLintCore
import Foundation
import XCTest

/// `rules --format json` names each rule's basis and its tier, read from its help.
final class RuleBasisTests: XCTestCase {
    func testTierAndBasisAreReadFromTheHelp() {
        XCTAssertEqual(RuleBasis.tier(ofHelp: "【条例】《党政机关公文处理工作条例》第十五条：请示应当一文一事。"), "条例")
        XCTAssertEqual(RuleBasis.basis(ofHelp: "【条例】《党政机关公文处理工作条例》第十五条：请示应当一文一事。"), "《党政机关公文处理工作条例》第十五条")
        XCTAssertEqual(RuleBasis.tier(ofHelp: "【旧规·实务】《国家行政机关公文处理办法》（2000）第二十二条（七）：引用公文……"), "旧规")
        XCTAssertEqual(RuleBasis.tier(ofHelp: "GB/T 9704-2012 §7.2.4：发文字号由……"), "国标")
        XCTAssertEqual(RuleBasis.basis(ofHelp: "GB/T 9704-2012 §7.2.4：发文字号由……"), "GB/T 9704-2012 §7.2.4")
        XCTAssertEqual(RuleBasis.tier(ofHelp: "本单位：报送单位统一列在“抄送：”之后。"), "本单位")
        XCTAssertNil(RuleBasis.tier(ofHelp: "请核对日期，日历上没有这一天。"))
        XCTAssertNil(RuleBasis.basis(ofHelp: "请核对日期。"))
        XCTAssertNil(RuleBasis.tier(ofHelp: "【随便】什么"))
    }

    func testTheListingCarriesThem() throws {
        let ruleSet = try RuleSetLoader().load(references: ["gongwen"])
        let listing = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(RuleListing.json(ruleSet).utf8)) as? [String: Any])
        let rules = try XCTUnwrap(listing["rules"] as? [[String: Any]])
        let request = try XCTUnwrap(rules.first { $0["id"] as? String == "report-with-request" })
        XCTAssertEqual(request["tier"] as? String, "条例")
        XCTAssertEqual(request["basis"] as? String, "《党政机关公文处理工作条例》第十五条")
        // Every rule of the 公文 set added with issue 17 states its tier.
        for id in ["title-mixed-wenzhong", "letter-command", "attachment-note-final-punctuation", "division-mismatch", "superseded-regulation"] {
            let rule = try XCTUnwrap(rules.first { $0["id"] as? String == id }, id)
            XCTAssertNotNil(rule["tier"] as? String, id)
        }
    }
}
