import Foundation
import Synchronization
import XCTest
@testable import BulletinLintCore

/// `OrderedWorkPool.inBatches`: the batches handed over, and the error that ends a run, must not
/// depend on the number of jobs, whichever thread (a helper or the caller) transforms an item;
/// and `jobs` threads transform, the caller among them.
final class OrderedWorkPoolTests: XCTestCase {
    /// What a run hands over: each batch's items and results, in order, and the error, if any.
    private struct Run: Equatable, Sendable {
        var batches: [[Int]] = []
        var results: [[String]] = []
        var error: String? = nil
    }

    /// What the transforms saw: how often each item ran, on which threads, and how many items
    /// ran on the calling thread.
    private final class Calls: Sendable {
        let counts = Mutex<[Int: Int]>([:])
        let threads = Mutex<Set<ObjectIdentifier>>([])
        let onCaller = Mutex(0)
    }

    private func run(_ count: Int, jobs: Int, batchSize: Int, failingAt failures: Set<Int> = [],
                     calls: Calls? = nil) -> Run {
        let items = Array(0..<count)
        let body = { @Sendable () -> Run in
            var out = Run()
            let caller = ObjectIdentifier(Thread.current)
            do throws(RuleFileError) {
                try OrderedWorkPool.inBatches(items, jobs: jobs, batchSize: batchSize) { item throws(RuleFileError) in
                    if let calls {
                        let thread = ObjectIdentifier(Thread.current)
                        calls.counts.withLock { $0[item, default: 0] += 1 }
                        calls.threads.withLock { _ = $0.insert(thread) }
                        if thread == caller { calls.onCaller.withLock { $0 += 1 } }
                    }
                    // Uneven work, so helpers and the caller finish out of order: a pause now
                    // and then, which no optimiser removes.
                    if item % 37 == 5 { usleep(200) }
                    if failures.contains(item) {
                        throw RuleFileError(file: "f\(item)", line: 1, column: 1, message: "失败 \(item)")
                    }
                    return "r\(item)"
                } each: { batch, results in
                    out.batches.append(batch)
                    out.results.append(results)
                }
            } catch {
                out.error = error.description
            }
            return out
        }
        // On a thread of its own with a deadline, so a deadlock fails the test instead of
        // hanging the suite.
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Run?>(nil)
        let thread = Thread {
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }
        thread.start()
        guard done.wait(timeout: .now() + 60) == .success else {
            XCTFail("inBatches did not return within 60 s: \(count) items, \(jobs) jobs")
            return Run(error: "timed out")
        }
        return result.withLock { $0 } ?? Run(error: "no result")
    }

    func testEveryJobCountHandsOverTheSameBatches() {
        let cases = [(0, 64), (1, 64), (64, 64), (65, 64), (129, 64), (1000, 64), (777, 10), (200, 1)]
        for (count, batchSize) in cases {
            let reference = run(count, jobs: 1, batchSize: batchSize)
            XCTAssertEqual(reference.batches.flatMap { $0 }, Array(0..<count))
            XCTAssertEqual(reference.results.flatMap { $0 }, (0..<count).map { "r\($0)" })
            for jobs in [2, 3, 8] {
                XCTAssertEqual(run(count, jobs: jobs, batchSize: batchSize), reference, "\(count) items, \(jobs) jobs")
            }
        }
    }

    func testEachItemIsTransformedOnceByAtMostJobsThreadsTheCallerAmongThem() {
        for jobs in [2, 3] {
            let calls = Calls()
            let result = run(2000, jobs: jobs, batchSize: 64, calls: calls)
            XCTAssertEqual(result.batches.count, 32)
            calls.counts.withLock { counts in
                XCTAssertEqual(counts.count, 2000)
                XCTAssertTrue(counts.values.allSatisfy { $0 == 1 })
            }
            // `jobs - 1` helpers and the caller: never a thread more.
            XCTAssertLessThanOrEqual(calls.threads.withLock { $0.count }, jobs)
            // The caller lints while it waits (with 2,000 items it always finds some to take).
            XCTAssertGreaterThan(calls.onCaller.withLock { $0 }, 0)
        }
    }

    func testAnErrorEndsTheRunAtTheSameBatchWhateverTheJobs() {
        // Two failures in one batch (128–191): the first in item order is the one reported,
        // whichever thread met the other first.
        for failures in [Set([0]), Set([130]), Set([500, 131]), Set([150, 131]), Set([999])] {
            let reference = run(1000, jobs: 1, batchSize: 64, failingAt: failures)
            let first = failures.min() ?? 0
            XCTAssertEqual(reference.error?.contains("失败 \(first)"), true)
            XCTAssertEqual(reference.batches.count, first / 64)
            for jobs in [2, 3] {
                XCTAssertEqual(run(1000, jobs: jobs, batchSize: 64, failingAt: failures), reference, "\(failures), \(jobs) jobs")
            }
        }
    }
}
