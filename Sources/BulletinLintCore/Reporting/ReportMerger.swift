import Foundation

/// `bulletinlint merge`: joins the JSON or SARIF reports of the shards of one run (`--shard`)
/// into the report an unsharded run would have written.
public enum ReportMerger {
    public struct MergeError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public enum Kind: Sendable { case json, sarif }

    /// Reports given as (path, text); all of one kind.
    public static func merge(_ inputs: [(path: String, text: String)]) throws(MergeError) -> (Kind, String) {
        var parsed: [(String, JSON)] = []
        for (path, text) in inputs {
            do {
                parsed.append((path, try JSON.parse(text)))
            } catch {
                throw MergeError(message: "\(path)：不是有效的 JSON（第 \(error.offset) 字节：\(error.message)）")
            }
        }
        guard let first = parsed.first?.1 else { throw MergeError(message: "没有要合并的报告") }
        // The same report named twice (`merge a.json a.json`) would count every finding twice.
        var named: Set<String> = []
        for (path, _) in inputs where !named.insert(canonicalPath(path)).inserted {
            throw MergeError(message: "\(path)：同一份报告给出了两次")
        }
        if first["runs"] != nil {
            return (.sarif, try mergeSARIF(parsed))
        }
        if first["files"] != nil {
            return (.json, try mergeJSON(parsed))
        }
        throw MergeError(message: "\(parsed[0].0)：既不是 bulletinlint 的 JSON 报告，也不是 SARIF 报告")
    }

    /// A report's path for telling two names of one file apart (`a.json`, `./a.json`).
    private static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return (path as NSString).standardizingPath }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Remembers which shard reported on `file`; a file in two shards (or a shard given twice
    /// under two names) is an error: the shards of one run split the files between them.
    private static func claim(_ file: String, shard: String, owners: inout [String: String]) throws(MergeError) {
        if let owner = owners[file], owner != shard {
            throw MergeError(message: "\(shard)：文件“\(file)”也出现在 \(owner) 中；各分片不应检查同一文件（同一份报告给出了两次？）")
        }
        owners[file] = shard
    }

    private static func mergeJSON(_ reports: [(String, JSON)]) throws(MergeError) -> String {
        var files: [(String, JSON)] = []
        var counts = (files: 0, errors: 0, warnings: 0, infos: 0)
        var owners: [String: String] = [:]
        for (path, report) in reports {
            guard report["runs"] == nil, report["version"]?.intValue == 1, let list = report["files"]?.arrayValue else {
                throw MergeError(message: "\(path)：不是 bulletinlint 的 JSON 报告（version 1）")
            }
            for file in list {
                guard let filePath = file["path"]?.stringValue else {
                    throw MergeError(message: "\(path)：不是 bulletinlint 的 JSON 报告（files 中有一项的 path 不是字符串）")
                }
                guard file["diagnostics"] == nil || file["diagnostics"]?.arrayValue != nil else {
                    throw MergeError(message: "\(path)：不是 bulletinlint 的 JSON 报告（“\(filePath)”的 diagnostics 不是数组）")
                }
                try claim(filePath, shard: path, owners: &owners)
                files.append((filePath, file))
                // A report on a configuration file is not a checked document (Summary).
                if (filePath as NSString).lastPathComponent != StarterConfig.fileName { counts.files += 1 }
                for diagnostic in file["diagnostics"]?.arrayValue ?? [] {
                    switch diagnostic["severity"]?.stringValue {
                    case "error": counts.errors += 1
                    case "warning": counts.warnings += 1
                    default: counts.infos += 1
                    }
                }
            }
        }
        files = stableSorted(files)
        return JSON.object([
            ("version", .int(1)),
            ("files", .array(files.map(\.1))),
            ("summary", .object([("files", .int(counts.files)), ("errors", .int(counts.errors)),
                                 ("warnings", .int(counts.warnings)), ("infos", .int(counts.infos))])),
        ]).render()
    }

    /// The shards' runs as one: the results of all, sorted by path, and the union of their
    /// `tool.driver.rules` (the first shard's in its order, then each id not yet listed, in order
    /// of appearance). Shards run with different configurations list different rules, so every
    /// result's `ruleIndex` is rewritten to its rule's place in the merged list.
    private static func mergeSARIF(_ reports: [(String, JSON)]) throws(MergeError) -> String {
        var base: JSON? = nil
        var rules: [JSON] = []
        var ruleIndex: [String: Int] = [:]
        var results: [(String, JSON)] = []
        var owners: [String: String] = [:]
        var toolVersion: (shard: String, version: String)? = nil
        for (path, report) in reports {
            guard let runs = report["runs"]?.arrayValue, let run = runs.first, run["tool"] != nil else {
                throw MergeError(message: "\(path)：SARIF 报告中没有 run")
            }
            guard runs.count == 1 else {
                throw MergeError(message: "\(path)：SARIF 报告中有 \(runs.count) 个 run，bulletinlint 的分片报告只有一个")
            }
            let driver = run["tool"]?["driver"]
            guard driver?["name"]?.stringValue == "bulletinlint" else {
                let name = driver?["name"]?.stringValue.map { "“\($0)”" } ?? "未注明的工具"
                throw MergeError(message: "\(path)：这是 \(name) 的 SARIF 报告，不是 bulletinlint 的，不能合并")
            }
            let version = driver?["version"]?.stringValue ?? ""
            if let toolVersion, toolVersion.version != version {
                throw MergeError(message: "\(path)：由 bulletinlint \(version.isEmpty ? "（未注明版本）" : version) 生成，"
                                 + "而 \(toolVersion.shard) 由 \(toolVersion.version.isEmpty ? "（未注明版本）" : toolVersion.version) 生成；"
                                 + "只能合并同一版本的分片报告")
            }
            if toolVersion == nil { toolVersion = (path, version) }
            if base == nil { base = report }
            let shardRules = run["tool"]?["driver"]?["rules"]?.arrayValue ?? []
            var shardIDs: [String] = []
            for rule in shardRules {
                guard let id = rule["id"]?.stringValue else {
                    throw MergeError(message: "\(path)：SARIF 报告的 tool.driver.rules 中有一条规则没有 id")
                }
                shardIDs.append(id)
                if ruleIndex[id] == nil {
                    ruleIndex[id] = rules.count
                    rules.append(rule)
                }
            }
            for result in run["results"]?.arrayValue ?? [] {
                let uri = result["locations"]?.arrayValue?.first?["physicalLocation"]?["artifactLocation"]?["uri"]?.stringValue ?? ""
                if !uri.isEmpty { try claim(uri, shard: path, owners: &owners) }
                // The rule by its id, or (SARIF allows a result without one) by this shard's index.
                let id = result["ruleId"]?.stringValue
                    ?? result["ruleIndex"]?.intValue.flatMap { shardIDs.indices.contains($0) ? shardIDs[$0] : nil }
                results.append((uri.removingPercentEncodingForSort, reindexed(result, index: id.flatMap { ruleIndex[$0] })))
            }
        }
        guard case .object(let top)? = base, let run = base?["runs"]?.arrayValue?.first, case .object(let runPairs) = run else {
            throw MergeError(message: "没有可合并的 SARIF run")
        }
        results = stableSorted(results)
        let mergedRun = JSON.object(runPairs.map { pair in
            switch pair.0 {
            case "results": return ("results", .array(results.map(\.1)))
            case "tool": return ("tool", replacing("driver", in: pair.1) { replacing("rules", in: $0) { _ in .array(rules) } })
            default: return pair
            }
        })
        return JSON.object(top.map { $0.0 == "runs" ? ("runs", .array([mergedRun])) : $0 }).render()
    }

    /// A result with `ruleIndex` set to `index` (in place, or right after `ruleId`), or without
    /// one when its rule is not listed.
    private static func reindexed(_ result: JSON, index: Int?) -> JSON {
        guard case .object(var pairs) = result else { return result }
        if let at = pairs.firstIndex(where: { $0.0 == "ruleIndex" }) {
            if let index { pairs[at].1 = .int(index) } else { pairs.remove(at: at) }
        } else if let index {
            let after = pairs.firstIndex { $0.0 == "ruleId" }.map { $0 + 1 } ?? 0
            pairs.insert(("ruleIndex", .int(index)), at: after)
        }
        return .object(pairs)
    }

    /// An object with the value of `key` transformed (added at the end when missing).
    private static func replacing(_ key: String, in value: JSON, _ transform: (JSON) -> JSON) -> JSON {
        guard case .object(var pairs) = value else { return value }
        if let at = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[at].1 = transform(pairs[at].1)
        } else {
            pairs.append((key, transform(.object([]))))
        }
        return .object(pairs)
    }

    /// Sorted by path as a run orders files; equal paths keep their order.
    private static func stableSorted(_ items: [(String, JSON)]) -> [(String, JSON)] {
        items.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
    }
}

extension String {
    /// Percent-decoding for ordering SARIF results by path (undecodable stays as is).
    var removingPercentEncodingForSort: String {
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        if self.hasPrefix("file://") { utf8 = utf8.dropFirst(7) }
        while let byte = utf8.first {
            if byte == UInt8(ascii: "%"), utf8.count >= 3,
               let value = UInt8(String(decoding: utf8.dropFirst().prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
