import Foundation
import Synchronization

/// A compiled ICU regular expression (`NSRegularExpression`) with a time budget.
///
/// Swift `Regex` was measured 10–100× slower than ICU on bulletin text, so every
/// user-written pattern goes through this type. Matching reports UTF-8 offsets into the
/// searched string, which is what the rest of the pipeline keeps.
public struct ICURegex: @unchecked Sendable {
    /// Everything, behind one reference: element specs and checks copy patterns around a lot.
    private final class Compiled: @unchecked Sendable {
        /// The `NSRegularExpression` form (immutable after creation, documented as thread-safe):
        /// made with the pattern where ICU's C API is not found, else on first use (the tests
        /// compare both paths) — compiling a pattern twice was a tenth of the start-up.
        private let foundation: Mutex<NSRegularExpression?>
        /// The form made with the pattern, read without the lock: where ICU's C API is not
        /// found, every search goes through it.
        private let made: NSRegularExpression?
        private let options: NSRegularExpression.Options
        let pattern: String
        let groupNames: [String]
        let prefilter: RegexPrefilter?
        let direct: ICUPattern?
        /// Where a match may start, when the pattern says (see `ICUPattern.search`).
        let starts: StartSet?
        /// A second test for those positions (see `RunFilter`).
        let run: RunFilter?

        init(regex: NSRegularExpression?, options: NSRegularExpression.Options, pattern: String, groupNames: [String],
             prefilter: RegexPrefilter?, direct: ICUPattern?) {
            foundation = Mutex(regex)
            made = regex
            self.options = options
            self.pattern = pattern
            self.groupNames = groupNames
            self.prefilter = prefilter
            self.direct = direct
            starts = prefilter?.starts.map { StartSet($0) }
            run = prefilter?.run.map { RunFilter($0) }
        }

        /// The `NSRegularExpression` form; nil only if Foundation would not compile a pattern
        /// that ICU compiled with the same flags, which cannot happen (one ICU, one set of flags).
        var regex: NSRegularExpression? {
            if let made { return made }
            return foundation.withLock { regex in
                if regex == nil { regex = try? NSRegularExpression(pattern: pattern, options: options) }
                return regex
            }
        }
    }

    private let compiled: Compiled
    /// Tells compiled patterns apart (copies of one `ICURegex` share it).
    var identity: ObjectIdentifier { ObjectIdentifier(compiled) }
    /// The pattern as written in the rule file.
    public var pattern: String { compiled.pattern }
    /// Names of the named capture groups, in the order they appear.
    public var groupNames: [String] { compiled.groupNames }
    /// Literal text any match needs, to skip texts that cannot match without calling ICU.
    var prefilter: RegexPrefilter? { compiled.prefilter }
    /// The same pattern through ICU's C API (see `ICUDirect`); nil where that is not available.
    private var direct: ICUPattern? { compiled.direct }

    /// Default time budget for one search, in seconds: generous for any sane pattern on
    /// a paragraph, and short enough that a catastrophic one cannot stall a run.
    public static let defaultTimeBudget: TimeInterval = 0.25

    public struct CompileError: Error, Sendable {
        public let message: String
    }

    public init(_ pattern: String, caseInsensitive: Bool = false) throws(CompileError) {
        // The built-in rule sets' patterns are compiled once per process: their few hundred
        // patterns were most of the time of loading a rule set again (`serve`, the LSP, a folder
        // with its own configuration). The compiled form is immutable and thread-safe, and is
        // shared as copies of one `ICURegex` already share it. Other patterns are not kept: an
        // idle compiled pattern keeps the backtracking memory its searches grew, and patterns
        // uploaded to `serve` must not outlive their request.
        guard ICURegex.keepsCompiled, pattern.utf8.count <= ICURegex.cachedPatternLength else {
            compiled = try ICURegex.compile(pattern, caseInsensitive: caseInsensitive)
            return
        }
        compiled = try ICURegex.compiledPatterns.value(for: PatternKey(pattern: pattern, caseInsensitive: caseInsensitive)) {
            () throws(CompileError) -> Compiled in try ICURegex.compile(pattern, caseInsensitive: caseInsensitive)
        }
    }

    /// Whether a pattern compiled now may be kept for the process: set by the loader while it
    /// builds what only built-in rule sets wrote.
    @TaskLocal static var keepsCompiled = false

    private struct PatternKey: Hashable {
        let pattern: String
        let caseInsensitive: Bool
    }

    /// Longer patterns are compiled each time (keeping them is not worth the memory).
    private static let cachedPatternLength = 4096
    private static let compiledPatterns = ProcessCache<PatternKey, Compiled>(capacity: 2048)

    private static func compile(_ pattern: String, caseInsensitive: Bool) throws(CompileError) -> Compiled {
        var options: NSRegularExpression.Options = [.anchorsMatchLines]
        if caseInsensitive { options.insert(.caseInsensitive) }
        let scanned = ICURegex.namedGroups(in: pattern)
        // ICU's C API with the flags `NSRegularExpression` sets for these options (multi-line,
        // case-insensitive): where it compiles the pattern, Foundation would too, and where it
        // refuses it, so would Foundation (one ICU). Its answer is final: Foundation is not
        // asked again, for it costs a second compile and swift-corelibs-foundation's
        // `_CFRegularExpressionCreate` leaks its UTF-16 copy of a pattern over 256 units
        // (`fuzz-rules` found it; docs/SECURITY.md).
        var regex: NSRegularExpression? = nil
        let direct: ICUPattern?
        if ICUDirect.api != nil {
            guard let compiled = ICUPattern(pattern: pattern, caseInsensitive: caseInsensitive, groupNames: scanned) else {
                throw CompileError(message: ICURegex.describeCompileFailure(pattern))
            }
            direct = compiled
        } else {
            // No C API: Foundation compiles the pattern and is the search path.
            direct = nil
            do {
                regex = try NSRegularExpression(pattern: pattern, options: options)
            } catch {
                throw CompileError(message: ICURegex.describeCompileFailure(pattern))
            }
        }
        return Compiled(regex: regex, options: options, pattern: pattern, groupNames: direct?.groupNames ?? scanned,
                        prefilter: RegexPrefilter(pattern: pattern, caseInsensitive: caseInsensitive), direct: direct)
    }

    /// One match: the whole range and the named groups that took part, as UTF-8 offsets.
    public struct Match: Sendable {
        public let range: Range<Int>
        public let groups: Groups
        /// Numbered groups, 0 being the whole match; nil for a group that did not take part.
        public var numberedGroups: [Range<Int>?] = []
    }

    /// The named groups of a match that took part, by name. The names are the pattern's, shared
    /// by all its matches: a match does not build a dictionary of its own (hashing the names
    /// of every match cost more than most of the matching).
    public struct Groups: Sequence, Sendable, Equatable {
        /// The pattern's group names, in the order they open.
        let names: [String]
        /// The range of each name's group; nil where it did not take part.
        let ranges: [Range<Int>?]

        public subscript(name: String) -> Range<Int>? {
            for i in names.indices where names[i] == name { return ranges[i] }
            return nil
        }

        public var isEmpty: Bool { !ranges.contains { $0 != nil } }

        /// How many groups took part.
        public var count: Int { ranges.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

        /// The groups that took part, as (name, range), in the order they open in the pattern.
        public func makeIterator() -> Iterator { Iterator(groups: self) }

        public struct Iterator: IteratorProtocol {
            let groups: Groups
            var index = 0

            public mutating func next() -> (name: String, range: Range<Int>)? {
                while index < groups.ranges.count {
                    defer { index += 1 }
                    if let range = groups.ranges[index] { return (groups.names[index], range) }
                }
                return nil
            }
        }

        /// Equal when the same groups took part with the same ranges.
        public static func == (a: Groups, b: Groups) -> Bool {
            var left: [String: Range<Int>] = [:]
            var right: [String: Range<Int>] = [:]
            for (name, range) in a { left[name] = range }
            for (name, range) in b { right[name] = range }
            return left == right
        }
    }

    public enum SearchError: Error, Sendable { case timedOut }

    /// All non-overlapping matches in `text`.
    public func matches(in text: String, limit: Int = .max,
                        timeBudget: TimeInterval = ICURegex.defaultTimeBudget) throws(SearchError) -> [Match] {
        if text.isEmpty { return [] }
        let prepared = PreparedText(text)
        if let prefilter, !prefilter.admits(prepared) { return [] }
        return try search(prepared, limit: limit, timeBudget: timeBudget)
    }

    /// All non-overlapping matches in a text prepared for many searches.
    public func matches(in text: PreparedText, limit: Int = .max,
                        timeBudget: TimeInterval = ICURegex.defaultTimeBudget) throws(SearchError) -> [Match] {
        if text.text.isEmpty { return [] }
        if let prefilter, !prefilter.admits(text) { return [] }
        return try search(text, limit: limit, timeBudget: timeBudget)
    }

    /// All matches in a prepared text that `mayMatch` has already admitted: the prefilter is
    /// not run again.
    func matches(inAdmitted text: PreparedText, limit: Int = .max,
                 timeBudget: TimeInterval = ICURegex.defaultTimeBudget) throws(SearchError) -> [Match] {
        if text.text.isEmpty { return [] }
        return try search(text, limit: limit, timeBudget: timeBudget)
    }

    /// `matches(inAdmitted:)` until `deadline` (`DispatchTime` uptime nanoseconds), which the
    /// caller has worked out from one clock reading (a document's regex budget).
    func matches(inAdmitted text: PreparedText, deadline: UInt64) throws(SearchError) -> [Match] {
        if text.text.isEmpty { return [] }
        return try search(text, limit: .max, deadline: deadline)
    }

    /// Whether `text` may hold a match (false only when it certainly cannot).
    public func mayMatch(_ text: PreparedText) -> Bool {
        prefilter?.admits(text) ?? true
    }

    /// Whether any text of a scope filter may hold a match (false only when none can).
    func mayMatchAny(of scope: PreparedText.ScopeFilter) -> Bool {
        prefilter?.mayAdmitAny(of: scope) ?? true
    }

    /// Every match, without the prefilter.
    func search(_ text: String, limit: Int = .max, timeBudget: TimeInterval = ICURegex.defaultTimeBudget) throws(SearchError) -> [Match] {
        if text.isEmpty { return [] }
        return try search(PreparedText(text), limit: limit, timeBudget: timeBudget)
    }

    private func search(_ text: PreparedText, limit: Int, timeBudget: TimeInterval) throws(SearchError) -> [Match] {
        guard direct != nil else { return try searchWithFoundation(text.text, limit: limit, timeBudget: timeBudget) }
        return try search(text, limit: limit, deadline: ICUDirect.deadline(after: timeBudget))
    }

    private func search(_ text: PreparedText, limit: Int, deadline: UInt64) throws(SearchError) -> [Match] {
        guard let direct else {
            let now = DispatchTime.now().uptimeNanoseconds
            let left = deadline > now ? TimeInterval(deadline - now) / 1e9 : 0
            return try searchWithFoundation(text.text, limit: limit, timeBudget: left)
        }
        let names = groupNames
        let found = text.withUTF16 { units, utf8Offset -> [Match]? in
            guard let raw = direct.search(units, limit: limit, deadline: deadline, starts: compiled.starts, run: compiled.run) else { return nil }
            func convert(_ range: Range<Int>) -> Range<Int> { utf8Offset(range.lowerBound)..<utf8Offset(range.upperBound) }
            return raw.map { match in
                // Each group converted once; the named ones are numbered groups too.
                let numbered = match.numbered.map { $0.map(convert) }
                let named = direct.groupNumbers.map { number in
                    number >= 0 && Int(number) < numbered.count ? numbered[Int(number)] : nil
                }
                // Group 0 is the whole match.
                let whole = numbered.first.flatMap { $0 } ?? convert(match.range)
                return Match(range: whole, groups: Groups(names: names, ranges: named), numberedGroups: numbered)
            }
        }
        guard let found else { throw .timedOut }
        return found
    }

    /// The `NSRegularExpression` path, where ICU's C API is not available.
    func searchWithFoundation(_ text: String, limit: Int, timeBudget: TimeInterval) throws(SearchError) -> [Match] {
        let converter = OffsetConverter(text)
        let whole = NSRange(location: 0, length: converter.utf16Count)
        var found: [Match] = []
        var timedOut = false
        let deadline = Date().addingTimeInterval(timeBudget)
        var calls = 0
        guard let regex = compiled.regex else { return [] }
        regex.enumerateMatches(in: text, options: [.reportProgress], range: whole) { result, _, stop in
            calls += 1
            // The progress callback fires often; reading the clock every call would cost more
            // than most matches.
            if calls & 63 == 0, Date() > deadline {
                timedOut = true
                stop.pointee = true
                return
            }
            guard let result else { return }
            let range = converter.utf8Range(result.range)
            let groups = Groups(names: groupNames, ranges: groupNames.map { name in
                let r = result.range(withName: name)
                return r.location == NSNotFound ? nil : converter.utf8Range(r)
            })
            var numbered: [Range<Int>?] = []
            for index in 0..<result.numberOfRanges {
                let r = result.range(at: index)
                numbered.append(r.location == NSNotFound ? nil : converter.utf8Range(r))
            }
            found.append(Match(range: range, groups: groups, numberedGroups: numbered))
            if found.count >= limit { stop.pointee = true }
        }
        if timedOut { throw .timedOut }
        return found
    }

    /// The first match, if any.
    public func firstMatch(in text: String,
                           timeBudget: TimeInterval = ICURegex.defaultTimeBudget) throws(SearchError) -> Match? {
        try matches(in: text, limit: 1, timeBudget: timeBudget).first
    }

    private static func namedGroups(in pattern: String) -> [String] {
        // `(?<name>` opens a named group; `(?<=` and `(?<!` are look-behinds.
        var names: [String] = []
        let scalars = Array(pattern.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\" { i += 2; continue }
            if scalars[i] == "(", i + 3 < scalars.count, scalars[i + 1] == "?", scalars[i + 2] == "<",
               scalars[i + 3] != "=", scalars[i + 3] != "!" {
                var j = i + 3
                var name = ""
                while j < scalars.count, scalars[j] != ">" { name.unicodeScalars.append(scalars[j]); j += 1 }
                if !name.isEmpty { names.append(name) }
                i = j
            }
            i += 1
        }
        return names
    }

    private static func describeCompileFailure(_ pattern: String) -> String {
        var depth = 0
        var escaped = false
        var inClass = false
        for scalar in pattern.unicodeScalars {
            if escaped { escaped = false; continue }
            switch scalar {
            case "\\": escaped = true
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth -= 1
            default: break
            }
            if depth < 0 { return "正则表达式有多余的右括号“)”" }
        }
        if depth > 0 { return "正则表达式的括号不配对（缺少“)”）" }
        if inClass { return "正则表达式的字符类缺少“]”" }
        if escaped { return "正则表达式以单独的反斜杠结尾" }
        return "正则表达式无法编译（ICU 语法）"
    }
}
