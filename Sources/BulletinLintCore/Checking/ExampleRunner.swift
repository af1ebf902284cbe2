import Foundation

/// Runs rules' `examples` as tests: a `valid` example must not raise the rule, an `invalid` one
/// must raise it at least once. In an invalid example, `↓` before a character marks where a
/// finding must start; with markers, the findings must start exactly at the markers.
public struct ExampleRunner: Sendable {
    public struct Failure: Sendable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            case validFired
            case invalidSilent
            case markerMismatch(expected: [Position], actual: [Position])
            /// The fixed text is not what `fixed:` says.
            case fixMismatch(expected: String, actual: String)
            /// After the fix, the rule still fires: the fix does not repair what it reports.
            case fixDoesNotRepair
            /// A `%docx` sketch that does not describe a document.
            case brokenSketch(String)
            /// The rule's pattern ran out of time on the example: whether it fires is unknown.
            case timedOut
        }
        public let ruleID: String
        public let example: RuleExamples.Example
        public let kind: Kind
        public let diagnostics: [Diagnostic]

        public var expectedToFire: Bool { kind != .validFired }

        public var message: String {
            switch kind {
            case .invalidSilent:
                return "规则“\(ruleID)”的 invalid 示例没有触发该规则"
            case .validFired:
                let messages = diagnostics.map { "\($0.span.start.line):\($0.span.start.column) \($0.message)" }
                return "规则“\(ruleID)”的 valid 示例触发了该规则：\(messages.joined(separator: "；"))"
            case .markerMismatch(let expected, let actual):
                func list(_ positions: [Position]) -> String {
                    positions.isEmpty ? "无" : positions.map { "\($0.line):\($0.column)" }.joined(separator: "、")
                }
                return "规则“\(ruleID)”的 invalid 示例中，↓ 标记的位置是 \(list(expected))，实际报告在 \(list(actual))"
            case .fixMismatch(let expected, let actual):
                return "规则“\(ruleID)”的 fixed 示例不符：期望 \(expected.debugDescription)，修正后是 \(actual.debugDescription)"
            case .fixDoesNotRepair:
                return "规则“\(ruleID)”修正后的文本仍然触发该规则"
            case .brokenSketch(let problem):
                return "规则“\(ruleID)”的示例无法生成文档：\(problem)"
            case .timedOut:
                return "规则“\(ruleID)”的正则表达式在该示例上超时，无法判断是否触发；请简化该正则表达式（避免 (a+)+ 这样嵌套的重复）"
            }
        }

        public var description: String {
            "\(example.origin.file):\(example.origin.line):\(example.origin.column): \(message)"
        }
    }

    /// Separates the documents of an example for an `archive` rule.
    public static let documentSeparator = "---8<---"

    /// The marker character.
    public static let marker: Character = "↓"

    public let ruleSet: RuleSet
    /// The rule set alone, with no `ignore:` entries: examples test rules, not a configuration.
    private let configuration: Configuration
    private let parser: BulletinParser

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        // Examples that give parameters of their own run with the check those make.
        configuration = Configuration(ruleSet: ruleSet.forExamples, directory: ".")
        parser = ruleSet.parser
    }

    /// An example's text without markers, and the positions the markers stood at.
    public static func stripMarkers(_ text: String) -> (text: String, markers: [Position]) {
        var out = ""
        var markers: [Position] = []
        var line = 1
        var column = 1
        for ch in text {
            if ch == marker {
                markers.append(Position(line: line, column: column))
                continue
            }
            out.append(ch)
            if ch == "\n" || ch == "\r\n" { line += 1; column = 1 } else { column += ch.unicodeScalars.count }
        }
        return (out, markers)
    }

    /// Diagnostics one rule raises on a text, parsed with the whole rule set's elements.
    ///
    /// An example whose first line is `%docx` is a `DocxSketch`: it is built into a real .docx and
    /// read back, so typography rules have examples that run (plain text has no typography).
    public func diagnostics(of rule: Rule, on text: String) -> [Diagnostic] {
        diagnostics(of: rule, on: text, date: nil, genre: nil)
    }

    /// The diagnostics of an example: judged as a document of the genre and date it names, or,
    /// where it names none, of a genre and a date the rule applies to (an example shows what the
    /// rule finds, not which documents it is for).
    public func diagnostics(of rule: Rule, on example: RuleExamples.Example) -> [Diagnostic] {
        diagnostics(of: rule, on: ExampleRunner.stripMarkers(example.text).text, date: example.date, genre: example.genre)
    }

    func diagnostics(of rule: Rule, on text: String, date: String?, genre: String?) -> [Diagnostic] {
        examine(rule, on: text, date: date, genre: genre).found
    }

    /// `diagnostics(of:on:)`, and whether one of the rule's patterns timed out on the example
    /// (then a silent invalid example says nothing about the rule).
    func examine(_ rule: Rule, on example: RuleExamples.Example) -> (found: [Diagnostic], timedOut: Bool) {
        examine(rule, on: ExampleRunner.stripMarkers(example.text).text, date: example.date, genre: example.genre)
    }

    func examine(_ rule: Rule, on text: String, date: String?, genre: String?) -> (found: [Diagnostic], timedOut: Bool) {
        // An `archive` rule's example holds several documents, one per `---8<---` part.
        if let archive = rule.forExamples.crossDocumentCheck {
            // Each part's lines, and the line of the example each part starts at (0-based), so
            // that positions are reported over the whole example, as `↓` marks them.
            var parts: [[Substring]] = [[]]
            var firstLines = [0]
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.trimmingCharacters(in: .whitespacesAndNewlines) == ExampleRunner.documentSeparator {
                    parts.append([])
                    firstLines.append(index + 1)
                } else {
                    parts[parts.count - 1].append(line)
                }
            }
            let sources = parts.enumerated().map { SourceText(path: "<example-\($0.offset + 1)>", text: $0.element.joined(separator: "\n")) }
            let facts = sources.flatMap { parser.parse($0).documents.map(ArchiveFacts.init) }
            return (archive.evaluate(facts).compactMap { path, finding in
                guard let source = sources.first(where: { $0.path == path }) else { return nil }
                let diagnostic = rule.diagnostic(for: finding, in: source)
                let offset = sources.firstIndex { $0.path == path }.map { firstLines[$0] } ?? 0
                let span = Span(start: Position(line: diagnostic.span.start.line + offset, column: diagnostic.span.start.column),
                                end: Position(line: diagnostic.span.end.line + offset, column: diagnostic.span.end.column))
                return Diagnostic(ruleID: diagnostic.ruleID, severity: diagnostic.severity, message: diagnostic.message,
                                  help: diagnostic.help, range: diagnostic.range, span: span, fix: diagnostic.fix)
            }, false)
        }
        let source: SourceText
        if DocxSketch.isSketch(text) {
            // A broken sketch is reported by `failures(of:)`.
            guard case .success(let document) = DocxSketch.source(text) else { return ([], false) }
            source = document
        } else {
            source = SourceText(path: "<example>", text: text)
        }
        let all = exampleLinter(for: rule, date: date, genre: genre, source: source).lint(source, ignorePath: nil).report.diagnostics
        return (all.filter { $0.ruleID == rule.id }, all.contains { $0.ruleID == EngineRule.regexTimeout.id })
    }

    /// The one pipeline, set to judge an example as of the genre and date it names, or else as
    /// a document the rule applies to, with only that rule.
    func exampleLinter(for rule: Rule, date: String?, genre: String?, source: SourceText) -> DocumentLinter {
        var forcedGenre: DocumentGenre? = nil
        if let genre {
            forcedGenre = DocumentGenre.named(genre)
        } else if let forced = rule.condition.exampleGenre, !rule.condition.covers(parser.parse(source).genre) {
            forcedGenre = forced
        }
        return DocumentLinter(configuration: configuration, forcedGenre: forcedGenre,
                              forcedDate: date ?? rule.condition.exampleDate, onlyRules: [rule.id])
    }

    /// The failures of one rule's examples.
    public func failures(of rule: Rule) -> [Failure] {
        var failures: [Failure] = []
        for example in rule.examples.valid + rule.examples.invalid where DocxSketch.isSketch(example.text) {
            if case .failure(let problem) = DocxSketch.source(ExampleRunner.stripMarkers(example.text).text) {
                failures.append(Failure(ruleID: rule.id, example: example, kind: .brokenSketch(problem.description), diagnostics: []))
            }
        }
        for example in rule.examples.valid {
            let (found, timedOut) = examine(rule, on: example)
            if timedOut {
                failures.append(Failure(ruleID: rule.id, example: example, kind: .timedOut, diagnostics: found))
            } else if !found.isEmpty {
                failures.append(Failure(ruleID: rule.id, example: example, kind: .validFired, diagnostics: found))
            }
        }
        for example in rule.examples.invalid {
            let markers = ExampleRunner.stripMarkers(example.text).markers
            let (found, timedOut) = examine(rule, on: example)
            if timedOut {
                failures.append(Failure(ruleID: rule.id, example: example, kind: .timedOut, diagnostics: found))
            } else if found.isEmpty {
                failures.append(Failure(ruleID: rule.id, example: example, kind: .invalidSilent, diagnostics: []))
            } else if !markers.isEmpty {
                let actual = Array(Set(found.map(\.span.start))).sorted()
                if actual != markers.sorted() {
                    failures.append(Failure(ruleID: rule.id, example: example,
                                            kind: .markerMismatch(expected: markers.sorted(), actual: actual), diagnostics: found))
                }
            }
        }
        return failures
    }

    /// The text an example becomes with this rule's fixes (safe and unsafe) applied.
    public func fixed(_ text: String, rule: Rule, date: String? = nil, genre: String? = nil) -> FixApplier.Outcome {
        let source = SourceText(path: "<example>", text: text)
        return exampleLinter(for: rule, date: date, genre: genre, source: source).fix(source, ignorePath: nil, unsafe: true, only: [rule.id])
    }

    /// Failures of a rule's fixes: each invalid example's `fixed:` expectation, and every invalid
    /// example must no longer raise the rule once fixed (when the rule has a fix).
    public func fixFailures(of rule: Rule) -> [Failure] {
        guard rule.fix != nil, rule.crossDocumentCheck == nil else { return [] }
        var failures: [Failure] = []
        for example in rule.examples.invalid {
            let text = ExampleRunner.stripMarkers(example.text).text
            if DocxSketch.isSketch(text) { continue }
            let outcome = fixed(text, rule: rule, date: example.date, genre: example.genre)
            if let expected = example.fixed, expected.text != outcome.text {
                // Reported where the expectation is written.
                let at = RuleExamples.Example(text: expected.text, origin: expected.origin, date: example.date, genre: example.genre)
                failures.append(Failure(ruleID: rule.id, example: at,
                                        kind: .fixMismatch(expected: expected.text, actual: outcome.text), diagnostics: []))
            }
            // Only a fully fixable finding must be gone: a rule may report what it cannot fix.
            let before = diagnostics(of: rule, on: text, date: example.date, genre: example.genre)
            let after = diagnostics(of: rule, on: outcome.text, date: example.date, genre: example.genre)
            if before.allSatisfy({ $0.fix != nil }), !after.isEmpty {
                failures.append(Failure(ruleID: rule.id, example: example, kind: .fixDoesNotRepair, diagnostics: after))
            }
        }
        return failures
    }

    /// An invalid example without a `↓` marker whose findings have a place in the text: a marker
    /// would pin them there (`test-rules` warns; the built-in sets have none).
    public struct UnmarkedExample: Sendable, CustomStringConvertible {
        public let ruleID: String
        public let example: RuleExamples.Example
        /// Where the rule reported, for the author to put the markers.
        public let positions: [Position]

        public var message: String {
            let at = positions.map { "\($0.line):\($0.column)" }.joined(separator: "、")
            return "规则“\(ruleID)”的 invalid 示例没有 ↓ 标记（报告在 \(at)；在那里的字符前写 ↓）"
        }

        public var description: String {
            "\(example.origin.file):\(example.origin.line):\(example.origin.column): \(message)"
        }
    }

    /// The invalid examples of a rule that raise it but mark no place. A `%docx` sketch is not
    /// the document's text, so it cannot mark one.
    public func unmarkedExamples(of rule: Rule) -> [UnmarkedExample] {
        rule.examples.invalid.compactMap { example in
            guard !DocxSketch.isSketch(example.text), ExampleRunner.stripMarkers(example.text).markers.isEmpty else { return nil }
            let positions = Array(Set(diagnostics(of: rule, on: example).map(\.span.start))).sorted()
            return positions.isEmpty ? nil : UnmarkedExample(ruleID: rule.id, example: example, positions: positions)
        }
    }

    /// Every failing example of every rule.
    public func failures() -> [Failure] {
        ruleSet.rules.flatMap { failures(of: $0) + fixFailures(of: $0) }
    }
}
