@testable import BulletinLintCore
import Foundation
import XCTest

/// The prefilter that skips ICU searches must never skip a text that has a match.
final class RegexPrefilterTests: XCTestCase {
    private func clauses(_ pattern: String) throws -> [[String]]? {
        try ICURegex(pattern).prefilter.map { $0.clauses.map { $0.map { String(decoding: $0, as: UTF8.self) } } }
    }

    func testClausesOfCommonShapes() throws {
        XCTAssertEqual(try clauses("》、《"), [["》、《"]])
        XCTAssertEqual(try clauses(#"(?<![\d年])[0-2]\d年\s*\d{1,2}\s*月"#), [["0", "1", "2"], ["年"], ["月"]])
        XCTAssertEqual(try clauses(#"\.{3,}|。{3,}|(?<!…)…(?!…)|……等"#), [["...", "。。。", "…", "……等"]])
        XCTAssertEqual(try clauses(#"^报\s*[：:]\s*(?<list>.*)$"#), [["报"], ["：", ":"]])
        XCTAssertEqual(try clauses(#"(?<=\p{Han})[,;:?!]|[,;:?!](?=\p{Han})"#), [[",", ";", ":", "?", "!"]])
        XCTAssertEqual(try clauses(#"[０-９]+"#), [["０", "１", "２", "３", "４", "５", "６", "７", "８", "９"]])
        XCTAssertEqual(try clauses(#"(?<!。)。。(?!。)"#), [["。。"]])
        XCTAssertEqual(try clauses(#"'(?=\p{Han})|(?<=\p{Han})'"#), [["'"]])
        XCTAssertEqual(try clauses(#"a(?=bc)"#), [["bc"], ["a"]])
        XCTAssertEqual(try clauses(#"(?:ab|cd)e"#), [["abe", "cde"]])
    }

    func testPatternsItCannotReadGetNoPrefilter() throws {
        for pattern in [#"(?i)abc"#, #"\Qa.b\E"#, #"[[a-z]&&[^b]]x"#, #"(?x) a b"#, #"a*"#, #".+"#, #"\d+"#, #"(a)?\1"#,
                        #"[^a]"#, #"x?y?"#, #"(?#note)abc"#, #"[a{bc}]"#] {
            XCTAssertNil(try ICURegex(pattern).prefilter, pattern)
        }
        XCTAssertNil(try ICURegex("abc", caseInsensitive: true).prefilter)
    }

    /// Every pattern of every built-in rule set, over every line, paragraph and whole text of
    /// the samples and fixtures, and over shuffled variants of them: wherever ICU finds a match,
    /// the prefilter lets the text through.
    func testPrefilterNeverSkipsAMatchOfABuiltinPattern() throws {
        var patterns: [ICURegex] = []
        for name in BuiltinRuleSets.names {
            let set = try RuleSetLoader().load(references: [name])
            patterns += set.elements.compactMap(\.pattern)
            for rule in set.rules {
                if let check = rule.check as? ForbiddenCheck { patterns += check.patterns }
                if let check = rule.check as? PatternCheck { patterns += [check.mustMatch, check.mustNotMatch].compactMap { $0 } }
            }
        }
        XCTAssertGreaterThan(patterns.count, 40)
        XCTAssertGreaterThan(patterns.filter { $0.prefilter != nil }.count, 30)
        var texts: [String] = []
        let root = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for folder in [root.appendingPathComponent("samples"), Fixtures.directory] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".txt") {
                guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { continue }
                texts.append(text)
                texts += text.split(whereSeparator: \.isNewline).map(String.init)
            }
        }
        var generator = SystemRandomNumberGenerator()
        let lines = texts.filter { !$0.contains("\n") }
        for _ in 0..<300 {
            // Two random lines joined, and one with its characters shuffled.
            if let a = lines.randomElement(using: &generator), let b = lines.randomElement(using: &generator) {
                texts.append(a + " " + b)
                texts.append(String(a.shuffled(using: &generator)))
            }
        }
        texts += ["21年4月", "3、4个", "三四个", "会议指出,要", "年鉴...工作", "——", "--", "\"两个\"", "第五期", "〔2019〕", "共印 100 份"]
        XCTAssertGreaterThan(texts.count, 500)
        var skipped = 0
        for regex in patterns {
            for text in texts {
                let found = try regex.search(text)
                let admitted = regex.mayMatch(SearchText(text))
                if !admitted { skipped += 1 }
                if !found.isEmpty {
                    XCTAssertTrue(admitted, "prefilter of \(regex.pattern) skipped a match in “\(text)”")
                }
                XCTAssertEqual(try regex.matches(in: text).map(\.range), found.map(\.range))
            }
        }
        // The point of it: most searches are skipped.
        XCTAssertGreaterThan(skipped, patterns.count * texts.count / 2)
    }

    func testSearchTextFindsLiterals() {
        let text = SearchText("会议研究了年鉴、志书……工作。abc")
        XCTAssertTrue(text.contains(Array("……".utf8)))
        XCTAssertTrue(text.contains(Array("bc".utf8)))
        XCTAssertFalse(text.contains(Array("……等".utf8)))
        XCTAssertFalse(text.contains(Array("x".utf8)))
        XCTAssertTrue(text.mayContain("年".unicodeScalars.first?.value ?? 0))
    }
}
