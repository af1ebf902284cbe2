import BulletinLintCore
import Foundation
import XCTest

/// The shipped corpus (`corpus/`), measured with the default rules: no figure may drop below
/// the ones recorded in `corpus/accuracy.json` (`scripts/accuracy --record` writes them), and the
/// targets hold: no invented element, no false error, no unusable truth file.
final class CorpusAccuracyTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testCorpusMeetsTheRecordedFigures() throws {
        let corpus = CorpusAccuracyTests.root.appendingPathComponent("corpus")
        let evaluation = CorpusEvaluation.evaluate(directory: corpus.path, ruleSet: try ruleSet("default"))
        XCTAssertEqual(evaluation.problems, [])
        XCTAssertGreaterThan(evaluation.real.documents + evaluation.written.documents, 0)
        let recordedText = try String(contentsOf: corpus.appendingPathComponent("accuracy.json"), encoding: .utf8)
        let recorded = try JSON.parse(recordedText)
        XCTAssertEqual(evaluation.drops(below: recorded), [], evaluation.report())
        for (name, figures) in [("real", evaluation.real), ("written", evaluation.written)] {
            XCTAssertEqual(figures.invented, 0, "\(name): invented elements\n" + evaluation.report())
            XCTAssertEqual(figures.falseErrors, 0, "\(name): false errors\n" + evaluation.report())
            XCTAssertEqual(figures.genreRight, figures.documents, "\(name): genres\n" + evaluation.report())
        }
    }

    /// The evaluator itself: a made-up corpus with one right, one wrong and one invented element.
    func testEvaluatorCountsWhatIsRightAndWrong() throws {
        let folder = try temporaryDirectory("corpus")
        let text = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n某市召开会议。（某市地方志办）\n报：省委，省政府。\n某某办公室 2021年4月2日印发\n"
        try Data(text.utf8).write(to: folder.appendingPathComponent("a.txt"))
        let truth = """
        {"id": "a", "file": "a.txt", "genre": "简报", "elements": [
          {"kind": "bulletin-name", "line": 1, "text": "四川省地方志工作简报", "fields": {"name": "四川省地方志工作简报"}, "entries": []},
          {"kind": "issue-number", "line": 2, "text": "第5期", "fields": {"number": "6"}, "entries": []},
          {"kind": "report-to", "line": 6, "text": "报：省委，省政府。", "fields": {}, "entries": ["省委", "省政府"]},
          {"kind": "imprint", "line": 7, "text": "某某办公室 2021年4月2日印发", "fields": {"issuer": "某某办公室", "date": "2021-04-02"}, "entries": []},
          {"kind": "article-title", "line": 4, "text": "某市召开会议", "fields": {}, "entries": []},
          {"kind": "attribution", "line": 5, "text": "（某市地方志办）", "fields": {"source": "某市地方志办"}, "entries": []}
        ]}
        """
        try Data(truth.utf8).write(to: folder.appendingPathComponent("a.truth.json"))
        let evaluation = CorpusEvaluation.evaluate(directory: folder.path, ruleSet: try ruleSet("default"))
        XCTAssertEqual(evaluation.problems, [])
        XCTAssertEqual(evaluation.real.documents, 1)
        XCTAssertEqual(evaluation.real.genreRight, 1)
        XCTAssertEqual(evaluation.real.kinds["bulletin-name"], CorpusEvaluation.KindScore(truth: 1, found: 1, correct: 1, predicted: 1, invented: 0))
        // Found at its line, but with the wrong number: not correct.
        XCTAssertEqual(evaluation.real.kinds["issue-number"], CorpusEvaluation.KindScore(truth: 1, found: 1, correct: 0, predicted: 1, invented: 0))
        // The 栏目 is not in the truth: invented.
        XCTAssertEqual(evaluation.real.kinds["column"]?.invented, 1)
        XCTAssertEqual(evaluation.real.invented, 1)
        XCTAssertTrue(evaluation.documents[0].misses.contains { $0.hasPrefix("issue-number 第2行") }, "\(evaluation.documents[0].misses)")
        // A drop below recorded figures is named.
        let recorded = try JSON.parse(#"{"real": {"genre-right": 1, "false-errors": 0, "kinds": {"issue-number": {"correct": 1, "invented": 0}}}}"#)
        XCTAssertEqual(evaluation.drops(below: recorded), ["real issue-number: 完全正确 0 < 记录的 1"])
    }
}
