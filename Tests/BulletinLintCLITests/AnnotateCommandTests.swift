import Foundation
import XCTest

/// `bulletinlint annotate` as a user runs it: where the reviewed copy goes, what is never
/// overwritten, exit codes, refusals.
final class AnnotateCommandTests: XCTestCase {
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bl-annotate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BulletinLintCoreTests/Fixtures")

    private func copy(_ fixture: String, to folder: URL, as name: String) throws -> URL {
        let target = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: AnnotateCommandTests.fixtures.appendingPathComponent(fixture), to: target)
        return target
    }

    func testReviewedCopyGoesBesideTheDraftAndNothingIsOverwritten() throws {
        let dir = try scratch()
        let draft = try copy("documents/bulletin-libreoffice.docx", to: dir, as: "简报.docx")
        let original = try Data(contentsOf: draft)
        let first = try CLI.run(["annotate", "简报.docx", "--date", "2026-12-07T09:00:00Z"], directory: dir)
        // Warnings only: exit 0, as `check`.
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("已写入审校稿 简报.审校.docx：2 条批注"), first.stdout)
        XCTAssertTrue(first.stdout.contains("1 处修订"), first.stdout)
        let reviewed = dir.appendingPathComponent("简报.审校.docx")
        let written = try Data(contentsOf: reviewed)
        XCTAssertTrue(written.starts(with: [0x50, 0x4B]))
        XCTAssertEqual(try Data(contentsOf: draft), original)

        // An existing reviewed copy stays unless --force.
        let again = try CLI.run(["annotate", "简报.docx"], directory: dir)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("文件已存在，未覆盖"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: reviewed), written)
        let forced = try CLI.run(["annotate", "简报.docx", "--force", "--author", "校对组", "--date", "2026-12-08T09:00:00Z"], directory: dir)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertNotEqual(try Data(contentsOf: reviewed), written)

        // Never onto the draft, not even with --force.
        let onto = try CLI.run(["annotate", "简报.docx", "-o", "简报.docx", "--force"], directory: dir)
        XCTAssertEqual(onto.status, 2)
        XCTAssertTrue(onto.stderr.contains("不能写在原稿上"), onto.stderr)
        XCTAssertEqual(try Data(contentsOf: draft), original)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["简报.docx", "简报.审校.docx"])
    }

    func testErrorsExitOneAndOutputGoesWhereAsked() throws {
        let dir = try scratch()
        _ = try copy("producers/docx/tbl-having-tables.docx", to: dir, as: "tables.docx")
        let run = try CLI.run(["annotate", "tables.docx", "-o", "out/reviewed.docx"], directory: dir)
        // The folder of -o must exist: nothing is created behind the user's back.
        XCTAssertEqual(run.status, 2)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
        let second = try CLI.run(["annotate", "tables.docx", "-o", "out/reviewed.docx", "--date", "2026-12-07T09:00:00Z"], directory: dir)
        XCTAssertEqual(second.status, 1, second.stderr)
        // The same draft, options and date give the same bytes, run after run.
        let third = try CLI.run(["annotate", "tables.docx", "-o", "out/again.docx", "--date", "2026-12-07T09:00:00Z"], directory: dir)
        XCTAssertEqual(third.status, 1, third.stderr)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("out/reviewed.docx")),
                       try Data(contentsOf: dir.appendingPathComponent("out/again.docx")))
    }

    func testUnreadableAndUnsupportedDraftsAreRefusedAndNothingIsWritten() throws {
        let dir = try scratch()
        try Data("这不是 zip".utf8).write(to: dir.appendingPathComponent("坏.docx"))
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)).write(to: dir.appendingPathComponent("加密.docx"))
        try Data("某市召开会议。".utf8).write(to: dir.appendingPathComponent("稿.txt"))
        let cases: [(String, String)] = [
            ("坏.docx", "[corrupt-document]"), ("加密.docx", "加密"), ("稿.txt", "--diff"), ("稿.pdf", "版式文件"),
            ("稿.wps", "另存为 .docx"), ("没有.docx", "文件不存在"),
        ]
        for (name, expected) in cases {
            let run = try CLI.run(["annotate", name], directory: dir)
            XCTAssertEqual(run.status, 2, name)
            XCTAssertTrue(run.stderr.contains(expected), "\(name): \(run.stderr)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertFalse(left.contains { $0.contains("审校") }, "\(left)")
        XCTAssertEqual(left.filter { $0.hasPrefix(".") }, [], "no temporary file is left")
    }

    func testABadDateIsAUsageError() throws {
        let dir = try scratch()
        _ = try copy("documents/bulletin-libreoffice.docx", to: dir, as: "a.docx")
        let run = try CLI.run(["annotate", "a.docx", "--date", "昨天"], directory: dir)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("ISO 8601"), run.stderr)
    }
}
