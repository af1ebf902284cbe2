import Foundation
import XCTest

/// `test-rules` warns about an invalid example without `↓`, and is quiet on the built-in sets.
final class ExampleMarkerTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bl-markers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    func testAnUnmarkedInvalidExampleIsAWarningThatSaysWhere() throws {
        try Data("""
        ruleset: r
        extends: [bulletin]
        rules:
          - id: no-wechat
            title: 不用“微信群”
            check: forbidden
            phrases: [微信群]
            severity: warning
            message: 不用“{text}”
            context: article
            examples:
              valid: ["通过工作群通知。（某办）"]
              invalid: ["通过微信群通知。（某办）"]
        """.utf8).write(to: scratch.appendingPathComponent("r.yaml"))
        let run = try CLI.run(["test-rules", "r.yaml", "--own-only"], directory: scratch)
        // A warning, not a failure.
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertEqual(run.stdout, """
        r.yaml:13:17: warning: 规则“no-wechat”的 invalid 示例没有 ↓ 标记（报告在 3:3；在那里的字符前写 ↓）
        共运行 2 个示例：0 个失败，0 条规则没有示例，1 个 invalid 示例没有 ↓ 标记

        """)
    }

    func testTheBuiltinSetsPrintNoWarning() throws {
        for name in ["default", "archive", "sichuan-difangzhi", "gbt9704-typography"] {
            let run = try CLI.run(["test-rules", "--rules", name])
            XCTAssertEqual(run.status, 0, name + ": " + run.stdout)
            XCTAssertFalse(run.stdout.contains("warning"), name + ": " + run.stdout)
            XCTAssertTrue(run.stdout.hasSuffix("个失败，0 条规则没有示例\n"), name + ": " + run.stdout)
        }
    }
}
