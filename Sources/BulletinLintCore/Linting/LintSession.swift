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

    /// Lints every entry, `options.jobs` at a time, and hands each report to `emit` in path
    /// order: the same bytes whatever the number of jobs, and one batch of reports in memory at a
    /// time. A configuration error stops the run.
    public func run(_ entries: [FileCollector.Entry], options: Options,
                    emit: (FileReport) -> Void) throws(RuleFileError) -> Totals {
        var selected = entries.sorted { LintSession.displayPath($0.item) < LintSession.displayPath($1.item) }
        if let shard = options.shard { selected = selected.filter { shard.contains(LintSession.displayPath($0.item)) } }
        var totals = Totals()
        var usage: [String: IgnoreUsage] = [:]
        var consumed: [Baseline.Key: Int] = [:]
        let archive = try archiveFindings(selected, jobs: options.jobs)
        let batchSize = max(64, options.jobs * 32)
        try LintSession.inBatches(selected, jobs: options.jobs, batchSize: batchSize) { entry throws(RuleFileError) in
            try self.lint(entry, archive: archive)
        } each: { batch, results in
            for (entry, result) in zip(batch, results) {
                guard let (report, configuration, used) = result else { continue }
                let key = configuration.path ?? ""
                usage[key, default: IgnoreUsage()].suppressed.formUnion(used)
                if !configuration.ignores.isEmpty, case .file(let path) = entry.item {
                    let relative = configuration.relativePath(of: path)
                    for (i, ignore) in configuration.ignores.enumerated() where ignore.paths.contains(where: { $0.matches(relative) }) {
                        usage[key, default: IgnoreUsage()].matched.insert(i)
                    }
                }
                var shown = report
                if options.recordBaseline { totals.recorded.record(report) }
                if let baseline = options.baseline {
                    shown = baseline.filter(report, consumed: &consumed)
                    totals.hiddenByBaseline += report.diagnostics.count - shown.diagnostics.count
                }
                totals.summary.add(shown)
                for diagnostic in shown.diagnostics {
                    totals.perRule[diagnostic.ruleID, default: (diagnostic.severity, 0)].count += 1
                }
                emit(shown)
            }
        }
        let covered = options.folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        for report in unusedIgnoreReports(usage: usage, coveredFolders: covered) {
            totals.summary.add(report)
            for diagnostic in report.diagnostics { totals.perRule[diagnostic.ruleID, default: (diagnostic.severity, 0)].count += 1 }
            emit(report)
        }
        totals.staleBaseline = options.baseline?.staleCount(consumed: consumed) ?? 0
        return totals
    }

    /// Which `ignore` entries of one configuration matched a linted file, and which suppressed a finding.
    struct IgnoreUsage {
        var matched: Set<Int> = []
        var suppressed: Set<Int> = []
    }

    static func displayPath(_ item: FileCollector.Item) -> String {
        switch item {
        case .file(let path), .missing(let path): return path
        case .standardInput(let name): return name
        }
    }

    /// `transform` over `items` in batches of `batchSize`, handing each batch's results to `each`
    /// on the calling thread, in order; a batch with an error is not handed over, and its first
    /// error (in item order) ends the run.
    ///
    /// With more than one job, `jobs - 1` threads lint, and so does the calling thread while it
    /// waits for the batch it hands over next; between batches it hands over (and the caller
    /// formats) the batches already done. So `jobs` threads are busy, never more: a thread of
    /// its own for the hand-over would make `jobs + 1` runnable threads share `jobs` cores and
    /// preempt one another. The threads run at most `lookahead` batches ahead of the one being
    /// handed over, so memory stays flat however many items there are. The batches handed over,
    /// and the error thrown, are the same as with one job.
    static func inBatches<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, batchSize: Int, lookahead: Int = 2,
                                                    _ transform: @escaping @Sendable (T) throws(RuleFileError) -> R,
                                                    each: ([T], [R]) -> Void) throws(RuleFileError) {
        let size = max(1, batchSize)
        if jobs <= 1 || items.count <= size {
            var start = 0
            while start < items.count {
                let batch = Array(items[start..<min(start + size, items.count)])
                start += batch.count
                each(batch, try parallelMap(batch, jobs: jobs, transform))
            }
            return
        }
        // At least one batch ahead: with none, the first batch could never start.
        let ahead = size * max(1, lookahead)
        let pipeline = Pipeline<T, R>(items: items, limit: ahead, transform: transform)
        for _ in 1..<jobs {
            let thread = Thread { pipeline.work() }
            thread.start()
        }
        var failure: RuleFileError? = nil
        var start = 0
        while start < items.count {
            let end = min(start + size, items.count)
            let range = start..<end
            let results = pipeline.take(range, allowing: end + ahead)
            start = end
            var values: [R] = []
            values.reserveCapacity(results.count)
            for result in results {
                switch result {
                case .success(let value): values.append(value)
                case .failure(let error): if failure == nil { failure = error }
                }
            }
            if failure != nil { break }
            each(Array(items[range]), values)
        }
        pipeline.finish()
        if let failure { throw failure }
    }

    /// The shared state of `inBatches`' threads.
    final class Pipeline<T: Sendable, R: Sendable>: @unchecked Sendable {
        private let items: [T]
        private let transform: @Sendable (T) throws(RuleFileError) -> R
        private let condition = NSCondition()
        // Guarded by `condition`:
        private var next = 0
        private var limit: Int
        private var results: [Int: Result<R, RuleFileError>] = [:]
        private var stopped = false
        private var running = 0
        /// The batch `take` waits for and how many of its results are still missing: only the
        /// last of them wakes it (waking it for every result cost a context switch per file).
        private var awaited: Range<Int>? = nil
        private var missing = 0

        init(items: [T], limit: Int, transform: @escaping @Sendable (T) throws(RuleFileError) -> R) {
            self.items = items
            self.limit = limit
            self.transform = transform
        }

        /// A thread's loop: take the next item allowed, transform it, store the result.
        func work() {
            condition.lock()
            running += 1
            while true {
                while !stopped, next < items.count, next >= limit { condition.wait() }
                if stopped || next >= items.count { break }
                runNext()
            }
            running -= 1
            condition.broadcast()
            condition.unlock()
        }

        /// Transforms the next item and stores its result; called and returns with `condition`
        /// locked, and unlocks it for the transform.
        private func runNext() {
            let index = next
            next += 1
            condition.unlock()
            let result: Result<R, RuleFileError>
            do throws(RuleFileError) {
                result = .success(try transform(items[index]))
            } catch {
                result = .failure(error)
            }
            condition.lock()
            results[index] = result
            if let awaited, awaited.contains(index) {
                missing -= 1
                if missing == 0 { condition.broadcast() }
            }
        }

        /// Waits for the results of `range`, transforming items itself while it waits, removes
        /// and returns them, and lets the threads go on up to `allowing`.
        func take(_ range: Range<Int>, allowing: Int) -> [Result<R, RuleFileError>] {
            condition.lock()
            defer { condition.unlock() }
            missing = range.reduce(0) { $0 + (results[$1] == nil ? 1 : 0) }
            if missing > 0 {
                awaited = range
                while missing > 0 {
                    if !stopped, next < items.count, next < limit {
                        runNext()
                    } else {
                        condition.wait()
                    }
                }
                awaited = nil
            }
            let taken = range.compactMap { results.removeValue(forKey: $0) }
            limit = max(limit, allowing)
            condition.broadcast()
            return taken
        }

        /// Stops the threads (after the item each is on) and waits for those that have started
        /// to end; one not started yet finds `stopped` set and ends without taking an item.
        func finish() {
            condition.lock()
            stopped = true
            condition.broadcast()
            while running > 0 { condition.wait() }
            condition.unlock()
        }
    }

    /// `transform` over `items`, `jobs` at a time, results in order; the first error wins.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int,
                                                       _ transform: @escaping @Sendable (T) throws(RuleFileError) -> R) throws(RuleFileError) -> [R] {
        if jobs <= 1 || items.count <= 1 {
            var out: [R] = []
            for item in items { out.append(try transform(item)) }
            return out
        }
        let slots = Slots<Result<R, RuleFileError>>(count: items.count)
        let queue = DispatchQueue(label: "bulletinlint.lint", attributes: .concurrent)
        let group = DispatchGroup()
        let semaphore = DispatchSemaphore(value: jobs)
        for (index, item) in items.enumerated() {
            semaphore.wait()
            queue.async(group: group) {
                defer { semaphore.signal() }
                do throws(RuleFileError) {
                    slots.set(index, .success(try transform(item)))
                } catch {
                    slots.set(index, .failure(error))
                }
            }
        }
        group.wait()
        var out: [R] = []
        for result in slots.values {
            switch result {
            case .success(let value): out.append(value)
            case .failure(let error): throw error
            case nil: break
            }
        }
        return out
    }

    /// Fixes files `jobs` at a time, results in input order.
    public static func parallelFixes(_ files: [(String, Linter)], jobs: Int,
                                     _ fix: @escaping @Sendable (String, Linter) -> FileFixer.Result) -> [FileFixer.Result] {
        (try? parallelMap(files.map { FixJob(path: $0.0, linter: $0.1) }, jobs: jobs) { job throws(RuleFileError) in
            fix(job.path, job.linter)
        }) ?? []
    }

    struct FixJob: Sendable {
        let path: String
        let linter: Linter
    }

    // MARK: Archive checks

    /// Findings of `archive` rules, by path: a first pass reads every document's small set of
    /// facts, then each archive rule looks across them. Runs only when a rule set has such rules.
    private func archiveFindings(_ entries: [FileCollector.Entry], jobs: Int) throws(RuleFileError) -> [String: [(Rule, Finding)]] {
        let files = entries.compactMap { entry -> String? in
            if case .file(let path) = entry.item { return path }
            return nil
        }
        guard !files.isEmpty else { return [:] }
        let probe = try resolver.configuration(forFile: files[0])
        let anyArchive = resolver.configurations.contains { $0.ruleSet.rules.contains { $0.check is ArchiveCheck } }
            || probe.ruleSet.rules.contains { $0.check is ArchiveCheck }
        guard anyArchive else { return [:] }
        // The facts of every document of every file (a file may hold several documents).
        let facts = try LintSession.parallelMap(files, jobs: jobs) { path throws(RuleFileError) -> ([ArchiveFacts], [Rule])? in
            let configuration = try self.resolver.configuration(forFile: path)
            let rules = configuration.ruleSet.rules.filter { $0.check is ArchiveCheck }
            guard !rules.isEmpty, case .success(let source) = DocumentReader.read(path: path) else { return nil }
            return (configuration.ruleSet.parser.parse(source).documents.map(ArchiveFacts.init), rules)
        }.compactMap { $0 }
        var byRule: [String: (Rule, [ArchiveFacts])] = [:]
        for (documents, rules) in facts {
            for rule in rules { byRule[rule.id, default: (rule, [])].1 += documents }
        }
        var out: [String: [(Rule, Finding)]] = [:]
        for id in byRule.keys.sorted() {
            guard let (rule, group) = byRule[id], let check = rule.check as? ArchiveCheck else { continue }
            for (path, finding) in check.evaluate(group) { out[path, default: []].append((rule, finding)) }
        }
        return out
    }

    /// Lints one entry; nil when the configuration excludes it.
    public func lint(_ entry: FileCollector.Entry, archive: [String: [(Rule, Finding)]] = [:]) throws(RuleFileError)
        -> (report: FileReport, configuration: Configuration, usedIgnores: Set<Int>)? {
        let path: String?
        switch entry.item {
        case .file(let file): path = file
        case .standardInput: path = nil
        case .missing(let file): path = file
        }
        let configuration = try resolver.configuration(forFile: path)
        if !entry.explicit, let path, !configuration.admits(path) { return nil }
        var raw = lint(entry.item, ruleSet: configuration.ruleSet)
        if let path, let findings = archive[path], let source = raw.source {
            let extra = findings.map { rule, finding in rule.diagnostic(for: finding, in: source) }
            raw = FileReport(path: raw.path, source: source, diagnostics: Linter.sorted(raw.diagnostics + extra))
        }
        let (report, used) = applyIgnores(raw, configuration: configuration, path: path)
        return (report, configuration, used)
    }

    /// Reads and lints one input with one rule set.
    public func lint(_ item: FileCollector.Item, ruleSet: RuleSet) -> FileReport {
        var linter = Linter(ruleSet: ruleSet)
        linter.forcedGenre = forcedGenre
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
                       help: failure.help ?? (failure.ruleID == "encoding-error"
                           ? "请将文件另存为 UTF-8 编码的文本后再检查。" : "请确认路径和读取权限。"),
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
            if !diagnostics.isEmpty {
                var report = FileReport(path: path, source: source, diagnostics: diagnostics)
                report.isConfiguration = true
                reports.append(report)
            }
        }
        return reports
    }
}

/// Result slots filled from several threads, each slot by one writer.
final class Slots<T: Sendable>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = [T?](repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
