import Foundation
import Synchronization
import XCTest
@testable import BulletinLintCore

/// `LintSession.inBatches`: the batches handed over, and the error that ends a run, must not
/// depend on the number of jobs, whichever thread (a helper or the caller) transforms an item.
final class PipelineTests: XCTestCase {
    /// What a run hands over: each batch's items and results, in order, and the error, if any.
    private struct Run: Equatable {
        var batches: [[Int]] = []
        var results: [[String]] = []
        var error: String? = nil
    }

    /// How many times each item was transformed.
    private final class Calls: Sendable {
        let counts = Mutex<[Int: Int]>([:])
    }

    private func run(_ count: Int, jobs: Int, batchSize: Int, failingAt failures: Set<Int> = [],
                     calls: Calls? = nil) -> Run {
        var out = Run()
        let items = Array(0..<count)
        do throws(RuleFileError) {
            try LintSession.inBatches(items, jobs: jobs, batchSize: batchSize) { item throws(RuleFileError) in
                calls?.counts.withLock { $0[item, default: 0] += 1 }
                // Uneven work, so helpers and the caller finish out of order.
                var spin = 0
                for k in 0..<((item * 7919) % 5000) { spin &+= k }
                if failures.contains(item) {
                    throw RuleFileError(file: "f\(item)", line: 1, column: 1, message: "失败 \(item)")
                }
                return "r\(item)-\(spin & 1)"
            } each: { batch, results in
                out.batches.append(batch)
                out.results.append(results)
            }
        } catch {
            out.error = error.description
        }
        return out
    }

    func testEveryJobCountHandsOverTheSameBatches() {
        for (count, batchSize) in [(0, 64), (1, 64), (64, 64), (65, 64), (1000, 64), (777, 10)] {
            let reference = run(count, jobs: 1, batchSize: batchSize)
            XCTAssertEqual(reference.batches.flatMap { $0 }, Array(0..<count))
            for jobs in [2, 3, 8] {
                XCTAssertEqual(run(count, jobs: jobs, batchSize: batchSize), reference, "\(count) items, \(jobs) jobs")
            }
        }
    }

    func testEachItemIsTransformedOnce() {
        let calls = Calls()
        let result = run(2000, jobs: 2, batchSize: 64, calls: calls)
        XCTAssertEqual(result.batches.count, 32)
        calls.counts.withLock { counts in
            XCTAssertEqual(counts.count, 2000)
            XCTAssertTrue(counts.values.allSatisfy { $0 == 1 })
        }
    }

    func testAnErrorEndsTheRunAtTheSameBatchWhateverTheJobs() {
        for failures in [Set([0]), Set([130]), Set([500, 131]), Set([999])] {
            let reference = run(1000, jobs: 1, batchSize: 64, failingAt: failures)
            XCTAssertNotNil(reference.error)
            XCTAssertEqual(reference.batches.count, (failures.min() ?? 0) / 64)
            for jobs in [2, 3] {
                XCTAssertEqual(run(1000, jobs: jobs, batchSize: 64, failingAt: failures), reference, "\(failures), \(jobs) jobs")
            }
        }
    }
}
