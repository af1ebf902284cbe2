import Foundation

/// Lints inputs, each with the configuration that governs it: the library side of
/// `bulletinlint check`.
public struct LintSession: Sendable {
    public let resolver: ConfigResolver

    public init(resolver: ConfigResolver) {
        self.resolver = resolver
    }

    /// One rule set for every input.
    public init(ruleSet: RuleSet) {
        resolver = ConfigResolver(mode: .fixed(Configuration(ruleSet: ruleSet, directory: ".")))
    }

    /// What a run produced: a report per input, sorted by path, plus reports on configuration
    /// files whose `ignore` entries suppressed nothing.
    public struct Outcome: Sendable {
        public var reports: [FileReport]
    }

    /// Lints every entry; a configuration error stops the run. `folders` are the folders named
    /// on the command line: an `ignore` entry that matched no file at all is only reported when
    /// the run covered its configuration's whole folder.
    public func run(_ entries: [FileCollector.Entry], folders: [String] = []) throws(RuleFileError) -> Outcome {
        var reports: [FileReport] = []
        var usage: [String: IgnoreUsage] = [:]
        for entry in entries {
            guard let (report, configuration, used) = try lint(entry) else { continue }
            reports.append(report)
            let key = configuration.path ?? ""
            usage[key, default: IgnoreUsage()].suppressed.formUnion(used)
            if case .file(let path) = entry.item {
                let relative = configuration.relativePath(of: path)
                for (i, ignore) in configuration.ignores.enumerated() where ignore.paths.contains(where: { $0.matches(relative) }) {
                    usage[key, default: IgnoreUsage()].matched.insert(i)
                }
            }
        }
        let covered = folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        reports += unusedIgnoreReports(usage: usage, coveredFolders: covered)
        return Outcome(reports: reports.sorted { $0.path < $1.path })
    }

    /// Which `ignore` entries of one configuration matched a linted file, and which suppressed a finding.
    struct IgnoreUsage {
        var matched: Set<Int> = []
        var suppressed: Set<Int> = []
    }

    /// Lints one entry; nil when the configuration excludes it.
    public func lint(_ entry: FileCollector.Entry) throws(RuleFileError)
        -> (report: FileReport, configuration: Configuration, usedIgnores: Set<Int>)? {
        let path: String?
        switch entry.item {
        case .file(let file): path = file
        case .standardInput: path = nil
        case .missing(let file): path = file
        }
        let configuration = try resolver.configuration(forFile: path)
        if !entry.explicit, let path, !configuration.admits(path) { return nil }
        let raw = lint(entry.item, ruleSet: configuration.ruleSet)
        let (report, used) = applyIgnores(raw, configuration: configuration, path: path)
        return (report, configuration, used)
    }

    /// Reads and lints one input with one rule set.
    public func lint(_ item: FileCollector.Item, ruleSet: RuleSet) -> FileReport {
        let linter = Linter(ruleSet: ruleSet)
        let result: Result<SourceText, ReadFailure>
        let path: String
        switch item {
        case .file(let file):
            path = file
            result = DocumentReader.read(path: file)
        case .standardInput(let name):
            path = name
            result = DocumentReader.readStandardInput(displayPath: name)
        case .missing(let file):
            path = file
            result = .failure(ReadFailure(ruleID: "io-error", message: "文件或文件夹不存在：\(file)"))
        }
        switch result {
        case .success(let source):
            let report = linter.lint(source)
            guard LintSession.isMarkdown(source.path) else { return report }
            return FileReport(path: report.path, source: source,
                              diagnostics: InlineSuppressions.apply(report.diagnostics, source: source, ruleSet: ruleSet))
        case .failure(let failure):
            return LintSession.failureReport(failure, path: path)
        }
    }

    static func isMarkdown(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".md") || lower.hasSuffix(".markdown")
    }

    public static func failureReport(_ failure: ReadFailure, path: String) -> FileReport {
        let origin = Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 1))
        return FileReport(path: path, source: nil, diagnostics: [
            Diagnostic(ruleID: failure.ruleID, severity: .error, message: failure.message,
                       help: failure.ruleID == "encoding-error"
                           ? "请将文件另存为 UTF-8 编码的文本后再检查。" : "请确认路径和读取权限。",
                       range: nil, span: origin),
        ])
    }

    /// Drops findings that a configuration `ignore` entry covers; returns which entries were used.
    private func applyIgnores(_ report: FileReport, configuration: Configuration, path: String?) -> (FileReport, Set<Int>) {
        guard !configuration.ignores.isEmpty, let path else { return (report, []) }
        let relative = configuration.relativePath(of: path)
        var used: Set<Int> = []
        let kept = report.diagnostics.filter { diagnostic in
            guard configuration.ruleSet.rule(diagnostic.ruleID) != nil else { return true }
            for (i, entry) in configuration.ignores.enumerated() where entry.covers(ruleID: diagnostic.ruleID, relativePath: relative) {
                used.insert(i)
                return false
            }
            return true
        }
        return (FileReport(path: report.path, source: report.source, diagnostics: kept), used)
    }

    /// An `unused-suppression` warning on the configuration file for every ignore entry that
    /// suppressed nothing: it matched files but none of their findings, or it matched no file in
    /// a run over the configuration's whole folder.
    private func unusedIgnoreReports(usage: [String: IgnoreUsage], coveredFolders: [String]) -> [FileReport] {
        var reports: [FileReport] = []
        for configuration in resolver.configurations {
            guard let path = configuration.path, let text = configuration.text, !configuration.ignores.isEmpty,
                  let usage = usage[path] else { continue }
            let wholeFolder = coveredFolders.contains { folder in
                configuration.directory == folder || configuration.directory.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
            }
            let source = SourceText(path: path, text: text)
            var diagnostics: [Diagnostic] = []
            for (i, entry) in configuration.ignores.enumerated() where !usage.suppressed.contains(i) {
                if !usage.matched.contains(i) && !wholeFolder { continue }
                let line = min(entry.line, source.lineCount)
                let start = source.lineStarts[line - 1]
                let range = start..<source.lineEnds[line - 1]
                let rules = entry.ruleIDs?.joined(separator: "、") ?? "所有规则"
                let paths = entry.paths.map(\.pattern).joined(separator: "、")
                diagnostics.append(Diagnostic(
                    ruleID: InlineSuppressions.ruleID, severity: .warning,
                    message: "ignore 条目（\(paths)：\(rules)）在本次检查中没有忽略任何问题",
                    help: "问题已经改正的话，请删除这一条 ignore，以免日后掩盖新问题。",
                    range: range, span: source.span(range)))
            }
            if !diagnostics.isEmpty { reports.append(FileReport(path: path, source: source, diagnostics: diagnostics)) }
        }
        return reports
    }
}
