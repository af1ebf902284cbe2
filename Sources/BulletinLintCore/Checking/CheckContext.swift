/// What a check sees of one document.
public final class CheckContext {
    public let bulletin: Bulletin
    public let specs: [ElementSpec]
    /// Every element, depth first in document order.
    public let all: [Element]
    /// How many searches ran out of time; the linter reports them per rule.
    private(set) var timedOutCount = 0

    public init(bulletin: Bulletin, specs: [ElementSpec]) {
        self.bulletin = bulletin
        self.specs = specs
        self.all = bulletin.allElements
    }

    public var source: SourceText { bulletin.source }

    public func elements(ofKinds kinds: [String]) -> [Element] {
        all.filter { kinds.contains($0.kind) }
    }

    /// Units per scope, computed once per document: most rules ask for the same few scopes.
    private var unitsByScope: [(scope: Scope, units: [Element], searches: [SearchText]?)] = []

    /// The units of text (lines, titles, paragraphs) a scope covers.
    public func units(in scope: Scope) -> [Element] {
        if let cached = unitsByScope.first(where: { $0.scope == scope }) { return cached.units }
        let units = computeUnits(in: scope)
        unitsByScope.append((scope, units, nil))
        return units
    }

    /// The texts of `units(in: scope)`, in the same order, prepared for many searches.
    func searchTexts(in scope: Scope) -> [SearchText] {
        let units = units(in: scope)
        guard let index = unitsByScope.firstIndex(where: { $0.scope == scope }) else { return units.map { SearchText($0.text) } }
        if let searches = unitsByScope[index].searches { return searches }
        let searches = units.map { SearchText($0.text) }
        unitsByScope[index].searches = searches
        return searches
    }

    private func computeUnits(in scope: Scope) -> [Element] {
        switch scope {
        case .document:
            return all.filter { $0.role == .unit }
        case .region(let region):
            return all.filter { $0.role == .unit && $0.region == region }
        case .elements(let kinds):
            return all.filter { kinds.contains($0.kind) && $0.role != .artifact }
        }
    }

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
        if !exhausted.isEmpty, exhausted.contains(regex.pattern) { return [] }
        do {
            return try regex.matches(in: text)
        } catch {
            exhausted.insert(regex.pattern)
            timedOutCount += 1
            return []
        }
    }

    /// Runs a pattern over a prepared text, noting a time-out instead of hanging.
    public func matches(_ regex: ICURegex, in text: SearchText) -> [ICURegex.Match] {
        if !exhausted.isEmpty, exhausted.contains(regex.pattern) { return [] }
        do {
            return try regex.matches(in: text)
        } catch {
            exhausted.insert(regex.pattern)
            timedOutCount += 1
            return []
        }
    }

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
            if !ParseRun.trimmable.contains(scalar) { break }
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
