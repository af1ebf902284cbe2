import Foundation
import XCTest

/// CI at an archive intake: parallel runs, shards and merge, baselines, archive checks, exit
/// policy.
final class ArchiveRunTests: XCTestCase {
    /// A 2,000-file archive, written once for the class.
    nonisolated(unsafe) static var archive: URL?

    static func makeArchive() throws -> URL {
        if let archive { return archive }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bl-archive-\(UUID().uuidString)")
        for i in 1...2000 {
            let year = 2020 + i % 3
            let number = i / 3 + 1
            let term = i % 7 == 0 ? "其它" : "其他"
            let date = i % 5 == 0 ? "3月 2日" : "3月2日"
            let text = """
            四川省地方志工作简报
            \(year)年第\(number)期（总第\(100 + number)期）
            【工作动态】
            某市召开第\(i)次会议
            \(date)，某市召开会议，研究\(term)工作。（某市地方志办）
            信息公开选项：主动公开
            报：省委，省政府。
            四川省地方志工作办公室综合处 \(year)年4月\(1 + number % 28)日印发

            """
            let folder = root.appendingPathComponent("d\(i % 10)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: folder.appendingPathComponent(String(format: "b%04d.txt", i)))
        }
        archive = root
        return root
    }

    override class func tearDown() {
        if let archive { try? FileManager.default.removeItem(at: archive) }
        archive = nil
        super.tearDown()
    }

    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bl-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testJobsGiveByteIdenticalReports() throws {
        let root = try Self.makeArchive()
        let one = try CLI.run(["--format", "json", "--jobs", "1", "."], directory: root)
        let two = try CLI.run(["--format", "json", "--jobs", "2", "."], directory: root)
        XCTAssertEqual(one.status, 0)
        XCTAssertTrue(one.stdout.contains("\"files\": 2000"))
        XCTAssertEqual(one.stdout, two.stdout)
        let text1 = try CLI.run(["--no-color", "--jobs", "1", "d3"], directory: root)
        let text2 = try CLI.run(["--no-color", "--jobs", "2", "d3"], directory: root)
        XCTAssertEqual(text1.stdout, text2.stdout)
    }

    func testShardsMergedEqualTheUnshardedReport() throws {
        let root = try Self.makeArchive()
        let out = try scratch()
        for format in ["json", "sarif"] {
            let whole = try CLI.run(["--format", format, "--jobs", "2", "."], directory: root)
            var parts: [String] = []
            var total = 0
            for index in 1...3 {
                let part = out.appendingPathComponent("shard\(index).\(format)").path
                let run = try CLI.run(["--format", format, "--shard", "\(index)/3", "--output", part, "."], directory: root)
                XCTAssertEqual(run.status, 0, run.stderr)
                XCTAssertEqual(run.stdout, "")
                parts.append(part)
                let text = try String(contentsOfFile: part, encoding: .utf8)
                total += format == "json" ? text.components(separatedBy: "\n      \"path\"").count - 1 : 0
            }
            if format == "json" { XCTAssertEqual(total, 2000, "every file in exactly one shard") }
            let merged = try CLI.run(["merge"] + parts, directory: root)
            XCTAssertEqual(merged.status, 0, merged.stderr)
            XCTAssertEqual(merged.stdout, whole.stdout, format)
        }
    }

    func testBaselineKeepsOldFindingsQuietAndReportsNewOnes() throws {
        let dir = try scratch()
        let file = dir.appendingPathComponent("a.txt")
        let original = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n3月 2日，某市研究其它工作。（某办）\n信息公开选项：主动公开\n报：省委。\n某办 2021年4月2日印发\n"
        try Data(original.utf8).write(to: file)
        let write = try CLI.run(["--write-baseline", "baseline.json", "a.txt"], directory: dir)
        XCTAssertEqual(write.status, 0)
        let baseline = try String(contentsOf: dir.appendingPathComponent("baseline.json"), encoding: .utf8)
        XCTAssertTrue(baseline.contains("\"rule\": \"outdated-terms\""))
        XCTAssertFalse(baseline.contains("\"line\""), "keyed by text, not line")
        // An edit above the findings moves them down two lines: still known.
        try Data(original.replacingOccurrences(of: "某市召开会议\n", with: "某市召开会议\n会议由市地方志办主任主持，\n各区县参加。\n").utf8).write(to: file)
        let quiet = try CLI.run(["--baseline", "baseline.json", "--no-color", "a.txt"], directory: dir)
        XCTAssertEqual(quiet.status, 0)
        XCTAssertTrue(quiet.stdout.hasSuffix("共检查 1 个文件：0 个错误，0 个警告，0 个提示\n"), quiet.stdout)
        XCTAssertTrue(quiet.stderr.contains("已隐藏基线中的 2 个问题"), quiet.stderr)
        // A new defect is reported; the fixed one is counted as stale.
        try Data(original.replacingOccurrences(of: "其它", with: "其他").replacingOccurrences(of: "报：省委。", with: "报：省委").utf8).write(to: file)
        let fresh = try CLI.run(["--baseline", "baseline.json", "--no-color", "a.txt"], directory: dir)
        XCTAssertEqual(fresh.status, 1)
        XCTAssertTrue(fresh.stdout.contains("[distribution-terminator]"), fresh.stdout)
        XCTAssertFalse(fresh.stdout.contains("[date-spacing]"))
        XCTAssertTrue(fresh.stderr.contains("基线中有 1 条已不再出现"), fresh.stderr)
    }

    /// Recording a baseline succeeds, errors and all: recording is what was asked for.
    func testWritingABaselineOfFindingsWithErrorsSucceeds() throws {
        let dir = try scratch()
        try Data("四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n某市召开会议。\n报：省委。\n".utf8)
            .write(to: dir.appendingPathComponent("a.txt"))
        XCTAssertEqual(try CLI.run(["a.txt"], directory: dir).status, 1)
        let write = try CLI.run(["--write-baseline", "baseline.json", "a.txt"], directory: dir)
        XCTAssertEqual(write.status, 0, write.stderr)
        XCTAssertTrue(write.stderr.contains("已写入基线 baseline.json："), write.stderr)
        XCTAssertEqual(try CLI.run(["--baseline", "baseline.json", "a.txt"], directory: dir).status, 0)
    }

    func testARunThatChecksNoFileSaysSo() throws {
        let dir = try scratch()
        try Data("x".utf8).write(to: dir.appendingPathComponent("picture.png"))
        let run = try CLI.run(["."], directory: dir)
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("没有检查任何文件"), run.stderr)
    }

    func testArchiveChecksNameTheOtherFile() throws {
        let dir = try scratch()
        func bulletin(_ number: Int, _ total: Int, _ day: Int) -> String {
            "四川省地方志工作简报\n2021年第\(number)期（总第\(total)期）\n【工作动态】\n某市召开会议\n某市召开会议。（某办）\n信息公开选项：主动公开\n报：省委。\n某办 2021年4月\(day)日印发\n"
        }
        try Data(bulletin(17, 137, 2).utf8).write(to: dir.appendingPathComponent("a17.txt"))
        try Data(bulletin(18, 138, 9).utf8).write(to: dir.appendingPathComponent("b18.txt"))
        try Data(bulletin(18, 138, 10).utf8).write(to: dir.appendingPathComponent("c18.txt"))
        try Data(bulletin(20, 140, 16).utf8).write(to: dir.appendingPathComponent("d20.txt"))
        let run = try CLI.run(["--rules", "archive", "--no-color", "."], directory: dir)
        XCTAssertEqual(run.status, 1)
        let headers = CLI.diagnosticHeaders(run.stdout)
        XCTAssertEqual(headers, [
            "c18.txt:2:1: error: 期号重复：第18期与 b18.txt 重复 [archive-issue-duplicate]",
            "d20.txt:2:1: warning: 期号“第20期”不连续：上一期是 c18.txt 的第18期，缺少第19期 [archive-issue-gap]",
        ])
    }

    func testExitPolicy() throws {
        let dir = try scratch()
        try Data("四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n某市研究其它工作。（某办）\n信息公开选项：主动公开\n报：省委。\n某办 2021年4月2日印发\n".utf8)
            .write(to: dir.appendingPathComponent("w.txt"))
        XCTAssertEqual(try CLI.run(["w.txt"], directory: dir).status, 0, "one warning, no error")
        XCTAssertEqual(try CLI.run(["--strict", "w.txt"], directory: dir).status, 1)
        XCTAssertEqual(try CLI.run(["--max-warnings", "0", "w.txt"], directory: dir).status, 1)
        XCTAssertEqual(try CLI.run(["--max-warnings", "1", "w.txt"], directory: dir).status, 0)
        try Data("报：省委\n".utf8).write(to: dir.appendingPathComponent("e.txt"))
        XCTAssertEqual(try CLI.run(["e.txt"], directory: dir).status, 1)
        XCTAssertEqual(try CLI.run(["--exit-zero", "e.txt"], directory: dir).status, 0)
        let stats = try CLI.run(["--stats", "--no-color", "e.txt", "w.txt"], directory: dir)
        XCTAssertTrue(stats.stdout.contains("统计："), stats.stdout)
        XCTAssertTrue(stats.stdout.contains("outdated-terms"), stats.stdout)
        XCTAssertTrue(stats.stdout.contains("合计："), stats.stdout)
    }

    func testReportsAreWrittenBesideTheMainOutput() throws {
        let dir = try scratch()
        try Data("报：省委\n".utf8).write(to: dir.appendingPathComponent("e.txt"))
        let run = try CLI.run(["--no-color", "--report", "sarif=out.sarif", "--report", "junit=out.xml", "e.txt"], directory: dir)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("[imprint-missing]"))
        let sarif = try String(contentsOf: dir.appendingPathComponent("out.sarif"), encoding: .utf8)
        XCTAssertTrue(sarif.contains("\"ruleId\": \"imprint-missing\""))
        let junit = try String(contentsOf: dir.appendingPathComponent("out.xml"), encoding: .utf8)
        XCTAssertTrue(junit.contains("<testsuites"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }
}
