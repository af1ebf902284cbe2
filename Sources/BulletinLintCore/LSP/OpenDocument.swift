import Foundation

/// A document the client has open: its text as the client last sent it, and what the linter
/// last said about that text.
struct OpenDocument {
    let uri: String
    let languageId: String
    var version: Int
    var text: LSPText
    /// The file's path, nil for a document that is not a file (`untitled:`).
    let path: String?
    /// Bumped on every change: a debounced lint runs only if nothing came after it.
    var generation = 0
    /// The analysis of `version` under `Analysis.configGeneration`, when made.
    var analysis: Analysis?
    /// The version whose diagnostics were last published.
    var publishedVersion: Int?

    /// Markdown when the client says so, plain text when it says so; any other language by the
    /// file's extension (.md and .markdown are Markdown, anything else plain text).
    var isMarkdown: Bool {
        switch languageId {
        case "markdown": return true
        case "plaintext", "text": return false
        default: return ["md", "markdown"].contains(DocumentReader.lowercasedPathExtension(path ?? uri))
        }
    }

    /// The name the linter reads the document under: its path (or URI), with `.md` or `.txt`
    /// added when the extension does not say the language the client said.
    var lintName: String {
        let base = path ?? uri
        let markdownName = ["md", "markdown"].contains(DocumentReader.lowercasedPathExtension(base))
        if isMarkdown == markdownName { return base }
        return base + (isMarkdown ? ".md" : ".txt")
    }
}

/// What the linter made of one version of a document.
struct Analysis {
    enum Kind {
        /// Linted: the linter used and the findings (after suppressions and `ignore:`).
        case linted(DocumentLinter, SourceText, [Diagnostic])
        /// Not linted: larger than the limit.
        case tooLarge
        /// Not linted: the configuration governing it has an error.
        case configError(RuleFileError)
    }

    let version: Int
    let configGeneration: Int
    let kind: Kind
    /// The findings as LSP diagnostics; for `.linted`, one per finding, in the same order.
    let diagnostics: [LSPDiagnostic]

    var findings: [Diagnostic] {
        if case .linted(_, _, let findings) = kind { return findings }
        return []
    }
}
