import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How many bytes of large documents are read and linted at once, process-wide, whatever
/// `--jobs` says.
///
/// Reading, parsing and checking a document takes about 30 times its size at the peak (a 60 MB
/// text: about 2 GB), so five 60 MB texts with `--jobs 5` ran out of memory. A document larger
/// than `largeDocument` takes its size out of the budget before it is read and gives it back
/// when its findings are ready; one that does not fit waits for others to finish. The budget is
/// as large as the largest readable file, so one document of any size always fits, and large
/// documents together never hold more than one largest document's worth. Small documents are
/// not counted: `--jobs` of them at 8 MB each stay far below one large one.
public final class MemoryBudget: @unchecked Sendable {
    /// Documents above this many bytes are counted.
    public static let largeDocument = 8 * 1024 * 1024
    /// The one budget of the process: the largest file `DocumentReader` reads.
    public static let shared = MemoryBudget(capacity: DocumentReader.maximumFileSize)

    public let capacity: Int
    private let condition = NSCondition()
    private var inFlight = 0
    /// The most bytes in flight at once so far (for tests and measurements).
    public private(set) var peak = 0

    /// Starts `peak` afresh (tests).
    func resetPeak() {
        condition.lock()
        peak = inFlight
        condition.unlock()
    }

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Runs `body` with `bytes` taken from the budget (at most all of it), waiting until they
    /// are free; bytes at or below `threshold` are not counted.
    public func withBytes<T>(_ bytes: Int, threshold: Int = MemoryBudget.largeDocument, _ body: () -> T) -> T {
        guard bytes > threshold else { return body() }
        let cost = min(bytes, capacity)
        condition.lock()
        while inFlight + cost > capacity { condition.wait() }
        inFlight += cost
        peak = max(peak, inFlight)
        condition.unlock()
        defer {
            // glibc keeps what a thread freed in that thread's arena: without this, the next
            // large document, linted on another thread, adds its peak to the first one's.
            _ = MemoryBudget.trim?(0)
            condition.lock()
            inFlight -= cost
            condition.broadcast()
            condition.unlock()
        }
        return body()
    }

    /// glibc's `malloc_trim`, looked up at run time (the Glibc module does not export it); nil
    /// elsewhere.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(pointer, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// The size of a regular file, without opening it; 0 when it cannot be told (then the
    /// reader's own limit still applies).
    static func size(ofFile path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return 0 }
        return Int(info.st_size)
    }
}
