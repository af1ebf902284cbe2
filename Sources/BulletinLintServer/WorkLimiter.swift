import Foundation

/// Bounded concurrency for the CPU-bound work of requests (reading, linting, fixing).
///
/// At most `slots` jobs run at once, each on its own thread from Dispatch's global pool (never
/// on Swift's cooperative pool, which the HTTP server needs to stay responsive). Up to
/// `queueLimit` more wait their turn; beyond that a request is refused at once (`busy`, 503).
/// A job that outlives `timeout` gets `timedOut` (504); its slot stays taken until the job
/// really ends, so a stuck job still counts against the bound.
public final class WorkLimiter: @unchecked Sendable {
    public enum Refusal: Error, Sendable, Equatable {
        case busy
        case timedOut
    }

    public let slots: Int
    public let queueLimit: Int
    public let timeout: Duration

    private let lock = NSLock()
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(slots: Int, queueLimit: Int, timeout: Duration) {
        self.slots = max(1, slots)
        self.queueLimit = max(0, queueLimit)
        self.timeout = timeout
    }

    /// Runs `work` within the bounds; the time budget counts from the call (waiting included).
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(Refusal) -> T {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        try acquireOrQueue()
        let result: T? = await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = Once(continuation)
            let timer = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                once.resume(nil)
            }
            Task {
                await self.waitForSlot()
                if once.isDone {
                    // The budget ran out while it waited: give the slot on without running.
                    self.release()
                    return
                }
                DispatchQueue.global().async {
                    let value = work()
                    self.release()
                    once.resume(value)
                    timer.cancel()
                }
            }
        }
        guard let result else { throw .timedOut }
        return result
    }

    /// How many jobs are running and waiting now (for tests and the health answer).
    public var load: (running: Int, waiting: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (running, pendingCount)
    }

    private var pendingCount = 0

    /// Counts the request in: a slot now, a place in the queue, or `busy`.
    private func acquireOrQueue() throws(Refusal) {
        lock.lock()
        defer { lock.unlock() }
        if running + pendingCount >= slots + queueLimit { throw .busy }
        pendingCount += 1
    }

    private func waitForSlot() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if running < slots {
                running += 1
                pendingCount -= 1
                lock.unlock()
                continuation.resume()
            } else {
                waiting.append(continuation)
                lock.unlock()
            }
        }
    }

    private func release() {
        lock.lock()
        if waiting.isEmpty {
            running -= 1
            lock.unlock()
        } else {
            // The slot passes straight to the next waiter.
            let next = waiting.removeFirst()
            pendingCount -= 1
            lock.unlock()
            next.resume()
        }
    }
}

/// A continuation resumed by whichever comes first, the job or the deadline.
private final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T?, Never>?

    init(_ continuation: CheckedContinuation<T?, Never>) { self.continuation = continuation }

    var isDone: Bool {
        lock.lock()
        defer { lock.unlock() }
        return continuation == nil
    }

    func resume(_ value: T?) {
        lock.lock()
        let taken = continuation
        continuation = nil
        lock.unlock()
        taken?.resume(returning: value)
    }
}
