import BulletinLintCore
import Foundation
import XCTest

/// The planted-problem drafts (`corpus/planted/`, written blind): the default rules must find at
/// least 90 % of the problem kinds planted in them, and raise no error on the clean controls.
/// A planted problem is found when any finding starts on its line (±1 for a missing element),
/// whichever rule it comes from — the same count as `scripts/planted-eval`, which prints the misses.
final class PlantedDraftsTests: XCTestCase {
    private struct Planted {
        let line: Int
        let category: String
    }

    func testThePlantedProblemKindsAreFoundAndTheControlsHaveNoError() throws {
        let folder = CorpusAccuracyTests.root.appendingPathComponent("corpus/planted")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".truth.json") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20)
        let linter = DocumentLinter(configuration: Configuration(ruleSet: try ruleSet("default"), directory: folder.path))
        var planted: [String: (total: Int, found: Int)] = [:]
        var controls = 0
        for name in names {
            let truth = try JSON.parse(String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
            guard case .string(let file)? = truth["file"] else { return XCTFail("\(name): no file") }
            let outcome = linter.lint(.file(path: folder.appendingPathComponent(file).path))
            let diagnostics = outcome.report.diagnostics
            XCTAssertNotNil(outcome.source, file)
            if case .bool(true)? = truth["control"] {
                controls += 1
                XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map { "\($0.span.start.line): \($0.message)" }, [], file)
                continue
            }
            guard case .array(let items)? = truth["planted"] else { return XCTFail("\(name): no planted list") }
            for item in items {
                guard case .int(let line)? = item["line"], case .string(let category)? = item["category"] else {
                    return XCTFail("\(name): a planted entry without line or category")
                }
                let slack = ["signer-missing", "attachment-missing"].contains(category) ? 1 : 0
                let found = diagnostics.contains { abs($0.span.start.line - line) <= slack }
                planted[category, default: (0, 0)].total += 1
                if found { planted[category, default: (0, 0)].found += 1 }
            }
        }
        XCTAssertGreaterThanOrEqual(controls, 4)
        // A kind is found when at least half of its planted problems are.
        let kinds = planted.filter { $0.value.found * 2 >= $0.value.total }.count
        let missed = planted.filter { $0.value.found * 2 < $0.value.total }.keys.sorted()
        XCTAssertGreaterThanOrEqual(Double(kinds) / Double(planted.count), 0.9, "kinds missed: \(missed)")
    }
}
