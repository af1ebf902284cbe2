import Foundation
import Synchronization

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
    /// The named groups ICU knows, in the pattern's order (`ICURegex.groupNames`).
    let groupNames: [String]
    /// Their group numbers, in the same order.
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
        // A name the scan found that ICU does not know (written in a comment, a class or a
        // quoted run: `(?#(?<x>)`, `[(?<x>)]`) is no group: it is left out, as ICU leaves it.
        var numbers: [Int32] = []
        var names: [String] = []
        for name in groupNames {
            let nameUnits = Array(name.utf16)
            var nameStatus: ICUDirect.Status = 0
            let number = nameUnits.withUnsafeBufferPointer { api.groupNumberFromName(opened, $0.baseAddress, Int32($0.count), &nameStatus) }
            guard nameStatus <= 0, !names.contains(name) else { continue }
            numbers.append(number)
            names.append(name)
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
        self.groupNames = names
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
        search(text, limit: limit, deadline: ICUDirect.deadline(after: timeBudget), starts: starts, run: run)
    }

    /// `search` until `deadline` (`DispatchTime` uptime nanoseconds).
    func search(_ text: UnsafeBufferPointer<UInt16>, limit: Int, deadline: UInt64, starts: StartSet? = nil,
                run: RunFilter? = nil)
        -> [(range: Range<Int>, numbered: [Range<Int>?])]? {
        guard let entry = takeMatcher() else { return [] }
        let budget = entry.pointee.budget
        // A clone that ran out of time is closed, not kept: ICU grows a clone's backtracking
        // stack as a search needs and never shrinks it, so a catastrophic search left megabytes
        // in the pool for the rest of the run.
        defer { if budget.pointee.timedOut { close(entry) } else { putBack(entry) } }
        let matcher = entry.pointee.regex
        // An idle clone keeps pointing at the last text it searched: ICU reads a text only while
        // searching it, and `setText` replaces it without reading the old one.
        budget.pointee = ICUDirect.Budget(deadline: deadline)
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
