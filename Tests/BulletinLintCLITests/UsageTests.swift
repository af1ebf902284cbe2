import XCTest

/// ArgumentParser's own words reach users in Chinese: usage errors (exit 2) and help headings.
final class UsageTests: XCTestCase {
    func testUsageErrorsAreInChineseWithExitTwo() throws {
        let unknown = try CLI.run(["check", "--bogus", "x"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.hasPrefix("错误：未知的选项“--bogus”"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("用法：bulletinlint check"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("详见“bulletinlint check --help”。"), unknown.stderr)
        XCTAssertFalse(unknown.stderr.contains("Error:"), unknown.stderr)

        let invalid = try CLI.run(["check", "--format", "xml", "x"])
        XCTAssertEqual(invalid.status, 2)
        XCTAssertTrue(invalid.stderr.hasPrefix("错误：“xml”不是“--format <format>”的有效取值；可选值：\n  - text\n"), invalid.stderr)

        let missing = try CLI.run(["check"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("错误："), missing.stderr)

        let noValue = try CLI.run(["check", "x", "--jobs"])
        XCTAssertEqual(noValue.status, 2)
        XCTAssertTrue(noValue.stderr.hasPrefix("错误：“--jobs <N>”缺少取值"), noValue.stderr)
    }

    func testHelpHeadingsAreInChinese() throws {
        let help = try CLI.run(["check", "--help"])
        XCTAssertEqual(help.status, 0)
        for heading in ["概述：", "用法：bulletinlint check", "参数：", "选项：", "显示帮助。", "默认：text）", "（默认：2）"] {
            XCTAssertTrue(help.stdout.contains(heading), heading)
        }
        for english in ["OVERVIEW:", "USAGE:", "OPTIONS:", "Show help information."] {
            XCTAssertFalse(help.stdout.contains(english), english)
        }
        let root = try CLI.run(["--help"])
        XCTAssertTrue(root.stdout.contains("子命令："), root.stdout)
        XCTAssertTrue(root.stdout.contains("显示版本号。"), root.stdout)
        let version = try CLI.run(["--version"])
        XCTAssertEqual(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, false)
        XCTAssertEqual(version.status, 0)
    }
}
