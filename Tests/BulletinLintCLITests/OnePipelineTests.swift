import Foundation
import XCTest

/// `check`, `--fix` and `--diff` go through one per-document pipeline: a fix never touches what
/// `check` does not report (Markdown code, suppressed lines, `ignore:` entries, other shards), and
/// every configuration of a run counts, however the files are ordered or scheduled.
final class OnePipelineTests: XCTestCase {
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bl-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func write(_ text: String, _ name: String, in dir: URL) throws {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    private func read(_ name: String, in dir: URL) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    /// A bulletin whose article says 其它 (the `outdated-terms` rule fixes it to 其他) in
    /// `body`.
    private func bulletin(_ body: String) -> String {
        """
        四川省地方志工作简报
        2021年第5期
        【工作动态】
        某市召开会议
        \(body)（某市地方志办）
        信息公开选项：主动公开
        报：省委，省政府。
        四川省地方志工作办公室综合处 2021年4月2日印发

        """
    }

    func testFixLeavesMarkdownCodeAndSuppressedLinesAlone() throws {
        let dir = try scratch()
        let text = bulletin("""
        会议研究其它工作，命令为 `其它` 的 [链接](http://example.com/其它)。
        <!-- bulletinlint-disable-next-line outdated-terms -->
        会议保留其它写法。
        会议还研究其它事项。
        """)
        try write(text, "draft.md", in: dir)
        let check = try CLI.run(["--format", "json", "draft.md"], directory: dir)
        let reported = check.stdout.components(separatedBy: "\"rule\": \"outdated-terms\"").count - 1
        XCTAssertEqual(reported, 2, check.stdout)

        let diff = try CLI.run(["--diff", "draft.md"], directory: dir)
        XCTAssertEqual(diff.status, 1, diff.stderr)
        XCTAssertTrue(diff.stderr.contains("可修正 2 个问题"), diff.stderr)

        let fix = try CLI.run(["--fix", "draft.md"], directory: dir)
        XCTAssertTrue(fix.stderr.contains("已修正 2 个问题"), fix.stderr)
        let fixed = try read("draft.md", in: dir)
        XCTAssertTrue(fixed.contains("会议研究其他工作，命令为 `其它` 的 [链接](http://example.com/其它)。"), fixed)
        XCTAssertTrue(fixed.contains("<!-- bulletinlint-disable-next-line outdated-terms -->\n会议保留其它写法。"), fixed)
        XCTAssertTrue(fixed.contains("会议还研究其他事项。"), fixed)
    }

    func testFixHonoursIgnoreEntries() throws {
        let dir = try scratch()
        try write(bulletin("会议研究其它工作。"), "kept/a.txt", in: dir)
        try write(bulletin("会议研究其它工作。"), "fixed/b.txt", in: dir)
        try write("""
        extends: [default]
        ignore:
          - path: kept/*.txt
            rule: outdated-terms
            reason: 历史文件，保持原貌
        """, ".bulletinlint.yaml", in: dir)
        let fix = try CLI.run(["--fix", "."], directory: dir)
        XCTAssertTrue(fix.stderr.contains("已修正 1 个问题（1 个文件）"), fix.stderr)
        XCTAssertTrue(try read("kept/a.txt", in: dir).contains("其它"))
        XCTAssertTrue(try read("fixed/b.txt", in: dir).contains("其他"))
    }

    func testFixHonoursTheShard() throws {
        let dir = try scratch()
        let names = (1...6).map { "f\($0).txt" }
        for name in names { try write(bulletin("会议研究其它工作。"), name, in: dir) }
        let listed = try CLI.run(["--shard", "1/2", "--format", "json", "."], directory: dir)
        let inShard = Set(names.filter { listed.stdout.contains("\"\($0)\"") || listed.stdout.contains("/\($0)\"") })
        XCTAssertFalse(inShard.isEmpty)
        XCTAssertLessThan(inShard.count, names.count)
        _ = try CLI.run(["--fix", "--shard", "1/2", "."], directory: dir)
        for name in names {
            XCTAssertEqual(try read(name, in: dir).contains("其他"), inShard.contains(name), name)
        }
    }

    /// Three nested configurations; the root's files come first in path order and fill more than
    /// a batch, so the nested configurations are loaded only after the first report is ready.
    private func nestedTree() throws -> URL {
        let dir = try scratch()
        for i in 0..<70 { try write(bulletin("会议研究工作。"), String(format: "a%02d.txt", i), in: dir) }
        try write("""
        extends: [default]
        rules:
          - id: house-term-a
            check: forbidden
            phrases: [甲方案]
            severity: warning
            message: 不用“{text}”
            help: 本单位规范。
        """, "z1/.bulletinlint.yaml", in: dir)
        try write("""
        extends: [archive]
        rules:
          - id: house-term-b
            check: forbidden
            phrases: [乙方案]
            severity: warning
            message: 不用“{text}”
            help: 本单位规范。
        """, "z1/z2/.bulletinlint.yaml", in: dir)
        try write(bulletin("会议研究甲方案。"), "z1/b.txt", in: dir)
        try write(bulletin("会议研究乙方案。"), "z1/z2/c1.txt", in: dir)
        try write(bulletin("会议研究乙方案。"), "z1/z2/c2.txt", in: dir)
        try write("extends: [gongwen]\n", "z1/z3/.bulletinlint.yaml", in: dir)
        try write(bulletin("会议研究工作。"), "z1/z3/d.txt", in: dir)
        return dir
    }

    func testSARIFIsTheSameWithAnyNumberOfJobsAndListsEveryConfigurationsRules() throws {
        let dir = try nestedTree()
        let one = try CLI.run(["--jobs", "1", "--format", "sarif", "."], directory: dir)
        let two = try CLI.run(["--jobs", "2", "--format", "sarif", "."], directory: dir)
        XCTAssertEqual(one.stdout, two.stdout)
        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let run = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first)
        let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        let ids = rules.compactMap { $0["id"] as? String }
        for id in ["house-term-a", "house-term-b", "archive-issue-duplicate", "gongwen-footer-order"] {
            XCTAssertTrue(ids.contains(id), "\(id) missing from driver.rules")
        }
        // Every result's ruleIndex points at its own rule.
        for result in run["results"] as? [[String: Any]] ?? [] {
            let index = try XCTUnwrap(result["ruleIndex"] as? Int)
            XCTAssertEqual(ids[index], result["ruleId"] as? String)
        }
    }

    /// The archive rules of a nested configuration govern its files, even when the first file
    /// of the run is governed by a configuration without them.
    func testArchiveRulesOfANestedConfigurationAreApplied() throws {
        let dir = try nestedTree()
        let run = try CLI.run(["--format", "json", "."], directory: dir)
        XCTAssertTrue(run.stdout.contains("\"rule\": \"archive-issue-duplicate\""), run.stdout)
        // Only the two files under the archive configuration were compared: one duplicate, not 71.
        XCTAssertEqual(run.stdout.components(separatedBy: "\"rule\": \"archive-issue-duplicate\"").count - 1, 1, run.stdout)
    }

    /// Shards of a tree whose configuration has an `ignore:` entry merge: no shard judges the
    /// entry unused (another shard may use it), so no two shards report on the configuration file.
    func testShardsOfATreeWithIgnoreEntriesMerge() throws {
        let dir = try scratch()
        for i in 1...6 { try write(bulletin("会议研究工作。"), "f\(i).txt", in: dir) }
        try write(bulletin("会议研究其它工作。"), "hist/h.txt", in: dir)
        try write("""
        extends: [default]
        ignore:
          - path: hist/**
            rule: outdated-terms
            reason: 历史文件
        """, ".bulletinlint.yaml", in: dir)
        var shards: [String] = []
        for i in 1...3 {
            let name = "s\(i).sarif"
            let run = try CLI.run(["--shard", "\(i)/3", "--format", "sarif", "--output", "../\(name)", "."], directory: dir)
            XCTAssertNotEqual(run.status, 2, run.stderr)
            let text = try String(contentsOf: dir.deletingLastPathComponent().appendingPathComponent(name), encoding: .utf8)
            XCTAssertFalse(text.contains("\"ruleId\": \"unused-suppression\""), "shard \(i)")
            shards.append(dir.deletingLastPathComponent().appendingPathComponent(name).path)
        }
        addTeardownBlock { for shard in shards { try? FileManager.default.removeItem(atPath: shard) } }
        let merged = try CLI.run(["merge"] + shards, directory: dir)
        XCTAssertEqual(merged.status, 0, merged.stderr)
    }

    /// An archive finding carries the severity the file's own configuration gives the rule.
    func testArchiveFindingsTakeTheFilesOwnSeverity() throws {
        let dir = try scratch()
        try write("extends: [archive]\n", ".bulletinlint.yaml", in: dir)
        try write("extends: [archive]\noverrides:\n  archive-issue-duplicate: { severity: info }\n", "nested/.bulletinlint.yaml", in: dir)
        try write(bulletin("会议研究工作。"), "a1.txt", in: dir)
        try write(bulletin("会议研究工作。"), "nested/n1.txt", in: dir)
        let run = try CLI.run(["--no-color", "."], directory: dir)
        XCTAssertTrue(run.stdout.contains("nested/n1.txt:2:1: info: 期号重复"), run.stdout)
    }

    /// `--diff` says what it could not read, and `--diff -` shows the fixes of standard input.
    func testDiffReportsMissingPathsAndReadsStandardInput() throws {
        let dir = try scratch()
        let missing = try CLI.run(["--diff", "nonexistent.txt"], directory: dir)
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("nonexistent.txt: note: 文件或文件夹不存在"), missing.stderr)
        try write(bulletin("会议研究其它工作。"), "in.txt", in: dir)
        let stdin = try CLI.run(["--diff", "-", "--stdin-filename", "in.txt"], stdin: dir.appendingPathComponent("in.txt"), directory: dir)
        XCTAssertEqual(stdin.status, 1, stdin.stderr)
        XCTAssertTrue(stdin.stdout.contains("-会议研究其它工作。（某市地方志办）\n+会议研究其他工作。（某市地方志办）"), stdin.stdout)
        XCTAssertEqual(try read("in.txt", in: dir), bulletin("会议研究其它工作。"))
    }
}
