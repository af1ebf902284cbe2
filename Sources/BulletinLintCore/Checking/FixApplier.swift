/// Applies fixes to a text: edits never overlap (a conflicting one waits for the next pass), and
/// passes repeat until nothing changes — bounded, and a fix that does not converge is reported,
/// not looped.
public enum FixApplier {
    /// At most this many lint-and-fix passes over one text.
    public static let maximumPasses = 8

    /// The fixes that may be applied: safe ones, and unsafe ones when asked for.
    static func allowed(_ diagnostics: [Diagnostic], unsafe: Bool, only: Set<String>?) -> [Fix] {
        diagnostics.compactMap { diagnostic in
            guard let fix = diagnostic.fix, only?.contains(diagnostic.ruleID) ?? true else { return nil }
            return fix.applicability == .safe || unsafe ? fix : nil
        }
    }

    /// One pass: the non-overlapping edits, applied from the end of the text backwards.
    public static func apply(_ fixes: [Fix], to text: String) -> (text: String, applied: Int) {
        let selected = select(fixes)
        let chosen = selected.flatMap { fixes[$0].edits }.sorted { $0.range.lowerBound < $1.range.lowerBound }
        return (apply(chosen, to: text), selected.count)
    }

    /// Which fixes one pass applies (indexes into `fixes`, in text order): in order of their
    /// first edit, each one whose edits overlap neither each other nor an earlier chosen fix.
    static func select(_ fixes: [Fix]) -> [Int] {
        var chosen: [Int] = []
        var lastEnd = -1
        let ordered = fixes.indices.sorted { a, b in
            (fixes[a].edits.first?.range.lowerBound ?? 0, fixes[a].edits.first?.range.upperBound ?? 0, a)
                < (fixes[b].edits.first?.range.lowerBound ?? 0, fixes[b].edits.first?.range.upperBound ?? 0, b)
        }
        for index in ordered {
            let fix = fixes[index]
            let edits = fix.edits.sorted { $0.range.lowerBound < $1.range.lowerBound }
            guard let first = edits.first, first.range.lowerBound > lastEnd || (lastEnd < 0) else { continue }
            // A fix's own edits must not overlap either.
            var end = lastEnd
            var fits = true
            for edit in edits {
                if edit.range.lowerBound < end || (edit.range.lowerBound == end && end >= 0 && edit.range.isEmpty) { fits = false; break }
                end = edit.range.upperBound
            }
            guard fits else { continue }
            chosen.append(index)
            lastEnd = end
        }
        return chosen
    }

    /// Non-overlapping edits in text order, applied from the end of the text backwards.
    static func apply(_ edits: [TextEdit], to text: String) -> String {
        guard !edits.isEmpty else { return text }
        var bytes = Array(text.utf8)
        for edit in edits.reversed() {
            let lower = min(edit.range.lowerBound, bytes.count)
            let upper = min(max(edit.range.upperBound, lower), bytes.count)
            bytes.replaceSubrange(lower..<upper, with: Array(edit.replacement.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The result of fixing one text.
    public struct Outcome: Sendable {
        public let text: String
        /// Fixes applied, over all passes.
        public let applied: Int
        public let passes: Int
        /// False when fixes kept changing the text after the last pass.
        public let converged: Bool
        /// What the linter still reports on the fixed text.
        public let remaining: [Diagnostic]
    }

    /// Lints and fixes until the text stops changing, with one linter's findings as they are, no
    /// suppressions or `ignore:` entries applied (tests of the fix loop itself; every front end
    /// goes through `DocumentLinter.fix`).
    public static func fix(_ source: SourceText, linter: Linter, unsafe: Bool, only: Set<String>? = nil) -> Outcome {
        fix(source, unsafe: unsafe, only: only,
            reread: { SourceText(path: source.path, text: $0, encoding: source.encoding) }) { linter.lint($0).diagnostics }
    }

    /// Fixes until the text stops changing: `diagnostics` finds what to fix in each version of
    /// the text, which `reread` makes from the fixed string.
    public static func fix(_ source: SourceText, unsafe: Bool, only: Set<String>? = nil,
                           reread: (String) -> SourceText, diagnostics lint: (SourceText) -> [Diagnostic]) -> Outcome {
        var text = source.text
        var applied = 0
        var seen: Set<String> = [text]
        var diagnostics = lint(source)
        for pass in 1...maximumPasses {
            let fixes = allowed(diagnostics, unsafe: unsafe, only: only)
            if fixes.isEmpty {
                return Outcome(text: text, applied: applied, passes: pass - 1, converged: true, remaining: diagnostics)
            }
            let result = apply(fixes, to: text)
            if result.applied == 0 || result.text == text {
                return Outcome(text: text, applied: applied, passes: pass - 1, converged: true, remaining: diagnostics)
            }
            applied += result.applied
            text = result.text
            diagnostics = lint(reread(text))
            // A fix that undoes another brings back an earlier text: stop there.
            if !seen.insert(text).inserted {
                return Outcome(text: text, applied: applied, passes: pass, converged: false, remaining: diagnostics)
            }
        }
        let stillFixable = !allowed(diagnostics, unsafe: unsafe, only: only).isEmpty
        return Outcome(text: text, applied: applied, passes: maximumPasses, converged: !stillFixable, remaining: diagnostics)
    }
}
