/// `typography`: page setup and paragraph formatting of a .docx or .ofd, as GB/T 9704-2012 sets
/// them: page size, margins, lines per page and characters per line (per section); East Asian
/// font, size, bold, alignment and first-line indent (per paragraph of a scope, optionally only
/// numbered headings of a level); tracked changes and comments left in the file.
///
/// Plain text, Markdown and PDF text carry no typography, so on them the check finds nothing
/// (`CheckRegistry.formatNote(forKind:)` says so for `bulletinlint rules`).
struct TypographyCheck: Check {
    static let kind = "typography"
    static let messageVariables = ["property", "actual", "expected", "where"]
    static let parameterKeys = ["property", "expect", "tolerance", "scope", "heading-level"]

    /// Why typography rules say nothing about a .txt, .md or .pdf.
    static let plainTextNote = "只检查 .docx 和 .ofd：纯文本、Markdown 和 PDF 提取的文字没有字体、字号和页面设置，这类规则对它们不报告任何问题。"

    enum Property: String, CaseIterable {
        case pageSize = "page-size"
        case margins
        case linesPerPage = "lines-per-page"
        case charactersPerLine = "characters-per-line"
        case font
        case size
        case bold
        case alignment
        case firstLineIndent = "first-line-indent"
        case revisions
        case comments

        var label: String {
            switch self {
            case .pageSize: return "页面尺寸"
            case .margins: return "页边距"
            case .linesPerPage: return "每页行数"
            case .charactersPerLine: return "每行字数"
            case .font: return "字体"
            case .size: return "字号"
            case .bold: return "加粗"
            case .alignment: return "对齐方式"
            case .firstLineIndent: return "首行缩进"
            case .revisions: return "修订"
            case .comments: return "批注"
            }
        }

        var isSectionProperty: Bool { [.pageSize, .margins, .linesPerPage, .charactersPerLine].contains(self) }
    }

    enum Expectation {
        case none
        case page(width: Double, height: Double, name: String)
        case margins(top: Double?, bottom: Double?, left: Double?, right: Double?)
        case count(Int)
        case fonts([String])
        case size(halfPoints: Double)
        case flag(Bool)
        case alignment(Typography.Alignment)
        case characters(Double)
    }

    let property: Property
    let expectation: Expectation
    let tolerance: Double
    let scope: Scope
    let headingLevels: Set<Int>?

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        let propertyValue = try parameters.required("property")
        let name = try propertyValue.string()
        guard let property = Property(rawValue: name) else {
            let names = Property.allCases.map(\.rawValue)
            throw propertyValue.error("未知的排版属性“\(name)”\(Suggestion.hint(for: name, among: names))；可用：\(names.joined(separator: "、"))")
        }
        self.property = property
        scope = try parameters.scope(default: .document)
        if let levels = parameters.optional("heading-level") {
            var set: Set<Int> = []
            for item in try levels.stringList() {
                guard let level = Int(item), (0...4).contains(level) else {
                    throw levels.error("“heading-level”应为 0 到 4 的整数（0 表示不是编号标题），实际是“\(item)”")
                }
                set.insert(level)
            }
            headingLevels = set
        } else {
            headingLevels = nil
        }
        let toleranceValue = parameters.optional("tolerance")
        let expectValue = parameters.optional("expect")
        if property == .revisions || property == .comments {
            if let expectValue { throw expectValue.error("“\(name)”不需要“expect”：文件里留有\(property.label)即报告") }
            expectation = .none
            tolerance = 0
            return
        }
        guard let expectValue else { throw parameters.ruleNode.error("规则“\(parameters.ruleID)”缺少参数“expect”") }
        let explicitTolerance: Double?
        if let toleranceValue {
            guard let value = Double(try toleranceValue.string()), value >= 0 else { throw toleranceValue.error("“tolerance”应为非负数") }
            explicitTolerance = value
        } else {
            explicitTolerance = nil
        }
        switch property {
        case .pageSize:
            let text = try expectValue.string()
            guard let page = TypographyCheck.pageSize(text) else {
                throw expectValue.error("页面尺寸应写作 A4、A3、B5 或“宽x高”（毫米，如 210x297），实际是“\(text)”")
            }
            expectation = .page(width: page.width, height: page.height, name: page.name)
            tolerance = explicitTolerance ?? 1
        case .margins:
            var values: [String: Double] = [:]
            for entry in try expectValue.entries() {
                guard ["top", "bottom", "left", "right"].contains(entry.key) else {
                    throw entry.keyValue.error("页边距只能写 top、bottom、left、right，实际是“\(entry.key)”")
                }
                guard let number = Double(try entry.value.string()), number >= 0 else { throw entry.value.error("页边距应为毫米数") }
                values[entry.key] = number
            }
            expectation = .margins(top: values["top"], bottom: values["bottom"], left: values["left"], right: values["right"])
            tolerance = explicitTolerance ?? 1
        case .linesPerPage, .charactersPerLine:
            expectation = .count(try expectValue.int())
            tolerance = explicitTolerance ?? 0
        case .font:
            let names = try expectValue.stringList()
            if names.isEmpty || names.contains(where: { $0.isEmpty }) { throw expectValue.error("“expect”应为字体名或字体名列表") }
            expectation = .fonts(names)
            tolerance = 0
        case .size:
            let text = try expectValue.string()
            guard let halfPoints = TypographyCheck.fontSize(text) else {
                throw expectValue.error("字号应写作“三号”“小四”等，或磅值（如 16），实际是“\(text)”")
            }
            expectation = .size(halfPoints: halfPoints)
            tolerance = (explicitTolerance ?? 0.25) * 2
        case .bold:
            expectation = .flag(try expectValue.bool())
            tolerance = 0
        case .alignment:
            let text = try expectValue.string()
            guard let alignment = TypographyCheck.alignment(text) else {
                throw expectValue.error("对齐方式应为 left、center、right、justify（或 左对齐、居中、右对齐、两端对齐），实际是“\(text)”")
            }
            expectation = .alignment(alignment)
            tolerance = 0
        case .firstLineIndent:
            guard let characters = Double(try expectValue.string()) else { throw expectValue.error("首行缩进应为字数，如 2") }
            expectation = .characters(characters)
            tolerance = explicitTolerance ?? 0.25
        case .revisions, .comments:
            expectation = .none
            tolerance = 0
        }
        if property.isSectionProperty, parameters.optional("scope") != nil || headingLevels != nil {
            throw parameters.ruleNode.error("“\(name)”是整节的设置，不能再限定“scope”或“heading-level”")
        }
    }

    // MARK: Values

    static let pageSizes: [(name: String, width: Double, height: Double)] = [
        ("A4", 210, 297), ("A3", 297, 420), ("A5", 148, 210), ("B5", 176, 250), ("16K", 184, 260), ("Letter", 215.9, 279.4),
    ]

    static func pageSize(_ text: String) -> (name: String, width: Double, height: Double)? {
        if let named = pageSizes.first(where: { $0.name.lowercased() == text.lowercased() }) { return named }
        let parts = text.lowercased().replacingOccurrences(of: "mm", with: "").split(whereSeparator: { $0 == "x" || $0 == "×" || $0 == "*" })
        guard parts.count == 2, let width = Double(String(parts[0]).trimmingScalars([" "])),
              let height = Double(String(parts[1]).trimmingScalars([" "])),
              width > 0, height > 0, width < 10_000, height < 10_000 else { return nil }
        return ("\(TypographyCheck.millimetres(width))mm×\(TypographyCheck.millimetres(height))mm", width, height)
    }

    /// `三号`, `小四`, `16`, `16pt`, `16磅` → half-points.
    static func fontSize(_ text: String) -> Double? {
        if let named = ChineseFontSize.halfPoints(named: text) { return named }
        var number = text.lowercased()
        for suffix in ["pt", "磅"] where number.hasSuffix(suffix) { number = String(number.dropLast(suffix.count)) }
        guard let points = Double(number.trimmingScalars([" "])), points > 0, points < 1_000 else { return nil }
        return points * 2
    }

    static func alignment(_ text: String) -> Typography.Alignment? {
        switch text {
        case "left", "左对齐", "居左": return .left
        case "center", "centre", "居中": return .center
        case "right", "右对齐", "居右": return .right
        case "justify", "both", "两端对齐": return .justify
        case "distribute", "分散对齐": return .distribute
        default: return nil
        }
    }

    static func alignmentName(_ alignment: Typography.Alignment) -> String {
        switch alignment {
        case .left: return "左对齐"
        case .center: return "居中"
        case .right: return "右对齐"
        case .justify: return "两端对齐"
        case .distribute: return "分散对齐"
        }
    }

    static func millimetres(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() && abs(rounded) < 1_000_000 ? String(Int(rounded)) : String(rounded)
    }

    // MARK: Running

    func run(_ context: CheckContext) -> [Finding] {
        let source = context.source
        guard let typography = source.typography else { return [] }
        switch property {
        case .pageSize, .margins, .linesPerPage, .charactersPerLine:
            return typography.sections.compactMap { section(section: $0, source: source) }
        case .revisions:
            return typography.revisions.map { revision in
                let what: String
                switch revision.kind {
                case .insertion: what = "插入“\(TypographyCheck.excerpt(revision.text))”"
                case .deletion: what = "删除“\(TypographyCheck.excerpt(revision.text))”"
                case .move: what = "移动“\(TypographyCheck.excerpt(revision.text))”"
                case .formatting: what = "格式修改"
                }
                return Finding(range: anchor(revision.range, line: revision.line, source: source), variables: variables(
                    actual: what, expected: "", where: revision.author.map { "修订人：\($0)" } ?? "", line: revision.line, source: source))
            }
        case .comments:
            return typography.comments.map { comment in
                Finding(range: anchor(comment.range, line: comment.line, source: source), variables: variables(
                    actual: "“\(TypographyCheck.excerpt(comment.text))”", expected: "",
                    where: comment.author.map { "批注人：\($0)" } ?? "", line: comment.line, source: source))
            }
        case .font, .size, .bold, .alignment, .firstLineIndent:
            var findings: [Finding] = []
            for line in lines(context) {
                guard let paragraph = typography.paragraphs[line], paragraph.hasText else { continue }
                let range = TypographyCheck.lineRange(line, source: source)
                let text = source.content(range)
                if let headingLevels {
                    let level = HeadingNumber.parse(text)?.level ?? 0
                    if !headingLevels.contains(level) { continue }
                }
                if let (actual, expected) = mismatch(paragraph) {
                    findings.append(Finding(range: range, variables: variables(
                        actual: actual, expected: expected, where: "第\(line)段", line: line, source: source)))
                }
            }
            return findings
        }
    }

    /// The lines (1-based) the scope covers, in order.
    private func lines(_ context: CheckContext) -> [Int] {
        let source = context.source
        if scope == .document {
            return source.typography.map { $0.paragraphs.keys.sorted() } ?? []
        }
        var lines: Set<Int> = []
        for unit in context.units(in: scope) {
            let first = source.lineIndex(containing: unit.range.lowerBound) + 1
            let last = source.lineIndex(containing: max(unit.range.lowerBound, unit.range.upperBound - 1)) + 1
            for line in first...max(first, last) { lines.insert(line) }
        }
        return lines.sorted()
    }

    /// What is wrong with a paragraph: (actual, expected) for the message, or nil.
    private func mismatch(_ paragraph: Typography.Paragraph) -> (String, String)? {
        switch expectation {
        case .fonts(let names):
            guard let actual = paragraph.dominantFont else { return nil }
            let wanted = Set(names.map(FontFamily.family))
            // A .doc converted by LibreOffice names a font with its alternatives: `黑体;SimHei`.
            let written = actual.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return written.contains(where: { wanted.contains(FontFamily.family($0)) }) || wanted.contains(FontFamily.family(actual))
                ? nil : (actual, names.joined(separator: "或"))
        case .size(let halfPoints):
            guard let actual = paragraph.dominantSize else { return nil }
            return abs(actual - halfPoints) <= tolerance + 0.001 ? nil
                : (ChineseFontSize.name(halfPoints: actual), ChineseFontSize.name(halfPoints: halfPoints))
        case .flag(let bold):
            guard let actual = paragraph.dominantBold else { return nil }
            return actual == bold ? nil : (actual ? "加粗" : "不加粗", bold ? "加粗" : "不加粗")
        case .alignment(let alignment):
            guard let actual = paragraph.alignment else { return nil }
            // Justified and left-aligned text look the same on a one-line paragraph.
            let same = actual == alignment || ([actual, alignment].allSatisfy { $0 == .left || $0 == .justify })
            return same ? nil : (TypographyCheck.alignmentName(actual), TypographyCheck.alignmentName(alignment))
        case .characters(let characters):
            if paragraph.indentedWithSpaces, (paragraph.firstLineIndent ?? 0) == 0 {
                return ("用空格缩进", "\(TypographyCheck.count(characters))字（用段落格式设置首行缩进）")
            }
            guard let actual = paragraph.firstLineIndent else { return nil }
            return abs(actual - characters) <= tolerance ? nil : ("\(TypographyCheck.count(actual))字", "\(TypographyCheck.count(characters))字")
        default:
            return nil
        }
    }

    private func section(section: Typography.Section, source: SourceText) -> Finding? {
        let line = section.lines?.lowerBound ?? 1
        var place = "第\(section.number)节"
        if let lines = section.lines { place += lines.count > 1 ? "（¶\(lines.lowerBound)–¶\(lines.upperBound)）" : "（¶\(lines.lowerBound)）" }
        let range = anchor(nil, line: line, source: source)
        func finding(_ actual: String, _ expected: String) -> Finding {
            Finding(range: range, variables: variables(actual: actual, expected: expected, where: place, line: line, source: source))
        }
        switch expectation {
        case .page(let width, let height, let name):
            guard let actualWidth = section.pageWidth, let actualHeight = section.pageHeight else { return nil }
            if abs(actualWidth - width) <= tolerance, abs(actualHeight - height) <= tolerance { return nil }
            let named = TypographyCheck.pageSizes.first { abs($0.width - actualWidth) <= 1 && abs($0.height - actualHeight) <= 1 }
            let actual = "\(TypographyCheck.millimetres(actualWidth))mm×\(TypographyCheck.millimetres(actualHeight))mm" + (named.map { "（\($0.name)）" } ?? "")
            return finding(actual, "\(name)（\(TypographyCheck.millimetres(width))mm×\(TypographyCheck.millimetres(height))mm）")
        case .margins(let top, let bottom, let left, let right):
            let sides: [(String, Double?, Double?)] = [("上", top, section.marginTop), ("下", bottom, section.marginBottom),
                                                       ("左", left, section.marginLeft), ("右", right, section.marginRight)]
            var wrong: [String] = []
            var wanted: [String] = []
            for (name, expected, actual) in sides {
                guard let expected, let actual else { continue }
                if abs(actual - expected) > tolerance + 0.05 {
                    wrong.append("\(name) \(TypographyCheck.millimetres(actual))mm")
                    wanted.append("\(name) \(TypographyCheck.millimetres(expected))mm")
                }
            }
            if wrong.isEmpty { return nil }
            return finding(wrong.joined(separator: "、"), wanted.joined(separator: "、") + "（允许 ±\(TypographyCheck.millimetres(tolerance))mm）")
        case .count(let expected):
            let actual = property == .linesPerPage ? section.linesPerPage : section.charactersPerLine
            guard let actual else { return nil }
            if Double(abs(actual - expected)) <= tolerance { return nil }
            let unit = property == .linesPerPage ? "行" : "字"
            return finding("\(actual)\(unit)", "\(expected)\(unit)")
        default:
            return nil
        }
    }

    private func variables(actual: String, expected: String, where place: String, line: Int, source: SourceText) -> [String: String] {
        let text = source.content(TypographyCheck.lineRange(line, source: source))
        return ["property": property.label, "actual": actual, "expected": expected, "where": place,
                "text": TypographyCheck.excerpt(text)]
    }

    /// The range to report: the given one, or the line's text.
    private func anchor(_ range: TextRange?, line: Int, source: SourceText) -> TextRange {
        if let range, !range.isEmpty { return range }
        let whole = TypographyCheck.lineRange(line, source: source)
        if let range { return range.lowerBound..<min(whole.upperBound, range.lowerBound) }
        return whole
    }

    /// A line's range without leading and trailing blanks.
    static func lineRange(_ line: Int, source: SourceText) -> TextRange {
        guard line >= 1, line <= source.lineCount else { return 0..<0 }
        let start = source.lineStarts[line - 1]
        let end = source.lineEnds[line - 1]
        let kept = source.slice(start..<end).untrimmedUTF8Range()
        return (start + kept.lowerBound)..<(start + kept.upperBound)
    }

    static func excerpt(_ text: String) -> String {
        let trimmed = text.trimmingTrimmable()
        return trimmed.count > 20 ? String(trimmed.prefix(20)) + "……" : trimmed
    }

    static func count(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() && abs(rounded) < 1_000_000 ? String(Int(rounded)) : String(rounded)
    }
}

/// Font names as families: 仿宋_GB2312, FangSong and 方正仿宋_GBK are all 仿宋 (GB/T 9704 names
/// typefaces — 仿宋体, 小标宋体, 黑体, 楷体 — not files).
enum FontFamily {
    static let families: [(family: String, names: [String])] = [
        ("仿宋", ["仿宋", "仿宋体", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "方正仿宋_GBK", "方正仿宋简体", "方正仿宋_GB2312",
                 "华文仿宋", "STFangsong"]),
        ("小标宋", ["小标宋", "小标宋体", "方正小标宋简体", "方正小标宋_GBK", "方正小标宋", "方正小标宋_GB2312", "FZXiaoBiaoSong-B05S",
                  "FZXiaoBiaoSong-B05", "FZXBSJW--GB1-0"]),
        ("黑体", ["黑体", "SimHei", "方正黑体_GBK", "方正黑体简体", "方正黑体_GB2312", "华文黑体", "STHeiti"]),
        ("楷体", ["楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "方正楷体_GBK", "方正楷体简体", "方正楷体_GB2312", "华文楷体", "STKaiti"]),
        ("宋体", ["宋体", "SimSun", "新宋体", "NSimSun", "方正书宋_GBK", "方正书宋简体", "华文宋体", "STSong"]),
    ]

    private static let index: [String: String] = {
        var out: [String: String] = [:]
        for (family, names) in families {
            for name in names { out[normalise(name)] = family }
        }
        return out
    }()

    private static func normalise(_ name: String) -> String {
        name.lowercased().filter { $0 != " " && $0 != "-" }
    }

    /// The family of a font name, or the name itself when it is not a known alias.
    static func family(_ name: String) -> String {
        index[normalise(name)] ?? name
    }
}

extension CheckRegistry {
    /// What a check kind does not apply to, for `bulletinlint rules` and `explain`: nil for kinds
    /// that work on every format.
    public static func formatNote(forKind kind: String) -> String? {
        switch kind {
        case TypographyCheck.kind: return TypographyCheck.plainTextNote
        case TableTotalsCheck.kind: return TableTotalsCheck.formatNote
        default: return nil
        }
    }
}
