import BulletinLintCore
import Foundation
import XCTest

/// `--fix`, `--unsafe-fixes`, `--diff`: repairs that lose nothing.
final class FixTests: XCTestCase {
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bl-fix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// The samples and the reference page.
    private func copySamples(to dir: URL) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: CLI.samplesDirectory.path).filter { $0.hasSuffix(".txt") }.sorted()
        for name in names {
            try FileManager.default.copyItem(at: CLI.samplesDirectory.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let reference = CLI.repositoryRoot.appendingPathComponent("Tests/BulletinLintCoreTests/Fixtures/sichuan-bulletin-2021-04-extract.txt")
        try FileManager.default.copyItem(at: reference, to: dir.appendingPathComponent("reference.txt"))
        return names + ["reference.txt"]
    }

    /// The fixed samples: the fixed rules do not fire again, and every line that changed is a
    /// line where a fixable finding was reported.
    func testFixedSamplesDoNotRaiseTheFixedRulesAndChangeNothingElse() throws {
        let dir = try scratch()
        let names = try copySamples(to: dir)
        let before = try CLI.run(["--format", "json", "."], directory: dir)
        let beforeJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
        var fixableLines: [String: Set<Int>] = [:]
        var fixedRules: [String: Set<String>] = [:]
        for file in beforeJSON["files"] as? [[String: Any]] ?? [] {
            let path = file["path"] as? String ?? ""
            for diagnostic in file["diagnostics"] as? [[String: Any]] ?? [] where diagnostic["fixes"] != nil {
                let fix = (diagnostic["fixes"] as? [[String: Any]])?.first
                guard fix?["applicability"] as? String == "safe" else { continue }
                let span = diagnostic["span"] as? [String: Any]
                let start = (span?["start"] as? [String: Any])?["line"] as? Int ?? 0
                fixableLines[path, default: []].insert(start)
                fixedRules[path, default: []].insert(diagnostic["rule"] as? String ?? "")
            }
        }
        XCTAssertFalse(fixableLines.isEmpty)
        let originals = try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: dir.appendingPathComponent($0))) })
        let fixRun = try CLI.run(["--fix", "--format", "json", "."], directory: dir)
        XCTAssertTrue(fixRun.stderr.contains("已修正"), fixRun.stderr)
        let afterJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(fixRun.stdout.utf8)) as? [String: Any])
        for file in afterJSON["files"] as? [[String: Any]] ?? [] {
            let path = file["path"] as? String ?? ""
            let rules = Set((file["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
            XCTAssertTrue(rules.isDisjoint(with: fixedRules[path] ?? []), "\(path): \(rules.intersection(fixedRules[path] ?? []))")
        }
        for name in names where name != "gbk-encoded.txt" {
            let old = String(decoding: originals[name] ?? Data(), as: UTF8.self).components(separatedBy: "\n")
            let new = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).components(separatedBy: "\n")
            XCTAssertEqual(old.count, new.count, name)
            for (index, (a, b)) in zip(old, new).enumerated() where a != b {
                XCTAssertTrue(fixableLines[name]?.contains(index + 1) ?? false, "\(name):\(index + 1) changed without a fixable finding")
            }
        }
        // A second run finds nothing left to fix.
        let again = try CLI.run(["--fix", "."], directory: dir)
        XCTAssertTrue(again.stderr.contains("已修正 0 个问题"), again.stderr)
    }

    func testGB18030WithCRLFStaysSo() throws {
        let dir = try scratch()
        let text = "四川省地方志工作简报\r\n第5期\r\n【工作动态】\r\n某市召开会议\r\n某市研究其它工作。（某办）\r\n信息公开选项：主动公开\r\n报：省委。\r\n某办 2021年4月2日印发\r\n"
        let file = dir.appendingPathComponent("gbk.txt")
        try Data(try XCTUnwrap(TextDecoding.encodeGB18030(text))).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        let run = try CLI.run(["--fix", "gbk.txt"], directory: dir)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let bytes = [UInt8](try Data(contentsOf: file))
        XCTAssertEqual(bytes, TextDecoding.encodeGB18030(text.replacingOccurrences(of: "其它", with: "其他")))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int, 0o640)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["gbk.txt"], "no temporary left")
    }

    func testBOMStaysAndUnsafeFixesNeedTheFlag() throws {
        let dir = try scratch()
        let text = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n会议涉及到志鉴编纂。（某办）\n信息公开选项：主动公开\n报：省委。\n某办 2021年4月2日印发\n"
        let file = dir.appendingPathComponent("bom.txt")
        try Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)).write(to: file)
        _ = try CLI.run(["--fix", "bom.txt"], directory: dir)
        XCTAssertEqual([UInt8](try Data(contentsOf: file)), [0xEF, 0xBB, 0xBF] + Array(text.utf8), "redundant-wording is unsafe")
        _ = try CLI.run(["--fix", "--unsafe-fixes", "bom.txt"], directory: dir)
        XCTAssertEqual([UInt8](try Data(contentsOf: file)),
                       [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "涉及到", with: "涉及").utf8))
    }

    func testDiffWritesNothing() throws {
        let dir = try scratch()
        let names = try copySamples(to: dir)
        let before = try names.map { try Data(contentsOf: dir.appendingPathComponent($0)) }
        let run = try CLI.run(["--diff", "."], directory: dir)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("--- bad-dates.txt\n+++ bad-dates.txt\n@@"), run.stdout)
        XCTAssertTrue(run.stdout.contains("\n-四川省地方志工作办公室综合处          2021年04月02日印发\n+四川省地方志工作办公室综合处          2021年4月2日印发\n"))
        XCTAssertEqual(try names.map { try Data(contentsOf: dir.appendingPathComponent($0)) }, before)
    }

    func testFixOnStandardInputPrintsTheFixedText() throws {
        let dir = try scratch()
        let input = dir.appendingPathComponent("in.txt")
        try Data("报：省委\n某办 2021年04月02日印发\n".utf8).write(to: input)
        let run = try CLI.run(["--fix", "-"], stdin: input, directory: dir)
        XCTAssertEqual(run.stdout, "报：省委。\n某办 2021年4月2日印发\n")
    }

    func testDocxAndPDFAreNotWritten() throws {
        XCTAssertNotNil(FileFixer.refusal(forPath: "a.docx"))
        XCTAssertNotNil(FileFixer.refusal(forPath: "a.pdf"))
        XCTAssertNotNil(FileFixer.refusal(forPath: "a.ofd"))
        XCTAssertNil(FileFixer.refusal(forPath: "a.txt"))
        // Read through LibreOffice, so their text is not the file's bytes: never written.
        for name in ["a.doc", "a.wps", "a.rtf", "a.odt"] { XCTAssertNotNil(FileFixer.refusal(forPath: name), name) }
    }

    /// Killing `--fix` midway over a large folder leaves every file old or new, never partial.
    func testKilledFixLeavesEveryFileOldOrNew() throws {
        let dir = try scratch()
        let original = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n3月 2日，某市研究其它工作，，落实“十四五”规划。（某办）\n信息公开选项：主动公开\n报：省委\n某办 2021年04月02日印发\n"
        let fixed = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n3月2日，某市研究其他工作，落实“十四五”规划。（某办）\n信息公开选项：主动公开\n报：省委。\n某办 2021年4月2日印发\n"
        for i in 0..<1500 {
            try Data((original + String(repeating: "\n", count: i % 3)).utf8).write(to: dir.appendingPathComponent(String(format: "f%04d.txt", i)))
        }
        let process = Process()
        process.executableURL = try CLI.executable()
        process.arguments = ["--fix", "--jobs", "2", "."]
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.7)
        process.interrupt()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        var old = 0, new = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            if name.hasSuffix(".tmp") { continue }  // an abandoned temporary never replaces anything
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            let trimmed = text.replacingOccurrences(of: "\n\n", with: "\n").replacingOccurrences(of: "\n\n", with: "\n")
            if trimmed == original { old += 1 } else if trimmed == fixed { new += 1 } else { XCTFail("\(name) is partial: \(text.debugDescription)") }
        }
        XCTAssertEqual(old + new, 1500)
    }

    func testFixesThatUndoEachOtherAreReportedNotLooped() throws {
        let yaml = """
        ruleset: loop
        extends: [bulletin]
        rules:
          - id: a-to-b
            check: substitution
            swap: { 甲: 乙 }
            severity: warning
            message: 改
            fix: { with: '{replacement}' }
          - id: b-to-a
            check: substitution
            swap: { 乙: 甲 }
            severity: warning
            message: 改
            fix: { with: '{replacement}' }
        """
        let ruleSet = try RuleSetLoader().load(text: yaml, path: "loop.yaml")
        let outcome = FixApplier.fix(SourceText(path: "t.txt", text: "甲乙"), linter: Linter(ruleSet: ruleSet), unsafe: false)
        XCTAssertFalse(outcome.converged)
        XCTAssertLessThanOrEqual(outcome.passes, FixApplier.maximumPasses)
    }

    func testOverlappingEditsWaitForTheNextPass() {
        let fixes = [
            Fix(applicability: .safe, edits: [TextEdit(range: 0..<6, replacement: "X")], description: ""),
            Fix(applicability: .safe, edits: [TextEdit(range: 3..<9, replacement: "Y")], description: ""),
            Fix(applicability: .safe, edits: [TextEdit(range: 9..<12, replacement: "Z")], description: ""),
        ]
        let result = FixApplier.apply(fixes, to: "甲乙丙丁")
        XCTAssertEqual(result.text, "X丙Z")
        XCTAssertEqual(result.applied, 2)
    }
}
