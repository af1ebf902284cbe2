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
        if first["runs"] != nil {
            return (.sarif, try mergeSARIF(parsed))
        }
        if first["files"] != nil {
            return (.json, try mergeJSON(parsed))
        }
        throw MergeError(message: "\(parsed[0].0)：既不是 bulletinlint 的 JSON 报告，也不是 SARIF 报告")
    }

    private static func mergeJSON(_ reports: [(String, JSON)]) throws(MergeError) -> String {
        var files: [(String, JSON)] = []
        var counts = (files: 0, errors: 0, warnings: 0, infos: 0)
        for (path, report) in reports {
            guard report["version"]?.intValue == 1, let list = report["files"]?.arrayValue else {
                throw MergeError(message: "\(path)：不是 bulletinlint 的 JSON 报告（version 1）")
            }
            for file in list {
                let filePath = file["path"]?.stringValue ?? ""
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

    private static func mergeSARIF(_ reports: [(String, JSON)]) throws(MergeError) -> String {
        var base: JSON? = nil
        var results: [(String, JSON)] = []
        for (path, report) in reports {
            guard let run = report["runs"]?.arrayValue?.first, run["tool"] != nil else {
                throw MergeError(message: "\(path)：SARIF 报告中没有 run")
            }
            if base == nil { base = report }
            for result in run["results"]?.arrayValue ?? [] {
                let uri = result["locations"]?.arrayValue?.first?["physicalLocation"]?["artifactLocation"]?["uri"]?.stringValue ?? ""
                results.append((uri.removingPercentEncodingForSort, result))
            }
        }
        guard case .object(let top)? = base, let run = base?["runs"]?.arrayValue?.first, case .object(let runPairs) = run else {
            throw MergeError(message: "没有可合并的 SARIF run")
        }
        results = stableSorted(results)
        let mergedRun = JSON.object(runPairs.map { $0.0 == "results" ? ("results", .array(results.map(\.1))) : $0 })
        return JSON.object(top.map { $0.0 == "runs" ? ("runs", .array([mergedRun])) : $0 }).render()
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
