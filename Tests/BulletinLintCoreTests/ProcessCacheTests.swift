@testable import BulletinLintCore
import Foundation
import XCTest

/// Built-in rule sets, compiled patterns and the 行政区划 table are made once per process
/// (`ProcessCache`): a second load shares them, what a file changes on top never reaches the
/// shared copy, and the table stays bounded.
final class ProcessCacheTests: XCTestCase {
    func testTheTableIsBoundedAndStartsAfreshWhenFull() {
        let cache = ProcessCache<Int, String>(capacity: 3)
        var made = 0
        func value(_ key: Int) -> String { cache.value(for: key) { made += 1; return "v\(key)" } }
        XCTAssertEqual(value(1), "v1")
        XCTAssertEqual(value(1), "v1")
        XCTAssertEqual(made, 1, "a stored value is not made again")
        _ = value(2)
        _ = value(3)
        XCTAssertEqual(cache.count, 3)
        _ = value(4)
        XCTAssertEqual(cache.count, 1, "full: starts afresh with the new entry")
        XCTAssertEqual(value(4), "v4")
        XCTAssertEqual(made, 4)
    }

    func testAFailureIsNotStored() {
        struct Failed: Error {}
        let cache = ProcessCache<String, Int>(capacity: 4)
        XCTAssertThrowsError(try cache.value(for: "k") { () throws(Failed) -> Int in throw Failed() })
        XCTAssertEqual(cache.count, 0)
        XCTAssertEqual(cache.value(for: "k") { 7 }, 7)
    }

    func testOneCompiledPatternPerPatternAndFlagsWhileBuiltinsAreBuilt() throws {
        let (a, b, c) = try ICURegex.$keepsCompiled.withValue(true) {
            (try ICURegex("关于.{0,20}的通知"), try ICURegex("关于.{0,20}的通知"),
             try ICURegex("关于.{0,20}的通知", caseInsensitive: true))
        }
        XCTAssertEqual(a.identity, b.identity)
        XCTAssertNotEqual(a.identity, c.identity)
        // Elsewhere (a rule file's own patterns, an upload's) nothing is kept or shared.
        XCTAssertNotEqual(try ICURegex("关于.{0,20}的通知").identity, a.identity)
        XCTAssertNotEqual(try ICURegex("某某.{0,9}").identity, try ICURegex("某某.{0,9}").identity)
        // A pattern that does not compile still says why, every time.
        for _ in 0..<2 { XCTAssertThrowsError(try ICURegex.$keepsCompiled.withValue(true) { try ICURegex("(未闭合") }) }
    }

    /// The built-in sets' rules share their compiled patterns from one load to the next; a
    /// file's own rule, and a built-in rule whose patterns a file overrode, do not.
    func testOnlyBuiltinRulesShareTheirPatterns() throws {
        func patterns(_ ruleSet: RuleSet, _ id: String) throws -> [ObjectIdentifier] {
            let rule = try XCTUnwrap(ruleSet.rule(id))
            let check = try XCTUnwrap(rule.check as? ForbiddenCheck)
            return check.patterns.map(\.identity)
        }
        let yaml = """
            ruleset: mine
            extends: [bulletin]
            rules:
              - id: my-words
                check: forbidden
                patterns: ['微信.{0,3}群']
                severity: warning
                message: 不用“{text}”
            """
        let first = try RuleSetLoader().load(text: yaml, path: "/nonexistent/mine.yaml")
        let second = try RuleSetLoader().load(text: yaml, path: "/nonexistent/mine.yaml")
        let builtinForbidden = try XCTUnwrap(first.rules.first { rule in
            (rule.check as? ForbiddenCheck).map { !$0.patterns.isEmpty } ?? false
        }).id
        XCTAssertEqual(try patterns(first, builtinForbidden), try patterns(second, builtinForbidden))
        XCTAssertNotEqual(try patterns(first, "my-words"), try patterns(second, "my-words"))
    }

    /// A file's overrides and rules change its own copy of a built-in set, never the one kept for
    /// the next load.
    func testOverridesDoNotReachTheSharedBuiltinSet() throws {
        let builtin = try XCTUnwrap(try RuleSetLoader().load(references: ["bulletin"]).rule("disclosure-missing"))
        let overridden = try RuleSetLoader().load(text: """
            ruleset: mine
            extends: [bulletin]
            overrides:
              disclosure-missing: { severity: info, message: 本单位的说法 }
              masthead-date-format: off
            """, path: "/nonexistent/mine.yaml")
        XCTAssertEqual(overridden.rule("disclosure-missing")?.severity, .info)
        XCTAssertNil(overridden.rule("masthead-date-format"))
        let again = try RuleSetLoader().load(references: ["bulletin"])
        XCTAssertEqual(again.rule("disclosure-missing")?.severity, builtin.severity)
        XCTAssertEqual(again.rule("disclosure-missing")?.message, builtin.message)
        XCTAssertNotNil(again.rule("masthead-date-format"))
        XCTAssertEqual(again.rules.count, try RuleSetLoader().load(references: ["bulletin"]).rules.count)
    }

    /// A table with `add:` is the rule's own; the embedded one is unchanged for other rules.
    func testAddedDivisionsStayWithTheirRule() throws {
        let yaml = """
            ruleset: mine
            extends: [bulletin]
            rules:
              - id: my-divisions
                check: divisions
                add: { "510199": 新设示例区 }
                severity: warning
                message: “{parent}{child}”有误：{problem}
            """
        let mine = try RuleSetLoader().load(text: yaml, path: "/nonexistent/mine.yaml")
        XCTAssertNotNil(mine.rule("my-divisions"))
        let file = try XCTUnwrap(EmbeddedDataFiles.all.first { $0.name == "divisions" })
        let shared = DivisionTable.embedded.value(for: "divisions") { DivisionTable(DivisionTable.parse(file.text)) }
        XCTAssertNil(shared.codes["新设示例区"])
        XCTAssertNotNil(shared.codes["简阳市"])
    }
}
