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
