import BulletinLintCore
import Foundation
import XCTest

/// Every check kind an office can write is described in the rule guide and named in the README,
/// so a new kind cannot land undocumented.
final class CheckKindDocsTests: XCTestCase {
    func testEveryCheckKindHasASectionInTheGuideAndIsNamedInTheReadme() throws {
        let root = CorpusAccuracyTests.root
        let guide = try String(contentsOf: root.appendingPathComponent("docs/RULES.md"), encoding: .utf8)
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertGreaterThanOrEqual(CheckRegistry.names.count, 19)
        for kind in CheckRegistry.names {
            XCTAssertTrue(guide.contains("#### `\(kind)`"), "docs/RULES.md has no section for \(kind)")
            XCTAssertTrue(readme.contains("`\(kind)`"), "README.md does not name \(kind)")
        }
    }
}
