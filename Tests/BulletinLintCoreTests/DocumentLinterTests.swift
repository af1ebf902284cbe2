import BulletinLintCore
import Foundation
import XCTest

/// `DocumentLinter` on documents that are not on disk (an upload, an editor's buffer): the same
/// reading and findings as a file.
final class DocumentLinterTests: XCTestCase {
    private func linter() throws -> DocumentLinter {
        DocumentLinter(configuration: Configuration(ruleSet: try RuleSetLoader().load(references: ["default"]), directory: "."))
    }

    private let draft = "【工作动态】\n某市召开会议\n会议研究其它工作，命令为 `其它`。（某市地方志办）\n"

    func testBytesAndTextAreReadAsTheirNameSays() throws {
        let linter = try linter()
        let fromText = linter.lint(.text(draft, name: "draft.md"))
        let fromBytes = linter.lint(.bytes(Array(draft.utf8), name: "draft.md"))
        XCTAssertEqual(fromText.source?.format, .markdown)
        XCTAssertEqual(fromBytes.source?.format, .markdown)
        // The code span is Markdown markup: only the prose 其它 is reported.
        let ids = fromText.report.diagnostics.filter { $0.ruleID == "outdated-terms" }.map(\.span.start)
        XCTAssertEqual(ids.count, 1)
        XCTAssertEqual(fromBytes.report.diagnostics.map(\.ruleID), fromText.report.diagnostics.map(\.ruleID))
        XCTAssertNotNil(fromText.document)
        XCTAssertEqual(fromText.fixes(includingUnsafe: false).count, 1)
    }

    func testBytesOfAnUnsupportedFormatAreOneReadFailure() throws {
        let outcome = try linter().lint(.bytes([0x50, 0x4B, 0x03, 0x04], name: "表格.xlsx"))
        XCTAssertNil(outcome.source)
        XCTAssertEqual(outcome.report.diagnostics.map(\.ruleID), ["unsupported-format"])
    }
}
