import Foundation

/// `<!-- bulletinlint-disable RULE -->`, `<!-- bulletinlint-enable RULE -->` and
/// `<!-- bulletinlint-disable-next-line RULE -->` in Markdown. A directive that suppresses
/// nothing is reported as `unused-suppression`, as ruff's RUF100 does; a locked rule cannot be
/// switched off this way.
public enum InlineSuppressions {
    public struct Directive: Sendable {
        public enum Kind: String, Sendable { case disable, enable, disableNextLine = "disable-next-line" }
        public let kind: Kind
        /// nil: all rules.
        public let ruleIDs: [String]?
        public let range: TextRange
        public let line: Int
    }

    public static let ruleID = EngineRule.unusedSuppression.id

    /// The directives in a document, in order.
    public static func directives(in source: SourceText) -> [Directive] {
        guard source.text.contains("bulletinlint-") else { return [] }
        var found: [Directive] = []
        for index in 0..<source.lineCount {
            let start = source.lineStarts[index]
            let line = source.slice(start..<source.lineEnds[index])
            var searchFrom = line.startIndex
            while let open = line[searchFrom...].range(of: "<!--"), let close = line[open.upperBound...].range(of: "-->") {
                let body = line[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                searchFrom = close.upperBound
                guard body.hasPrefix("bulletinlint-") else { continue }
                let words = body.dropFirst("bulletinlint-".count).split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
                guard let head = words.first, let kind = Directive.Kind(rawValue: String(head)) else { continue }
                let rules = words.dropFirst().map(String.init)
                let lower = start + line.utf8.distance(from: line.startIndex, to: open.lowerBound)
                let upper = start + line.utf8.distance(from: line.startIndex, to: close.upperBound)
                found.append(Directive(kind: kind, ruleIDs: rules.isEmpty ? nil : rules, range: lower..<upper, line: index + 1))
            }
        }
        return found
    }

    /// Drops suppressed diagnostics and adds one `unused-suppression` warning per directive that
    /// suppressed nothing.
    public static func apply(_ diagnostics: [Diagnostic], source: SourceText, ruleSet: RuleSet) -> [Diagnostic] {
        let directives = directives(in: source)
        guard !directives.isEmpty else { return diagnostics }
        var used = [Bool](repeating: false, count: directives.count)
        var notes: [(Int, String)] = []
        for (i, directive) in directives.enumerated() where directive.kind != .enable {
            for id in directive.ruleIDs ?? [] {
                if let rule = ruleSet.rule(id) {
                    if rule.locked {
                        notes.append((i, "规则“\(id)”已被规则集“\(rule.lockedBy ?? rule.origin.ruleSet)”锁定，不能在文中关闭"))
                    }
                } else {
                    notes.append((i, "注释中的规则“\(id)”不存在\(Suggestion.hint(for: id, among: ruleSet.rules.map(\.id)))"))
                }
            }
        }
        let kept = diagnostics.filter { diagnostic in
            guard let rule = ruleSet.rule(diagnostic.ruleID), !rule.locked else { return true }
            let line = diagnostic.span.start.line
            // The last disable/enable before the line decides; a next-line directive covers its line.
            var suppressor: Int? = nil
            for (i, directive) in directives.enumerated() where directive.line < line || (directive.line == line && directive.kind != .disableNextLine) {
                guard directive.ruleIDs?.contains(diagnostic.ruleID) ?? true else { continue }
                switch directive.kind {
                case .disable: suppressor = i
                case .enable: suppressor = nil
                case .disableNextLine: if directive.line + 1 == line { suppressor = i }
                }
            }
            if let suppressor, directives[suppressor].line < line || directives[suppressor].kind == .disable {
                used[suppressor] = true
                return false
            }
            return true
        }
        var extra: [Diagnostic] = []
        let flagged = Set(notes.map(\.0))
        for (i, message) in notes {
            extra.append(note(directives[i], message: message, source: source))
        }
        for (i, directive) in directives.enumerated() where directive.kind != .enable && !used[i] && !flagged.contains(i) {
            let rules = directive.ruleIDs.map { $0.joined(separator: " ") } ?? "所有规则"
            extra.append(note(directive, message: "抑制注释（\(directive.kind.rawValue) \(rules)）没有抑制任何问题", source: source))
        }
        return Linter.sorted(kept + extra)
    }

    private static func note(_ directive: Directive, message: String, source: SourceText) -> Diagnostic {
        Diagnostic(ruleID: ruleID, severity: .warning, message: message,
                   help: "删除这条不再需要的抑制注释，或改正其中的规则名。",
                   range: directive.range, span: source.span(directive.range))
    }
}
