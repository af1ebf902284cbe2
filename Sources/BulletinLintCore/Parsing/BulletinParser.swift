/// Turns `SourceText` into a `Bulletin`: 报头, 正文 and 版记 elements with spans, recognised
/// by the rule set's element specs.
///
/// The parser works on logical lines (trimmed, blank lines dropped), so PDF extraction that
/// puts a blank line after every line, or a space after a page break, does not change the
/// result. Wrapped lines are joined into paragraphs; a paragraph ends at a line that ends
/// with sentence-final punctuation.
public struct BulletinParser: Sendable {
    public let specs: [ElementSpec]
    private let table: SpecTable

    public init(specs: [ElementSpec]) {
        self.specs = specs
        table = SpecTable(specs)
    }

    public func parse(_ source: SourceText) -> Bulletin {
        let run = ParseState(source: source, table: table)
        return run.parse()
    }
}

/// The specs each step of a parse tries, sorted out once per rule set rather than once per
/// document.
final class SpecTable: Sendable {
    let pageNumber: ElementSpec?
    let column: ElementSpec?
    let articleTitle: ElementSpec?
    let attribution: ElementSpec?
    /// Line elements of the 报头 (and those found anywhere).
    let masthead: [ElementSpec]
    /// Line elements of the 版记 alone: where it starts.
    let footerOnly: [ElementSpec]
    /// Line elements of the 版记 and those found anywhere.
    let footer: [ElementSpec]
    /// Line elements of the 正文 other than the structural ones (栏目, titles, sources, page
    /// numbers), which the body parser looks for itself.
    let bodyOther: [ElementSpec]
    /// Elements found inside the body's units (dates).
    let inline: [ElementSpec]
    /// An imprint may be found in the body: years are then worked out after the whole parse.
    let imprintInBody: Bool
    /// The 公文 parts the body parser looks for itself: the title, the 主送机关 after it, the 附注
    /// after the 成文日期.
    let docTitle: ElementSpec?
    let addressee: ElementSpec?
    let contents: ElementSpec?
    let note: ElementSpec?
    let imprint: ElementSpec?
    /// The character every 印发 line ends with, when the pattern fixes one.
    let imprintEnd: Unicode.Scalar?
    /// Kinds of a 公文's masthead, and of a bulletin's: either starts a document of its own.
    static let officialMastheadKinds: Set<String> = [ElementSpec.Structural.issuerMark, ElementSpec.Structural.docNumber]
    static let bulletinMastheadKinds: Set<String> = [ElementSpec.Structural.issueNumber, ElementSpec.Structural.bulletinName]
    static let documentStartKinds = officialMastheadKinds.union(bulletinMastheadKinds)

    init(_ specs: [ElementSpec]) {
        func spec(_ kind: String) -> ElementSpec? { specs.first { $0.kind == kind } }
        func lineSpecs(in regions: Set<Region>) -> [ElementSpec] {
            specs.filter { !$0.inline && $0.pattern != nil && regions.contains($0.region) }
        }
        pageNumber = spec(ElementSpec.Structural.pageNumber)
        column = spec(ElementSpec.Structural.column)
        articleTitle = spec(ElementSpec.Structural.articleTitle)
        attribution = spec(ElementSpec.Structural.attribution)
        masthead = lineSpecs(in: [.masthead, .any])
        footerOnly = lineSpecs(in: [.footer])
        footer = lineSpecs(in: [.footer, .any])
        // An 印发 line ends with a fixed character (`…印发$`): lines that do not end with it, nor
        // stand before one that does, need no match while looking for where a document ends.
        if let source = spec(ElementSpec.Structural.imprint)?.pattern?.pattern, source.hasSuffix("$"),
           let last = source.dropLast().unicodeScalars.last, last.value >= 0x4E00, last.value <= 0x9FFF {
            imprintEnd = last
        } else {
            imprintEnd = nil
        }
        docTitle = spec(ElementSpec.Structural.docTitle)
        addressee = spec(ElementSpec.Structural.addressee)
        contents = spec(ElementSpec.Structural.contents)
        note = spec(ElementSpec.Structural.note)
        imprint = spec(ElementSpec.Structural.imprint)
        let structural: Set<String> = [ElementSpec.Structural.column, ElementSpec.Structural.articleTitle,
                                       ElementSpec.Structural.attribution, ElementSpec.Structural.pageNumber,
                                       ElementSpec.Structural.docTitle, ElementSpec.Structural.addressee,
                                       ElementSpec.Structural.note, ElementSpec.Structural.contents]
        bodyOther = lineSpecs(in: [.body, .any]).filter { !structural.contains($0.kind) }
        inline = specs.filter { $0.inline && $0.pattern != nil && ($0.region == .body || $0.region == .any) }
        imprintInBody = specs.contains { $0.kind == ElementSpec.Structural.imprint && ($0.region == .body || $0.region == .any) }
    }
}

/// One trimmed, non-blank line.
///
/// A class: lines are passed around and held in arrays throughout the parse, and a struct of
/// strings, views and a `PreparedText` cost a handful of retains per copy. Lines are set up right
/// after they are made (`continuesParagraph`) and never changed after that, but for what they
/// remember of the patterns tried on them.
final class LogicalLine {
    let range: TextRange
    /// The line's text without the source's artifacts (what patterns are matched against).
    let text: String
    /// Length in Unicode scalars.
    let length: Int
    /// Maps offsets in `text` back to the source; nil for a line made up for a probe.
    var view: MappedText? = nil
    /// `text` prepared for the element patterns, which are tried on every line.
    let search: PreparedText

    init(range: TextRange, text: String, length: Int, view: MappedText? = nil) {
        self.range = range
        self.text = text
        self.length = length
        self.view = view
        search = PreparedText(text)
    }

    /// A line whose length is counted while its text is prepared.
    init(range: TextRange, text: String, view: MappedText? = nil) {
        self.range = range
        self.text = text
        self.view = view
        search = PreparedText(text)
        length = search.scalarCount
    }
    /// Width in display cells, worked out on first use (the body parser asks twice).
    private(set) lazy var displayWidth = DisplayWidth.of(text)
    /// The page layout shows this line continuing the paragraph before it (`SourceText.wrappedLines`).
    var continuesParagraph = false
    /// A blank line stands before this one in a text where blank lines part paragraphs (Word's
    /// "save as text"), not one with a blank line after every line (PDF extraction).
    var startsBlock = false
    /// The first match of each pattern tried on the line, by pattern.
    var remembered: [(pattern: ObjectIdentifier, match: ICURegex.Match?)] = []
    /// This line and the next joined with a space (an element split over two lines), made once.
    var joinedWithNext: (next: ObjectIdentifier, line: LogicalLine)?

    /// The view of the whole line, for an element that is the line: it shares the line's text
    /// where the source has no artifacts (the text is then the source's bytes of `range`), and is
    /// made from the source otherwise. For lines of the source only, not for the lines made up
    /// to probe a pattern (a line joined with the next), whose `range` is not their text's.
    func textView(in source: SourceText) -> MappedText {
        guard view == nil, source.artifacts.isEmpty else { return MappedText(source: source, range: range) }
        return MappedText(text: text, pieces: [(0, range.lowerBound, range.count)])
    }

    /// The source range of a range of `text`.
    func sourceRange(_ range: Range<Int>) -> TextRange {
        if let view { return view.sourceRange(range) }
        return (self.range.lowerBound + range.lowerBound)..<(self.range.lowerBound + range.upperBound)
    }

    var lastCharacter: Character? { text.last }

    /// Ends a sentence: 。！？… or ； possibly followed by a closing quote or bracket.
    var endsSentence: Bool { LogicalLine.endsSentence(text) }

    static func endsSentence(_ text: String) -> Bool {
        // The last three scalars plain: the last two characters are the last two scalars.
        var scalars = text.unicodeScalars.reversed().makeIterator()
        if let s1 = scalars.next(), SingleScalarText.isPlain(s1.value) {
            let s2 = scalars.next()
            let s3 = scalars.next()
            if s2.map({ SingleScalarText.isPlain($0.value) }) ?? true, s3.map({ SingleScalarText.isPlain($0.value) }) ?? true {
                var last = s1.value
                switch last {
                case 0x201D, 0x2019, 0xFF09, 0x300B, 0x300D, 0x300F:
                    guard let s2 else { return false }
                    last = s2.value
                default:
                    break
                }
                switch last {
                case 0x3002, 0xFF01, 0xFF1F, 0x2026, 0x21, 0x3F: return true
                default: return false
                }
            }
        }
        var chars = text.reversed().makeIterator()
        guard var last = chars.next() else { return false }
        if "”’）》」』".contains(last) {
            guard let before = chars.next() else { return false }
            last = before
        }
        return "。！？…!?".contains(last)
    }
}

/// The state of one parse.
final class ParseState {
    let source: SourceText
    let table: SpecTable
    var issues: [ParseIssue] = []
    private var timedOutKinds: Set<String> = []

    init(source: SourceText, table: SpecTable) {
        self.source = source
        self.table = table
    }

    static let trimmable: Set<Unicode.Scalar> = [
        " ", "\t", "\u{0B}", "\u{0C}", "\u{00A0}", "\u{3000}", "\u{FEFF}", "\u{200B}",
        "\u{2002}", "\u{2003}", "\u{2009}",
    ]

    /// `trimmable.contains(scalar)` without hashing.
    @inline(__always)
    static func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0B, 0x0C, 0xA0, 0x3000, 0xFEFF, 0x200B, 0x2002, 0x2003, 0x2009: return true
        default: return false
        }
    }

    func logicalLines() -> [LogicalLine] {
        var lines: [LogicalLine] = []
        lines.reserveCapacity(source.lineCount)
        // Indices into `lines` of the lines a blank line stands before.
        var afterBlank: [Int] = []
        var blankBefore = false
        for index in 0..<source.lineCount {
            let start = source.lineStarts[index]
            let end = source.lineEnds[index]
            if start == end { blankBefore = true; continue }
            let content = source.slice(start..<end)
            let bounds = content.untrimmedBounds()
            if bounds.isEmpty { blankBefore = true; continue }
            let leading = content.utf8.distance(from: content.startIndex, to: bounds.lowerBound)
            let trimmed = content[bounds]
            let length = trimmed.utf8.count
            let range = (start + leading)..<(start + leading + length)
            if source.artifacts.isEmpty {
                let text = String(trimmed)
                let line = LogicalLine(range: range, text: text)
                if blankBefore, !lines.isEmpty { afterBlank.append(lines.count) }
                blankBefore = false
                lines.append(line)
                continue
            }
            // Artifacts (extraction spaces, Markdown markup) are not part of the line's text; a
            // line of artifacts only (a repeated page header, a code fence) is no line at all.
            var view = MappedText(source: source, range: range)
            let text = view.text
            let inner = text.untrimmedUTF8Range()
            if inner.isEmpty { continue }
            if inner.count != text.utf8.count {
                view = MappedText(source: source, range: view.sourceRange(inner))
            }
            let line = LogicalLine(range: view.sourceRange, text: view.text,
                                   length: view.text.unicodeScalars.count, view: view)
            if blankBefore, !lines.isEmpty { afterBlank.append(lines.count) }
            blankBefore = false
            lines.append(line)
        }
        // Blank lines part paragraphs, unless the text is a page layout's: a PDF or OFD read
        // here (the layout says where paragraphs end), or text extracted from one, where nearly
        // every line has a blank one before it and lines run on after it unfinished.
        if !afterBlank.isEmpty, !source.format.isExtractedLayout {
            // Two lines of running text (with a comma) that stop mid-sentence before a blank line,
            // about as wide as each other: the text was wrapped by a page layout and the blank
            // lines are the extraction's, not the author's (a title before a blank line is not
            // running text).
            var widths: [Int] = []
            for i in afterBlank {
                let line = lines[i - 1]
                if line.length >= 16, !line.endsSentence, !BodyParser.endsWithColon(line.text),
                   !line.text.hasSuffix("）"), !line.text.hasSuffix(")"),
                   line.text.unicodeScalars.contains(where: { $0 == "，" || $0 == "、" || $0 == "," }) {
                    widths.append(line.displayWidth)
                }
            }
            let widest = widths.max() ?? 0
            var wrapped = widths.filter { $0 >= widest - 4 }.count >= 2
            // A blank line before nearly every line, and many lines of running text stopping
            // mid-sentence: an extraction's double spacing even when they are not all one width.
            if !wrapped, afterBlank.count * 10 >= (lines.count - 1) * 8 {
                // (A width that stands out, such as two columns merged, hides the common one.)
                wrapped = widths.count >= 3 && widths.count * 4 >= lines.count
            }
            if !wrapped { for i in afterBlank { lines[i].startsBlock = true } }
        }
        if !source.wrappedLines.isEmpty {
            for i in lines.indices {
                lines[i].continuesParagraph = source.wrappedLines.contains(source.lineIndex(containing: lines[i].range.lowerBound) + 1)
            }
        }
        return lines
    }

    /// Matches a spec's pattern, turning a time-out into one issue per kind; a kind that timed
    /// out is not tried again in this document.
    func match(_ spec: ElementSpec, _ text: String) -> ICURegex.Match? {
        matches(spec, text, limit: 1).first
    }

    /// Matches a spec's pattern against a logical line.
    func match(_ spec: ElementSpec, _ line: LogicalLine) -> ICURegex.Match? {
        guard let pattern = spec.pattern, pattern.mayMatch(line.search) else { return nil }
        // The footer is looked at several times (where it starts, then its elements). A line
        // is tried against a handful of patterns: a short list beats hashing.
        let identity = pattern.identity
        if let known = line.remembered.first(where: { $0.pattern == identity }) { return known.match }
        let found = matches(spec, line.search, limit: 1, admitted: true).first
        line.remembered.append((identity, found))
        return found
    }

    func matches(_ spec: ElementSpec, _ text: String, limit: Int = .max) -> [ICURegex.Match] {
        guard spec.pattern != nil else { return [] }
        return matches(spec, PreparedText(text), limit: limit)
    }

    /// With `admitted`, the pattern's prefilter has already passed the text.
    func matches(_ spec: ElementSpec, _ text: PreparedText, limit: Int = .max, admitted: Bool = false) -> [ICURegex.Match] {
        guard let pattern = spec.pattern, timedOutKinds.isEmpty || !timedOutKinds.contains(spec.kind) else { return [] }
        do {
            return admitted ? try pattern.matches(inAdmitted: text, limit: limit) : try pattern.matches(in: text, limit: limit)
        } catch {
            timedOutKinds.insert(spec.kind)
            issues.append(ParseIssue(ruleID: EngineRule.regexTimeout.id,
                                     message: "元素“\(spec.kind)”的识别正则表达式超时，已跳过（请检查是否存在灾难性回溯）",
                                     range: 0..<0))
            return []
        }
    }

    /// Builds an element from a match over `view`.
    /// With `clip`, the element is the matched text only (an inline date, an attribution at the
    /// end of a line); otherwise the whole view.
    func element(_ spec: ElementSpec, region: Region, view: MappedText, match: ICURegex.Match,
                 role: Element.Role = .unit, clip: Bool = false) -> Element {
        var element = Element(kind: spec.kind, region: region, role: role,
                              view: clip ? view.subview(match.range) : view)
        var yearInferred = false
        var partialLeft = false
        for (group, range) in match.groups {
            let sourceRange = view.sourceRange(range)
            if group == "list" {
                element.setFieldRange(group, sourceRange)
                continue
            }
            var name = group
            var raw = String(view.slice(range)).trimmingTrimmable()
            // A group stored under another field, its text mapped to the value it means.
            if !spec.normalizations.isEmpty, let normalization = spec.normalizations.first(where: { $0.group == group }) {
                name = normalization.field
                raw = normalization.map[raw] ?? raw
            }
            element.setFieldRange(name, sourceRange)
            guard name.hasSuffix("date") else {
                element.setField(name, raw)
                continue
            }
            if let date = ChineseDate.parse(raw), date.isValid || date.year == nil {
                if let yearReference, date.year == nil, date.isValid {
                    // What `inferYears` would make of the partial ISO date, made at once.
                    element.setField(name, ParseState.inferredDate(month: date.month, day: date.day, from: yearReference).iso)
                    yearInferred = true
                    continue
                }
                let value = date.isValid ? date.iso : raw
                element.setField(name, value)
                partialLeft = partialLeft || value.hasPrefix("--")
            } else {
                element.setField(name, raw)
                partialLeft = partialLeft || raw.hasPrefix("--")
            }
        }
        if yearInferred { element.setField("year-inferred", "true") }
        if partialLeft, let yearReference { ParseState.inferOwnYears(&element, from: yearReference) }
        return element
    }

    /// Splits the list group (and continuation lines) into entries.
    func fillEntries(_ element: inout Element, listRanges: [TextRange]) {
        guard !listRanges.isEmpty else { return }
        let listView = MappedText(source: source, ranges: listRanges)
        let syntax = ListSyntax(listView.text)
        element.entries = syntax.entries.map { ListEntry(text: $0.text, range: listView.sourceRange($0.range)) }
        element.setFieldRange("list", listView.sourceRange)
        element.setList(listView, syntax: syntax)
    }

    func parse() -> Bulletin {
        let lines = logicalLines()
        var artifacts: [Element] = []

        // Page numbers are layout, wherever they stand.
        let pageNumberSpec = table.pageNumber
        var isArtifact = [Bool](repeating: false, count: lines.count)
        if let pageNumberSpec {
            for (i, line) in lines.enumerated() {
                if let m = match(pageNumberSpec, line) {
                    isArtifact[i] = true
                    artifacts.append(element(pageNumberSpec, region: .any, view: line.textView(in: source),
                                             match: m, role: .artifact))
                }
            }
        }
        let content = lines.enumerated().filter { !isArtifact[$0.offset] }.map(\.element)
        let ends = documentEnds(content)
        var documents: [Bulletin] = []
        var start = 0
        for end in ends {
            let part = Array(content[start..<end])
            // Each document takes the problems met while it was parsed (the first one also those
            // of the page numbers, found before).
            let before = documents.isEmpty ? 0 : issues.count
            var document = parseDocument(part, artifacts: documents.isEmpty ? artifacts : [])
            document.issues = Array(issues[before...])
            documents.append(document)
            start = end
        }
        guard var first = documents.first else {
            return Bulletin(source: source, elements: artifacts, issues: issues)
        }
        if documents.count > 1 {
            // Each document's part of the file: from its first line (the first from the top) to
            // the next one's first line (the last to the end).
            var starts = [0]
            for end in ends.dropLast() {
                starts.append(end < content.count ? content[end].range.lowerBound : source.utf8Count)
            }
            for i in documents.indices {
                let upper = i + 1 < starts.count ? starts[i + 1] : source.utf8Count
                documents[i].extent = starts[i]..<max(starts[i], upper)
            }
            first = documents[0]
        }
        first.following = Array(documents.dropFirst())
        return first
    }

    /// Where each document of the file ends (indices into `lines`, the last one `lines.count`):
    /// after a 版记's 印发 line (and its 印数) that another document's masthead or title follows.
    /// What follows a 版记 without starting a document (附件, a site's boilerplate) stays with it.
    private func documentEnds(_ lines: [LogicalLine]) -> [Int] {
        guard let imprint = table.imprint, !table.imprintInBody, lines.count > 1 else { return [lines.count] }
        var ends: [Int] = []
        var i = 0
        let printCount = table.footer.first { $0.kind == "print-count" }
        func candidate(_ line: LogicalLine) -> Bool {
            if let end = table.imprintEnd, line.text.unicodeScalars.last != end { return false }
            return imprint.pattern?.mayMatch(line.search) ?? false
        }
        while i < lines.count {
            let here = candidate(lines[i])
            let next = imprint.lines > 1 && i + 1 < lines.count && candidate(lines[i + 1])
            guard here || next, let (_, _, span) = footerMatch(lines, i, specs: [imprint]) else {
                i += 1
                continue
            }
            var end = i + span
            while end < lines.count, ParseState.isRuleLine(lines[end].text) || (printCount.map { match($0, lines[end]) != nil } ?? false) {
                end += 1
            }
            if end < lines.count, startsDocument(lines, at: end) { ends.append(end) }
            i = end
        }
        ends.append(lines.count)
        return ends
    }

    /// A masthead element or a 公文 title among the first lines from `index`.
    private func startsDocument(_ lines: [LogicalLine], at index: Int) -> Bool {
        let upper = min(lines.count, index + 4)
        var sawMasthead = false
        for i in index..<upper {
            if let spec = table.masthead.first(where: { match($0, lines[i]) != nil }) {
                // A lone 密级 or 紧急程度 mark is not enough: a 发文机关标志, 期号 or name must follow.
                if SpecTable.documentStartKinds.contains(spec.kind) { return true }
                sawMasthead = true
                continue
            }
            if docTitle(lines, at: i) != nil { return true }
            if !sawMasthead { return false }
        }
        return false
    }

    /// A 公文 title found: its match over the line, or over the lines joined, and how many lines.
    struct DocTitle {
        let match: ICURegex.Match
        let lineCount: Int
    }

    /// A 公文 title starting at `index`: one line, or up to the spec's `lines` joined (a title
    /// broken over lines).
    func docTitle(_ lines: [LogicalLine], at index: Int) -> DocTitle? {
        guard let spec = table.docTitle, index < lines.count else { return nil }
        // A title has its 《》 closed and no comma: a sentence citing `《关于……的通知` is not one.
        func isTitle(_ text: String) -> Bool {
            var depth = 0
            for scalar in text.unicodeScalars {
                switch scalar {
                case "《": depth += 1
                case "》": depth -= 1
                case "，", ",": return false
                default: continue
                }
            }
            return depth == 0
        }
        if let m = match(spec, lines[index]) { return isTitle(lines[index].text) ? DocTitle(match: m, lineCount: 1) : nil }
        var text = lines[index].text
        // Lines that end a sentence or are long are running text, not a title's parts; a
        // masthead's lines (a 发文字号, `…文件`) and lines with layout gaps are none either.
        func isPart(_ line: LogicalLine) -> Bool {
            line.length <= 40 && !ParseState.isRuleLine(line.text) && !ParseState.hasLayoutGap(line.text)
                && !line.text.hasPrefix("附件") && !line.text.hasPrefix("相关")
                && !table.masthead.contains { match($0, line) != nil }
        }
        guard isPart(lines[index]), !lines[index].endsSentence else { return nil }
        var count = 1
        while count < spec.lines, index + count < lines.count {
            let next = lines[index + count]
            guard isPart(next) else { return nil }
            text += next.text
            count += 1
            if let m = match(spec, LogicalLine(range: 0..<0, text: text, length: 0)) {
                return isTitle(text) ? DocTitle(match: m, lineCount: count) : nil
            }
            if next.endsSentence { return nil }
        }
        return nil
    }

    /// A masthead element whose spec allows several lines (`lines:`), over the lines from
    /// `index` joined with the spec's `join`.
    private func mastheadJoined(_ lines: [LogicalLine], at index: Int) -> (Element, Int)? {
        for spec in table.masthead where spec.lines > 1 {
            guard lines[index].length <= 40 else { continue }
            for count in 2...spec.lines where index + count <= lines.count {
                let next = lines[index + count - 1]
                guard next.length <= 60 else { break }
                // What the lines hold between them first: most first lines of a body are no part
                // of a masthead element, and a joined text is costly to prepare. (A literal of the
                // pattern broken exactly at the line end would be missed: not a masthead's shape.)
                guard let pattern = spec.pattern,
                      pattern.mayMatchAny(of: PreparedText.ScopeFilter(lines[index..<(index + count)].map(\.search))) else { continue }
                let text = lines[index..<(index + count)].map(\.text).joined(separator: spec.joiner)
                guard let m = match(spec, LogicalLine(range: 0..<0, text: text, length: 0)) else { continue }
                let view = MappedText(source: source, ranges: lines[index..<(index + count)].map(\.range), separator: spec.joiner)
                var found = element(spec, region: .masthead, view: view, match: m)
                // `A、B、文件` when 文件 stands on a line of its own: the joiner is no part of a name.
                if !spec.joiner.isEmpty {
                    for field in found.fieldList where field.value.hasSuffix(spec.joiner) {
                        found.setField(field.name, String(field.value.dropLast(spec.joiner.count)))
                    }
                }
                return (found, count)
            }
        }
        return nil
    }

    /// A short line of a name with no punctuation, right above a line that is the masthead's
    /// date: the 编印单位 (`河南省粮食和物资储备局` ⏎ `二〇二二年十月十二日`).
    private func bareCompiler(_ lines: [LogicalLine], at index: Int) -> Element? {
        guard index + 1 < lines.count, let dateSpec = table.masthead.first(where: { $0.kind == ElementSpec.Structural.mastheadDate }),
              table.masthead.contains(where: { $0.kind == "compiler" }) else { return nil }
        let line = lines[index]
        guard (4...30).contains(line.length),
              !line.text.unicodeScalars.contains(where: { "，。：；、,.:;！？!?（）()【】《》“”".unicodeScalars.contains($0) }),
              let m = match(dateSpec, lines[index + 1]), m.groups["unit"] == nil else { return nil }
        var compiler = Element(kind: "compiler", region: .masthead, view: line.textView(in: source))
        compiler.setField("name", line.text)
        compiler.setFieldRange("name", line.range)
        compiler.search = line.search
        return compiler
    }

    /// One document: masthead, body, 版记.
    private func parseDocument(_ content: [LogicalLine], artifacts givenArtifacts: [Element]) -> Bulletin {
        var artifacts = givenArtifacts
        var elements: [Element] = []
        var index = 0

        // 报头: consecutive lines from the top that are masthead elements or rules.
        let mastheadSpecs = table.masthead
        while index < content.count {
            let line = content[index]
            if ParseState.isRuleLine(line.text) { index += 1; continue }
            if let (spec, m) = mastheadSpecs.lazy.compactMap({ s in self.match(s, line).map { (s, $0) } }).first {
                var found = element(spec, region: .masthead, view: line.textView(in: source), match: m)
                found.search = line.search
                elements.append(found)
                index += 1
                continue
            }
            // An element over several lines (joint issuers' names stacked above `文件`).
            if let (found, count) = mastheadJoined(content, at: index) {
                elements.append(found)
                index += count
                continue
            }
            // The 编印单位's name alone on its line, its date on the next.
            if let compiler = bareCompiler(content, at: index) {
                elements.append(compiler)
                index += 1
                continue
            }
            break
        }

        // A 公文 (an `XX文件` masthead, a 发文字号, or a title `关于…的通知` near the top) has no
        // articles, 栏目 or source attributions: its body is read as a 公文's.
        let mastheadKinds = Set(elements.map(\.kind))
        // The title and its line's offset in the body.
        var title: (found: DocTitle, offset: Int)? = nil
        var official = false
        if mastheadKinds.isDisjoint(with: SpecTable.bulletinMastheadKinds) {
            for i in index..<min(content.count, index + 6) {
                // A 栏目 is a bulletin's: no 公文 title below one; nor in the middle of a sentence.
                if let column = table.column, match(column, content[i]) != nil { break }
                if content[i].continuesParagraph || (i > index && !content[i - 1].endsSentence && content[i - 1].length > 40) { continue }
                if let found = docTitle(content, at: i) {
                    title = (found, i - index)
                    break
                }
            }
            official = title != nil || !mastheadKinds.isDisjoint(with: SpecTable.officialMastheadKinds)
        }

        // 版记: from the first footer line after which the body has nothing structural left.
        // Parsed before the body: its 印发日期 gives the body's dates their year as they are
        // found, rather than in a walk over every element afterwards.
        let footerStart = findFooterStart(content, from: index, official: official)
        var footer = parseFooter(Array(content[footerStart...]))
        let imprintInBody = table.imprintInBody
        let reference = imprintInBody ? nil : (ParseState.firstImprintDate(elements) ?? ParseState.firstImprintDate(footer))
        yearReference = reference.flatMap(YearReference.init)
        let body = BodyParser(run: self, lines: Array(content[index..<footerStart]))
        // A title that runs into the 版记 is none.
        var bodyElements = official
            ? body.parseOfficial(title: title.flatMap { $0.offset + $0.found.lineCount <= footerStart - index ? $0 : nil })
            : body.parse()
        yearReference = nil

        if !imprintInBody, let found = reference.flatMap(YearReference.init) {
            // The body's dates have their years; the masthead's, the footer's and the
            // artifacts' get theirs now.
            for i in elements.indices { ParseState.inferYears(&elements[i], from: found) }
            for i in footer.indices { ParseState.inferYears(&footer[i], from: found) }
            for i in artifacts.indices { ParseState.inferYears(&artifacts[i], from: found) }
        }
        // The parts are emptied rather than copied, so elements changed below are held by no
        // other array (which would copy them).
        var result = elements
        elements = []
        result += bodyElements
        bodyElements = []
        result += footer
        footer = []
        result += artifacts
        result.sort { $0.range.lowerBound < $1.range.lowerBound }
        if imprintInBody, let found = ParseState.firstImprintDate(result).flatMap(YearReference.init) {
            // An imprint may stand anywhere: the first one in the document gives the years.
            for i in result.indices { ParseState.inferYears(&result[i], from: found) }
        }
        var all: [Element] = []
        all.reserveCapacity(result.reduce(0) { $0 + $1.treeCount })
        for element in result { element.appendFlattened(to: &all) }
        let genre = GenreReader.genre(of: all)
        let date = GenreReader.date(of: all)
        all = []
        if genre.kind == .unknown { GenreReader.unstructure(&result) }
        return Bulletin(source: source, elements: result, issues: [], genre: genre, date: date)
    }

    static func isRuleLine(_ text: String) -> Bool {
        text.unicodeScalars.count >= 3 && text.unicodeScalars.allSatisfy { "—―─━-_=＝﹏~～·".unicodeScalars.contains($0) }
    }

    // MARK: 版记

    func footerMatch(_ lines: [LogicalLine], _ i: Int, specs: [ElementSpec]) -> (ElementSpec, ICURegex.Match, Int)? {
        // By index: each `ElementSpec` copied out of the array costs retains.
        for k in specs.indices {
            if let m = match(specs[k], lines[i]) { return (specs[k], m, 1) }
        }
        // An element split over lines (印发机关 on one line, the date on the next); only when
        // the next line is not an element of its own.
        guard i + 1 < lines.count, specs.contains(where: { $0.lines >= 2 }) else { return nil }
        let nextAlone = specs.contains { match($0, lines[i + 1]) != nil }
        if nextAlone { return nil }
        let next = ObjectIdentifier(lines[i + 1])
        let joined: LogicalLine
        if let known = lines[i].joinedWithNext, known.next == next {
            joined = known.line
        } else {
            joined = LogicalLine(range: 0..<0, text: lines[i].text + " " + lines[i + 1].text, length: 0)
            lines[i].joinedWithNext = (next, joined)
        }
        for spec in specs where spec.lines >= 2 {
            if let m = match(spec, joined) { return (spec, m, 2) }
        }
        return nil
    }

    private func findFooterStart(_ lines: [LogicalLine], from start: Int, official: Bool) -> Int {
        let footerSpecs = table.footerOnly
        guard !footerSpecs.isEmpty, start < lines.count else { return lines.count }
        let columnSpec = table.column
        let attributionSpec = table.attribution
        // The last line that only the body has: a 栏目 or a source attribution.
        var lastStructural = start - 1
        for i in stride(from: lines.count - 1, through: start, by: -1) {
            let line = lines[i]
            if footerMatch(lines, i, specs: footerSpecs) != nil { continue }
            // A 公文 has no 栏目 or source attributions (`【关闭窗口】` under a published one is a link).
            if !official, let columnSpec, match(columnSpec, line) != nil { lastStructural = i; break }
            if !official, let attributionSpec, BodyParser.attribution(in: line, spec: attributionSpec, run: self) != nil {
                lastStructural = i
                break
            }
        }
        for i in (lastStructural + 1)..<lines.count where footerMatch(lines, i, specs: footerSpecs) != nil {
            return i
        }
        return lines.count
    }

    private func parseFooter(_ lines: [LogicalLine]) -> [Element] {
        let footerSpecs = table.footer
        var elements: [Element] = []
        var openList: (element: Element, lines: [LogicalLine], listRanges: [TextRange])? = nil
        func closeList() {
            guard var list = openList else { return }
            // Let go of it first: changing an element that is still held elsewhere copies it.
            openList = nil
            if list.lines.count == 1 {
                list.element.view = list.lines[0].textView(in: source)
                list.element.search = list.lines[0].search
            } else {
                list.element.view = MappedText(source: source, ranges: list.lines.map(\.range))
                // The lines' prepared texts joined (nil, and so none kept, unless they spell it).
                list.element.search = PreparedText(joining: list.lines.map(\.search), as: list.element.text)
            }
            list.element.range = list.element.view.sourceRange
            fillEntries(&list.element, listRanges: list.listRanges)
            elements.append(list.element)
        }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if ParseState.isRuleLine(line.text) { i += 1; continue }
            if let (spec, m, span) = footerMatch(lines, i, specs: footerSpecs) {
                closeList()
                let ranges = lines[i..<(i + span)].map(\.range)
                let view = span > 1 ? MappedText(source: source, ranges: ranges, separator: " ") : line.textView(in: source)
                var el = element(spec, region: .footer, view: view, match: m)
                if span == 1 { el.search = line.search }
                if spec.isList || m.groups["list"] != nil {
                    let listRange = m.groups["list"].map { view.sourceRange($0) }
                    openList = (el, Array(lines[i..<(i + span)]), listRange.map { [$0] } ?? [])
                } else {
                    if let listRange = m.groups["list"] { fillEntries(&el, listRanges: [view.sourceRange(listRange)]) }
                    elements.append(el)
                }
                i += span
                continue
            }
            if openList != nil, ParseState.continuesList(line.text) {
                // A line without a label continues the list above it.
                openList?.lines.append(line)
                openList?.listRanges.append(line.range)
                i += 1
                continue
            }
            var text = Element(kind: "footer-text", region: .footer, view: line.textView(in: source))
            text.search = line.search
            elements.append(text)
            i += 1
        }
        closeList()
        return elements
    }

    /// Two blanks in a row inside a line: a gap the layout put there (unit and date).
    static func hasLayoutGap(_ text: String) -> Bool {
        var previousBlank = false
        for scalar in text.unicodeScalars {
            let blank = scalar == " " || scalar == "\u{3000}" || scalar == "\t"
            if blank, previousBlank { return true }
            previousBlank = blank
        }
        return false
    }

    /// Whether an unlabelled line after a list can be more of its entries: not a labelled line
    /// of another kind (`编辑：…`), not an 印发 line the patterns missed, not a site's links
    /// (`【打印】【关闭】`) or a bracketed note.
    static func continuesList(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "：", ":", "【", "】": return false
            default: continue
            }
        }
        if text.hasSuffix("印发") || text.hasPrefix("（") || text.hasPrefix("(") { return false }
        return true
    }

    // MARK: Years

    /// The 印发日期 that dates without a year take theirs from.
    struct YearReference {
        let year: Int
        let month: Int

        init?(_ iso: String) {
            guard let year = Int(iso.prefix(4)) else { return nil }
            self.year = year
            month = Int(iso.dropFirst(5).prefix(2)) ?? 1
        }
    }

    /// Set while the body is parsed: its elements get their years as they are made.
    private var yearReference: YearReference?

    /// The first imprint's full date, depth first, found without copying the tree.
    static func firstImprintDate(_ elements: [Element]) -> String? {
        for element in elements {
            if element.kind == ElementSpec.Structural.imprint, let date = element.field("date"), ParseState.isFullISO(date) {
                return date
            }
            if !element.children.isEmpty, let date = firstImprintDate(element.children) { return date }
        }
        return nil
    }

    /// Dates without a year take it from the 印发日期; a date that would then fall more than half
    /// a year after it belongs to the year before (a January issue reporting December). This
    /// element and everything below it.
    static func inferYears(_ element: inout Element, from reference: YearReference) {
        inferOwnYears(&element, from: reference)
        if !element.children.isEmpty {
            for i in element.children.indices { inferYears(&element.children[i], from: reference) }
        }
    }

    /// A month and day with the year taken from the reference (the year before when that would
    /// put it more than half a year after); without a year when that day does not exist in that
    /// year (29 February).
    static func inferredDate(month: Int, day: Int, from reference: YearReference) -> ChineseDate {
        var year = reference.year
        if month - reference.month > 6 { year -= 1 }
        var date = ChineseDate(year: year, month: month, day: day)
        if !date.isValid { date.year = nil }
        return date
    }

    /// `inferYears` for the element's own fields only.
    private static func inferOwnYears(_ element: inout Element, from reference: YearReference) {
        func isPartial(_ name: String, _ value: String) -> Bool { value.hasPrefix("--") && name.hasSuffix("date") }
        let fields = element.fieldList
        guard fields.contains(where: { isPartial($0.name, $0.value) }) else { return }
        for field in fields where isPartial(field.name, field.value) {
            let (name, value) = (field.name, field.value)
            let month = Int(value.dropFirst(2).prefix(2)) ?? 1
            let day = Int(value.suffix(2)) ?? 1
            let date = inferredDate(month: month, day: day, from: reference)
            element.setField(name, date.isValid ? date.iso : value)
            element.setField("year-inferred", "true")
        }
    }

    static func isFullISO(_ value: String) -> Bool {
        value.utf8.count == 10 && !value.hasPrefix("-")
    }
}

extension StringProtocol {
    /// The part of the text between the `ParseState.trimmable` scalars at either end (an empty
    /// range at the end when the text is all blanks); `ParseState.isTrimmable`, not a hashed set.
    func untrimmedBounds() -> Range<String.Index> {
        let scalars = unicodeScalars
        var lower = scalars.startIndex
        var upper = scalars.endIndex
        while lower < upper, ParseState.isTrimmable(scalars[lower]) { lower = scalars.index(after: lower) }
        while upper > lower, ParseState.isTrimmable(scalars[scalars.index(before: upper)]) { upper = scalars.index(before: upper) }
        return lower..<upper
    }

    /// `untrimmedBounds()` as UTF-8 offsets into the text.
    func untrimmedUTF8Range() -> Range<Int> {
        let bounds = untrimmedBounds()
        let lower = utf8.distance(from: startIndex, to: bounds.lowerBound)
        return lower..<(lower + utf8.distance(from: bounds.lowerBound, to: bounds.upperBound))
    }
}

extension String {
    /// `trimmingScalars(ParseState.trimmable)` without hashing a scalar, and without a copy when
    /// there is nothing to trim (most texts).
    func trimmingTrimmable() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if !ParseState.isTrimmable(first), !ParseState.isTrimmable(last) { return self }
        return String(self[untrimmedBounds()])
    }

    func trimmingScalars(_ set: Set<Unicode.Scalar>) -> String {
        let scalars = unicodeScalars
        var lower = scalars.startIndex
        var upper = scalars.endIndex
        while lower < upper, set.contains(scalars[lower]) { lower = scalars.index(after: lower) }
        while upper > lower, set.contains(scalars[scalars.index(before: upper)]) { upper = scalars.index(before: upper) }
        return String(scalars[lower..<upper])
    }
}
