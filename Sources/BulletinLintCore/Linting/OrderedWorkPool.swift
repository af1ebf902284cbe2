import Foundation

/// Runs one job per item on `jobs` threads and hands the results back in item order: the
/// scheduler of `LintSession` (lint and fix alike), so that every run prints the same bytes
/// whatever the number of jobs.
enum OrderedWorkPool {
    /// `transform` over `items` in batches of `batchSize`, handing each batch's results to `each`
    /// on the calling thread, in order; a batch with an error is not handed over, and its first
    /// error (in item order) ends the run.
    ///
    /// With more than one job, `jobs - 1` threads lint, and so does the calling thread while it
    /// waits for the batch it hands over next; between batches it hands over (and the caller
    /// formats) the batches already done. So `jobs` threads are busy, never more: a thread of
    /// its own for the hand-over would make `jobs + 1` runnable threads share `jobs` cores and
    /// preempt one another. The threads run at most `lookahead` batches ahead of the one being
    /// handed over, so memory stays flat however many items there are. The batches handed over,
    /// and the error thrown, are the same as with one job.
    static func inBatches<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, batchSize: Int, lookahead: Int = 2,
                                                    _ transform: @escaping @Sendable (T) throws(RuleFileError) -> R,
                                                    each: ([T], [R]) -> Void) throws(RuleFileError) {
        let size = max(1, batchSize)
        if jobs <= 1 || items.count <= size {
            var start = 0
            while start < items.count {
                let batch = Array(items[start..<min(start + size, items.count)])
                start += batch.count
                each(batch, try parallelMap(batch, jobs: jobs, transform))
            }
            return
        }
        // At least one batch ahead: with none, the first batch could never start.
        let ahead = size * max(1, lookahead)
        let pipeline = Pipeline<T, R>(items: items, limit: ahead, transform: transform)
        for _ in 1..<jobs {
            let thread = Thread { pipeline.work() }
            thread.start()
        }
        var failure: RuleFileError? = nil
        var start = 0
        while start < items.count {
            let end = min(start + size, items.count)
            let range = start..<end
            let results = pipeline.take(range, allowing: end + ahead)
            start = end
            var values: [R] = []
            values.reserveCapacity(results.count)
            for result in results {
                switch result {
                case .success(let value): values.append(value)
                case .failure(let error): if failure == nil { failure = error }
                }
            }
            if failure != nil { break }
            each(Array(items[range]), values)
        }
        pipeline.finish()
        if let failure { throw failure }
    }

    /// The shared state of `inBatches`' threads.
    final class Pipeline<T: Sendable, R: Sendable>: @unchecked Sendable {
        private let items: [T]
        private let transform: @Sendable (T) throws(RuleFileError) -> R
        private let condition = NSCondition()
        // Guarded by `condition`:
        private var next = 0
        private var limit: Int
        private var results: [Int: Result<R, RuleFileError>] = [:]
        private var stopped = false
        private var running = 0
        /// The batch `take` waits for and how many of its results are still missing: only the
        /// last of them wakes it (waking it for every result cost a context switch per file).
        private var awaited: Range<Int>? = nil
        private var missing = 0

        init(items: [T], limit: Int, transform: @escaping @Sendable (T) throws(RuleFileError) -> R) {
            self.items = items
            self.limit = limit
            self.transform = transform
        }

        /// A thread's loop: take the next item allowed, transform it, store the result.
        func work() {
            condition.lock()
            running += 1
            while true {
                while !stopped, next < items.count, next >= limit { condition.wait() }
                if stopped || next >= items.count { break }
                runNext()
            }
            running -= 1
            condition.broadcast()
            condition.unlock()
        }

        /// Transforms the next item and stores its result; called and returns with `condition`
        /// locked, and unlocks it for the transform.
        private func runNext() {
            let index = next
            next += 1
            condition.unlock()
            let result: Result<R, RuleFileError>
            do throws(RuleFileError) {
                result = .success(try transform(items[index]))
            } catch {
                result = .failure(error)
            }
            condition.lock()
            results[index] = result
            if let awaited, awaited.contains(index) {
                missing -= 1
                if missing == 0 { condition.broadcast() }
            }
        }

        /// Waits for the results of `range`, transforming items itself while it waits, removes
        /// and returns them, and lets the threads go on up to `allowing`.
        func take(_ range: Range<Int>, allowing: Int) -> [Result<R, RuleFileError>] {
            condition.lock()
            defer { condition.unlock() }
            missing = range.reduce(0) { $0 + (results[$1] == nil ? 1 : 0) }
            if missing > 0 {
                awaited = range
                while missing > 0 {
                    if !stopped, next < items.count, next < limit {
                        runNext()
                    } else {
                        condition.wait()
                    }
                }
                awaited = nil
            }
            let taken = range.compactMap { results.removeValue(forKey: $0) }
            limit = max(limit, allowing)
            condition.broadcast()
            return taken
        }

        /// Stops the threads (after the item each is on) and waits for those that have started
        /// to end; one not started yet finds `stopped` set and ends without taking an item.
        func finish() {
            condition.lock()
            stopped = true
            condition.broadcast()
            while running > 0 { condition.wait() }
            condition.unlock()
        }
    }

    /// `transform` over `items`, `jobs` at a time, results in order; the first error wins.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int,
                                                       _ transform: @escaping @Sendable (T) throws(RuleFileError) -> R) throws(RuleFileError) -> [R] {
        if jobs <= 1 || items.count <= 1 {
            var out: [R] = []
            for item in items { out.append(try transform(item)) }
            return out
        }
        let slots = Slots<Result<R, RuleFileError>>(count: items.count)
        let queue = DispatchQueue(label: "bulletinlint.lint", attributes: .concurrent)
        let group = DispatchGroup()
        let semaphore = DispatchSemaphore(value: jobs)
        for (index, item) in items.enumerated() {
            semaphore.wait()
            queue.async(group: group) {
                defer { semaphore.signal() }
                do throws(RuleFileError) {
                    slots.set(index, .success(try transform(item)))
                } catch {
                    slots.set(index, .failure(error))
                }
            }
        }
        group.wait()
        var out: [R] = []
        for result in slots.values {
            switch result {
            case .success(let value): out.append(value)
            case .failure(let error): throw error
            case nil: break
            }
        }
        return out
    }
}

/// Result slots filled from several threads, each slot by one writer.
final class Slots<T: Sendable>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = [T?](repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
