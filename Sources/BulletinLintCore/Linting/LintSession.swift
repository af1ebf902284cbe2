import Foundation

/// Lints inputs, each with the configuration that governs it: the library side of
/// `bulletinlint check`.
public struct LintSession: Sendable {
    public let resolver: ConfigResolver
    /// Judge every document as this genre (`--genre`) instead of the one read from it.
    public var forcedGenre: DocumentGenre?

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

    /// How a run goes.
    public struct Options: Sendable {
        /// Files linted at once.
        public var jobs = 1
        /// Folders named on the command line (see `unusedIgnoreReports`).
        public var folders: [String] = []
        /// Only findings not in the baseline are reported.
        public var baseline: Baseline?
        /// Record every finding for `--write-baseline`.
        public var recordBaseline = false
        /// Only this part of the file list.
        public var shard: Shard?

        public init(jobs: Int = 1, folders: [String] = [], baseline: Baseline? = nil,
                    recordBaseline: Bool = false, shard: Shard? = nil) {
            self.jobs = jobs
            self.folders = folders
            self.baseline = baseline
            self.recordBaseline = recordBaseline
            self.shard = shard
        }
    }

    /// Totals of a streamed run.
    public struct Totals: Sendable {
        public var summary = Summary()
        /// Findings per rule id, with the severity they had.
        public var perRule: [String: (severity: Severity, count: Int)] = [:]
        /// Baseline entries no longer met (fixed since).
        public var staleBaseline = 0
        /// Findings the baseline hid.
        public var hiddenByBaseline = 0
        /// Every finding of the run, before the baseline filter (with `recordBaseline`).
        public var recorded = Baseline()

        public init() {}
    }

    /// Lints every entry and collects the reports (tests, small runs).
    public func run(_ entries: [FileCollector.Entry], folders: [String] = []) throws(RuleFileError) -> Outcome {
        var reports: [FileReport] = []
        _ = try run(entries, options: Options(folders: folders)) { reports.append($0) }
        return Outcome(reports: reports)
    }

    /// One input of a run with the configuration that governs it.
    struct Job: Sendable {
        let entry: FileCollector.Entry
        let configuration: Configuration

        /// The path `ignore:` entries match, and the key of cross-document findings.
        var path: String? {
            switch entry.item {
            case .file(let path), .missing(let path), .unreadable(let path, _): return path
            case .standardInput: return nil
            }
        }

        var input: DocumentLinter.Input {
            switch entry.item {
            case .file(let path): return .file(path: path)
            case .missing(let path): return .missing(path: path)
            case .unreadable(let path, let message): return .unreadable(path: path, message: message)
            case .standardInput(let name): return .standardInput(name: name)
            }
        }
    }

    /// The inputs of a run, in path order, `shard` applied, each with its configuration, less
    /// the files found in folders that their configuration's `include`/`exclude` leave out.
    /// Every configuration the run needs is loaded here, before any report is written, so the
    /// rule list of a report (SARIF `tool.driver.rules`) is the same whatever the number of jobs.
    /// A configuration error stops the run (the first in path order).
    func plan(_ entries: [FileCollector.Entry], shard: Shard?, jobs: Int) throws(RuleFileError) -> [Job] {
        var selected = entries.sorted { LintSession.displayPath($0.item) < LintSession.displayPath($1.item) }
        if let shard { selected = selected.filter { shard.contains(LintSession.displayPath($0.item)) } }
        let resolver = self.resolver
        return try OrderedWorkPool.parallelMap(selected, jobs: jobs) { entry throws(RuleFileError) -> Job? in
            let path: String?
            switch entry.item {
            case .file(let file), .missing(let file), .unreadable(let file, _): path = file
            case .standardInput: path = nil
            }
            let configuration = try resolver.configuration(forFile: path)
            if !entry.explicit, let path, !configuration.admits(path) { return nil }
            return Job(entry: entry, configuration: configuration)
        }.compactMap { $0 }
    }

    /// The per-document pipeline for one configuration.
    func documentLinter(_ configuration: Configuration) -> DocumentLinter {
        DocumentLinter(configuration: configuration, forcedGenre: forcedGenre)
    }

    /// Lints every entry, `options.jobs` at a time, and hands each report to `emit` in path
    /// order: the same bytes whatever the number of jobs, and one batch of reports in memory at a
    /// time. A configuration error stops the run. `begin` is called once every configuration
    /// of the run is loaded (`resolver.configurations` is then complete), before the first report.
    public func run(_ entries: [FileCollector.Entry], options: Options, begin: () -> Void = {},
                    emit: (FileReport) -> Void) throws(RuleFileError) -> Totals {
        let plan = try plan(entries, shard: options.shard, jobs: options.jobs)
        begin()
        var totals = Totals()
        var ignores = IgnoreTracker()
        var consumed: [Baseline.Key: Int] = [:]
        let crossDocument = try ArchivePass.findings(plan, jobs: options.jobs)
        let batchSize = max(64, options.jobs * 32)
        try OrderedWorkPool.inBatches(plan, jobs: options.jobs, batchSize: batchSize) { job throws(RuleFileError) in
            let outcome = self.documentLinter(job.configuration).lint(job.input, crossDocument: job.path.flatMap { crossDocument[$0] } ?? [])
            // Only what the run reports is kept: the parsed documents of the batches in flight
            // would hold several times the memory.
            return LintedFile(report: outcome.report, usedIgnores: outcome.usedIgnores)
        } each: { batch, results in
            for (job, outcome) in zip(batch, results) {
                let report = outcome.report
                ignores.record(path: job.entry.item.isFile ? job.path : nil, configuration: job.configuration, suppressed: outcome.usedIgnores)
                var shown = report
                if options.recordBaseline { totals.recorded.record(report) }
                if let baseline = options.baseline {
                    shown = baseline.filter(report, consumed: &consumed)
                    totals.hiddenByBaseline += report.diagnostics.count - shown.diagnostics.count
                }
                totals.add(shown)
                emit(shown)
            }
        }
        let covered = options.folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        // A shard sees part of the files: an entry that suppressed nothing here may suppress a
        // finding in another shard, so unused entries are not judged (and a report on the
        // configuration file in several shards would not merge).
        let unused = options.shard != nil ? [] : ignores.unusedReports(configurations: resolver.configurations, folders: covered)
        for report in unused {
            totals.add(report)
            emit(report)
        }
        totals.staleBaseline = options.baseline?.staleCount(consumed: consumed) ?? 0
        return totals
    }

    /// Fixes (or, with `write: false`, only works out the fixes of) every file among `entries`
    /// that `run` would lint — same order, same shard, same configurations — from the findings
    /// `run` would report, so a fix never touches what an inline comment or an `ignore:` entry
    /// suppressed. Results in path order. Standard input is not handled here.
    public func fix(_ entries: [FileCollector.Entry], options: Options, unsafe: Bool,
                    write: Bool) throws(RuleFileError) -> [FileFixer.Result] {
        let jobs = try plan(entries, shard: options.shard, jobs: options.jobs)
        return try OrderedWorkPool.parallelMap(jobs, jobs: options.jobs) { job throws(RuleFileError) -> FileFixer.Result? in
            switch job.entry.item {
            case .file(let path):
                // Under the memory budget as `check` lints (see `MemoryBudget`).
                let linter = self.documentLinter(job.configuration)
                return MemoryBudget.shared.withBytes(MemoryBudget.size(ofFile: path)) {
                    FileFixer.fix(path: path, linter: linter, unsafe: unsafe, write: write)
                }
            case .missing(let path), .unreadable(let path, _):
                // Said, not dropped: `--diff` ends with no lint pass to report it.
                var message = "文件或文件夹不存在"
                if case .unreadable(_, let why) = job.entry.item { message = why }
                var result = FileFixer.Result(path: path, original: "", fixed: "", applied: 0, note: message)
                result.unread = true
                return result
            case .standardInput:
                return nil
            }
        }.compactMap { $0 }
    }

    static func displayPath(_ item: FileCollector.Item) -> String {
        switch item {
        case .file(let path), .missing(let path), .unreadable(let path, _): return path
        case .standardInput(let name): return name
        }
    }

    /// Reads and lints one input with one rule set, no `ignore:` entries (tests).
    public func lint(_ item: FileCollector.Item, ruleSet: RuleSet) -> FileReport {
        let job = Job(entry: FileCollector.Entry(item: item, explicit: true), configuration: Configuration(ruleSet: ruleSet, directory: "."))
        return documentLinter(job.configuration).lint(job.input).report
    }

    public static func failureReport(_ failure: ReadFailure, path: String) -> FileReport {
        let origin = Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 1))
        return FileReport(path: path, source: nil, diagnostics: [
            Diagnostic(ruleID: failure.ruleID, severity: .error, message: failure.message,
                       help: failure.help ?? (EngineRule(rawValue: failure.ruleID) ?? .ioError).help,
                       range: nil, span: origin),
        ])
    }
}

/// What `LintSession.run` keeps of a document's `DocumentLinter.Outcome`.
struct LintedFile: Sendable {
    let report: FileReport
    let usedIgnores: Set<Int>
}

extension LintSession.Totals {
    /// Counts one report shown.
    mutating func add(_ report: FileReport) {
        summary.add(report)
        for diagnostic in report.diagnostics {
            perRule[diagnostic.ruleID, default: (diagnostic.severity, 0)].count += 1
        }
    }
}

extension FileCollector.Item {
    /// The path of a file on disk; nil for standard input.
    var filePath: String? {
        switch self {
        case .file(let path), .missing(let path), .unreadable(let path, _): return path
        case .standardInput: return nil
        }
    }

    var isFile: Bool {
        if case .file = self { return true }
        return false
    }
}
