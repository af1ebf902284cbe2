@testable import BulletinLintCore
import Foundation
import XCTest

/// Control characters of a document (in `{text}`, the quoted line) and of a file name reach
/// the text and github formats escaped (`\u{1B}`), not as terminal escape sequences or line
/// breaks; the caret stays under the finding.
final class EscapingTests: XCTestCase {
    private func report(text: String, path: String) throws -> FileReport {
        let yaml = """
        ruleset: escaping
        extends: [bulletin]
        rules:
          - id: bad-word
            check: forbidden
            scope: document
            patterns: ['坏[^。]*词']
            severity: warning
            message: 不要写“{text}”
        """
        let ruleSet = try RuleSetLoader().load(text: yaml, path: "escaping.yaml")
        let full = Linter(ruleSet: ruleSet).lint(SourceText(path: path, text: text))
        let mine = full.diagnostics.filter { $0.ruleID == "bad-word" }
        XCTAssertEqual(mine.count, 1, "\(full.diagnostics.map(\.ruleID))")
        return FileReport(path: full.path, source: full.source, diagnostics: mine)
    }

    private static let evilPath = "evil\u{1B}]0;owned\u{07}\nname.txt"
    private static let evilText = "【工作动态】\n标题\n前文\u{1B}[2J坏\u{9B}31m词\u{2028}后文\u{202E}。（某办）\n"

    func testTextFormatEscapesControlsInMessagePathAndExcerpt() throws {
        let report = try report(text: Self.evilText, path: Self.evilPath)
        let out = TextFormatter(color: false).format(report.diagnostics[0], in: report)
        for scalar in out.unicodeScalars where scalar != "\n" {
            XCTAssertFalse(TerminalEscaping.needsEscape(scalar), "unescaped U+\(String(scalar.value, radix: 16)) in \(out.debugDescription)")
        }
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("evil\\u{1B}]0;owned\\u{7}\\u{A}name.txt:"), lines[0])
        XCTAssertTrue(lines[0].contains("不要写“坏\\u{9B}31m词”"), lines[0])
        // The excerpt shows the controls escaped, and the caret run starts under “坏” and is as
        // wide as the finding, escapes included.
        let shown = try XCTUnwrap(lines.first { $0.contains(" | ") && $0.contains("前文") })
        XCTAssertTrue(shown.contains("前文\\u{1B}[2J坏\\u{9B}31m词\\u{2028}后文\\u{202E}。"), shown)
        let caretLine = try XCTUnwrap(lines.first { $0.contains("^") })
        let beforeFinding = String(shown[..<(try XCTUnwrap(shown.range(of: "坏"))).lowerBound])
        let caretColumn = DisplayWidth.of(String(caretLine[..<(try XCTUnwrap(caretLine.firstIndex(of: "^")))]))
        XCTAssertEqual(caretColumn, DisplayWidth.of(beforeFinding), "\n\(shown)\n\(caretLine)")
        let finding = "坏\\u{9B}31m词"
        XCTAssertEqual(caretLine.filter { $0 == "^" || $0 == "~" }.count, DisplayWidth.of(finding), "\n\(shown)\n\(caretLine)")
    }

    func testGitHubFormatEscapesControls() throws {
        let report = try report(text: Self.evilText, path: Self.evilPath)
        let out = GitHubFormatter().command(report.diagnostics[0], path: report.path, located: true)
        XCTAssertEqual(out.filter { $0 == "\n" }.count, 1, out.debugDescription)
        for scalar in out.unicodeScalars where scalar != "\n" {
            XCTAssertFalse(TerminalEscaping.needsEscape(scalar), "unescaped U+\(String(scalar.value, radix: 16)) in \(out.debugDescription)")
        }
        XCTAssertTrue(out.contains("file=evil\\u{1B}]0;owned\\u{7}%0Aname.txt,"), out)
        XCTAssertTrue(out.contains("::不要写“坏\\u{9B}31m词”"), out)
    }

    /// JSON and SARIF escape every C0 control by JSON's rules already (`\\u001b`).
    func testJSONAndSARIFCarryNoRawControls() throws {
        let report = try report(text: Self.evilText, path: Self.evilPath)
        for text in [JSONFormatter().format([report]), SARIFFormatter().format([report])] {
            for byte in text.utf8 where byte < 0x20 {
                XCTAssertTrue(byte == 0x0A || byte == 0x20, "raw control \(byte)")
            }
        }
    }

    /// `inspect`'s outline escapes the document's text, its fields and its file name the same way:
    /// no raw control reaches the terminal, and each line of the outline is one line.
    func testInspectOutlineEscapesControls() throws {
        let text = "四川省地方志工作简报\n第\u{1B}[2J5期\n【工作动态】\n标题\u{9B}31m\n正文\u{202E}。（某办）\n报：省委\u{1B}]0;x\u{07}办公厅\n"
        let ruleSet = try RuleSetLoader().load(references: ["bulletin"])
        let out = InspectFormatter.text(ruleSet.parser.parse(SourceText(path: Self.evilPath, text: text)))
        for scalar in out.unicodeScalars where scalar != "\n" {
            XCTAssertFalse(TerminalEscaping.needsEscape(scalar), "unescaped U+\(String(scalar.value, radix: 16)) in \(out.debugDescription)")
        }
        XCTAssertTrue(out.hasPrefix("evil\\u{1B}]0;owned\\u{7}\\u{A}name.txt（编码："), out)
        XCTAssertTrue(out.contains("标题\\u{9B}31m"), out)
        XCTAssertTrue(out.contains("省委\\u{1B}]0;x\\u{7}办公厅"), out)
    }

    /// Text without controls comes back as it was (the golden outputs do not change).
    func testPlainTextIsUntouched() {
        let text = "二〇二一年\t第5期：“引号”、—— ① é"
        XCTAssertEqual(TerminalEscaping.escape(text), text)
        XCTAssertEqual(TerminalEscaping.escape("a\u{1B}b\u{85}c\u{2029}"), "a\\u{1B}b\\u{85}c\\u{2029}")
    }
}
