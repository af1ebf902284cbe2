import Foundation

/// The one path from a document to its findings, shared by every front end: `check`, `--fix`
/// and `--diff`, `test-rules`' example runner, and (in-process, on text that is not on disk) the
/// web page, `annotate`, the language server and the MCP server.
///
/// Given a document (a file, standard input, uploaded bytes or an editor's text) and the
/// configuration that governs it, `lint` reads it, parses it (genre included), runs the rules,
/// drops what inline `bulletinlint-disable` comments and the configuration's `ignore:` entries
/// suppress, and returns all of that with the fixes by safety level. `fix` repairs a text with
/// the same findings, so a fix never touches what the user suppressed or what `check` never
/// reports (a Markdown code span, a link target).
///
/// Building one is cheap (the rule set is shared, not copied); keep one per configuration to
/// re-lint an editor's buffer on every keystroke.
public struct DocumentLinter: Sendable {
    public let configuration: Configuration
    public let linter: Linter

    /// `forcedGenre` and `forcedDate` judge every document as of that genre and date (`--genre`,
    /// a rule's examples); `onlyRules` runs only those rules (a rule's examples).
    public init(configuration: Configuration, forcedGenre: DocumentGenre? = nil, forcedDate: String? = nil,
                onlyRules: Set<String>? = nil) {
        self.configuration = configuration
        var linter = Linter(ruleSet: configuration.ruleSet)
        linter.forcedGenre = forcedGenre
        linter.forcedDate = forcedDate
        linter.onlyRules = onlyRules
        self.linter = linter
    }

    /// Where a document comes from.
    public enum Input: Sendable {
        /// A file on disk; its extension names the format.
        case file(path: String)
        /// A path that does not exist (named on the command line): reported as `io-error`.
        case missing(path: String)
        /// A file found in a folder that is not opened (a named pipe, a device): reported as
        /// `io-error` with `message`.
        case unreadable(path: String, message: String)
        /// Standard input, shown under `name`, whose extension names the format.
        case standardInput(name: String)
        /// A document's bytes (an upload): `name`'s extension names the format.
        case bytes([UInt8], name: String)
        /// Text already decoded (an editor's buffer): Markdown when `name` ends in .md or
        /// .markdown, plain text otherwise.
        case text(String, name: String)

        /// The name reports show.
        public var name: String {
            switch self {
            case .file(let path), .missing(let path), .unreadable(let path, _): return path
            case .standardInput(let name), .bytes(_, let name), .text(_, let name): return name
            }
        }

        /// The path `ignore:` entries are matched against; nil for standard input, which has none.
        var ignorePath: String? {
            if case .standardInput = self { return nil }
            return name
        }
    }

    /// What one document gave.
    public struct Outcome: Sendable {
        /// The text as read; nil when the document could not be read.
        public let source: SourceText?
        /// The parsed document (its genre, elements, the documents after it in the same file);
        /// nil when it could not be read.
        public let document: Bulletin?
        /// The findings after inline suppressions and `ignore:` entries, sorted.
        public let report: FileReport
        /// The indexes of the configuration's `ignore:` entries that suppressed a finding.
        public let usedIgnores: Set<Int>

        /// The fixes of the findings, safe ones only or unsafe ones too.
        public func fixes(includingUnsafe: Bool) -> [Fix] {
            FixApplier.allowed(report.diagnostics, unsafe: includingUnsafe, only: nil)
        }
    }

    // MARK: Reading

    /// Reads a document into text, in the format its name says.
    public static func read(_ input: Input) -> Result<SourceText, ReadFailure> {
        switch input {
        case .file(let path):
            return DocumentReader.read(path: path)
        case .missing(let path):
            return .failure(ReadFailure(.ioError, message: "文件或文件夹不存在：\(path)"))
        case .unreadable(_, let message):
            return .failure(ReadFailure(.ioError, message: message))
        case .standardInput(let name):
            return DocumentReader.readStandardInput(displayPath: name)
        case .bytes(let bytes, let name):
            let pathExtension = DocumentReader.lowercasedPathExtension(name)
            if let failure = DocumentReader.unsupported(pathExtension) { return .failure(failure) }
            if LegacyWordReader.extensions.contains(pathExtension) {
                return DocumentReader.read(data: Data(bytes), displayPath: name)
            }
            return DocumentReader.read(bytes: bytes, format: DocumentFormat(pathExtension: pathExtension), displayPath: name)
        case .text(let text, let name):
            return .success(DocumentLinter.source(text: text, name: name))
        }
    }

    /// Decoded text as the reader of its format would give it: Markdown with its markup marked.
    public static func source(text: String, name: String, encoding: TextEncoding = .utf8) -> SourceText {
        if DocumentFormat(pathExtension: DocumentReader.lowercasedPathExtension(name)) == .markdown {
            return MarkdownReader.source(text: text, displayPath: name, encoding: encoding)
        }
        return SourceText(path: name, text: text, encoding: encoding)
    }

    /// The same document with another text (after a fix): read the same way, same encoding.
    static func source(_ text: String, like source: SourceText) -> SourceText {
        if source.format == .markdown {
            return MarkdownReader.source(text: text, displayPath: source.path, encoding: source.encoding)
        }
        return SourceText(path: source.path, text: text, encoding: source.encoding)
    }

    // MARK: Linting

    /// Reads and lints one document. `crossDocument` holds the findings of the cross-document
    /// (archive) rules for this document, worked out over the whole run beforehand.
    public func lint(_ input: Input, crossDocument: [(Rule, Finding)] = []) -> Outcome {
        // A large document waits for room in the process's memory budget before it is read, so
        // several at once (`--jobs`) cannot multiply the peak (see `MemoryBudget`).
        let size: Int
        switch input {
        case .file(let path): size = MemoryBudget.size(ofFile: path)
        case .bytes(let bytes, _): size = bytes.count
        case .text(let text, _): size = text.utf8.count
        case .missing, .unreadable, .standardInput: size = 0
        }
        return MemoryBudget.shared.withBytes(size) { lintUnbounded(input, crossDocument: crossDocument) }
    }

    private func lintUnbounded(_ input: Input, crossDocument: [(Rule, Finding)]) -> Outcome {
        switch DocumentLinter.read(input) {
        case .success(let source):
            return lint(source, ignorePath: input.ignorePath, crossDocument: crossDocument)
        case .failure(let failure):
            let report = LintSession.failureReport(failure, path: input.name)
            return Outcome(source: nil, document: nil, report: report, usedIgnores: [])
        }
    }

    /// Lints text already read. `ignorePath` is the path `ignore:` entries are matched against
    /// (nil: none apply).
    public func lint(_ source: SourceText, ignorePath: String?, crossDocument: [(Rule, Finding)] = []) -> Outcome {
        let analysis = linter.analyze(source)
        var diagnostics = analysis.report.diagnostics
        if !crossDocument.isEmpty {
            diagnostics = Linter.sorted(diagnostics + crossDocument.map { rule, finding in rule.diagnostic(for: finding, in: source) })
        }
        if source.format == .markdown {
            diagnostics = InlineSuppressions.apply(diagnostics, source: source, ruleSet: configuration.ruleSet)
        }
        let (kept, used) = configuration.applyIgnores(diagnostics, path: ignorePath)
        return Outcome(source: source, document: analysis.document,
                       report: FileReport(path: source.path, source: source, diagnostics: kept), usedIgnores: used)
    }

    /// The findings `fix` works from: those `lint` reports, suppressions and ignores applied.
    public func diagnostics(_ source: SourceText, ignorePath: String?) -> [Diagnostic] {
        lint(source, ignorePath: ignorePath).report.diagnostics
    }

    // MARK: Fixing

    /// Fixes a text until it stops changing, from the findings `lint` reports (so never inside
    /// what is suppressed or not checked). `only` limits the fixes to some rules.
    public func fix(_ source: SourceText, ignorePath: String?, unsafe: Bool, only: Set<String>? = nil) -> FixApplier.Outcome {
        FixApplier.fix(source, unsafe: unsafe, only: only, reread: { DocumentLinter.source($0, like: source) }) { current in
            diagnostics(current, ignorePath: ignorePath)
        }
    }
}

extension Configuration {
    /// Drops the findings that an `ignore:` entry covers for the file at `path`; returns the
    /// kept findings and which entries were used. Engine findings (an unreadable file) are
    /// never ignored.
    func applyIgnores(_ diagnostics: [Diagnostic], path: String?) -> ([Diagnostic], Set<Int>) {
        guard !ignores.isEmpty, let path else { return (diagnostics, []) }
        let relative = relativePath(of: path)
        var used: Set<Int> = []
        let kept = diagnostics.filter { diagnostic in
            guard ruleSet.rule(diagnostic.ruleID) != nil else { return true }
            for (i, entry) in ignores.enumerated() where entry.covers(ruleID: diagnostic.ruleID, relativePath: relative) {
                used.insert(i)
                return false
            }
            return true
        }
        return (kept, used)
    }
}
