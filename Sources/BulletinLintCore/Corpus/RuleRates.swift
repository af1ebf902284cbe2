import Foundation

/// How often each rule fires on groups of documents (`bulletinlint accuracy --rule-rates`): the
/// real documents of the corpus, the bulletins we wrote, and any other folder (`samples/`). For
/// every rule — those of the first rule set, then those only the later sets have (the opt-in
/// `archive`, `gbt9704-typography`, …) — the documents it fires on, their share, its findings and
/// a few of them to read. A rule that fires nowhere is listed with 0, so the table names every rule.
public struct RuleRates: Sendable {
    /// One group of documents.
    public struct Group: Sendable {
        /// `real`, `written`, or the folder's name: the key in JSON.
        public let name: String
        /// The column heading.
        public let label: String
        /// The documents read, in path order.
        public var documents: [String] = []
        /// Documents that could not be read, with why; not counted.
        public var unreadable: [String] = []
    }

    /// One finding to read: where and what.
    public struct Sample: Sendable, Equatable {
        public let path: String
        public let line: Int
        /// The line as reports print it: `12`, or `¶12` for a .docx, .doc or .ofd (a paragraph).
        public let lineLabel: String
        public let message: String

        public init(path: String, line: Int, lineLabel: String? = nil, message: String) {
            self.path = path
            self.line = line
            self.lineLabel = lineLabel ?? String(line)
            self.message = message
        }
    }

    /// A rule's figures in one group.
    public struct Counts: Sendable, Equatable {
        /// Documents (files) it fires on at least once.
        public var documents = 0
        /// Its findings.
        public var findings = 0
        /// Up to `RuleRates.sampleLimit` findings: the first of each document in path order,
        /// then the next ones.
        public var samples: [Sample] = []

        public init(documents: Int = 0, findings: Int = 0, samples: [Sample] = []) {
            self.documents = documents
            self.findings = findings
            self.samples = samples
        }
    }

    /// One rule.
    public struct Row: Sendable {
        public let id: String
        public let title: String
        public let severity: Severity
        /// The set the rule was defined in (`origin.ruleSet`).
        public let definedIn: String
        /// The set it was measured with: the first given that has it.
        public let measuredWith: String
        /// Per group, in the order of `groups`.
        public var counts: [Counts]
    }

    public static let sampleLimit = 3

    public var groups: [Group] = []
    public var rows: [Row] = []
    /// Engine findings (`corrupt-document`, `regex-timeout`, …) per id, summed over the groups'
    /// documents with the first set: not rules, but worth seeing.
    public var engineFindings: [String: Int] = [:]

    public init() {}

    /// Share of a group's documents a rule fires on, 0 for an empty group.
    public func share(_ row: Row, group index: Int) -> Double {
        let total = groups[index].documents.count
        return total == 0 ? 0 : Double(row.counts[index].documents) / Double(total)
    }

    /// Measures every rule of `ruleSets` (a rule in several sets counted once, with the first
    /// set that has it) over each group of files. Each file is read once; files that cannot be
    /// read are set aside. Cross-document (archive) rules judge the documents of one group
    /// together, as one `bulletinlint` run over that group would.
    public static func measure(groups: [(name: String, label: String, files: [String])], ruleSets: [RuleSet]) -> RuleRates {
        var rates = RuleRates()
        var sources: [[SourceText]] = []
        for group in groups {
            var entry = Group(name: group.name, label: group.label)
            var read: [SourceText] = []
            for file in group.files.sorted() {
                switch DocumentLinter.read(.file(path: file)) {
                case .success(let source):
                    read.append(source)
                    entry.documents.append(file)
                case .failure(let failure):
                    entry.unreadable.append("\(file)：\(failure.message)")
                }
            }
            rates.groups.append(entry)
            sources.append(read)
        }
        var seen: Set<String> = []
        for (setIndex, ruleSet) in ruleSets.enumerated() {
            let fresh = ruleSet.rules.filter { !seen.contains($0.id) }
            guard !fresh.isEmpty else { continue }
            seen.formUnion(fresh.map(\.id))
            let firstRow = rates.rows.count
            for rule in fresh {
                rates.rows.append(Row(id: rule.id, title: rule.displayTitle, severity: rule.severity, definedIn: rule.origin.ruleSet,
                                      measuredWith: ruleSet.name, counts: Array(repeating: Counts(), count: groups.count)))
            }
            let rowIndex = Dictionary(fresh.enumerated().map { ($1.id, firstRow + $0) }, uniquingKeysWith: { first, _ in first })
            let linter = DocumentLinter(configuration: Configuration(ruleSet: ruleSet, directory: "."))
            let crossRules = ruleSet.rules.filter { $0.crossDocumentCheck != nil && rowIndex[$0.id] != nil }
            for (groupIndex, group) in sources.enumerated() {
                // The cross-document findings of the group, by path.
                var crossDocument: [String: [(Rule, Finding)]] = [:]
                if !crossRules.isEmpty {
                    let facts = group.flatMap { ruleSet.parser.parse($0).documents.map(ArchiveFacts.init) }
                    for rule in crossRules {
                        guard let check = rule.crossDocumentCheck else { continue }
                        for (path, finding) in check.evaluate(facts) { crossDocument[path, default: []].append((rule, finding)) }
                    }
                }
                // Samples are taken after every document is counted: the first finding of each
                // document first, so three samples come from three documents when they can.
                var firings: [String: [[Sample]]] = [:]
                for source in group {
                    let report = linter.lint(source, ignorePath: nil, crossDocument: crossDocument[source.path] ?? []).report
                    var perRule: [String: [Sample]] = [:]
                    for diagnostic in report.diagnostics {
                        guard let row = rowIndex[diagnostic.ruleID] else {
                            if setIndex == 0, ruleSet.rule(diagnostic.ruleID) == nil { rates.engineFindings[diagnostic.ruleID, default: 0] += 1 }
                            continue
                        }
                        rates.rows[row].counts[groupIndex].findings += 1
                        perRule[diagnostic.ruleID, default: []].append(
                            Sample(path: source.path, line: diagnostic.span.start.line,
                                   lineLabel: source.lineLabel(diagnostic.span.start.line), message: diagnostic.message))
                    }
                    for (id, samples) in perRule {
                        guard let row = rowIndex[id] else { continue }
                        rates.rows[row].counts[groupIndex].documents += 1
                        firings[id, default: []].append(samples)
                    }
                }
                for (id, perDocument) in firings {
                    guard let row = rowIndex[id] else { continue }
                    rates.rows[row].counts[groupIndex].samples = pickSamples(perDocument)
                }
            }
        }
        return rates
    }

    /// The first finding of each document, then the second of each, … up to `sampleLimit`.
    static func pickSamples(_ perDocument: [[Sample]]) -> [Sample] {
        var out: [Sample] = []
        var depth = 0
        while out.count < sampleLimit, perDocument.contains(where: { $0.count > depth }) {
            for samples in perDocument where samples.count > depth && out.count < sampleLimit { out.append(samples[depth]) }
            depth += 1
        }
        return out
    }

    /// The documents the truth files under `directory` name, in path order, by kind: real ones;
    /// ours (`"written-by-us": true`); and drafts written for evaluation with planted problems
    /// (`corpus/planted/`, whose truth files have `planted`). Truth files that cannot be read are
    /// left out (`CorpusEvaluation` reports them).
    public struct CorpusFiles: Sendable, Equatable {
        public var real: [String] = []
        public var written: [String] = []
        public var planted: [String] = []
    }

    public static func corpusFiles(directory: String) -> CorpusFiles {
        var files = CorpusFiles()
        let root = URL(fileURLWithPath: directory)
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var truthFiles: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.lastPathComponent.hasSuffix(".truth.json") { truthFiles.append(url) }
        }
        for url in truthFiles.sorted(by: { $0.path < $1.path }) {
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8),
                  let truth = try? JSON.parse(text), let file = truth["file"]?.stringValue else { continue }
            // The path as the user named the folder (`corpus/real/bin-001.ofd`), for the samples.
            let folder = url.deletingLastPathComponent().path
            let relativeFolder = folder.hasPrefix(root.path) ? directory + String(folder.dropFirst(root.path.count)) : folder
            let path = (relativeFolder as NSString).appendingPathComponent(file)
            if case .bool(true)? = truth["written-by-us"] {
                files.written.append(path)
            } else if truth["planted"] != nil {
                files.planted.append(path)
            } else {
                files.real.append(path)
            }
        }
        return files
    }

    // MARK: Output

    /// The table (Markdown, Chinese like the rest of `accuracy`), then the samples of every rule
    /// that fires on a real document or one of ours.
    public func report() -> String {
        var out = "## 各规则的触发率\n\n"
        for group in groups {
            out += "- \(group.label)：\(group.documents.count) 份" + (group.unreadable.isEmpty ? "" : "（另有 \(group.unreadable.count) 份无法读取，未计入）") + "\n"
        }
        let severities = Severity.allCases.map { severity in
            "\(severity.rawValue) \(rows.filter { $0.severity == severity }.count)"
        }
        out += "- 规则：\(rows.count) 条（\(severities.joined(separator: "，"))）\n"
        if !engineFindings.isEmpty {
            out += "- 工具自身报告的问题：" + engineFindings.keys.sorted().map { "\($0) \(engineFindings[$0] ?? 0) 条" }.joined(separator: "，") + "\n"
        }
        out += "\n| 规则 | 级别 | 测量用规则集 |"
        for group in groups { out += " \(group.label)：份数 | 占比 | 条数 |" }
        out += "\n|---|---|---|" + String(repeating: "---:|---:|---:|", count: groups.count) + "\n"
        for row in rows {
            out += "| \(row.id) | \(row.severity.rawValue) | \(row.measuredWith) |"
            for index in groups.indices {
                let counts = row.counts[index]
                out += " \(counts.documents) | \(CorpusEvaluation.percent(share(row, group: index))) | \(counts.findings) |"
            }
            out += "\n"
        }
        out += "\n"
        // Findings to read on the documents that should be clean: the real ones and ours.
        for (index, group) in groups.enumerated() where group.name == "real" || group.name == "written" {
            let firing = rows.filter { $0.counts[index].documents > 0 }
            guard !firing.isEmpty else { continue }
            out += "### \(group.label)：触发的规则及示例\n\n"
            let bySeverity = Severity.allCases.map { severity in
                let matching = firing.filter { $0.severity == severity }
                return "\(severity.rawValue) \(matching.count) 条规则 \(matching.reduce(0) { $0 + $1.counts[index].findings }) 处"
            }
            out += bySeverity.joined(separator: "，") + "\n\n"
            for row in firing {
                let counts = row.counts[index]
                out += "- \(row.id)（\(row.severity.rawValue)，\(counts.documents)/\(group.documents.count) 份，\(counts.findings) 处）：\(row.title)\n"
                for sample in counts.samples { out += "  - \(sample.path):\(sample.lineLabel)：\(sample.message)\n" }
            }
            out += "\n"
        }
        for group in groups where !group.unreadable.isEmpty {
            out += "### \(group.label)：无法读取、未计入\n\n" + group.unreadable.map { "- \($0)\n" }.joined() + "\n"
        }
        return out
    }

    /// `{"groups": [{name, label, documents, unreadable}], "rules": [{id, title, severity,
    /// defined-in, measured-with, <group>: {documents, share ("8.3%"), findings, samples}}], "engine": {id: count}}`.
    public func json() -> JSON {
        .object([
            ("groups", .array(groups.map { group in
                .object([("name", .string(group.name)), ("label", .string(group.label)), ("documents", .int(group.documents.count)),
                         ("unreadable", .array(group.unreadable.map { .string($0) }))])
            })),
            ("rules", .array(rows.map { row in
                var fields: [(String, JSON)] = [("id", .string(row.id)), ("title", .string(row.title)), ("severity", .string(row.severity.rawValue)),
                                                ("defined-in", .string(row.definedIn)), ("measured-with", .string(row.measuredWith))]
                for (index, group) in groups.enumerated() {
                    let counts = row.counts[index]
                    // The share as the table shows it (`8.3%`); `documents` over the group's count is exact.
                    fields.append((group.name, .object([
                        ("documents", .int(counts.documents)), ("share", .string(CorpusEvaluation.percent(share(row, group: index)))),
                        ("findings", .int(counts.findings)),
                        ("samples", .array(counts.samples.map { sample in
                            .object([("path", .string(sample.path)), ("line", .int(sample.line)), ("location", .string(sample.lineLabel)),
                                     ("message", .string(sample.message))])
                        })),
                    ])))
                }
                return .object(fields)
            })),
            ("engine", .object(engineFindings.keys.sorted().map { ($0, .int(engineFindings[$0] ?? 0)) })),
        ])
    }
}
