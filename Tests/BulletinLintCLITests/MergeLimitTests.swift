import BulletinLintCore
import Foundation
import XCTest

/// `merge` refuses a report by its size before reading it (issue 14, point 9).
final class MergeLimitTests: XCTestCase {
    func testMergeRefusesAnOversizedReportBySize() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bl-merge-limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        // A sparse file one byte over the limit: only its size matters, it is never read.
        let url = folder.appendingPathComponent("shard.json")
        XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: Data("# x\n".utf8)))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(BoundedFile.reportLimit + 1))
        try handle.close()
        let small = folder.appendingPathComponent("small.json")
        try Data("{}".utf8).write(to: small)
        let run = try XCTUnwrap(try Bounded.run(["merge", small.path, url.path], directory: folder, deadline: 60),
                                "merge ran past 60 s")
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("报告“\(url.path)”过大"), run.stderr)
    }
}
