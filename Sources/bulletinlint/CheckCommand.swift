import ArgumentParser
import BulletinLintCore
import Foundation

extension BulletinLint {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "检查文件或文件夹（递归查找 .txt、.md、.docx、.ofd、.pdf）；“-”表示标准输入。",
            discussion: "退出码：0 没有错误（且警告不超过 --max-warnings）；1 有错误；2 用法、配置或规则文件错误。"
        )

        @Argument(help: ArgumentHelp("要检查的文件或文件夹；“-”读取标准输入。", valueName: "PATH"))
        var paths: [String]

        @OptionGroup var configOptions: ConfigOptions

        @Option(name: .long, help: ArgumentHelp("输出格式：\(OutputFormat.allCases.map(\.rawValue).joined(separator: "、"))。"))
        var format: OutputFormatOption = .text

        @Option(name: .long, help: ArgumentHelp("把输出写入文件（原子写入：不会留下写了一半的文件）。", valueName: "FILE"), completion: .file())
        var output: String?

        @Option(name: .long, help: ArgumentHelp("同时写出另一种格式的报告，如 sarif=results.sarif；可重复。", valueName: "FORMAT=FILE"), completion: Completions.reportTargets)
        var report: [ReportTarget] = []

        @Flag(name: .long, help: "不使用颜色（设置 NO_COLOR 环境变量亦可）。")
        var noColor = false

        @Flag(name: .long, help: "只报告错误，不报告警告和提示。")
        var quiet = false

        @Option(name: .long, help: ArgumentHelp("从标准输入读取时，在报告中使用的文件名。", valueName: "NAME"))
        var stdinFilename: String?

        @Option(name: .long, help: ArgumentHelp("警告超过 N 个时退出码为 1。", valueName: "N"))
        var maxWarnings: Int?

        @Flag(name: .long, help: "警告也算失败（退出码 1）。")
        var strict = false

        @Flag(name: .long, help: "有问题时退出码也为 0（用法和配置错误仍为 2）。")
        var exitZero = false

        @Flag(name: .long, help: "最后按规则和级别统计问题数。")
        var stats = false

        @Option(name: .long, help: ArgumentHelp("同时检查的文件数（默认为 CPU 核数）。", valueName: "N"))
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(name: .long, help: ArgumentHelp("只检查文件列表的第 I 份（共 N 份），按路径确定地划分，供 CI 矩阵并行。", valueName: "I/N"))
        var shard: String?

        @Flag(name: .long, help: "跟随文件夹中的符号链接（默认不跟随；跟随时可以走出所给的文件夹，每个文件夹只查一次，不会因链接成环而停不下来）。")
        var follow = false

        @Option(name: .long, help: ArgumentHelp("只报告基线文件中没有的问题。", valueName: "FILE"), completion: .file(extensions: ["json"]))
        var baseline: String?

        @Option(name: .long, help: ArgumentHelp("把本次发现的全部问题写成基线文件。", valueName: "FILE"), completion: .file(extensions: ["json"]))
        var writeBaseline: String?

        @Flag(name: .long, help: "自动修正可安全修正的问题并写回文件（原子写入，保留编码、换行符和权限）；读标准输入时把修正后的文字输出到标准输出。")
        var fix = false

        @Flag(name: .long, help: "同时应用不安全的修正（需要人工复核的修正）。")
        var unsafeFixes = false

        @Flag(name: .long, help: "只显示修正会做的改动（统一 diff 格式），不写任何文件。")
        var diff = false

        func validate() throws {
            if paths.isEmpty { throw ValidationError("请至少给出一个文件或文件夹（或用“-”读取标准输入）。") }
            if jobs < 1 { throw ValidationError("--jobs 至少为 1。") }
            if let maxWarnings, maxWarnings < 0 { throw ValidationError("--max-warnings 不能为负数。") }
            if let shard, Shard(shard) == nil { throw ValidationError("--shard 应写成 I/N，1 ≤ I ≤ N，如 2/3。") }
            if unsafeFixes, !fix, !diff { throw ValidationError("--unsafe-fixes 要与 --fix 或 --diff 一起使用。") }
        }

        func run() throws {
            // A report written over one of the documents would replace it.
            let outputs = [output, writeBaseline].compactMap { $0 } + report.map(\.path)
            if let clash = OutputInputClash.find(outputs: outputs, paths: paths, stdinName: stdinFilename, follow: follow, isLinted: { path in
                (try? configOptions.resolver().configuration(forFile: path))?.admits(path) ?? true
            }) {
                printError("error: 输出文件“\(clash.output)”就是要检查的文档“\(clash.input)”（同一个文件），写入报告会覆盖它；已停止，文档未改动。请把报告写到别处。")
                throw ExitCode(2)
            }
            if fix || diff {
                // Fix (or show the fixes) first; the files are then linted as they now are.
                let finished = try runFixes()
                if finished { return }
            }
            let resolver = configOptions.resolver()
            var options = LintSession.Options(jobs: jobs, shard: shard.flatMap(Shard.init))
            options.folders = paths.filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            }
            if let baseline {
                do { options.baseline = try Baseline.load(path: baseline) } catch {
                    printError("error: \(error.message)")
                    throw ExitCode(2)
                }
            }
            options.recordBaseline = writeBaseline != nil

            let color = output == nil && Terminal.wantsColor(disabled: noColor)
            var sinks: [Sink] = []
            do {
                sinks.append(try Sink(format: format.value, path: output, color: color, quiet: quiet))
                for target in report { sinks.append(try Sink(format: target.format, path: target.path, color: false)) }
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
            let progress = Progress()
            var totals = LintSession.Totals()
            do {
                try withConfigurationErrors {
                    var session = LintSession(resolver: resolver)
                    session.forcedGenre = configOptions.forcedGenre
                    let entries = FileCollector.entries(paths, stdinName: stdinFilename, follow: follow)
                    progress.total = entries.count
                    // Every configuration is loaded before `begin`: the rule list is complete.
                    totals = try session.run(entries, options: options, begin: {
                        let context = ReportContext(rules: Check.rules(resolver))
                        for sink in sinks { sink.begin(context) }
                    }) { report in
                        let shown = quiet ? FileReport(path: report.path, source: report.source,
                                                       diagnostics: report.diagnostics.filter { $0.severity == .error }) : report
                        for sink in sinks { sink.add(shown) }
                        progress.tick()
                    }
                }
            } catch {
                progress.clear()
                for sink in sinks { sink.abort() }
                throw error
            }
            progress.clear()
            do {
                for sink in sinks { try sink.finish() }
                if let writeBaseline { try ReportWriter.writeAtomically(totals.recorded.render(), to: writeBaseline) }
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
            if stats { printStats(totals) }
            if options.baseline != nil {
                printError("基线：已隐藏基线中的 \(totals.hiddenByBaseline) 个问题；基线中有 \(totals.staleBaseline) 条已不再出现（问题已改正，可重新生成基线）。")
            }
            if totals.summary.files == 0 {
                printError("没有检查任何文件：给出的路径中没有可检查的文件（.txt、.md、.docx、.doc、.wps、.ofd、.pdf），或都被配置文件的 include/exclude 排除。")
            }
            if let writeBaseline {
                // Recording a baseline is the point of the run: it succeeds.
                let recorded = totals.recorded.counts.values.reduce(0, +)
                printError("已写入基线 \(writeBaseline)：\(recorded) 个问题。以后用 --baseline \(writeBaseline) 只报告新出现的问题。")
                return
            }
            if exitZero { return }
            let summary = totals.summary
            let failed = summary.errors > 0 || (strict && summary.warnings > 0)
                || (maxWarnings.map { summary.warnings > $0 } ?? false)
            if failed { throw ExitCode(1) }
        }

        /// `--fix` and `--diff`. Returns true when the command is done (a diff, or fixed text
        /// for standard input); false when the files should now be linted and reported.
        func runFixes() throws -> Bool {
            let resolver = configOptions.resolver()
            if paths == ["-"] {
                let name = stdinFilename ?? "<stdin>"
                try withConfigurationErrors {
                    let configuration = try configOptions.configuration(forFile: nil)
                    switch DocumentReader.readStandardInput(displayPath: name) {
                    case .failure(let failure):
                        printError("\(name): error: \(failure.message) [\(failure.ruleID)]")
                        throw ExitCode(1)
                    case .success(let source):
                        let outcome = configOptions.documentLinter(configuration).fix(source, ignorePath: nil, unsafe: unsafeFixes)
                        if diff {
                            // The fixes as a diff of standard input; nothing else is written.
                            if outcome.text != source.text { write(UnifiedDiff.make(old: source.text, new: outcome.text, path: name)) }
                            printError("可修正 \(outcome.applied) 个问题；未写入任何文件。")
                            if outcome.text != source.text { throw ExitCode(1) }
                            return
                        }
                        write(outcome.text)
                        printError("已修正 \(outcome.applied) 个问题；还有 \(outcome.remaining.count) 个问题需要人工处理。")
                    }
                }
                return true
            }
            var results: [FileFixer.Result] = []
            try withConfigurationErrors {
                var session = LintSession(resolver: resolver)
                session.forcedGenre = configOptions.forcedGenre
                let entries = FileCollector.entries(paths, stdinName: stdinFilename, follow: follow)
                let options = LintSession.Options(jobs: jobs, shard: shard.flatMap(Shard.init))
                results = try session.fix(entries, options: options, unsafe: unsafeFixes, write: fix && !diff)
            }
            for result in results {
                if let note = result.note { printError("\(result.path): note: \(note)") }
            }
            if diff {
                var changed = false
                for result in results where result.changed {
                    write(UnifiedDiff.make(old: result.original, new: result.fixed, path: result.path))
                    changed = true
                }
                let total = results.reduce(0) { $0 + $1.applied }
                printError("可修正 \(total) 个问题（\(results.filter(\.changed).count) 个文件）；未写入任何文件。")
                // Like `ruff --diff`: 1 when there is something to fix, or a path could not be read.
                if changed || results.contains(where: \.unread) { throw ExitCode(1) }
                return true
            }
            let total = results.reduce(0) { $0 + $1.applied }
            printError("已修正 \(total) 个问题（\(results.filter(\.changed).count) 个文件）。")
            // Fixes asked for and not written are a failure of the run (exit 2), not a note.
            let unwritten = results.filter(\.notWritten)
            if !unwritten.isEmpty {
                printError("error: 有 \(unwritten.count) 个文件的修正没有写入（文件未改动，原因见上）：\n"
                           + unwritten.map { "  \($0.path)" }.joined(separator: "\n"))
                throw ExitCode(2)
            }
            return false
        }

        static func rules(_ resolver: ConfigResolver) -> [Rule] {
            var rules: [Rule] = []
            var seen: Set<String> = []
            for configuration in resolver.configurations {
                for rule in configuration.ruleSet.rules where seen.insert(rule.id).inserted { rules.append(rule) }
            }
            return rules
        }

        /// Counts per rule and per severity, like `ruff --statistics`; on stderr when the output
        /// is a machine format on stdout.
        func printStats(_ totals: LintSession.Totals) {
            var out = "\n统计：\n"
            let rows = totals.perRule.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
            let width = rows.map { DisplayWidth.of($0.key) }.max() ?? 0
            for (rule, value) in rows {
                out += String(format: "%6d  ", value.count) + rule
                    + String(repeating: " ", count: width - DisplayWidth.of(rule) + 2) + value.severity.rawValue + "\n"
            }
            let summary = totals.summary
            out += "合计：\(summary.errors) 个错误，\(summary.warnings) 个警告，\(summary.infos) 个提示，共 \(summary.files) 个文件\n"
            if format.value == .text && output == nil { write(out) } else { printError(out) }
        }
    }
}

/// `--report FORMAT=FILE`.
struct ReportTarget: ExpressibleByArgument {
    let format: OutputFormat
    let path: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="),
              let format = OutputFormat(rawValue: String(argument[..<equals])) else { return nil }
        let path = String(argument[argument.index(after: equals)...])
        guard !path.isEmpty else { return nil }
        self.format = format
        self.path = path
    }
}

/// One output of a run: stdout or a file written atomically. Both are buffered: stdout through
/// `StandardOutput`, a file here, written in pieces of `StandardOutput.flushThreshold` bytes.
final class Sink {
    let formatter: any BulletinLintCore.Formatter
    let file: AtomicFile?
    var stream: (any ReportStream)?
    /// What is not yet written to `file`.
    private var pending: [UInt8] = []

    init(format: OutputFormat, path: String?, color: Bool, quiet: Bool = false) throws {
        if quiet, var text = format.formatter(color: color) as? TextFormatter {
            text.quiet = true
            formatter = text
        } else {
            formatter = format.formatter(color: color)
        }
        file = try path.map { try AtomicFile(path: $0) }
    }

    private func emit(_ text: String) {
        guard !text.isEmpty else { return }
        if file != nil {
            pending.append(contentsOf: text.utf8)
            writePendingIfFull()
        } else {
            StandardOutput.shared.append { $0.append(contentsOf: text.utf8) }
        }
    }

    /// A write error is not reported here: it closes the file, and `commit()` then fails.
    private func writePending() {
        guard let file, !pending.isEmpty else { return }
        try? file.write(bytes: pending)
        pending.removeAll(keepingCapacity: true)
    }

    private func writePendingIfFull() {
        if pending.count >= StandardOutput.flushThreshold { writePending() }
    }

    func begin(_ context: ReportContext) {
        let stream = formatter.makeStream(context: context)
        self.stream = stream
        emit(stream.begin())
    }

    func add(_ report: FileReport) {
        guard let stream else { return }
        if file != nil {
            stream.add(report, into: &pending)
            writePendingIfFull()
        } else {
            StandardOutput.shared.append { stream.add(report, into: &$0) }
        }
    }

    func finish() throws {
        emit(stream?.end() ?? "")
        if let file {
            writePending()
            try file.commit()
        } else {
            StandardOutput.shared.flush()
        }
    }

    /// Drops a report file; what stdout was given is still written.
    func abort() {
        if let file {
            pending = []
            file.abort()
        } else {
            StandardOutput.shared.flush()
        }
    }
}

/// A progress line on stderr, for runs over a second, only on a terminal.
final class Progress {
    var total = 0
    private var done = 0
    private let start = Date()
    private var shown = false
    private let enabled = isatty(STDERR_FILENO) != 0

    func tick() {
        done += 1
        guard enabled, done % 50 == 0 || done == total, Date().timeIntervalSince(start) > 1 else { return }
        shown = true
        StandardOutput.shared.flush()
        StandardStreams.writeError("\r已检查 \(done)/\(total) 个文件…")
    }

    func clear() {
        guard shown else { return }
        StandardOutput.shared.flush()
        StandardStreams.writeError("\r\u{1B}[K")
        shown = false
    }
}
