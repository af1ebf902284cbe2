/// The kind of document a `SourceText` was read from.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case text
    case markdown
    case docx
    case ofd
    case pdf

    /// The format a file name's extension names; nil for an extension no reader knows.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "docx": self = .docx
        case "ofd": self = .ofd
        case "pdf": self = .pdf
        default: return nil
        }
    }

    /// Whether a line of the extracted text is a paragraph of the document (docx, ofd): positions
    /// are then printed as `¶N:COL`.
    public var linesAreParagraphs: Bool { self == .docx || self == .ofd }

    /// Whether the text is extracted page layout (pdf, ofd), with the artifacts that brings.
    public var isExtractedLayout: Bool { self == .pdf || self == .ofd }
}

/// A range of the source text that the author did not write: put there by text extraction or
/// markup. `MappedText` leaves artifacts out, so no check sees (or reports) them; their offsets
/// stay in the text, so positions of everything else stay true.
public struct Artifact: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// A space PDF or OFD extraction put between digits and Chinese (`3 月 24 日`).
        case extractionSpace = "extraction-space"
        /// A line repeated at the top of every page.
        case pageHeader = "page-header"
        /// A line repeated at the bottom of every page, or a page number.
        case pageFooter = "page-footer"
        /// Markdown markup: `#`, `**`, list markers, link targets, code.
        case markup
    }

    public let range: TextRange
    public let kind: Kind

    public init(range: TextRange, kind: Kind) {
        self.range = range
        self.kind = kind
    }
}

/// Text of the document kept out of `SourceText.text`: page headers and footers of a .docx,
/// repeated headers and page numbers of an .ofd, template pages.
public struct ApartText: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case header
        case footer
        case template
    }

    public let kind: Kind
    public let text: String
    /// The part it came from (`word/header1.xml`, `Doc_0/Pages/Page_2/Content.xml`).
    public let part: String

    public init(kind: Kind, text: String, part: String) {
        self.kind = kind
        self.text = text
        self.part = part
    }
}

extension SourceText {
    /// A position as the text output prints it: `LINE:COL`, or `¶N:COL` for a .docx or .ofd,
    /// where line N of the extracted text is the document's paragraph N.
    public func location(_ position: Position) -> String {
        format.linesAreParagraphs ? "¶\(position.line):\(position.column)" : "\(position.line):\(position.column)"
    }

    /// The label of a line in excerpts: `12`, or `¶12` for a .docx or .ofd.
    public func lineLabel(_ line: Int) -> String {
        format.linesAreParagraphs ? "¶\(line)" : String(line)
    }
}
