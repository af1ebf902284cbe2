import Foundation

/// A process-wide table of things made from fixed input and never changed afterwards — a built-in
/// rule set resolved from its YAML, a compiled pattern, the 行政区划 table — so that loading rule
/// sets again (`serve` per request, the LSP per configuration, `check` per folder with its own
/// `.bulletinlint.yaml`, the rule-file fuzzer per input) does not parse and compile them again.
///
/// Bounded: at most `capacity` entries; when full, the table starts afresh, so a stream of
/// distinct keys (patterns of uploaded rule files) costs at most `capacity` entries of memory.
/// Values are immutable once stored and are handed out as they are; for classes (a compiled
/// pattern) that means shared, which is why only thread-safe values go in.
final class ProcessCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: Value] = [:]
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The stored value for `key`, else `make()`'s, stored (a value `make` throws for is not).
    /// `make` runs outside the lock: two threads may both make a value, and the first stored wins.
    func value<E: Error>(for key: Key, make: () throws(E) -> Value) throws(E) -> Value {
        if let known = lock.withLock({ entries[key] }) { return known }
        let made = try make()
        return lock.withLock {
            if let known = entries[key] { return known }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = made
            return made
        }
    }

    var count: Int { lock.withLock { entries.count } }
}
