import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// ICU's C regular-expression API, called directly: the same ICU, the same flags and the same
/// find loop as `NSRegularExpression.enumerateMatches` (swift-corelibs-foundation's
/// `_CFRegularExpressionEnumerateMatchesInString`), without what that costs per call on Linux —
/// bridging the `String` to an `NSString`, transcoding it to UTF-16 again for every pattern, and a
/// Swift block call at every start position for the progress report.
///
/// The functions are looked up at run time in the ICU that Foundation already loads
/// (`lib_FoundationICU`, whose entry points carry a `swift_` prefix), so nothing changes in how
/// the package builds; where they are not found (another platform or toolchain), `ICURegex` keeps
/// using `NSRegularExpression`.
enum ICUDirect {
    typealias Status = Int32
    typealias MatchCallback = @convention(c) (UnsafeRawPointer?, Int32) -> Int8
    typealias FindProgressCallback = @convention(c) (UnsafeRawPointer?, Int64) -> Int8

    struct API: @unchecked Sendable {
        let open: @convention(c) (UnsafePointer<UInt16>?, Int32, UInt32, UnsafeMutableRawPointer?, UnsafeMutablePointer<Status>) -> OpaquePointer?
        let clone: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> OpaquePointer?
        let close: @convention(c) (OpaquePointer?) -> Void
        let setText: @convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<Status>) -> Void
        let findNext: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> Int8
        let start64: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Status>) -> Int64
        let end64: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Status>) -> Int64
        let groupCount: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> Int32
        let groupNumberFromName: @convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<Status>) -> Int32
        let setMatchCallback: @convention(c) (OpaquePointer?, MatchCallback?, UnsafeRawPointer?, UnsafeMutablePointer<Status>) -> Void
        let setFindProgressCallback: @convention(c) (OpaquePointer?, FindProgressCallback?, UnsafeRawPointer?, UnsafeMutablePointer<Status>) -> Void
        /// `uregex_lookingAt64`: a match starting exactly at an index, the whole text still in
        /// view (look-behinds, `^`); nil where this ICU lacks it.
        let lookingAt64: (@convention(c) (OpaquePointer?, Int64, UnsafeMutablePointer<Status>) -> Int8)?
    }

    /// nil when this ICU's entry points are not in the process.
    static let api: API? = {
        #if canImport(Glibc)
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "swift_" + name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        guard let open = symbol("uregex_open", as: (@convention(c) (UnsafePointer<UInt16>?, Int32, UInt32, UnsafeMutableRawPointer?, UnsafeMutablePointer<Status>) -> OpaquePointer?).self),
              let clone = symbol("uregex_clone", as: (@convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> OpaquePointer?).self),
              let close = symbol("uregex_close", as: (@convention(c) (OpaquePointer?) -> Void).self),
              let setText = symbol("uregex_setText", as: (@convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<Status>) -> Void).self),
              let findNext = symbol("uregex_findNext", as: (@convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> Int8).self),
              let start64 = symbol("uregex_start64", as: (@convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Status>) -> Int64).self),
              let end64 = symbol("uregex_end64", as: (@convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Status>) -> Int64).self),
              let groupCount = symbol("uregex_groupCount", as: (@convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> Int32).self),
              let groupNumberFromName = symbol("uregex_groupNumberFromName", as: (@convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<Status>) -> Int32).self),
              let setMatchCallback = symbol("uregex_setMatchCallback", as: (@convention(c) (OpaquePointer?, MatchCallback?, UnsafeRawPointer?, UnsafeMutablePointer<Status>) -> Void).self),
              let setFindProgressCallback = symbol("uregex_setFindProgressCallback", as: (@convention(c) (OpaquePointer?, FindProgressCallback?, UnsafeRawPointer?, UnsafeMutablePointer<Status>) -> Void).self)
        else { return nil }
        return API(open: open, clone: clone, close: close, setText: setText, findNext: findNext, start64: start64, end64: end64,
                   groupCount: groupCount, groupNumberFromName: groupNumberFromName, setMatchCallback: setMatchCallback,
                   setFindProgressCallback: setFindProgressCallback,
                   lookingAt64: symbol("uregex_lookingAt64", as: (@convention(c) (OpaquePointer?, Int64, UnsafeMutablePointer<Status>) -> Int8).self))
        #else
        return nil
        #endif
    }()

    /// `UREGEX_CASE_INSENSITIVE` and `UREGEX_MULTILINE`, as `NSRegularExpression` sets them for
    /// `.caseInsensitive` and `.anchorsMatchLines`.
    static let caseInsensitive: UInt32 = 2
    static let multiline: UInt32 = 8

    /// The time budget of one search, checked from ICU's callbacks.
    struct Budget {
        var deadline: UInt64
        var calls = 0
        var timedOut = false

        mutating func expired() -> Bool {
            if DispatchTime.now().uptimeNanoseconds > deadline { timedOut = true }
            return timedOut
        }
    }

    /// Called by ICU every few thousand steps of matching.
    static let matchCallback: MatchCallback = { context, _ in
        guard let context else { return 1 }
        let budget = UnsafeMutablePointer<Budget>(mutating: context.assumingMemoryBound(to: Budget.self))
        return budget.pointee.expired() ? 0 : 1
    }

    /// Called by ICU at each start position it tries; the clock is read every 64 calls, as the
    /// `NSRegularExpression` path does.
    static let findProgressCallback: FindProgressCallback = { context, _ in
        guard let context else { return 1 }
        let budget = UnsafeMutablePointer<Budget>(mutating: context.assumingMemoryBound(to: Budget.self))
        budget.pointee.calls += 1
        if budget.pointee.calls & 63 == 0, budget.pointee.expired() { return 0 }
        return 1
    }
}

/// The UTF-16 units a match of a pattern may start with (`RegexPrefilter.starts`), as a bitmap
/// over the BMP; every high surrogate counts, so scalars outside the BMP are never ruled out.
struct StartSet: Sendable {
    private var bits: [UInt64]

    init(_ predicates: [ScalarPredicate]) {
        var bits = PlainText.bitmap(predicates.flatMap(\.scalars))
        if predicates.contains(where: \.digit) {
            for w in bits.indices { bits[w] |= StartSet.digits[w] }
        }
        for value in 0xD800..<0xDC00 { bits[value >> 6] |= 1 << UInt64(value & 63) }
        self.bits = bits
    }

    /// Also every low surrogate: for a run of units, where a pair's second half follows the first.
    init(_ predicates: [ScalarPredicate], lowSurrogates: Bool) {
        var set = StartSet(predicates)
        if lowSurrogates {
            for value in 0xDC00..<0xE000 { set.bits[value >> 6] |= 1 << UInt64(value & 63) }
        }
        self = set
    }

    /// Everything a `\d` may be: all but the blocks known to hold no decimal digit.
    private static let digits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for value in 0..<0x10000 where ScalarPredicate.digitness(UInt32(value)) != .no {
            bits[value >> 6] |= 1 << UInt64(value & 63)
        }
        return bits
    }()

    @inline(__always)
    func mayStart(_ unit: UInt16) -> Bool {
        bits.withUnsafeBufferPointer { $0[Int(unit >> 6)] & (1 << UInt64(unit & 63)) != 0 }
    }
}

/// A second test for a start position (`RegexPrefilterSpec.run`): every match starts with a run
/// of units of an alphabet and then one given unit, so a position from which the units of the
/// alphabet run out before that unit comes starts no match — nor does any position up to where
/// they ran out. For `(?:\d{4}\s*年\s*)?\d{1,2}\s*月…`, the digits of “1227余件” are no start:
/// 余 comes before any 月.
struct RunFilter: Sendable {
    private let alphabet: StartSet
    private let literal: UInt16

    init(_ spec: RunFilterSpec) {
        // Surrogates, high and low, are always in the alphabet: scalars outside the BMP are
        // never ruled out.
        alphabet = StartSet(spec.alphabet, lowSurrogates: true)
        literal = UInt16(truncatingIfNeeded: spec.literal)
    }

    /// What the run from a position says.
    enum Verdict {
        /// The run reaches the literal at this offset: a match may start at the position, and
        /// at every position up to the literal (their runs reach it too).
        case reaches(Int)
        /// No match starts before this offset (the unit after the one that ended the run).
        case skip(to: Int)
    }

    @inline(__always)
    func verdict(_ text: UnsafeBufferPointer<UInt16>, from position: Int) -> Verdict {
        var k = position
        while k < text.count {
            let unit = text[k]
            if unit == literal { return .reaches(k) }
            if !alphabet.mayStart(unit) { return .skip(to: k + 1) }
            k += 1
        }
        return .skip(to: text.count)
    }
}

/// One compiled pattern and a pool of clones of it: a `URegularExpression` holds the text it
/// searches, so each search takes a clone of its own (ICU: clones may be used concurrently, one per
/// thread).
final class ICUPattern: @unchecked Sendable {
    private let api: ICUDirect.API
    private let master: OpaquePointer
    /// Idle clones, one per slot (0 for an empty slot), taken and put back with atomic
    /// operations: a lock here was contended by every worker on every search. At least as many
    /// slots as cores (`--jobs` defaults to the number of cores), so that no worker makes and
    /// closes a clone for each search.
    private let slots: UnsafeMutablePointer<Atomic<Int>>
    private let slotCount: Int

    /// A clone and the time budget its callbacks read. The callbacks are set once, when the
    /// clone is made, with the budget as their context: setting them for every search cost more
    /// than many of the searches.
    struct Matcher {
        let regex: OpaquePointer
        let budget: UnsafeMutablePointer<ICUDirect.Budget>
    }

    /// An idle clone, or a new one.
    private func takeMatcher() -> UnsafeMutablePointer<Matcher>? {
        for index in 0..<slotCount where slots[index].load(ordering: .relaxed) != 0 {
            let bits = slots[index].exchange(0, ordering: .acquiring)
            if bits != 0, let matcher = UnsafeMutablePointer<Matcher>(bitPattern: bits) { return matcher }
        }
        var status: ICUDirect.Status = 0
        let cloned = api.clone(master, &status)
        guard let regex = cloned, status <= 0 else {
            if let cloned { api.close(cloned) }
            return nil
        }
        let budget = UnsafeMutablePointer<ICUDirect.Budget>.allocate(capacity: 1)
        budget.initialize(to: ICUDirect.Budget(deadline: 0))
        let matcher = UnsafeMutablePointer<Matcher>.allocate(capacity: 1)
        matcher.initialize(to: Matcher(regex: regex, budget: budget))
        api.setMatchCallback(regex, ICUDirect.matchCallback, UnsafeRawPointer(budget), &status)
        api.setFindProgressCallback(regex, ICUDirect.findProgressCallback, UnsafeRawPointer(budget), &status)
        guard status <= 0 else {
            close(matcher)
            return nil
        }
        return matcher
    }

    private func close(_ matcher: UnsafeMutablePointer<Matcher>) {
        api.close(matcher.pointee.regex)
        matcher.pointee.budget.deinitialize(count: 1)
        matcher.pointee.budget.deallocate()
        matcher.deinitialize(count: 1)
        matcher.deallocate()
    }

    /// Back into a free slot; closed when every slot is taken (more threads than slots).
    private func putBack(_ matcher: UnsafeMutablePointer<Matcher>) {
        let bits = Int(bitPattern: UnsafeRawPointer(matcher))
        for index in 0..<slotCount where slots[index].load(ordering: .relaxed) == 0 {
            if slots[index].compareExchange(expected: 0, desired: bits, ordering: .releasing).exchanged { return }
        }
        close(matcher)
    }
    /// Group numbers of the named groups, in `ICURegex.groupNames` order.
    let groupNumbers: [Int32]
    let groupCount: Int32

    init?(pattern: String, caseInsensitive: Bool, groupNames: [String]) {
        guard let api = ICUDirect.api else { return nil }
        let units = Array(pattern.utf16)
        var status: ICUDirect.Status = 0
        let flags = ICUDirect.multiline | (caseInsensitive ? ICUDirect.caseInsensitive : 0)
        // UParseError is 72 bytes; room to spare.
        let parseError = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 8)
        defer { parseError.deallocate() }
        let opened = units.withUnsafeBufferPointer { api.open($0.baseAddress, Int32($0.count), flags, parseError, &status) }
        guard let opened, status <= 0 else {
            if let opened { api.close(opened) }
            return nil
        }
        var numbers: [Int32] = []
        for name in groupNames {
            let nameUnits = Array(name.utf16)
            var nameStatus: ICUDirect.Status = 0
            let number = nameUnits.withUnsafeBufferPointer { api.groupNumberFromName(opened, $0.baseAddress, Int32($0.count), &nameStatus) }
            guard nameStatus <= 0 else {
                api.close(opened)
                return nil
            }
            numbers.append(number)
        }
        var countStatus: ICUDirect.Status = 0
        let count = api.groupCount(opened, &countStatus)
        guard countStatus <= 0 else {
            api.close(opened)
            return nil
        }
        self.api = api
        master = opened
        groupNumbers = numbers
        groupCount = count
        slotCount = max(8, ProcessInfo.processInfo.activeProcessorCount)
        slots = .allocate(capacity: slotCount)
        for index in 0..<slotCount { (slots + index).initialize(to: Atomic(0)) }
    }

    deinit {
        for index in 0..<slotCount {
            let bits = slots[index].exchange(0, ordering: .acquiring)
            if bits != 0, let matcher = UnsafeMutablePointer<Matcher>(bitPattern: bits) { close(matcher) }
        }
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        api.close(master)
    }

    /// All matches in `text` (UTF-16), as (whole, numbered groups) in UTF-16 offsets;
    /// nil when the time budget ran out.
    func search(_ text: UnsafeBufferPointer<UInt16>, limit: Int, timeBudget: TimeInterval, starts: StartSet? = nil,
                run: RunFilter? = nil)
        -> [(range: Range<Int>, numbered: [Range<Int>?])]? {
        guard let entry = takeMatcher() else { return [] }
        defer { putBack(entry) }
        let matcher = entry.pointee.regex
        let budget = entry.pointee.budget
        // An idle clone keeps pointing at the last text it searched: ICU reads a text only while
        // searching it, and `setText` replaces it without reading the old one.
        budget.pointee = ICUDirect.Budget(deadline: DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, timeBudget) * 1e9))
        var found: [(range: Range<Int>, numbered: [Range<Int>?])] = []
        var status: ICUDirect.Status = 0
        api.setText(matcher, text.baseAddress, Int32(text.count), &status)
        guard status <= 0 else { return [] }
        func range(_ group: Int32) -> Range<Int>? {
            var groupStatus: ICUDirect.Status = 0
            let start = api.start64(matcher, group, &groupStatus)
            let end = api.end64(matcher, group, &groupStatus)
            guard groupStatus <= 0, start >= 0, end >= start else { return nil }
            return Int(start)..<Int(end)
        }
        func record(_ whole: Range<Int>) {
            // Each group's range read once: the named groups are numbered groups too
            // (`groupNumbers`).
            var numbered: [Range<Int>?] = []
            numbered.reserveCapacity(Int(groupCount) + 1)
            numbered.append(whole)
            if groupCount > 0 {
                for group in 1...groupCount { numbered.append(range(group)) }
            }
            if found.isEmpty { found.reserveCapacity(min(limit, 4)) }
            found.append((whole, numbered))
        }
        if let starts, let lookingAt = api.lookingAt64 {
            // ICU's find tries every position in turn (testing each character against the
            // pattern's start set through a `UnicodeSet`); trying only the positions that can
            // start a match, in the same order and from the same place after each match,
            // finds the same matches. The pattern cannot match the empty string.
            let count = text.count
            var position = 0
            var tries = 0
            // Positions before this are known to reach the run filter's literal: each unit is
            // read by the filter once, however long a run of digits before a 月.
            var reached = 0
            while position < count {
                while position < count, !starts.mayStart(text[position]) { position += 1 }
                if position >= count { break }
                if let run, position >= reached {
                    switch run.verdict(text, from: position) {
                    case .skip(let next):
                        position = next
                        continue
                    case .reaches(let literal):
                        reached = literal
                    }
                }
                tries += 1
                if tries & 63 == 0, budget.pointee.expired() { break }
                let matched = lookingAt(matcher, Int64(position), &status)
                guard status <= 0 else { break }
                if matched != 0, let whole = range(0), whole.upperBound > position {
                    record(whole)
                    if found.count >= limit { break }
                    position = whole.upperBound
                } else {
                    position += 1
                }
            }
        } else {
            while api.findNext(matcher, &status) != 0, status <= 0 {
                guard let whole = range(0) else { continue }
                record(whole)
                if found.count >= limit { break }
            }
        }
        return budget.pointee.timedOut ? nil : found
    }
}
