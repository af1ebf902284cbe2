import BulletinLintCore
import FuzzSupport

/// `merge`'s readers: the JSON parser and the JSON and SARIF shard checks. The input holds up
/// to four shard reports separated by NUL bytes; like `merge`, a shard that is not UTF-8 is
/// refused before parsing. A merged report must be valid JSON again.
func test(_ input: UnsafeBufferPointer<UInt8>) {
    var inputs: [(path: String, text: String)] = []
    for (index, shard) in input.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false).enumerated() {
        guard let text = String(validating: shard, as: UTF8.self) else { return }
        inputs.append((path: "shard-\(index).json", text: text))
    }
    guard let (_, merged) = try? ReportMerger.merge(inputs) else { return }
    do {
        _ = try JSON.parse(merged)
    } catch {
        preconditionFailure("merge wrote invalid JSON: \(error.message) at \(error.offset)")
    }
}

Fuzz.run { data, size in
    test(Fuzz.buffer(data, size))
    return 0
}
