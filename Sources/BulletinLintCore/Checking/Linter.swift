/// A finding ready to report.
public struct Diagnostic: Sendable {
    public let ruleID: String
    public let severity: Severity
    public let message: String
    public let help: String
    /// UTF-8 range in the source text; nil for a file that could not be read.
    public let range: TextRange?
    public let span: Span
    /// How to repair it, when the rule declares a fix.
    public var fix: Fix?
    /// Other places in the same document that explain it (the first spelling a later one
    /// departs from); LSP's `relatedInformation`, SARIF's `relatedLocations`.
    public var related: [RelatedLocation]

    public init(ruleID: String, severity: Severity, message: String, help: String, range: TextRange?, span: Span,
                fix: Fix? = nil, related: [RelatedLocation] = []) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.help = help
        self.range = range
        self.span = span
        self.fix = fix
        self.related = related
    }
}

/// A place a finding refers to, with what it says about it.
public struct RelatedLocation: Sendable, Equatable {
    public let range: TextRange
    public let span: Span
    public let message: String

    public init(range: TextRange, span: Span, message: String) {
        self.range = range
        self.span = span
        self.message = message
    }
}

/// The result of linting one file.
public struct FileReport: Sendable {
    public let path: String
    /// nil when the file could not be read.
    public let source: SourceText?
    public let diagnostics: [Diagnostic]
    /// A report on a configuration file (its `ignore` entries that suppressed nothing), not on a
    /// checked document: summaries do not count it as a checked file.
    public var isConfiguration = false

    public init(path: String, source: SourceText?, diagnostics: [Diagnostic]) {
        self.path = path
        self.source = source
        self.diagnostics = diagnostics
    }
}

/// Parses a document and runs every rule of a rule set over it.
public struct Linter: Sendable {
    public let ruleSet: RuleSet
    public let parser: BulletinParser
    /// Judge every document as this genre instead of the one read from it (`--genre`, and a
    /// rule's examples, which show what the rule finds whatever the genre detector says).
    public var forcedGenre: DocumentGenre?
    /// Judge every document as of this date (ISO) instead of its own.
    public var forcedDate: String?
    /// Run only these rules (a rule's examples); nil: all.
    public var onlyRules: Set<String>?

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        self.parser = ruleSet.parser
    }

    /// The findings of the per-document rules on one text.
    public func lint(_ source: SourceText) -> FileReport {
        analyze(source).report
    }

    /// The parsed document and the findings of the per-document rules; no document when the
    /// text is empty.
    public func analyze(_ source: SourceText) -> (document: Bulletin?, report: FileReport) {
        let origin = Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 1))
        if source.text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || ParseState.trimmable.contains($0) }) {
            return (nil, FileReport(path: source.path, source: source, diagnostics: [
                Diagnostic(ruleID: EngineRule.emptyFile.id, severity: EngineRule.emptyFile.severity, message: "文件为空，没有可检查的内容",
                           help: EngineRule.emptyFile.help, range: 0..<0, span: origin),
            ]))
        }
        let bulletin = parser.parse(source)
        guard !bulletin.following.isEmpty else {
            return (bulletin, FileReport(path: source.path, source: source, diagnostics: check(bulletin, only: onlyRules)))
        }
        // Several documents in one file: each is checked as a document of its own; what belongs
        // to the file (its page setup, fonts, revisions: the `typography` rules) once, with the first.
        let fileWide = Set(ruleSet.rules.filter { $0.checkKind == TypographyCheck.kind }.map(\.id))
        var others = fileWide.isEmpty ? onlyRules : Set(ruleSet.rules.map(\.id)).subtracting(fileWide)
        if let onlyRules, others != nil { others?.formIntersection(onlyRules) }
        let diagnostics = check(bulletin, only: onlyRules) + bulletin.documents.dropFirst().flatMap { check($0, only: others) }
        return (bulletin, FileReport(path: source.path, source: source, diagnostics: Linter.sorted(diagnostics)))
    }


    /// Runs the rules over a parsed document.
    public func check(_ document: Bulletin, only ruleIDs: Set<String>? = nil) -> [Diagnostic] {
        var bulletin = document
        if let forcedGenre { bulletin.genre = forcedGenre }
        if let forcedDate { bulletin.date = forcedDate }
        let source = bulletin.source
        let context = CheckContext(bulletin: bulletin, specs: ruleSet.elements)
        // (rule id, severity, message, help, range, fix); spans are computed for all at once.
        var pending: [(String, Severity, String, String, TextRange, Fix?)] = []
        // The related places of the few findings that have any, by index into `pending`.
        var relatedNotes: [Int: [Finding.Note]] = [:]
        for issue in bulletin.issues {
            pending.append((issue.ruleID, .warning, issue.message,
                            "简化该元素的 pattern，避免嵌套的重复（如 (a+)+）。", issue.range, nil))
        }
        // Rules by index: a `Rule` copied out of the array per document costs a dozen retains.
        let rules = ruleSet.rules
        // The genre and era conditions, judged once per distinct condition.
        var kinds: Set<String>? = nil
        let applicable = ruleSet.conditions.isEmpty ? nil : ruleSet.applicable(genre: bulletin.genre, date: bulletin.date) { kind in
            // The kinds present, gathered only when a condition asks.
            if kinds == nil { kinds = Set(bulletin.allElements.map(\.kind)) }
            return kinds?.contains(kind) ?? false
        }
        // Rules left unrun once the document's regex budget was spent.
        var notRun: [String] = []
        let perDocument = ruleSet.perDocument
        for r in rules.indices where perDocument[r] && ruleIDs?.contains(rules[r].id) ?? true {
            if let applicable, !applicable[r] { continue }
            let timeoutsBefore = context.timedOutCount
            let skippedBefore = context.budgetSkippedCount
            let findings = rules[r].check.run(context)
            // Searches not run for want of budget: what the rule found without them (a
            // `must-match` that "matched nothing") is not a finding. A rule whose own search
            // ran out of time has its warning below; the others are named together.
            let skipped = context.budgetSkippedCount > skippedBefore
            if skipped, context.timedOutCount == timeoutsBefore {
                notRun.append(rules[r].id)
                continue
            }
            if !findings.isEmpty, !skipped {
                let rule = rules[r]
                for finding in findings {
                    if !finding.related.isEmpty { relatedNotes[pending.count] = finding.related }
                    pending.append((rule.id, rule.severity, rule.messageTemplate.render(finding.variables, capped: true),
                                    rule.helpTemplate.render(finding.variables, capped: true), finding.range,
                                    rule.fix?.fix(for: finding, in: source)))
                }
            }
            if context.timedOutCount > timeoutsBefore {
                pending.append((EngineRule.regexTimeout.id, EngineRule.regexTimeout.severity, "规则“\(rules[r].id)”的正则表达式超时，部分文本未检查",
                                "简化该规则的正则表达式，避免嵌套的重复（如 (a+)+）。", 0..<0, nil))
            }
        }
        if !notRun.isEmpty {
            let shown = notRun.prefix(20).map { "“\($0)”" }.joined(separator: "、") + (notRun.count > 20 ? " 等 \(notRun.count) 条" : "")
            let seconds = Int(CheckContext.defaultRegexBudget)
            pending.append((EngineRule.regexTimeout.id, EngineRule.regexTimeout.severity,
                            "本文档的正则表达式用时已达 \(seconds) 秒上限，以下规则未运行：\(shown)",
                            "超时的规则见其他 regex-timeout 警告；简化它们的正则表达式，避免嵌套的重复（如 (a+)+）。", 0..<0, nil))
        }
        let spans = source.spans(pending.map(\.4))
        let diagnostics = zip(pending, spans).enumerated().map { index, pair in
            let (item, span) = pair
            let related = relatedNotes[index].map { notes in
                zip(notes, source.spans(notes.map(\.range))).map { RelatedLocation(range: $0.range, span: $1, message: $0.message) }
            } ?? []
            return Diagnostic(ruleID: item.0, severity: item.1, message: item.2, help: item.3, range: item.4, span: span,
                              fix: item.5, related: related)
        }
        return Linter.sorted(diagnostics)
    }

    /// Output order: line, column, then rule id, so every run prints the same bytes.
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted {
            ($0.span.start.line, $0.span.start.column, $0.ruleID, $0.span.end.line, $0.span.end.column, $0.message)
                < ($1.span.start.line, $1.span.start.column, $1.ruleID, $1.span.end.line, $1.span.end.column, $1.message)
        }
    }
}
