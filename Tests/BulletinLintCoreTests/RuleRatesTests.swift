import BulletinLintCore
import Foundation
import XCTest

/// `accuracy --rule-rates`: per rule, the documents it fires on, its share and findings, per group.
final class RuleRatesTests: XCTestCase {
    /// A made-up corpus: three real documents (one clean), one of ours, one that cannot be read.
    func testRatesCountDocumentsFindingsAndSamplesPerGroup() throws {
        let folder = try temporaryDirectory("rates")
        let real = folder.appendingPathComponent("real")
        let written = folder.appendingPathComponent("written")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: written, withIntermediateDirectories: true)
        func document(_ folder: URL, _ id: String, _ text: String?, ours: Bool = false) throws {
            if let text { try Data(text.utf8).write(to: folder.appendingPathComponent("\(id).txt")) }
            let truth = #"{"id": "\#(id)", "file": "\#(id).txt", "genre": "unknown", "written-by-us": \#(ours), "elements": null}"#
            try Data(truth.utf8).write(to: folder.appendingPathComponent("\(id).truth.json"))
        }
        try document(real, "a", "我们的工作其它方面也很好。\n经费为１２３万元。\n")
        try document(real, "b", "其它事项另行通知。\n其它人员按时参加。\n")
        try document(real, "c", "今天召开会议，研究有关事项。\n")
        try document(real, "d", nil)
        try document(written, "w", "其它事项另行通知。\n", ours: true)
        // A draft with planted problems is neither real nor ours.
        try Data("其它。\n".utf8).write(to: real.appendingPathComponent("p.txt"))
        try Data(#"{"file": "p.txt", "planted": [], "elements": null}"#.utf8).write(to: real.appendingPathComponent("p.truth.json"))

        let corpus = RuleRates.corpusFiles(directory: folder.path)
        XCTAssertEqual(corpus.real, ["a", "b", "c", "d"].map { folder.path + "/real/\($0).txt" })
        XCTAssertEqual(corpus.written, [folder.path + "/written/w.txt"])
        XCTAssertEqual(corpus.planted, [folder.path + "/real/p.txt"])

        let defaultSet = try ruleSet("default")
        let sichuan = try ruleSet("sichuan-difangzhi")
        let rates = RuleRates.measure(groups: [("real", "真实文件", corpus.real), ("written", "本项目编写的简报", corpus.written)],
                                      ruleSets: [defaultSet, sichuan])
        XCTAssertEqual(rates.groups.map(\.documents.count), [3, 1])
        XCTAssertEqual(rates.groups[0].unreadable.count, 1)
        XCTAssertTrue(rates.groups[0].unreadable[0].hasPrefix(folder.path + "/real/d.txt"), rates.groups[0].unreadable[0])

        // Every rule of default, then only the rules sichuan-difangzhi adds; none twice.
        let ids = rates.rows.map(\.id)
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertEqual(Array(ids.prefix(defaultSet.rules.count)), defaultSet.rules.map(\.id))
        let added = sichuan.rules.filter { defaultSet.rule($0.id) == nil }.map(\.id)
        XCTAssertFalse(added.isEmpty)
        XCTAssertEqual(Array(ids.dropFirst(defaultSet.rules.count)), added)
        XCTAssertTrue(rates.rows.dropFirst(defaultSet.rules.count).allSatisfy { $0.measuredWith == "sichuan-difangzhi" })

        let outdated = try XCTUnwrap(rates.rows.first { $0.id == "outdated-terms" })
        XCTAssertEqual(outdated.counts[0].documents, 2)
        XCTAssertEqual(outdated.counts[0].findings, 3)
        XCTAssertEqual(rates.share(outdated, group: 0), 2.0 / 3.0, accuracy: 1e-9)
        // The first finding of each document, then the second of b.
        XCTAssertEqual(outdated.counts[0].samples.map { "\(URL(fileURLWithPath: $0.path).lastPathComponent):\($0.line)" },
                       ["a.txt:1", "b.txt:1", "b.txt:2"])
        XCTAssertEqual(outdated.counts[0].samples[0].message, "“其它”应改为“其他”")
        XCTAssertEqual(outdated.counts[1], RuleRates.Counts(documents: 1, findings: 1, samples: [
            RuleRates.Sample(path: folder.path + "/written/w.txt", line: 1, message: "“其它”应改为“其他”"),
        ]))
        let digits = try XCTUnwrap(rates.rows.first { $0.id == "fullwidth-digits" })
        XCTAssertEqual(digits.counts[0].documents, 1)
        XCTAssertEqual(digits.counts[0].findings, 1)
        XCTAssertEqual(digits.counts[0].samples.map(\.line), [2])
        XCTAssertEqual(digits.counts[1], RuleRates.Counts())

        // Every other rule fires nowhere here and is listed with 0.
        for row in rates.rows where row.id != "outdated-terms" && row.id != "fullwidth-digits" {
            XCTAssertEqual(row.counts, [RuleRates.Counts(), RuleRates.Counts()], row.id)
        }

        // The table and the JSON say the same.
        let report = rates.report()
        XCTAssertTrue(report.contains("| outdated-terms | warning | default | 2 | 66.7% | 3 | 1 | 100.0% | 1 |"), report)
        XCTAssertTrue(report.contains("| disclosure-missing | warning | default | 0 | 0.0% | 0 | 0 | 0.0% | 0 |"), report)
        XCTAssertTrue(report.contains("  - \(folder.path)/real/b.txt:2：“其它”应改为“其他”\n"), report)
        let json = rates.json()
        let row = try XCTUnwrap(json["rules"]?.arrayValue?.first { $0["id"]?.stringValue == "outdated-terms" })
        XCTAssertEqual(row["real"]?["documents"]?.intValue, 2)
        XCTAssertEqual(row["real"]?["findings"]?.intValue, 3)
        XCTAssertEqual(row["real"]?["share"]?.stringValue, "66.7%")
        XCTAssertEqual(row["written"]?["samples"]?.arrayValue?.count, 1)
        XCTAssertEqual(json["groups"]?.arrayValue?.map { $0["documents"]?.intValue }, [3, 1])
    }

    /// Cross-document rules judge a group's documents together: a 期号 repeated in two files.
    func testArchiveRulesJudgeTheGroupTogether() throws {
        let folder = try temporaryDirectory("rates-archive")
        let text = "某某工作简报\n2021年第18期\n"
        for name in ["x", "y"] { try Data(text.utf8).write(to: folder.appendingPathComponent("\(name).txt")) }
        let files = ["x", "y"].map { folder.appendingPathComponent("\($0).txt").path }
        let rates = RuleRates.measure(groups: [("samples", "samples", files)], ruleSets: [try ruleSet("archive")])
        let duplicate = try XCTUnwrap(rates.rows.first { $0.id == "archive-issue-duplicate" })
        XCTAssertEqual(duplicate.counts[0].documents, 1)
        XCTAssertEqual(duplicate.counts[0].findings, 1)
    }
}
