import BulletinLintCore
import Foundation
import FuzzSupport

/// `--baseline`: the bytes of a baseline file loaded as `check --baseline` loads it, used as a
/// run uses it (filtering a report, counting stale entries) and written back
/// (`--write-baseline`), which must load again to the same baseline.
func test(_ input: UnsafeBufferPointer<UInt8>) {
    guard let baseline = try? Baseline.load(data: Data(buffer: input), path: "fuzz.json") else { return }
    var consumed: [Baseline.Key: Int] = [:]
    let source = SourceText(path: "a.txt", text: "关于做好 2024 年工作的通知\n")
    let span = Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 3))
    let report = FileReport(path: "a.txt", source: source, diagnostics: [
        Diagnostic(ruleID: "title-punctuation", severity: .warning, message: "m", help: "h", range: 0..<6, span: span),
    ])
    _ = baseline.filter(report, consumed: &consumed)
    _ = baseline.staleCount(consumed: consumed)
    let written = baseline.render()
    guard let again = try? Baseline.load(data: Data(written.utf8), path: "written.json") else {
        preconditionFailure("a written baseline does not load")
    }
    precondition(again == baseline, "a baseline written and loaded again differs")
}

Fuzz.run { data, size in
    test(Fuzz.buffer(data, size))
    return 0
}
