import BulletinLintCore
import Foundation
import XCTest

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func text(_ name: String) throws -> String {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try XCTUnwrap(String(data: data, encoding: .utf8))
    }

    static let reference = "sichuan-bulletin-2021-04-extract.txt"
}

extension XCTestCase {
    /// A new folder under the system's temporary directory (`bulletinlint-LABEL-…`), removed
    /// after the test.
    func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulletinlint-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func ruleSet(_ name: String = "bulletin") throws -> RuleSet {
        try RuleSetLoader().load(references: [name])
    }

    func parse(_ text: String, rules: String = "bulletin") throws -> Bulletin {
        try ruleSet(rules).parser.parse(SourceText(path: "t.txt", text: text))
    }

    func lint(_ text: String, rules: String = "bulletin") throws -> [Diagnostic] {
        Linter(ruleSet: try ruleSet(rules)).lint(SourceText(path: "t.txt", text: text)).diagnostics
    }
}

extension Bulletin {
    func first(_ kind: String) -> Element? { elements(ofKind: kind).first }
}
