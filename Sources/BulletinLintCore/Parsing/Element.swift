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

    // The fields live in one copy-on-write box: elements are copied constantly (into
    // children, flattened lists, per-kind lists of the checks), and copying a struct of ten
    // reference-counted fields cost ten retains and releases per copy; a box costs one.
    // A write to a shared box copies it first, so `Element` keeps value semantics.
    private final class Storage: @unchecked Sendable {
        var kind: String
        var region: Region
        var role: Role
        var range: TextRange
        var fields = FieldMap<String>()
        var fieldRanges = FieldMap<TextRange>()
        var entries: [ListEntry] = []
        var listView: MappedText?
        /// The syntax the parser read from `listView`'s text, kept for the list checks.
        var listSyntax: ListSyntax?
        var children: [Element] = []
        var view: MappedText
        var search: PreparedText?

        init(kind: String, region: Region, role: Role, range: TextRange, view: MappedText) {
            self.kind = kind
            self.region = region
            self.role = role
            self.range = range
            self.view = view
        }

        func copy() -> Storage {
            let copy = Storage(kind: kind, region: region, role: role, range: range, view: view)
            copy.fields = fields
            copy.fieldRanges = fieldRanges
            copy.entries = entries
            copy.listView = listView
            copy.listSyntax = listSyntax
            copy.children = children
            copy.search = search
            return copy
        }
    }

    private var storage: Storage

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var kind: String {
        get { storage.kind }
        set { unique().kind = newValue }
    }
    public var region: Region {
        get { storage.region }
        set { unique().region = newValue }
    }
    public var role: Role {
        get { storage.role }
        set { unique().role = newValue }
    }
    /// The element's text; wrapped lines are joined without the line breaks.
    public var text: String { storage.view.text }
    /// The source range the element covers.
    public var range: TextRange {
        get { storage.range }
        set { unique().range = newValue }
    }
    /// The fields the element's pattern captured (and a few the parser adds, like `title`).
    /// A dictionary made on each call: the library reads and sets single fields with
    /// `field(_:)` and `setField(_:_:)`.
    public var fields: [String: String] {
        get { storage.fields.dictionary }
        set { unique().fields = FieldMap(newValue) }
    }
    /// Where each field's text stands in the source (for fields taken from the text); a
    /// dictionary made on each call, like `fields`.
    public var fieldRanges: [String: TextRange] {
        get { storage.fieldRanges.dictionary }
        set { unique().fieldRanges = FieldMap(newValue) }
    }
    /// One field's value.
    public func field(_ name: String) -> String? { storage.fields[name] }
    /// Where one field's text stands in the source.
    public func fieldRange(_ name: String) -> TextRange? { storage.fieldRanges[name] }
    /// Sets (or, with nil, removes) one field.
    public mutating func setField(_ name: String, _ value: String?) { unique().fields[name] = value }
    /// Sets (or, with nil, removes) one field's source range.
    public mutating func setFieldRange(_ name: String, _ range: TextRange?) { unique().fieldRanges[name] = range }

    /// Drops every field (an element relabelled as plain text).
    mutating func clearFields() {
        let storage = unique()
        storage.fields = FieldMap<String>()
        storage.fieldRanges = FieldMap<TextRange>()
    }
    /// The fields in the order they were set.
    var fieldList: [FieldMap<String>.Entry] { storage.fields.entries }
    public var entries: [ListEntry] {
        get { storage.entries }
        _modify { yield &unique().entries }
        set { unique().entries = newValue }
    }
    /// For lists: the list text after the label, continuation lines included.
    public var listView: MappedText? {
        get { storage.listView }
        set {
            let storage = unique()
            storage.listView = newValue
            storage.listSyntax = nil
        }
    }
    /// The syntax of `listView`'s text, as the parser read it (nil otherwise; setting
    /// `listView` drops it).
    var listSyntax: ListSyntax? { storage.listSyntax }

    /// Sets the list text and the syntax read from it.
    mutating func setList(_ view: MappedText, syntax: ListSyntax) {
        let storage = unique()
        storage.listView = view
        storage.listSyntax = syntax
    }
    public var children: [Element] {
        get { storage.children }
        _modify { yield &unique().children }
        set { unique().children = newValue }
    }
    /// The element's text and its map back to the source.
    public var view: MappedText {
        get { storage.view }
        set {
            let storage = unique()
            storage.view = newValue
            storage.search = nil
        }
    }
    /// `text` prepared for searching, when the parser already made it (the checks search the
    /// same texts again); nil otherwise. Always of the current `text`: setting `view` drops it.
    var search: PreparedText? {
        get { storage.search }
        set {
            guard let newValue, newValue.text.hasSameBytes(as: text) else { return }
            unique().search = newValue
        }
    }

    public init(kind: String, region: Region, role: Role = .unit, view: MappedText, range: TextRange? = nil) {
        storage = Storage(kind: kind, region: region, role: role, range: range ?? view.sourceRange, view: view)
    }

    /// This element and all elements below it, depth first in document order.
    public func flattened() -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(treeCount)
        appendFlattened(to: &out)
        return out
    }

    /// This element and all below it, counted.
    var treeCount: Int {
        storage.children.reduce(1) { $0 + $1.treeCount }
    }

    func appendFlattened(to out: inout [Element]) {
        out.append(self)
        for child in storage.children { child.appendFlattened(to: &out) }
    }
}

/// A few named values in the order they were set, found by a linear scan: an element has a
/// handful of fields with short ASCII names, and comparing those costs less than hashing them
/// into a dictionary, which was allocated and grown for nearly every element.
struct FieldMap<Value>: Sendable where Value: Sendable {
    struct Entry: Sendable {
        let name: String
        var value: Value
    }

    private(set) var entries: [Entry] = []

    init() {}

    /// The dictionary's fields, by name (a dictionary has no order of its own to keep).
    init(_ dictionary: [String: Value]) {
        entries = dictionary.map { Entry(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
    }

    subscript(name: String) -> Value? {
        get {
            for entry in entries where entry.name == name { return entry.value }
            return nil
        }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(name: name, value: newValue))
            }
        }
    }

    var dictionary: [String: Value] {
        var out: [String: Value] = [:]
        for entry in entries { out[entry.name] = entry.value }
        return out
    }
}

/// A parsed document: its text and its elements.
public struct Bulletin: Sendable {
    public let source: SourceText
    /// Top-level elements in document order; articles hang under their 栏目.
    public var elements: [Element]
    /// Problems met while parsing (a recognition pattern that timed out).
    public var issues: [ParseIssue]
    /// What kind of document it is (简报, 公文 and its 文种, …), read from its elements.
    public var genre: DocumentGenre
    /// The document's own date (ISO): its 印发日期, else its 成文日期, else its masthead's date;
    /// it decides which era's rules apply. Nil when undated.
    public var date: String?
    /// The documents that follow this one in the same file (a second 公文 after the first one's
    /// 版记), each with its own elements; their ranges lie after this one's.
    public var following: [Bulletin] = []
    /// The document's part of the file when the file holds several (from its first line to the
    /// next document's); nil when it holds one, which then has the whole text.
    public var extent: TextRange?

    public init(source: SourceText, elements: [Element], issues: [ParseIssue] = [],
                genre: DocumentGenre = DocumentGenre(kind: .unknown), date: String? = nil) {
        self.source = source
        self.elements = elements
        self.issues = issues
        self.genre = genre
        self.date = date
    }

    /// This document and the ones that follow it in the file.
    public var documents: [Bulletin] {
        var out = [self]
        for next in following { out += next.documents }
        return out
    }

    /// Every element, depth first in document order.
    public var allElements: [Element] {
        var out: [Element] = []
        // Counted first, so the array is allocated once rather than grown a dozen times.
        out.reserveCapacity(elements.reduce(0) { $0 + $1.treeCount })
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
