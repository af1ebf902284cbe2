import BulletinLintCore
import Foundation
import XCTest

/// Clean bulletins from a seeded generator, in the shapes editors' files take (Word's "save as
/// text": a title, a blank line, one-line paragraphs; titles over two lines; marks above the
/// masthead; lists with a label alone on its line): every element is found, and the default
/// rules raise no error or warning on them.
final class GeneratedBulletinTests: XCTestCase {
    /// The robustness tests' SplitMix64: the same documents on every run and platform.
    typealias Seeded = RobustnessTests.Generator

    struct Generated {
        var text = ""
        var titles: [String] = []
        var sources: [String] = []
        var lists: [(kind: String, entries: [String])] = []
        var mastheadMark: String?
    }

    static let places = ["宜宾市", "泸州市", "德阳市", "绵阳市", "广元市", "遂宁市", "内江市", "乐山市", "南充市", "眉山市"]
    static let actions = ["扎实推进地方志工作高质量发展", "召开年鉴编纂工作会议", "开展地方志进校园活动", "举办志鉴业务培训班",
                          "推进旧志整理工作", "完成年鉴初审工作", "召开史志工作推进会"]
    static let sentences = ["会议传达学习了全省地方志工作会议精神。", "会议要求各地抓好工作落实。", "培训班邀请专家进行专题授课。",
                            "与会人员围绕年鉴编纂进行了交流。", "会议对下一阶段工作作出安排。", "各县区负责同志参加会议。"]
    static let organs = ["省委", "省人大常委会", "省人民政府", "省政协", "省直各部门", "各市（州）地方志办公室"]

    static func generate(seed: UInt64) -> Generated {
        var random = Seeded(state: seed)
        var out = Generated()
        var lines: [String] = []
        if random.chance(30) {
            let mark = random.pick(["特急", "加急", "内部资料", "内部资料　注意保存"])
            out.mastheadMark = mark
            lines.append(mark)
        }
        lines.append("四川省地方志工作简报")
        lines.append("2021年第\(random.int(1...30))期（总第\(random.int(100...900))期）")
        lines.append("四川省地方志工作办公室编　　　　2021年4月2日")
        let blank = random.chance(70)
        func gap() { if blank { lines.append("") } }
        gap()
        let useColumns = random.chance(50)
        for a in 0..<random.int(2...4) {
            if useColumns, a % 2 == 0 { lines.append(random.pick(["【工作动态】", "【市州动态】", "【经验交流】"])); gap() }
            let place = random.pick(places)
            let title = place + random.pick(actions)
            if blank, random.chance(25) {
                // A title over two lines of its own block.
                let cut = title.index(title.startIndex, offsetBy: 6)
                lines.append(String(title[..<cut]))
                lines.append(String(title[cut...]))
            } else {
                lines.append(title)
            }
            out.titles.append(title)
            gap()
            let count = random.int(1...3)
            let source = place + "地方志办"
            out.sources.append(source)
            for p in 0..<count {
                let day = random.int(1...28)
                var paragraph = (p == 0 ? "3月\(day)日，\(place)召开会议。" : "") + random.pick(sentences)
                if p == count - 1 {
                    if random.chance(30) { lines.append(paragraph); paragraph = "（\(source)）" } else { paragraph += "（\(source)）" }
                }
                lines.append(paragraph)
                gap()
            }
        }
        lines.append("信息公开选项：主动公开")
        // No organ in two lists (that is a finding of its own).
        var pool = organs
        pool.shuffle(using: &random)
        for (label, kind) in [("报", "report-to"), ("送", "send-to"), ("发", "issue-to")] where kind == "report-to" || random.chance(70) {
            let chosen = Array(pool.prefix(random.int(1...2)))
            pool.removeFirst(chosen.count)
            if random.chance(25) {
                lines.append("\(label)：")
                lines.append(chosen.joined(separator: "，") + "。")
            } else {
                lines.append("\(label)：" + chosen.joined(separator: "，") + "。")
            }
            out.lists.append((kind, chosen))
        }
        if random.chance(30) {
            lines.append("四川省地方志工作办公室综合处")
            lines.append("2021年4月2日印发")
        } else {
            lines.append("四川省地方志工作办公室综合处" + random.pick(["　　", " ", "\u{2003}\u{2003}", "\t"]) + "2021年4月2日印发")
        }
        out.text = lines.joined(separator: "\n") + "\n"
        return out
    }

    func testGeneratedBulletinsAreReadRightAndPass() throws {
        let rules = try ruleSet("default")
        let linter = Linter(ruleSet: rules)
        for seed in UInt64(1)...60 {
            let generated = GeneratedBulletinTests.generate(seed: seed)
            let source = SourceText(path: "generated-\(seed).txt", text: generated.text)
            let document = rules.parser.parse(source)
            let context = "seed \(seed):\n\(generated.text)"
            XCTAssertEqual(document.genre.kind, .bulletin, context)
            XCTAssertEqual(document.elements(ofKind: "article-title").map { $0.text.replacingOccurrences(of: "\n", with: "") }, generated.titles, context)
            XCTAssertEqual(document.elements(ofKind: "attribution").compactMap { $0.fields["source"] }, generated.sources, context)
            for list in generated.lists {
                XCTAssertEqual(document.first(list.kind)?.entries.map(\.text), list.entries, context)
            }
            XCTAssertEqual(document.first("imprint")?.fields["date"], "2021-04-02", context)
            if let mark = generated.mastheadMark {
                XCTAssertTrue(document.elements.contains { $0.region == .masthead && $0.text == mark }, context)
            }
            let findings = linter.lint(source).diagnostics.filter { $0.severity != .info }
            XCTAssertEqual(findings.map { "\($0.ruleID)@\($0.span.start.line): \($0.message)" }, [], context)
        }
    }
}

extension RobustnessTests.Generator {
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
}
