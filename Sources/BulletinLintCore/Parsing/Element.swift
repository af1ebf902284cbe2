/// The part of a bulletin an element belongs to.
public enum Region: String, Sendable, CaseIterable {
    /// 报头: bulletin name, 期号, 编印单位, date, internal mark.
    case masthead
    /// 正文: 栏目, articles, paragraphs, source attributions.
    case body
    /// 版记: 信息公开选项, 报/送/发, 印发 line, 共印N份.
    case footer
    /// Recognised wherever it stands (page numbers, 发文字号).
    case any
}

/// One entry of a distribution list, without separators, label or final 。.
public struct ListEntry: Sendable, Hashable {
    public let text: String
    public let range: TextRange
}

/// A recognised part of a document, with its place in the original text.
public struct Element: Sendable {
    public enum Role: Sendable {
        /// A unit of text of its own (a line element, a title, a paragraph).
        case unit
        /// Holds other elements (an article).
        case container
        /// Found inside a unit's text (a date in a paragraph).
        case inline
        /// Put there by layout, not by the author (a page number).
        case artifact
    }

    public var kind: String
    public var region: Region
    public var role: Role
    /// The element's text; wrapped lines are joined without the line breaks.
    public var text: String { view.text }
    /// The source range the element covers.
    public var range: TextRange
    public var fields: [String: String] = [:]
    /// Where each field's text stands in the source (for fields taken from the text).
    public var fieldRanges: [String: TextRange] = [:]
    public var entries: [ListEntry] = []
    /// For lists: the list text after the label, continuation lines included.
    public var listView: TextView?
    public var children: [Element] = []
    /// The element's text and its map back to the source.
    public var view: TextView

    public init(kind: String, region: Region, role: Role = .unit, view: TextView, range: TextRange? = nil) {
        self.kind = kind
        self.region = region
        self.role = role
        self.view = view
        self.range = range ?? view.sourceRange
    }

    /// This element and all elements below it, depth first in document order.
    public func flattened() -> [Element] {
        var out: [Element] = []
        appendFlattened(to: &out)
        return out
    }

    func appendFlattened(to out: inout [Element]) {
        out.append(self)
        for child in children { child.appendFlattened(to: &out) }
    }
}

/// A parsed document: its text and its elements.
public struct Bulletin: Sendable {
    public let source: SourceText
    /// Top-level elements in document order; articles hang under their 栏目.
    public var elements: [Element]
    /// Problems met while parsing (a recognition pattern that timed out).
    public var issues: [ParseIssue]

    public init(source: SourceText, elements: [Element], issues: [ParseIssue] = []) {
        self.source = source
        self.elements = elements
        self.issues = issues
    }

    /// Every element, depth first in document order.
    public var allElements: [Element] {
        var out: [Element] = []
        for element in elements { element.appendFlattened(to: &out) }
        return out
    }

    public func elements(ofKind kind: String) -> [Element] {
        allElements.filter { $0.kind == kind }
    }

    /// Range of each region present in the document.
    public func range(of region: Region) -> TextRange? {
        let ranges = allElements.filter { $0.region == region && $0.role != .artifact }.map(\.range)
        guard let lower = ranges.map(\.lowerBound).min(), let upper = ranges.map(\.upperBound).max() else { return nil }
        return lower..<upper
    }
}

/// Something the parser could not do, reported as a diagnostic.
public struct ParseIssue: Sendable {
    public let ruleID: String
    public let message: String
    public let range: TextRange
}
