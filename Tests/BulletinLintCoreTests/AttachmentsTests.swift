import BulletinLintCore
import Foundation
import XCTest

/// `attachments`: the 附件说明 against the body's citations and the attachment pages, and the
/// heading check leaving the 附件说明's entries alone.
final class AttachmentsTests: XCTestCase {
    /// A 通知 with a body, a 附件说明, a signature and what follows it.
    private func notice(body: String, note: String, after: String = "") -> String {
        """
        四川省地方志工作办公室文件
        川志办发〔2021〕5号
        关于做好年鉴编纂工作的通知
        各市（州）地方志办公室：
            \(body)
            特此通知。

            \(note)

        四川省地方志工作办公室
        2021年4月1日
        \(after)
        抄送：省委办公厅。
        四川省地方志工作办公室综合处 2021年4月2日印发

        """
    }

    private func findings(_ text: String, _ rule: String) throws -> [Diagnostic] {
        try lint(text, rules: "default").filter { $0.ruleID == rule }
    }

    func testACitedAttachmentTheNoteDoesNotListIsReportedAtTheCitation() throws {
        let text = notice(body: "请按附件1报送资料，清单见附件2、3。", note: "附件：1.年鉴编纂工作方案\n          2.资料报送清单")
        let found = try findings(text, "attachment-cited-missing")
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.span.start, Position(line: 5, column: 22))
        XCTAssertEqual(found.first?.span.end, Position(line: 5, column: 23))
        XCTAssertTrue(found.first?.message.contains("附件说明中没有附件3") ?? false, found.first?.message ?? "")
        // Ranges and Chinese numerals are citations too.
        XCTAssertEqual(try findings(notice(body: "具体见附件1至附件3。", note: "附件：1.方案\n          2.清单"), "attachment-cited-missing").map(\.message),
                       ["“附件3”：正文引用了附件3，附件说明中没有附件3"])
        XCTAssertEqual(try findings(notice(body: "具体见附件二。", note: "附件：年鉴编纂工作方案"), "attachment-cited-missing").count, 1)
    }

    func testAnotherDocumentsAttachmentAndListedAttachmentsAreNotReported() throws {
        for body in ["请按附件1、2报送资料。", "按照《关于做好年鉴编纂工作的通知》附件3的格式报送。",
                     "按照省政府办公厅通知（川办发〔2020〕5号）附件4的格式报送。", "请按该通知附件5报送。", "请按附件要求报送。"] {
            let text = notice(body: body, note: "附件：1.年鉴编纂工作方案\n          2.资料报送清单")
            XCTAssertEqual(try findings(text, "attachment-cited-missing").count, 0, body)
        }
        // A single attachment is 附件 or 附件1.
        XCTAssertEqual(try findings(notice(body: "请按附件1报送。", note: "附件：年鉴编纂工作方案"), "attachment-cited-missing").count, 0)
    }

    func testWithoutANoteACitationIsReportedUnlessItsPageIsThere() throws {
        let text = notice(body: "清单见附件2。", note: "")
        XCTAssertEqual(try findings(text, "attachment-cited-missing").first?.message, "“附件2”：正文引用了附件2，但文中没有附件说明")
        let paged = notice(body: "清单见附件1。", note: "", after: "附件1\n资料报送清单\n一、报送范围")
        XCTAssertEqual(try findings(paged, "attachment-cited-missing").count, 0)
    }

    func testAnEntryNeitherCitedNorNamedIsAReminderOnlyWhereTheBodyCitesByNumber() throws {
        let note = "附件：1.年鉴编纂工作方案\n          2.资料报送清单\n          3.联系人名单"
        let found = try findings(notice(body: "方案见附件1，并按《资料报送清单》报送。", note: note), "attachment-not-cited")
        XCTAssertEqual(found.map(\.span.start.line), [10])
        XCTAssertEqual(found.first?.severity, .info)
        XCTAssertTrue(found.first?.message.contains("联系人名单") ?? false)
        // No citation by number at all: the body may well describe them in words.
        XCTAssertEqual(try findings(notice(body: "现将有关材料印发给你们。", note: note), "attachment-not-cited").count, 0)
    }

    func testNumberingOfTheNote() throws {
        let gap = try findings(notice(body: "请按时报送。", note: "附件：1.年鉴编纂工作方案\n          3.资料报送清单"), "attachment-note-numbering")
        XCTAssertEqual(gap.map(\.span.start), [Position(line: 9, column: 11)])
        XCTAssertTrue(gap.first?.message.contains("应为2") ?? false, gap.first?.message ?? "")
        let single = try findings(notice(body: "请按时报送。", note: "附件：1.年鉴编纂工作方案"), "attachment-note-numbering")
        XCTAssertTrue(single.first?.message.contains("只有一个附件时不编序号") ?? false)
        let right = notice(body: "请按时报送。", note: "附件：1.年鉴编纂工作方案\n          2.资料报送清单\n          3.联系人名单")
        XCTAssertEqual(try findings(right, "attachment-note-numbering").count, 0)
        XCTAssertEqual(try findings(notice(body: "请按时报送。", note: "附件：年鉴编纂工作方案"), "attachment-note-numbering").count, 0)
    }

    func testAnAttachmentPagesTitleIsComparedWithItsEntry() throws {
        let note = "附件：1.年鉴编纂工作方案\n          2.全省地方志系统年鉴编纂资料\n            报送清单"
        let pages = "附件1\n年鉴编纂工作方案\n一、总体要求\n附件2\n全省地方志系统年鉴编纂资料报送清单\n一、报送范围"
        // An entry wrapped onto an indented line is one title; the page says it whole.
        XCTAssertEqual(try findings(notice(body: "请按时报送。", note: note, after: pages), "attachment-title-mismatch").count, 0)
        let wrong = "附件1\n年鉴编纂方案\n一、总体要求\n附件3\n名单"
        let found = try findings(notice(body: "请按时报送。", note: note, after: wrong), "attachment-title-mismatch")
        XCTAssertEqual(found.map(\.span.start.line), [15, 17])
        XCTAssertTrue(found.first?.message.contains("与附件说明中的“年鉴编纂工作方案”不一致") ?? false, found.first?.message ?? "")
        XCTAssertTrue(found.last?.message.contains("附件3在附件说明中没有对应的条目") ?? false, found.last?.message ?? "")
    }

    func testTheNotesEntriesAndAttachmentPagesDoNotUpsetHeadingNumbers() throws {
        let note = "附件：1.年鉴编纂工作方案\n          2.资料报送清单"
        let pages = "附件1\n年鉴编纂工作方案\n一、总体要求\n二、主要任务\n附件2\n资料报送清单\n一、报送范围"
        let text = notice(body: "一、工作要求\n    请按时报送。\n    二、时间安排\n    5月底前完成。", note: note, after: pages)
        XCTAssertEqual(try findings(text, "gongwen-heading-levels").map(\.message), [])
        // A real gap inside an attachment page is still one.
        let gap = notice(body: "请按时报送。", note: note, after: "附件1\n年鉴编纂工作方案\n一、总体要求\n三、主要任务")
        XCTAssertEqual(try findings(gap, "gongwen-heading-levels").count, 1)
    }

    func testTheAspectIsCheckedWhenTheRuleFileLoads() throws {
        let yaml = """
        ruleset: office
        rules:
          - id: attachments
            check: attachments
            aspect: cited-mising
            severity: warning
            message: "{problem}"
        """
        XCTAssertThrowsError(try RuleSetLoader().load(text: yaml, path: "office.yaml")) { error in
            let error = error as? RuleFileError
            XCTAssertEqual(error?.line, 5)
            XCTAssertTrue(error?.message.contains("cited-missing") ?? false, "\(String(describing: error))")
        }
    }

    func testTheSignerCountsOnTheNumbersLineOrItsOwn() throws {
        func request(_ number: String) -> String {
            "四川省地方志工作办公室文件\n\(number)\n关于增加年鉴编纂经费的请示\n省人民政府：\n拟增加经费10万元。\n妥否，请批示。\n四川省地方志工作办公室\n2021年4月1日\n"
        }
        // Reported on the 发文字号's line, where the 签发人 belongs.
        XCTAssertEqual(try findings(request("川志办〔2021〕5号"), "signer-missing").map(\.span.start), [Position(line: 2, column: 1)])
        XCTAssertEqual(try findings(request("川志办〔2021〕5号　　签发人：张三"), "signer-missing").count, 0)
        XCTAssertEqual(try findings(request("川志办〔2021〕5号\n签发人：张三"), "signer-missing").count, 0)
    }
}
