import Foundation

/// A baseline of known findings for a legacy archive (`--write-baseline`, `--baseline`): only
/// new findings are reported. Entries are keyed by path, rule and a fingerprint of the offending
/// text — not by line — so an edit elsewhere in a file keeps them valid.
public struct Baseline: Sendable, Equatable {
    public struct Key: Hashable, Sendable, Comparable {
        public let path: String
        public let rule: String
        public let fingerprint: String

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.path, lhs.rule, lhs.fingerprint) < (rhs.path, rhs.rule, rhs.fingerprint)
        }
    }

    /// How many findings each key stands for (the same text can be wrong twice).
    public private(set) var counts: [Key: Int] = [:]

    public init() {}

    /// The fingerprint of a finding: its rule, its message and the text it points at.
    public static func fingerprint(_ diagnostic: Diagnostic, source: SourceText?) -> String {
        var fnv = FNV1a()
        // Each part ends with a 0xff byte, which UTF-8 never contains, so parts cannot run together.
        func feed(_ text: String) {
            fnv.feed(text)
            fnv.feed(0xff)
        }
        feed(diagnostic.ruleID)
        feed(diagnostic.message)
        if let source, let range = diagnostic.range { feed(String(source.slice(range))) }
        let hex = String(fnv.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public mutating func record(_ report: FileReport) {
        for diagnostic in report.diagnostics {
            counts[Key(path: report.path, rule: diagnostic.ruleID,
                       fingerprint: Baseline.fingerprint(diagnostic, source: report.source)), default: 0] += 1
        }
    }

    /// Drops the findings the baseline knows; returns the new ones. `consumed` counts what was used.
    public func filter(_ report: FileReport, consumed: inout [Key: Int]) -> FileReport {
        let kept = report.diagnostics.filter { diagnostic in
            let key = Key(path: report.path, rule: diagnostic.ruleID,
                          fingerprint: Baseline.fingerprint(diagnostic, source: report.source))
            let used = consumed[key, default: 0]
            if used < counts[key, default: 0] {
                consumed[key] = used + 1
                return false
            }
            return true
        }
        return FileReport(path: report.path, source: report.source, diagnostics: kept)
    }

    /// Entries not met in this run: findings that have since been fixed.
    public func staleCount(consumed: [Key: Int]) -> Int {
        counts.reduce(0) { $0 + max(0, $1.value - consumed[$1.key, default: 0]) }
    }

    /// Readable, sorted JSON, one entry per key.
    public func render() -> String {
        JSON.object([
            ("version", .int(1)),
            ("entries", .array(counts.keys.sorted().map { key in
                .object([("path", .string(key.path)), ("rule", .string(key.rule)),
                         ("fingerprint", .string(key.fingerprint)), ("count", .int(counts[key] ?? 1))])
            })),
        ]).render()
    }

    public struct LoadError: Error, Sendable { public let message: String }

    /// The largest count an entry may have: far more findings than a 64 MB document can give,
    /// and small enough that no sum over a baseline's entries overflows.
    public static let maximumCount = 1 << 32

    public static func load(path: String) throws(LoadError) -> Baseline {
        let data: Data
        switch BoundedFile.read(path: path, limit: BoundedFile.reportLimit) {
        case .success(let read): data = read
        case .failure(.missing): throw LoadError(message: "找不到基线文件“\(path)”")
        case .failure(let failure): throw LoadError(message: "基线文件“\(path)”\(failure.reason)")
        }
        return try load(data: data, path: path)
    }

    /// A baseline from the bytes of a file already read; `path` names it in messages.
    public static func load(data: Data, path: String) throws(LoadError) -> Baseline {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["version"] as? Int == 1, let entries = object["entries"] as? [[String: Any]] else {
            throw LoadError(message: "基线文件“\(path)”格式不对：应为 bulletinlint --write-baseline 写出的 JSON（version 1）")
        }
        var baseline = Baseline()
        for (index, entry) in entries.enumerated() {
            guard let file = entry["path"] as? String, let rule = entry["rule"] as? String,
                  let fingerprint = entry["fingerprint"] as? String else {
                throw LoadError(message: "基线文件“\(path)”第 \(index + 1) 条缺少 path、rule 或 fingerprint")
            }
            // A count is how many findings an entry hides: from 1 to `maximumCount`. Adding up
            // unchecked counts (`9223372036854775807` twice) trapped on overflow.
            let count = (entry["count"] as? Int) ?? 1
            guard (1...maximumCount).contains(count) else {
                throw LoadError(message: "基线文件“\(path)”第 \(index + 1) 条的 count 应为 1 到 \(maximumCount) 之间的整数")
            }
            let key = Key(path: file, rule: rule, fingerprint: fingerprint)
            baseline.counts[key] = min(baseline.counts[key, default: 0] + count, maximumCount)
        }
        return baseline
    }
}
