@testable import BulletinLintCore
import Foundation
import XCTest

/// `merge` takes only the shards of one bulletinlint run: another tool's SARIF, shards of two
/// versions, a file in two shards (or one shard given twice), a JSON `path` that is not a
/// string are refused with a message, not merged into a wrong report.
final class MergeValidationTests: XCTestCase {
    private func sarif(tool: String = "bulletinlint", version: String = "0.1.0", paths: [String], runs: Int = 1) -> String {
        let results = paths.map { path -> JSON in
            .object([("ruleId", .string("r")), ("ruleIndex", .int(0)), ("level", .string("warning")),
                     ("message", .object([("text", .string("问题"))])),
                     ("locations", .array([.object([("physicalLocation", .object([
                         ("artifactLocation", .object([("uri", .string(path))])),
                     ]))])]))])
        }
        let run = JSON.object([
            ("tool", .object([("driver", .object([("name", .string(tool)), ("version", .string(version)),
                                                 ("rules", .array([.object([("id", .string("r"))])]))]))])),
            ("results", .array(results)),
        ])
        return JSON.object([("version", .string("2.1.0")), ("runs", .array(Array(repeating: run, count: runs)))]).render()
    }

    private func json(paths: [JSON], version: Int = 1) -> String {
        JSON.object([
            ("version", .int(version)),
            ("files", .array(paths.map { .object([("path", $0), ("diagnostics", .array([
                .object([("severity", .string("error")), ("message", .string("问题"))]),
            ]))]) })),
        ]).render()
    }

    private func mergeError(_ inputs: [(path: String, text: String)], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let (_, text) = try ReportMerger.merge(inputs)
            XCTFail("merged: \(text)", file: file, line: line)
            return ""
        } catch {
            return error.message
        }
    }

    func testAnotherToolsSARIFIsRefused() {
        let message = mergeError([("a.sarif", sarif(paths: ["a.txt"])), ("b.sarif", sarif(tool: "eslint", paths: ["b.js"]))])
        XCTAssertTrue(message.contains("b.sarif") && message.contains("eslint") && message.contains("不是 bulletinlint"), message)
        let first = mergeError([("x.sarif", sarif(tool: "semgrep", paths: ["x.py"]))])
        XCTAssertTrue(first.contains("semgrep"), first)
    }

    func testShardsOfTwoVersionsAreRefused() {
        let message = mergeError([("a.sarif", sarif(paths: ["a.txt"])), ("b.sarif", sarif(version: "0.2.0", paths: ["b.txt"]))])
        XCTAssertTrue(message.contains("0.2.0") && message.contains("0.1.0") && message.contains("同一版本"), message)
    }

    func testASARIFWithTwoRunsIsRefused() {
        let message = mergeError([("a.sarif", sarif(paths: ["a.txt"], runs: 2))])
        XCTAssertTrue(message.contains("2 个 run"), message)
    }

    func testOneShardGivenTwiceIsRefused() {
        let shard = sarif(paths: ["a.txt", "a.txt"])
        let message = mergeError([("a.sarif", shard), ("copy.sarif", shard)])
        XCTAssertTrue(message.contains("a.txt") && message.contains("a.sarif"), message)
        let jsonShard = json(paths: [.string("a.txt")])
        let twice = mergeError([("a.json", jsonShard), ("a.json", jsonShard)])
        XCTAssertTrue(twice.contains("两次"), twice)
        let copied = mergeError([("a.json", jsonShard), ("b.json", jsonShard)])
        XCTAssertTrue(copied.contains("a.txt") && copied.contains("a.json"), copied)
    }

    func testAJSONPathThatIsNotAStringIsRefused() {
        let message = mergeError([("a.json", json(paths: [.int(7)]))])
        XCTAssertTrue(message.contains("path 不是字符串"), message)
        let object = mergeError([("a.json", json(paths: [.object([("x", .int(1))])]))])
        XCTAssertTrue(object.contains("path 不是字符串"), object)
    }

    func testAJSONReportOfAnotherVersionIsRefused() {
        let message = mergeError([("a.json", json(paths: [.string("a.txt")], version: 2))])
        XCTAssertTrue(message.contains("version 1"), message)
    }

    /// Shards that split the files merge as before.
    func testDisjointShardsStillMerge() throws {
        let (kind, _) = try ReportMerger.merge([("a.sarif", sarif(paths: ["a.txt", "a.txt"])), ("b.sarif", sarif(paths: ["b.txt"]))])
        XCTAssertEqual(kind, .sarif)
        let (jsonKind, text) = try ReportMerger.merge([("a.json", json(paths: [.string("a.txt")])), ("b.json", json(paths: [.string("b.txt")]))])
        XCTAssertEqual(jsonKind, .json)
        XCTAssertTrue(text.contains("\"errors\":2") || text.contains("\"errors\": 2"), text)
    }
}
