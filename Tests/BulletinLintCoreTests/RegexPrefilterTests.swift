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
        XCTAssertEqual(try clauses(#"([，、])\1+"#), [["，，", "、、"]])
        XCTAssertEqual(try clauses(#"x(a|bc)\1y"#), [["xaay", "xbcbcy"]])
    }

    func testAnchoredPrefixesAndSuffixes() throws {
        func anchors(_ pattern: String) throws -> ([String]?, [String]?) {
            let prefilter = try ICURegex(pattern).prefilter
            return (prefilter?.prefixes.map { $0.map { String(decoding: $0, as: UTF8.self) } },
                    prefilter?.suffixes.map { $0.map { String(decoding: $0, as: UTF8.self) } })
        }
        XCTAssertEqual(try anchors(#"^报\s*[：:]\s*(?<list>.*)$"#).0, ["报"])
        XCTAssertNil(try anchors(#"^报\s*[：:]\s*(?<list>.*)$"#).1)
        XCTAssertEqual(try anchors(#"[（(](?<source>[^（）()]{2,40})[）)]。?$"#).1, ["）", ")", "）。", ")。"])
        XCTAssertEqual(try anchors(#"^第|^0"#).0, ["第", "0"])
        XCTAssertNil(try anchors(#"^第|0"#).0)
        XCTAssertEqual(try anchors(#"^(?:编者按|按语)\s*[：:]"#).0, ["编者按", "按语"])
        let regex = try ICURegex(#"^报\s*[：:]"#)
        XCTAssertFalse(regex.mayMatch(PreparedText("送：省委")))
        XCTAssertTrue(regex.mayMatch(PreparedText("送：省委\n报：省委")))
        XCTAssertEqual(try regex.matches(in: "送：省委\u{2028}报：省委").count, 1)
    }

    func testWindowsOfAdjacentScalars() throws {
        let dunhao = try ICURegex(#"(?<![\d.])\d、\d(?=[个名人次天年月项])"#)
        XCTAssertEqual(dunhao.prefilter?.windows?.first?.elements.count, 4)
        XCTAssertTrue(dunhao.mayMatch(PreparedText("持续了3、4个小时")))
        XCTAssertFalse(dunhao.mayMatch(PreparedText("青羊区、锦江区等11个县（市、区）")))
        XCTAssertFalse(dunhao.mayMatch(PreparedText("持续了1.3、4个小时")))
        XCTAssertTrue(dunhao.mayMatch(PreparedText("持续了３、４个小时")))
        let year = try ICURegex(#"(?<![\d年])[0-2]\d年\s*\d{1,2}\s*月"#)
        XCTAssertFalse(year.mayMatch(PreparedText("2021年4月，某市召开会议")))
        XCTAssertTrue(year.mayMatch(PreparedText("21年4月，某市召开会议")))
        let days = try ICURegex(#"(?<![\d年])\d{3,}日"#)
        XCTAssertFalse(days.mayMatch(PreparedText("3月24日，某市召开会议")))
        XCTAssertTrue(days.mayMatch(PreparedText("210日，某市召开会议")))
        XCTAssertNil(try ICURegex(#"\d+"#).prefilter)
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
        let patterns = try builtinPatterns()
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
        // Seeded: a failure reproduces.
        var generator = RobustnessTests.Generator(state: 20_261_207)
        let lines = texts.filter { !$0.contains("\n") }
        for _ in 0..<300 {
            // Two random lines joined, and one with its characters shuffled.
            if let a = lines.randomElement(using: &generator), let b = lines.randomElement(using: &generator) {
                texts.append(a + " " + b)
                texts.append(String(a.shuffled(using: &generator)))
            }
        }
        texts += ["持续了3、4个小时", "持续了３、４个", "1.3、4个", "a3、4", "三、四个", "210日", "21年4月", "一二年3月", "0210日", "12345月", "123456月",
                  "2016-2020年", "2016－2020 年", "会议指出，，要抓好落实。。", "是否？？", "、、", "21年4月", "3、4个", "三四个", "会议指出,要", "年鉴...工作", "——", "--", "\"两个\"", "第五期", "〔2019〕", "共印 100 份"]
        XCTAssertGreaterThan(texts.count, 500)
        var skipped = 0
        for regex in patterns {
            for text in texts {
                let found = try regex.search(text)
                let admitted = regex.mayMatch(PreparedText(text))
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

    /// ICU's C API, called directly, finds what `NSRegularExpression` finds: the same ranges, the
    /// same named and numbered groups, in texts with characters outside the BMP and empty matches.
    func testDirectICUAgreesWithNSRegularExpression() throws {
        XCTAssertNotNil(ICUDirect.api, "ICU's C API was not found; ICURegex falls back to NSRegularExpression")
        var patterns = try builtinPatterns()
        for extra in [#"a*"#, #"\b"#, #"(?<x>a)|(?<y>b)"#, #"$"#, #"^"#, #"(?<=𠀀)."#, #"(.)(?<two>.)?"#, #"\p{Han}+"#,
                      // Patterns searched only at the positions that can start a match.
                      #"\d+"#, #"x?y"#, #"(?:ab|cd)e"#, #"(?<=年)\d+"#, #"(?<![\d.])\d、\d(?=[个名])"#, #"^报\s*[：:]"#,
                      #"[（(][^（）()]{2,40}[）)]。?$"#, #"𠀀a|b"#, #"(?<d>\d)\k<d>"#,
                      // Positions also skipped by the run they start (`RunFilter`).
                      #"(?<date>(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号])"#, #"\d+\s*年"#, #"(?:ab)?[cd]*e"#,
                      #"[a𠀀]*b"#, #"\d?\d月"#, #"(?<![\d])\s*\d年"#,
                      // `^` before an LF: ICU's search skips the position inside a CRLF.
                      #"^\s*x"#, #"^\n?报"#] {
            patterns.append(try ICURegex(extra))
        }
        patterns.append(try ICURegex("A", caseInsensitive: true))
        var texts = ["", "a", "ab ba", "𠀀𠀁a𠀂b", "第5期\n第6期", "aAa", "2021年4月2日 𠮷野家 3月24日，某市召开会议。（某办）",
                     "xy yy xxy cde abe ab", "a\r\nx\r\n x\r\n\r\n报", "\r\n\n报\r\nx", "1、2个 ３、４名 ٣、٤个 1.2、3名 11 ٣٣", "年12年٣ 报：省委\n报: 市委", "（某办）（甲）（乙乙）。",
                     "收集1227余件，2021 年 4 月 2日、12月３日 ١٢月5日\n3\n月4日 2021年\u{3000}12 月 1 号 abcdcde ccde 𠀀𠀀b a𠀀b 1月月2日 ２０２１年٣月"]
        let root = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("samples").path)) ?? [] where name.hasSuffix(".txt") {
            guard let text = try? String(contentsOf: root.appendingPathComponent("samples").appendingPathComponent(name), encoding: .utf8) else { continue }
            texts.append(text)
            texts += text.split(whereSeparator: \.isNewline).map(String.init)
        }
        for regex in patterns {
            for text in texts where !text.isEmpty {
                let direct = try regex.search(text)
                let foundation = try regex.searchWithFoundation(text, limit: .max, timeBudget: 1)
                XCTAssertEqual(direct.map(\.range), foundation.map(\.range), "\(regex.pattern) in “\(text)”")
                XCTAssertEqual(direct.map(\.groups), foundation.map(\.groups), "\(regex.pattern) in “\(text)”")
                XCTAssertEqual(direct.map(\.numberedGroups), foundation.map(\.numberedGroups), "\(regex.pattern) in “\(text)”")
                XCTAssertEqual(try regex.search(text, limit: 1).map(\.range), foundation.prefix(1).map(\.range))
            }
        }
    }

    /// The run before the run filter's literal is read once, not once for every position in
    /// it: 100,000 digits before 月 give ICU's match well within the budget (read once per
    /// position, the filter spent billions of steps and the search timed out).
    func testALongRunBeforeTheLiteralIsReadOnce() throws {
        let text = String(repeating: "1", count: 100_000) + "月，" + String(repeating: "2", count: 50_000) + "余"
        for pattern in [#"\d{1,2}月"#, #"\d?\d月"#, #"(?:\d{4}\s*年\s*)?\d{1,2}\s*月"#] {
            let regex = try ICURegex(pattern)
            let direct = try regex.search(text, timeBudget: 5)
            XCTAssertEqual(direct.map(\.range), [99_998..<100_003], pattern)
            XCTAssertEqual(direct.map(\.range), try regex.searchWithFoundation(text, limit: .max, timeBudget: 5).map(\.range), pattern)
        }
    }

    /// Random strings over the characters the built-in patterns care about: wherever ICU finds
    /// a match, the prefilter lets the text through.
    func testPrefilterNeverSkipsAMatchInRandomText() throws {
        let patterns = try builtinPatterns()
        let alphabet = Array("0123456789０１２３、，。；：？！,.;:?!()（）【】[]《》“”\"'-－~—…年月日号期第个名人次天项一二三四五六七八九十报送发印共份编 \u{3000}\n\u{2028}简报信息公开选项：主动公开內部资料")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var skipped = 0
        for _ in 0..<3000 {
            let length = 1 + next() % 12
            let text = String((0..<length).map { _ in alphabet[next() % alphabet.count] })
            let prepared = PreparedText(text)
            for regex in patterns where !regex.mayMatch(prepared) {
                skipped += 1
                XCTAssertTrue(try regex.search(text).isEmpty, "prefilter of \(regex.pattern) skipped a match in “\(text)”")
            }
        }
        XCTAssertGreaterThan(skipped, 3000)
    }

    func testPreparedTextFindsLiterals() {
        let text = PreparedText("会议研究了年鉴、志书……工作。abc")
        XCTAssertTrue(text.contains(Array("……".utf8)))
        XCTAssertTrue(text.contains(Array("bc".utf8)))
        XCTAssertFalse(text.contains(Array("……等".utf8)))
        XCTAssertFalse(text.contains(Array("x".utf8)))
        XCTAssertTrue(text.mayContain("年".unicodeScalars.first?.value ?? 0))
    }

    /// A paragraph's prepared text is joined from its lines'; it must be exactly what a scan of
    /// the paragraph gives, and refused when the lines do not spell the paragraph.
    func testJoinedPreparedTextEqualsAScan() {
        let pieces = ["会议研究了年鉴、志书", "……工作。", "", "abc（四川省地方志办）", "é\u{301}x", "\u{1F600}末"]
        func bits(_ text: PreparedText) -> [UInt64] { text.withBits { Array($0) } }
        for count in 1...pieces.count {
            for start in 0...(pieces.count - count) {
                let parts = Array(pieces[start..<(start + count)])
                let joined = PreparedText(joining: parts.map { PreparedText($0) }, as: parts.joined())
                let scanned = PreparedText(parts.joined())
                XCTAssertNotNil(joined, "\(parts)")
                guard let joined else { continue }
                XCTAssertEqual(bits(joined), bits(scanned), "\(parts)")
                XCTAssertEqual(joined.isPlain, scanned.isPlain, "\(parts)")
                XCTAssertEqual(joined.text, scanned.text)
            }
        }
        XCTAssertNil(PreparedText(joining: [PreparedText("会议"), PreparedText("研究")], as: "会议 研究"))
        XCTAssertNil(PreparedText(joining: [PreparedText("会议"), PreparedText("研究")], as: "会议研穷"))
        XCTAssertNil(PreparedText(joining: [], as: ""))
    }

    /// Which scalars a match can start with, read from the pattern; nil when it may be any or the
    /// pattern can match the empty string.
    func testStartScalarsOfCommonShapes() {
        func starts(_ pattern: String) -> [UInt32]? {
            guard let prefilter = RegexPrefilter(pattern: pattern, caseInsensitive: false) else { return nil }
            return prefilter.starts.map { predicates in predicates.flatMap(\.scalars).sorted() }
        }
        func digitStart(_ pattern: String) -> Bool {
            RegexPrefilter(pattern: pattern, caseInsensitive: false)?.starts?.contains(where: \.digit) ?? false
        }
        XCTAssertTrue(digitStart(#"(?<date>(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号])"#))
        XCTAssertEqual(starts(#"[（(](?<source>[^（）()]{2,40})[）)]。?$"#), [0x28, 0xFF08])
        XCTAssertEqual(starts(#"x?y年"#), [0x78, 0x79])
        XCTAssertEqual(starts(#"(?<![\d.])年"#), [0x5E74])
        XCTAssertEqual(starts(#"^报\s*[：:]"#), [0x62A5])
        XCTAssertEqual(starts(#"涉及到|其它"#), [0x5176, 0x6D89])
        XCTAssertNil(starts(#".年"#), "any scalar may start it")
        XCTAssertNil(starts(#"\s*年"#), "\\s is not read")
        XCTAssertNil(starts(#"年*"#), "it can match the empty string")
        XCTAssertNil(starts(#"\G年"#), "\\G depends on the previous match")
    }

    /// The run every match starts with: the alphabet of the pieces before the first one that
    /// must be there, and that piece's first scalar; nil when there is none or it is not known.
    func testRunFiltersOfCommonShapes() {
        func run(_ pattern: String) -> (literal: UInt32, alphabet: [UInt32], digit: Bool)? {
            guard let run = RegexPrefilter(pattern: pattern, caseInsensitive: false)?.run else { return nil }
            return (run.literal, run.alphabet.flatMap(\.scalars).sorted(), run.alphabet.contains(where: \.digit))
        }
        let date = run(#"(?<date>(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号])"#)
        XCTAssertEqual(date?.literal, 0x6708, "月")
        XCTAssertEqual(date?.digit, true)
        XCTAssertTrue(date?.alphabet.contains(0x5E74) == true && date?.alphabet.contains(0x20) == true
                      && date?.alphabet.contains(0x3000) == true, "年 and the spaces")
        XCTAssertFalse(date?.alphabet.contains(0x6708) == true)
        XCTAssertEqual(run(#"^报\s*[：:]"#)?.literal, 0x62A5)
        XCTAssertEqual(run(#"^报\s*[：:]"#)?.alphabet, [])
        XCTAssertEqual(run(#"(?<![\d.])\d、\d(?=[个名])"#)?.literal, 0x3001, "、 after one digit")
        XCTAssertEqual(run(#"(?:ab)?[cd]*e"#)?.alphabet, [0x61, 0x62, 0x63, 0x64])
        XCTAssertNil(run(#"[（(](?<source>[^（）()]{2,40})[）)]。?$"#), "a negated set may be anything")
        XCTAssertNil(run(#"\d+"#), "no scalar must be there")
        XCTAssertNil(run(#"(?:a|b)c|d"#), "two branches")
        XCTAssertNil(run(#"a*𠀀"#), "a scalar outside the BMP is two units")
        XCTAssertNil(run(#"\S*年"#))
    }

    /// Every pattern of every built-in rule set: element patterns and the patterns of the
    /// `forbidden` and `pattern` rules.
    private func builtinPatterns() throws -> [ICURegex] {
        var patterns: [ICURegex] = []
        for name in BuiltinRuleSets.names {
            let set = try RuleSetLoader().load(references: [name])
            patterns += set.elements.compactMap(\.pattern)
            for rule in set.rules {
                if let check = rule.check as? ForbiddenCheck { patterns += check.patterns }
                if let check = rule.check as? PatternCheck { patterns += [check.mustMatch, check.mustNotMatch].compactMap { $0 } }
            }
        }
        return patterns
    }
}
