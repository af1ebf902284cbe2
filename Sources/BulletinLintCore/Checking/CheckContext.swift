import Foundation

/// What a check sees of one document.
public final class CheckContext {
    public let bulletin: Bulletin
    public let specs: [ElementSpec]
    /// Every element, depth first in document order.
    public let all: [Element]
    /// How many searches ran out of time; the linter reports them per rule.
    private(set) var timedOutCount = 0
    /// How many searches were not run because the document's regex budget was spent; the
    /// linter drops the findings of a rule that had any (it did not really run) and names it.
    private(set) var budgetSkippedCount = 0

    /// Regex time one document may spend across all its rules, in seconds: with each search
    /// held to `ICURegex.defaultTimeBudget`, 100 catastrophic patterns still took 25 s per
    /// document. A sane rule set spends a few milliseconds on a long document.
    public static let defaultRegexBudget: TimeInterval = 2

    /// The budget in nanoseconds, and what the searches of this document have spent of it.
    private let regexBudget: UInt64
    private var regexSpent: UInt64 = 0

    public init(bulletin: Bulletin, specs: [ElementSpec], regexBudget: TimeInterval = CheckContext.defaultRegexBudget) {
        self.bulletin = bulletin
        self.specs = specs
        self.all = bulletin.allElements
        self.regexBudget = UInt64(max(0, min(regexBudget, 1e6)) * 1e9)
    }

    public var source: SourceText { bulletin.source }

    public func elements(ofKinds kinds: [String]) -> [Element] {
        // A rule asks with the same array every time: its storage is found first, without
        // comparing names. (The cache holds the array, so its storage is neither freed nor
        // changed while the entry lives.)
        let identity = kinds.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if let cached = elementsByKinds.first(where: { $0.identity == identity }) ?? elementsByKinds.first(where: { $0.kinds == kinds }) {
            return cached.elements
        }
        let elements = all.filter { element in kinds.contains(element.kind) }
        elementsByKinds.append((kinds, identity, elements))
        return elements
    }

    /// `elements(ofKinds:)` per list of kinds asked for: several rules ask for the same ones.
    private var elementsByKinds: [(kinds: [String], identity: UnsafeRawPointer?, elements: [Element])] = []

    /// Units per scope, as indices into `all`, computed once per document: most rules ask for
    /// the same few scopes.
    private var unitsByScope: [(scope: Scope, indices: [Int], units: [Element])] = []
    /// Prepared texts by index into `all`, shared by every scope that holds the element.
    private var searchByIndex: [PreparedText?] = []

    /// The units of text (lines, titles, paragraphs) a scope covers.
    public func units(in scope: Scope) -> [Element] {
        unitIndices(in: scope).units
    }

    private func unitIndices(in scope: Scope) -> (indices: [Int], units: [Element]) {
        if let cached = unitsByScope.first(where: { $0.scope == scope }) { return (cached.indices, cached.units) }
        // Room for every element at once: a filter grows its array a step at a time.
        var indices: [Int] = []
        indices.reserveCapacity(all.count)
        for index in all.indices {
            let element = all[index]
            let inScope: Bool
            switch scope {
            case .document: inScope = element.role == .unit
            case .region(let region): inScope = element.role == .unit && element.region == region
            case .elements(let kinds): inScope = kinds.contains(element.kind) && element.role != .artifact
            }
            if inScope { indices.append(index) }
        }
        let units = indices.map { all[$0] }
        unitsByScope.append((scope, indices, units))
        return (indices, units)
    }

    /// The texts of `units(in: scope)`, in the same order, prepared for many searches.
    func searchTexts(in scope: Scope) -> [PreparedText] {
        if let cached = searchesByScope.first(where: { $0.scope == scope }) { return cached.searches }
        let indices = unitIndices(in: scope).indices
        if searchByIndex.isEmpty { searchByIndex = [PreparedText?](repeating: nil, count: all.count) }
        let searches = indices.map { index in
            if let search = searchByIndex[index] { return search }
            let search = all[index].search ?? PreparedText(all[index].text)
            searchByIndex[index] = search
            return search
        }
        searchesByScope.append((scope, searches))
        return searches
    }

    private var searchesByScope: [(scope: Scope, searches: [PreparedText])] = []

    /// What any unit of a scope may hold, so a check can skip a phrase or pattern that none of
    /// them can (most documents have none of most forbidden phrases).
    func scopeFilter(in scope: Scope) -> PreparedText.ScopeFilter {
        if let cached = scopeFilters.first(where: { $0.scope == scope }) { return cached.filter }
        let filter = PreparedText.ScopeFilter(searchTexts(in: scope))
        scopeFilters.append((scope, filter))
        return filter
    }

    private var scopeFilters: [(scope: Scope, filter: PreparedText.ScopeFilter)] = []

    /// A date field of an element, as the date checks read it.
    struct DatedValue {
        let element: Element
        /// The field's value (an ISO date once read).
        let value: String
        /// Where the date stands: the field's range, else the element's.
        let range: TextRange
        /// The date as written (an inline date's joined text, across wrapped lines).
        let text: String
        let date: ChineseDate?
    }

    /// The elements of `kinds` (or, without kinds, every element inside the units of `scope`)
    /// that have `field`, with their dates read; worked out once per document however many
    /// date rules ask.
    func datedValues(kinds: [String]?, scope: Scope?, field: String) -> [DatedValue] {
        if let cached = datedValuesCache.first(where: { $0.kinds == kinds && $0.scope == scope && $0.field == field }) {
            return cached.values
        }
        let elements: [Element]
        if let kinds {
            elements = self.elements(ofKinds: kinds)
        } else if let scope {
            elements = units(in: scope).flatMap { $0.flattened() }
        } else {
            elements = []
        }
        var values: [DatedValue] = []
        for element in elements {
            guard let value = element.field(field) else { continue }
            let fieldRange = element.fieldRange(field)
            let range = fieldRange ?? element.range
            let written = fieldRange == nil ? element.text : source.content(range)
            // Wrapped lines inside a date: read it as the element's joined text.
            let text = element.role == .inline ? element.text : written
            values.append(DatedValue(element: element, value: value, range: range, text: text, date: ChineseDate.parse(text)))
        }
        datedValuesCache.append((kinds, scope, field, values))
        return values
    }

    private var datedValuesCache: [(kinds: [String]?, scope: Scope?, field: String, values: [DatedValue])] = []

    /// The syntax of a list element's `listView`, worked out once per document however many
    /// list rules ask (the parser has usually read it already).
    func listSyntax(of element: Element, view: MappedText) -> ListSyntax {
        // Read by the parser already, from this very text (setting `listView` drops it).
        if let syntax = element.listSyntax { return syntax }
        let key = element.range.lowerBound
        if let cached = listSyntaxes[key], cached.text == view.text { return cached.syntax }
        let syntax = ListSyntax(view.text)
        listSyntaxes[key] = (view.text, syntax)
        return syntax
    }

    private var listSyntaxes: [Int: (text: String, syntax: ListSyntax)] = [:]

    /// The tables of this document: the reader's (.docx, Markdown), or, for plain text, the pipe
    /// tables written in it (read on first ask, so a rule set without table rules never looks);
    /// only those that start in this document's part of a file that holds several.
    public var tables: [TextTable] {
        if let cachedTables { return cachedTables }
        // A file of several documents: each reads the plain text of its own part only.
        var tables = source.tablesForChecks(within: bulletin.extent)
        if let extent = bulletin.extent {
            tables = tables.filter { extent.contains($0.range.lowerBound) }
        }
        cachedTables = tables
        return tables
    }

    private var cachedTables: [TextTable]?

    /// The name of an element kind in messages.
    public func label(_ kind: String) -> String {
        specs.first { $0.kind == kind }?.label ?? kind
    }

    public func specIndex(_ kind: String) -> Int? { specs.firstIndex { $0.kind == kind } }

    /// Patterns that already ran out of time in this document: not tried again, so one bad
    /// pattern costs one time budget per document, not one per paragraph.
    private var exhausted: Set<String> = []

    /// Runs a pattern, noting a time-out instead of hanging.
    public func matches(_ regex: ICURegex, in text: String) -> [ICURegex.Match] {
        matches(regex, in: PreparedText(text))
    }

    /// Runs a pattern over a prepared text, noting a time-out instead of hanging.
    public func matches(_ regex: ICURegex, in text: PreparedText) -> [ICURegex.Match] {
        guard regex.mayMatch(text) else { return [] }
        return matches(regex, inAdmitted: text)
    }

    /// `matches(_:in:)` for a text the pattern's prefilter has admitted (`ICURegex.mayMatch`).
    func matches(_ regex: ICURegex, inAdmitted text: PreparedText) -> [ICURegex.Match] {
        if !exhausted.isEmpty, exhausted.contains(regex.pattern) { return [] }
        if text.text.isEmpty { return [] }
        guard regexSpent < regexBudget else {
            budgetSkippedCount += 1
            return []
        }
        // One clock reading before the search (which its deadline is worked out from, as the
        // search would itself) and one after: the budget costs one reading per search.
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start &+ min(CheckContext.searchBudget, regexBudget - regexSpent)
        do {
            let found = try regex.matches(inAdmitted: text, deadline: deadline)
            regexSpent &+= DispatchTime.now().uptimeNanoseconds &- start
            return found
        } catch {
            regexSpent &+= deadline &- start
            exhausted.insert(regex.pattern)
            timedOutCount += 1
            return []
        }
    }

    /// `ICURegex.defaultTimeBudget` in nanoseconds.
    private static let searchBudget = UInt64(ICURegex.defaultTimeBudget * 1e9)

    /// The first line of an element, for placing a diagnostic on it.
    public func firstLine(of element: Element) -> TextRange {
        let line = source.lineIndex(containing: element.range.lowerBound)
        return element.range.lowerBound..<min(element.range.upperBound, source.lineEnds[line])
    }

    /// The last line of an element.
    public func lastLine(of element: Element) -> TextRange {
        let end = max(element.range.lowerBound, element.range.upperBound - 1)
        let line = source.lineIndex(containing: end)
        let start = max(source.lineStarts[line], element.range.lowerBound)
        let trimmedStart = firstNonBlank(from: start, to: element.range.upperBound)
        return trimmedStart..<element.range.upperBound
    }

    /// The last character of an element.
    public func lastCharacter(of element: Element) -> TextRange {
        guard let last = source.slice(element.range).unicodeScalars.last else { return element.range }
        return (element.range.upperBound - UTF8.width(last))..<element.range.upperBound
    }

    private func firstNonBlank(from start: Int, to end: Int) -> Int {
        var offset = start
        for scalar in source.slice(start..<end).unicodeScalars {
            if !ParseState.trimmable.contains(scalar) { break }
            offset += UTF8.width(scalar)
        }
        return offset
    }

    /// Where to report an element that is missing: at the element that should follow it
    /// (in the rule set's element order), else after the last element of its region, else at
    /// the end of the document.
    public func anchorForMissing(_ kinds: [String]) -> TextRange {
        let indices = kinds.compactMap { specIndex($0) }
        let region = kinds.compactMap { kind in specs.first { $0.kind == kind }?.region }.first ?? .any
        let inRegion = all.filter { ($0.region == region || region == .any) && $0.role == .unit }
        if let rank = indices.min() {
            let following = inRegion.first { element in (specIndex(element.kind) ?? -1) > rank }
            if let following { return firstLine(of: following) }
        }
        if let last = inRegion.last { return lastLine(of: last) }
        // Nothing of that region at all: a missing masthead is reported at the top.
        if region == .masthead, let first = all.first(where: { $0.role == .unit }) {
            return firstLine(of: first)
        }
        if let last = all.last(where: { $0.role == .unit }) { return lastLine(of: last) }
        return 0..<0
    }
}
