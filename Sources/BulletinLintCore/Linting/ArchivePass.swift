import Foundation

/// The cross-document phase of a run: every document's small set of facts is read first, then
/// each cross-document (archive) rule judges them all. Each file counts under the configuration
/// that governs it, so a nested `.bulletinlint.yaml` whose archive rules govern some files is
/// honoured for those files (and a file its configuration has no archive rule for is not read).
enum ArchivePass {
    /// The findings of the cross-document rules, by path. `plan` holds every file of the run with
    /// its configuration; nothing is read when no configuration has such a rule.
    static func findings(_ plan: [LintSession.Job], jobs: Int) throws(RuleFileError) -> [String: [(Rule, Finding)]] {
        var rulesByConfiguration: [String: [Rule]] = [:]
        var files: [(path: String, configuration: Configuration)] = []
        for job in plan {
            guard case .file(let path) = job.entry.item else { continue }
            let key = job.configuration.path ?? ""
            if rulesByConfiguration[key] == nil {
                rulesByConfiguration[key] = job.configuration.ruleSet.rules.filter { $0.crossDocumentCheck != nil }
            }
            if !(rulesByConfiguration[key] ?? []).isEmpty { files.append((path, job.configuration)) }
        }
        guard !files.isEmpty else { return [:] }
        // The facts of every document of every file (a file may hold several documents).
        let facts = try OrderedWorkPool.parallelMap(files.map { FactsJob(path: $0.path, configuration: $0.configuration) },
                                                    jobs: jobs) { job throws(RuleFileError) -> ([ArchiveFacts], String)? in
            // Read and parsed in full, as `check` does: under the same memory budget (`--jobs`
            // large files at once would multiply the peak here too).
            MemoryBudget.shared.withBytes(MemoryBudget.size(ofFile: job.path)) {
                guard case .success(let source) = DocumentReader.read(path: job.path) else { return nil }
                return (job.configuration.ruleSet.parser.parse(source).documents.map(ArchiveFacts.init), job.configuration.path ?? "")
            }
        }.compactMap { $0 }
        // One group per rule id: a rule that several configurations share sees all their files.
        var byRule: [String: (Rule, [ArchiveFacts])] = [:]
        for (documents, key) in facts {
            for rule in rulesByConfiguration[key] ?? [] { byRule[rule.id, default: (rule, [])].1 += documents }
        }
        // A finding is reported with the rule as the file's own configuration has it (its
        // severity, message and help), whichever configuration's rule judged the group.
        var ownRule: [String: [String: Rule]] = [:]
        for (path, configuration) in files {
            let rules = rulesByConfiguration[configuration.path ?? ""] ?? []
            ownRule[path] = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var out: [String: [(Rule, Finding)]] = [:]
        for id in byRule.keys.sorted() {
            guard let (rule, group) = byRule[id], let check = rule.crossDocumentCheck else { continue }
            for (path, finding) in check.evaluate(group) { out[path, default: []].append((ownRule[path]?[id] ?? rule, finding)) }
        }
        return out
    }

    private struct FactsJob: Sendable {
        let path: String
        let configuration: Configuration
    }
}
