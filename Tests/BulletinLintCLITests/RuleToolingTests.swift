import Foundation
import XCTest

/// The rule tooling commands and the house-style walkthrough of docs/RULES.md.
final class RuleToolingTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bl-tooling-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    // MARK: The guide cannot drift from the files it shows

    func testGuideCodeBlocksMatchTheWalkthroughFiles() throws {
        let guide = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("docs/RULES.md"), encoding: .utf8)
        let lines = guide.components(separatedBy: "\n")
        var checked: [String] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("<!-- file: "), line.hasSuffix(" -->") {
                let path = String(line.dropFirst("<!-- file: ".count).dropLast(" -->".count))
                XCTAssertTrue(lines[i + 1].hasPrefix("```"), path)
                var body: [String] = []
                var j = i + 2
                while j < lines.count, lines[j] != "```" { body.append(lines[j]); j += 1 }
                let file = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent(path), encoding: .utf8)
                XCTAssertEqual(body.joined(separator: "\n") + "\n", file, "docs/RULES.md block for \(path) differs from the file")
                checked.append(path)
                i = j
            }
            i += 1
        }
        XCTAssertEqual(Set(checked), ["samples/house-style/chengdu-rules.yaml", "samples/house-style/.bulletinlint.yaml",
                                      "samples/house-style/good.txt", "samples/house-style/bad.txt",
                                      "samples/house-style/expected/bad.out"])
    }

    func testWalkthroughOutputMatchesTheGuide() throws {
        let run = try CLI.run(["--no-color", "samples/house-style/bad.txt"])
        XCTAssertEqual(run.status, 1)
        try CLI.compareOrRecord(run.stdout, golden: "../house-style/expected/bad.out")
        let good = try CLI.run(["--no-color", "samples/house-style/good.txt"])
        XCTAssertEqual(good.status, 0, good.stdout)
        XCTAssertTrue(good.stdout.hasSuffix("0 个错误，0 个警告，0 个提示\n"), good.stdout)
    }

    func testWalkthroughFolderRunUsesExcludeAndIgnore() throws {
        let run = try CLI.run(["--no-color", "samples/house-style/"])
        XCTAssertFalse(run.stdout.contains("草稿"), "excluded by the config")
        XCTAssertFalse(run.stdout.contains("2019/old.txt"), "its banned term is ignored with a reason")
        XCTAssertFalse(run.stdout.contains("unused-suppression"), "the ignore entry is used")
        XCTAssertTrue(run.stdout.contains("共检查 3 个文件"), run.stdout)
    }

    func testHouseRulesPassAndABrokenExampleIsCaught() throws {
        let run = try CLI.run(["test-rules", "samples/house-style/chengdu-rules.yaml", "--own-only"])
        XCTAssertEqual(run.status, 0, run.stdout)
        XCTAssertEqual(run.stdout, "共运行 6 个示例：0 个失败，0 条规则没有示例\n")
        let original = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("samples/house-style/chengdu-rules.yaml"), encoding: .utf8)
        let broken = scratch.appendingPathComponent("chengdu-rules.yaml")
        try Data(original.replacingOccurrences(of: "↓搞好资料报送", with: "↓做好资料报送").utf8).write(to: broken)
        let failing = try CLI.run(["test-rules", "chengdu-rules.yaml", "--own-only"], directory: scratch)
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.stdout.hasPrefix("chengdu-rules.yaml:36:17: error: 规则“city-banned-terms”的 invalid 示例没有触发该规则\n"), failing.stdout)
    }

    func testMisplacedMarkerIsAFailure() throws {
        let file = scratch.appendingPathComponent("r.yaml")
        try Data("""
        ruleset: r
        extends: [bulletin]
        rules:
          - id: no-wechat
            check: forbidden
            phrases: [微信群]
            severity: warning
            message: 不用“{text}”
            examples:
              valid: ["【工作动态】\\n标题\\n通过工作群通知。（某办）"]
              invalid: ["【工作动态】\\n标题\\n↓通过微信群通知。（某办）"]
          - id: no-examples
            check: forbidden
            phrases: [群聊]
            severity: info
            message: 不用“{text}”
        """.utf8).write(to: file)
        let run = try CLI.run(["test-rules", "r.yaml", "--own-only"], directory: scratch)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, """
        r.yaml:11:17: error: 规则“no-wechat”的 invalid 示例中，↓ 标记的位置是 3:1，实际报告在 3:3
        r.yaml:12:5: warning: 规则“no-examples”没有示例
        共运行 2 个示例：1 个失败，1 条规则没有示例

        """)
    }

    /// The rule file in the README's "Adapting the rules" loads and its examples pass.
    func testReadmeRuleFileWorks() throws {
        let readme = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(readme.range(of: "## Adapting the rules"))
        let start = try XCTUnwrap(readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex))
        let end = try XCTUnwrap(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        try Data(readme[start.upperBound..<end.lowerBound].utf8).write(to: scratch.appendingPathComponent("chengdu.yaml"))
        let run = try CLI.run(["test-rules", "chengdu.yaml", "--own-only"], directory: scratch)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertEqual(run.stdout, "共运行 2 个示例：0 个失败，0 条规则没有示例\n")
    }

    // MARK: rules, explain, init

    func testRulesListsTheResolvedSet() throws {
        let run = try CLI.run(["rules", "--rules", "sichuan-difangzhi"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.hasPrefix("规则集 sichuan-difangzhi（rules/base.yaml、rules/bulletin.yaml、rules/sichuan-difangzhi.yaml）"), run.stdout)
        let line = try XCTUnwrap(run.stdout.components(separatedBy: "\n").first { $0.hasPrefix("disclosure-missing") })
        XCTAssertTrue(line.contains("🔒") && line.contains("error") && line.contains("required") && line.contains("bulletin"), line)
        let json = try CLI.run(["rules", "--format", "json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rules = try XCTUnwrap(object["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.first { $0["id"] as? String == "imprint-missing" }?["severity"] as? String, "error")
    }

    func testRulesAsMarkdownAndTheBuiltinReference() throws {
        let markdown = try CLI.run(["rules", "--rules", "sichuan-difangzhi", "--format", "markdown"])
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        XCTAssertTrue(markdown.stdout.hasPrefix("# 规则集 `sichuan-difangzhi`："), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("### `column-name`："), markdown.stdout)
        // What scripts/make-rule-reference writes, from any folder.
        let reference = try CLI.run(["rules", "--reference"], directory: scratch)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        let committed = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("docs/RULE-REFERENCE.md"), encoding: .utf8)
        XCTAssertTrue(reference.stdout == committed, "docs/RULE-REFERENCE.md is out of date: run scripts/make-rule-reference")
        // The reference is of the built-in sets: --rules has no say in it.
        let mixed = try CLI.run(["rules", "--reference", "--rules", "bulletin"])
        XCTAssertNotEqual(mixed.status, 0)
        XCTAssertTrue(mixed.stderr.contains("--reference"), mixed.stderr)
    }

    func testAccuracyRuleRatesInTextAndJSON() throws {
        let real = scratch.appendingPathComponent("corpus/real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try Data("其它事项另行通知。\n".utf8).write(to: real.appendingPathComponent("a.txt"))
        try Data(#"{"id": "a", "file": "a.txt", "genre": "unknown", "elements": null}"#.utf8).write(to: real.appendingPathComponent("a.truth.json"))
        let samples = scratch.appendingPathComponent("samples")
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        try Data("１２３\n".utf8).write(to: samples.appendingPathComponent("s.txt"))
        let text = try CLI.run(["accuracy", "corpus", "--summary", "--rule-rates", "--samples", "samples"], directory: scratch)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("| outdated-terms | warning | default | 1 | 100.0% | 1 | 0 | 0.0% | 0 | 0 | 0.0% | 0 |"), text.stdout)
        XCTAssertTrue(text.stdout.contains("| fullwidth-digits | warning | default | 0 | 0.0% | 0 | 0 | 0.0% | 0 | 1 | 100.0% | 1 |"), text.stdout)
        XCTAssertTrue(text.stdout.contains("  - corpus/real/a.txt:1：“其它”应改为“其他”"), text.stdout)
        let json = try CLI.run(["accuracy", "corpus", "--json", "--rule-rates"], directory: scratch)
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(object["real"])
        let rates = try XCTUnwrap(object["rule-rates"] as? [String: Any])
        let rules = try XCTUnwrap(rates["rules"] as? [[String: Any]])
        let outdated = try XCTUnwrap(rules.first { $0["id"] as? String == "outdated-terms" })
        XCTAssertEqual((outdated["real"] as? [String: Any])?["documents"] as? Int, 1)
        // The opt-in sets' rules are there too, measured with their own set.
        XCTAssertEqual(rules.first { $0["id"] as? String == "archive-issue-gap" }?["measured-with"] as? String, "archive")
        let misuse = try CLI.run(["accuracy", "corpus", "--samples", "samples"], directory: scratch)
        XCTAssertNotEqual(misuse.status, 0)
    }

    func testExplainWritesPlaceholdersAsWords() throws {
        let run = try CLI.run(["explain", "outdated-terms"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("“〈原文〉”应改为“〈应改为的写法〉”"), run.stdout)
        XCTAssertTrue(run.stdout.contains("使用规范词形“〈应改为的写法〉”"), run.stdout)
        // The definition still shows the YAML as written.
        XCTAssertTrue(run.stdout.contains("message: “{text}”应改为“{replacement}”"), run.stdout)
    }

    func testExplainShowsWhyExamplesAndHowToOverride() throws {
        let run = try CLI.run(["explain", "disclosure-value"])
        XCTAssertEqual(run.status, 0)
        for fragment in ["检查类型：one-of", "国办发〔2016〕80号", "values: [主动公开, 依申请公开, 不予公开]",
                         "信息公开选项：依申请公开", "disclosure-value: off"] {
            XCTAssertTrue(run.stdout.contains(fragment), fragment)
        }
        let locked = try CLI.run(["explain", "disclosure-missing", "--rules", "sichuan-difangzhi"])
        XCTAssertTrue(locked.stdout.contains("已被规则集“sichuan-difangzhi”锁定"), locked.stdout)
        let unknown = try CLI.run(["explain", "disclosure-mising"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("是否要找“disclosure-missing”"), unknown.stderr)
    }

    /// A rule file's text reaches the terminal through `explain` and `rules` escaped as a
    /// document's does: an ESC in a title, a message or an example is shown as `\u{1B}`.
    func testExplainAndRulesEscapeControlsOfTheRuleFile() throws {
        let yaml = """
        ruleset: house
        extends: [bulletin]
        rules:
          - id: house-escape
            title: "标题\\e]0;owned\\a"
            check: forbidden
            scope: document
            patterns: ['坏词']
            severity: warning
            message: "“{text}”不用\\e[2J"
            examples:
              valid: ["3月24日，某市召开会议。（某市地方志办）"]
              invalid: ["3月24日，某市↓坏词会议。（某市地方志办）"]
        """
        try yaml.write(to: scratch.appendingPathComponent("house.yaml"), atomically: true, encoding: .utf8)
        let explained = try CLI.run(["explain", "house-escape", "--rules", "house.yaml"], directory: scratch)
        let listed = try CLI.run(["rules", "--rules", "house.yaml"], directory: scratch)
        for run in [explained, listed] {
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.contains("标题\\u{1B}]0;owned\\u{7}"), run.stdout)
            XCTAssertFalse(run.stdout.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }, run.stdout)
        }
        XCTAssertTrue(explained.stdout.contains("不用\\u{1B}[2J"), explained.stdout)
        XCTAssertGreaterThan(explained.stdout.split(separator: "\n").count, 5)
    }

    func testInitWritesAStarterThatWorksAndRefusesToOverwrite() throws {
        let first = try CLI.run(["init"], directory: scratch)
        XCTAssertEqual(first.status, 0)
        let written = try String(contentsOf: scratch.appendingPathComponent(".bulletinlint.yaml"), encoding: .utf8)
        XCTAssertTrue(written.contains("# 继承内置规则集"))
        let tested = try CLI.run(["test-rules"], directory: scratch)
        XCTAssertEqual(tested.status, 0, tested.stdout)
        let second = try CLI.run(["init"], directory: scratch)
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("已存在，未覆盖"))
        XCTAssertEqual(try String(contentsOf: scratch.appendingPathComponent(".bulletinlint.yaml"), encoding: .utf8), written)
    }

    /// The starter configuration works on a first run: every document format is checked, its
    /// example `ignore:` raises nothing, and the configuration file is not counted as checked.
    func testTheStarterConfigurationChecksEveryFormatQuietly() throws {
        XCTAssertEqual(try CLI.run(["init"], directory: scratch).status, 0)
        let clean = try String(contentsOf: CLI.samplesDirectory.appendingPathComponent("clean.txt"), encoding: .utf8)
        try Data(clean.utf8).write(to: scratch.appendingPathComponent("a.txt"))
        try Data("x".utf8).write(to: scratch.appendingPathComponent("b.docx"))
        let run = try CLI.run(["--no-color", "."], directory: scratch)
        XCTAssertEqual(run.status, 1, run.stdout)
        XCTAssertFalse(run.stdout.contains("unused-suppression"), run.stdout)
        XCTAssertTrue(run.stdout.contains("b.docx"), run.stdout)
        XCTAssertTrue(run.stdout.hasSuffix("共检查 2 个文件：1 个错误，0 个警告，0 个提示\n"), run.stdout)
        // An ignore entry that suppresses nothing is reported on the configuration file, which
        // is still not a checked file.
        try Data("extends: [default]\nignore:\n  - path: \"旧/**\"\n    rule: date-spacing\n    reason: 旧档案\n".utf8)
            .write(to: scratch.appendingPathComponent(".bulletinlint.yaml"))
        let unused = try CLI.run(["--no-color", "--format", "json", "."], directory: scratch)
        XCTAssertTrue(unused.stdout.contains("unused-suppression"), unused.stdout)
        XCTAssertTrue(unused.stdout.contains("\"files\": 2,"), unused.stdout)
    }

    /// A rule switched off or re-levelled by a configuration says so, and where.
    func testRulesAndExplainShowOverrides() throws {
        try Data("extends: [default]\noverrides:\n  date-spacing: { severity: error }\n  redundant-wording: off\n".utf8)
            .write(to: scratch.appendingPathComponent(".bulletinlint.yaml"))
        let rules = try CLI.run(["rules"], directory: scratch)
        XCTAssertTrue(rules.stdout.contains("已关闭：redundant-wording（.bulletinlint.yaml:4 的 overrides）"), rules.stdout)
        XCTAssertTrue(rules.stdout.range(of: #"date-spacing\s+error\*"#, options: .regularExpression) != nil, rules.stdout)
        let off = try CLI.run(["explain", "redundant-wording"], directory: scratch)
        XCTAssertEqual(off.status, 0)
        XCTAssertTrue(off.stdout.contains("已关闭：.bulletinlint.yaml:4 的 overrides"), off.stdout)
        let raised = try CLI.run(["explain", "date-spacing"], directory: scratch)
        XCTAssertTrue(raised.stdout.contains("级别：error（由 .bulletinlint.yaml:3 的 overrides 设置）"), raised.stdout)
        let json = try CLI.run(["rules", "--format", "json"], directory: scratch)
        XCTAssertTrue(json.stdout.contains("\"severity-set-at\": \".bulletinlint.yaml:3\""), json.stdout)
        XCTAssertTrue(json.stdout.contains("\"id\": \"redundant-wording\""), json.stdout)
    }

    func testConfigErrorsExitTwoWithPosition() throws {
        try Data("extends: [bulletin]\noverrides:\n  date-spaceing: off\n".utf8)
            .write(to: scratch.appendingPathComponent(".bulletinlint.yaml"))
        try Data("报：省委。\n".utf8).write(to: scratch.appendingPathComponent("a.txt"))
        let run = try CLI.run(["a.txt"], directory: scratch)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.hasPrefix(".bulletinlint.yaml:3:3: error: overrides 中的规则“date-spaceing”不存在（是否要写“date-spacing”？）\n"), run.stderr)
        XCTAssertEqual(run.stdout, "")
        let both = try CLI.run(["--rules", "bulletin", "--config", "x.yaml", "a.txt"], directory: scratch)
        // A usage error is exit 2, as the CLI contract says.
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("--rules 和 --config 不能同时使用"), both.stderr)
    }
}
