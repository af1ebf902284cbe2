@testable import BulletinLintCore
import Foundation
import XCTest

/// Issue 14, points 9 and 11: inputs that must stay small are refused by size before they are
/// read, and a message cannot grow without bound.
final class InputLimitTests: XCTestCase {
    /// A file of `size` bytes that takes no room (sparse): only its size matters here, and it is
    /// never read by the code under test.
    private func sparseFile(_ name: String, size: Int) throws -> URL {
        let url = try temporaryDirectory("limits").appendingPathComponent(name)
        XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: Data("# x\n".utf8)))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
        return url
    }

    func testOversizedRuleFileIsRefusedAtOneOneBeforeParsing() throws {
        let url = try sparseFile("huge.yaml", size: BoundedFile.ruleFileLimit + 1)
        XCTAssertThrowsError(try RuleSetLoader().load(references: [url.path])) { error in
            guard let error = error as? RuleFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.line, 1)
            XCTAssertEqual(error.column, 1)
            XCTAssertTrue(error.message.hasPrefix("规则文件过大"), error.message)
            XCTAssertTrue(error.message.contains("上限为 4 MB"), error.message)
        }
    }

    func testOversizedConfigurationIsRefusedAtOneOne() throws {
        let url = try sparseFile(".bulletinlint.yaml", size: BoundedFile.ruleFileLimit + 1)
        XCTAssertThrowsError(try RuleSetLoader().loadConfiguration(path: url.path)) { error in
            guard let error = error as? RuleFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.line, 1)
            XCTAssertEqual(error.column, 1)
            XCTAssertTrue(error.message.hasPrefix("配置文件过大"), error.message)
        }
    }

    func testRuleFileAtTheLimitStillLoads() throws {
        // A real rule file padded with a comment to just under the limit is read as before.
        let rules = "ruleset: padded\nextends: [bulletin]\n"
        let padding = "#" + String(repeating: "x", count: BoundedFile.ruleFileLimit - rules.utf8.count - 2) + "\n"
        let url = try temporaryDirectory("limits").appendingPathComponent("padded.yaml")
        try Data((rules + padding).utf8).write(to: url)
        XCTAssertEqual(try Data(contentsOf: url).count, BoundedFile.ruleFileLimit)
        XCTAssertNoThrow(try RuleSetLoader().load(references: [url.path]))
    }

    func testOversizedBaselineIsRefusedBySize() throws {
        let url = try sparseFile("baseline.json", size: BoundedFile.reportLimit + 1)
        XCTAssertThrowsError(try Baseline.load(path: url.path)) { error in
            guard let error = error as? Baseline.LoadError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("过大"), error.message)
            XCTAssertTrue(error.message.contains("上限为 64 MB"), error.message)
        }
    }

    func testEndlessDeviceIsCutAtTheLimit() throws {
        // Not a regular file: no size to check first; the read stops past the limit.
        guard FileManager.default.fileExists(atPath: "/dev/zero") else { return }
        XCTAssertThrowsError(try Baseline.load(path: "/dev/zero")) { error in
            guard let error = error as? Baseline.LoadError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("过大"), error.message)
        }
    }

    func testLargeDocumentsNeverExceedTheMemoryBudgetTogether() throws {
        // Four workers, each with a "document" of 60 % of the budget: never two at once.
        let budget = MemoryBudget(capacity: 100 * 1024 * 1024)
        let done = DispatchGroup()
        let running = Overlap()
        for _ in 0..<4 {
            done.enter()
            Thread {
                budget.withBytes(60 * 1024 * 1024) {
                    running.enter()
                    Thread.sleep(forTimeInterval: 0.05)
                    running.leave()
                }
                done.leave()
            }.start()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success, "the budget deadlocked")
        XCTAssertEqual(running.most, 1)
        XCTAssertEqual(budget.peak, 60 * 1024 * 1024)
        // A document larger than the whole budget still runs (alone); small ones are not counted.
        XCTAssertEqual(budget.withBytes(500 * 1024 * 1024) { 1 }, 1)
        XCTAssertEqual(budget.peak, 100 * 1024 * 1024)
        XCTAssertEqual(MemoryBudget.shared.capacity, 64 * 1024 * 1024)
    }

    /// `--fix` and the archive rules' pass read whole files too, `--jobs` at a time: they take
    /// large files out of the same budget as `check`'s lint does.
    func testFixAndTheArchivePassCountLargeFilesInTheBudget() throws {
        let folder = try temporaryDirectory("budget-fix")
        // Binary content: refused as soon as it is read, so the test costs a read, not a lint of
        // 8 MB; the budget is taken before the read either way.
        let size = MemoryBudget.largeDocument + 4096
        var paths: [String] = []
        for name in ["a.txt", "b.txt"] {
            let url = folder.appendingPathComponent(name)
            try Data(count: size).write(to: url)
            paths.append(url.path)
        }
        let ruleSet = try RuleSetLoader().load(text: """
            ruleset: t
            extends: [archive]
            """, path: folder.appendingPathComponent("t.yaml").path)
        let session = LintSession(ruleSet: ruleSet)
        let entries = FileCollector.entries(paths)
        let options = LintSession.Options(jobs: 2)

        MemoryBudget.shared.resetPeak()
        let results = try session.fix(entries, options: options, unsafe: false, write: false)
        XCTAssertEqual(results.count, 2)
        XCTAssertGreaterThanOrEqual(MemoryBudget.shared.peak, size, "--fix read large files outside the budget")

        MemoryBudget.shared.resetPeak()
        _ = try ArchivePass.findings(try session.plan(entries, shard: nil, jobs: 2), jobs: 2)
        XCTAssertGreaterThanOrEqual(MemoryBudget.shared.peak, size, "the archive pass read large files outside the budget")
        XCTAssertLessThanOrEqual(MemoryBudget.shared.peak, MemoryBudget.shared.capacity)
    }

    /// How many run at once, at most.
    final class Overlap: @unchecked Sendable {
        private let lock = NSLock()
        private var now = 0
        private(set) var most = 0
        func enter() { lock.lock(); now += 1; most = max(most, now); lock.unlock() }
        func leave() { lock.lock(); now -= 1; lock.unlock() }
    }

    // MARK: Point 11

    func testRenderedMessageIsCapped() throws {
        let yaml = """
        ruleset: loud
        extends: [bulletin]
        rules:
          - id: loud-pattern
            check: forbidden
            scope: document
            patterns: ['a{300}']
            severity: warning
            message: '\(String(repeating: "{text}", count: 2_000))'
            help: '见{text}'
        """
        let ruleSet = try RuleSetLoader().load(text: yaml, path: "loud.yaml")
        let text = "【工作动态】\n标题\n" + String(repeating: "a", count: 300) + "。（某办）"
        let report = Linter(ruleSet: ruleSet).lint(SourceText(path: "loud.txt", text: text))
        let loud = report.diagnostics.filter { $0.ruleID == "loud-pattern" }
        XCTAssertEqual(loud.count, 1)
        guard let message = loud.first?.message, let help = loud.first?.help else { return }
        // Each value cut to 200 characters, the message to 1,000, each cut marked with `…`.
        XCTAssertEqual(message.count, MessageTemplate.messageLimit + 1)
        XCTAssertTrue(message.hasPrefix(String(repeating: "a", count: 200) + "…" + String(repeating: "a", count: 200) + "…"))
        XCTAssertTrue(message.hasSuffix("…"))
        XCTAssertEqual(help, "见" + String(repeating: "a", count: 200) + "…")
    }

    func testShortMessagesAreUnchanged() {
        let template = MessageTemplate("“{text}”应为“{replacement}”")
        XCTAssertEqual(template.render(["text": "某某", "replacement": "某"], capped: true), "“某某”应为“某”")
        // A fix's replacement is written into the document: never cut.
        let long = String(repeating: "字", count: 5_000)
        XCTAssertEqual(MessageTemplate("{text}").render(["text": long]), long)
    }
}
