import Foundation
import XCTest

/// Standard output is buffered (written in 64 KB pieces): nothing may be lost, and what goes to
/// standard error must still come after the output written before it when both go to one file
/// (`> log 2>&1`).
final class OutputBufferingTests: XCTestCase {
    /// A folder with enough bulletins for a JSON report of several buffers.
    private func manyBulletins() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulletinlint-buffering-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let samples = CLI.repositoryRoot.appendingPathComponent("samples")
        let names = try CLI.sampleNames()
        for copy in 0..<6 {
            for name in names {
                try FileManager.default.copyItem(at: samples.appendingPathComponent("\(name).txt"),
                                                 to: folder.appendingPathComponent("\(copy)-\(name).txt"))
            }
        }
        return folder
    }

    /// Runs `bulletinlint` with stdout and stderr in one file, as `> log 2>&1` does.
    private func runCombined(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try CLI.executable()
        process.arguments = arguments
        process.currentDirectoryURL = CLI.repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        process.environment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bulletinlint-combined-\(UUID().uuidString)")
        XCTAssertTrue(FileManager.default.createFile(atPath: log.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: log), as: UTF8.self))
    }

    func testLargeOutputIsWholeAndInOrderWithStandardError() throws {
        let folder = try manyBulletins()
        let separate = try CLI.run(["check", "--format", "json", "--stats", folder.path])
        XCTAssertGreaterThan(separate.stdout.utf8.count, 2 * 64 * 1024, "the report should take more than two buffers")
        XCTAssertTrue(separate.stdout.hasSuffix("}\n"))
        XCTAssertTrue(separate.stderr.contains("统计："))
        let combined = try runCombined(["check", "--format", "json", "--stats", folder.path])
        XCTAssertEqual(combined.status, separate.status)
        XCTAssertEqual(combined.output, separate.stdout + separate.stderr)
    }

    func testReportFilesMatchStandardOutput() throws {
        let folder = try manyBulletins()
        let reports = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulletinlint-reports-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: reports) }
        for format in ["json", "sarif", "text"] {
            let stdout = try CLI.run(["check", "--no-color", "--format", format, folder.path])
            let output = reports.appendingPathComponent("out.\(format)")
            let extra = reports.appendingPathComponent("extra.\(format)")
            let files = try CLI.run(["check", "--format", format, "--output", output.path,
                                     "--report", "\(format)=\(extra.path)", folder.path])
            XCTAssertEqual(files.stdout, "", format)
            XCTAssertEqual(files.status, stdout.status, format)
            XCTAssertEqual(String(decoding: try Data(contentsOf: output), as: UTF8.self), stdout.stdout, format)
            XCTAssertEqual(String(decoding: try Data(contentsOf: extra), as: UTF8.self), stdout.stdout, format)
        }
    }

    /// A configuration error anywhere in the tree (a broken `.bulletinlint.yaml` in a later
    /// folder) is found before any report is written: every configuration of a run is loaded
    /// first, so the rule list of a report is complete. Nothing partial reaches stdout; the message
    /// names the file, exit 2.
    func testConfigurationErrorStopsTheRunBeforeAnyReport() throws {
        let folder = try manyBulletins()
        let later = folder.appendingPathComponent("zz-later", isDirectory: true)
        try FileManager.default.createDirectory(at: later, withIntermediateDirectories: true)
        try Data("extends: [bulletin\n".utf8).write(to: later.appendingPathComponent(".bulletinlint.yaml"))
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("samples/clean.txt"),
                                         to: later.appendingPathComponent("clean.txt"))
        for jobs in ["1", "2"] {
            let separate = try CLI.run(["check", "--format", "json", "--jobs", jobs, folder.path])
            XCTAssertEqual(separate.status, 2)
            XCTAssertEqual(separate.stdout, "", "no partial report")
            XCTAssertTrue(separate.stderr.contains(".bulletinlint.yaml"), separate.stderr)
            let combined = try runCombined(["check", "--format", "json", "--jobs", jobs, folder.path])
            XCTAssertEqual(combined.status, 2)
            XCTAssertEqual(combined.output, separate.stderr)
        }
    }
}
