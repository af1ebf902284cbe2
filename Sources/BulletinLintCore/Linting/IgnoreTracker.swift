import Foundation

/// Which `ignore:` entries of each configuration were of use in a run, and an
/// `unused-suppression` warning on the configuration file for each entry that suppressed
/// nothing: it matched files but none of their findings, or it matched no file in a run over
/// the configuration's whole folder.
struct IgnoreTracker {
    private struct Usage {
        var matched: Set<Int> = []
        var suppressed: Set<Int> = []
    }

    private var usage: [String: Usage] = [:]

    /// Records what one linted file made of its configuration's entries.
    mutating func record(path: String?, configuration: Configuration, suppressed: Set<Int>) {
        let key = configuration.path ?? ""
        usage[key, default: Usage()].suppressed.formUnion(suppressed)
        guard !configuration.ignores.isEmpty, let path else { return }
        let relative = configuration.relativePath(of: path)
        for (i, ignore) in configuration.ignores.enumerated() where ignore.paths.contains(where: { $0.matches(relative) }) {
            usage[key, default: Usage()].matched.insert(i)
        }
    }

    /// The warnings, one report per configuration file that has any. `folders` are the folders
    /// named on the command line (absolute): a configuration inside one saw all its files.
    func unusedReports(configurations: [Configuration], folders: [String]) -> [FileReport] {
        var reports: [FileReport] = []
        for configuration in configurations {
            guard let path = configuration.path, let text = configuration.text, !configuration.ignores.isEmpty,
                  let usage = usage[path] else { continue }
            let wholeFolder = folders.contains { folder in
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
