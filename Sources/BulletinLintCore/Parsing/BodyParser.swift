/// The 正文: 栏目, articles (title, paragraphs, source attribution) and the inline elements
/// inside paragraphs.
///
/// A class: its methods pass it around constantly, and copying a struct of this many
/// reference-counted fields cost a dozen retains and releases each time.
final class BodyParser {
    let run: ParseState
    let lines: [LogicalLine]
    private let columnSpec: ElementSpec?
    private let titleSpec: ElementSpec?
    private let attributionSpec: ElementSpec?
    private let otherSpecs: [ElementSpec]
    private let inlineSpecs: [ElementSpec]
    /// Width in display cells of a full wrapped line, when the text has hard wraps (PDF
    /// extraction); a line nearly that wide is a wrap, not a title.
    private let wrapWidth: Int?
    /// Blank lines part the text's paragraphs (`LogicalLine.startsBlock`).
    private let hasBlocks: Bool

    init(run: ParseState, lines: [LogicalLine]) {
        self.run = run
        self.lines = lines
        columnSpec = run.table.column
        titleSpec = run.table.articleTitle
        attributionSpec = run.table.attribution
        otherSpecs = run.table.bodyOther
        inlineSpecs = run.table.inline
        wrapWidth = BodyParser.wrapWidth(of: lines)
        hasBlocks = lines.contains(where: \.startsBlock)
    }

    /// In a text with hard wraps (PDF extraction), lines that run on into the next one cluster
    /// at one width; nil when no such cluster exists (one paragraph per line).
    static func wrapWidth(of lines: [LogicalLine]) -> Int? {
        // Measured in display cells: a full line holds fewer characters when it has digits.
        let runOn = lines.dropLast().filter { line in
            guard line.length >= 16, !line.endsSentence else { return false }
            if line.search.isPlain, let last = line.text.unicodeScalars.last {
                // Plain: the last character is the last scalar.
                return last != "）" && last != ")"
            }
            return !(line.text.hasSuffix("）") || line.text.hasSuffix(")"))
        }.map(\.displayWidth)
        guard runOn.count >= 3 else { return nil }
        var best: (width: Int, count: Int) = (0, 0)
        for width in Set(runOn) {
            let count = runOn.filter { $0 <= width && $0 >= width - 4 }.count
            if count > best.count || (count == best.count && width > best.width) { best = (width, count) }
        }
        return best.count >= 3 && best.count * 10 >= runOn.count * 3 ? best.width : nil
    }

    /// A source attribution （省地方志办） at the end of a line: the whole line, or after the
    /// paragraph's final punctuation (a wrapped line ending in “各乡镇（部门）” is not one).
    static func attribution(in line: LogicalLine, spec: ElementSpec, run: ParseState) -> ICURegex.Match? {
        guard let last = line.text.unicodeScalars.last, last == "）" || last == ")" || last == "。" else { return nil }
        guard let m = run.match(spec, line), m.range.upperBound == line.text.utf8.count else { return nil }
        // A slice of the line (match bounds fall between scalars): copied, not decoded again.
        let head = String(line.text.utf8Slice(0..<m.range.lowerBound)).trimmingTrimmable()
        if head.isEmpty { return m }
        return LogicalLine.endsSentence(head) ? m : nil
    }

    /// An attribution that a hard wrap split: this line ends with an unclosed （ after the
    /// paragraph's final punctuation and the next line closes it.
    private func wrappedAttribution(_ line: LogicalLine, _ next: LogicalLine, spec: ElementSpec) -> ICURegex.Match? {
        guard next.length <= 40 else { return nil }
        // No opening bracket on the line at all (the bits are exact for these two): nothing is
        // left open.
        guard line.search.mayContain(0xFF08) || line.search.mayContain(0x28) else { return nil }
        if line.search.isPlain, next.search.isPlain {
            // Plain texts (`SingleScalarText`): characters are scalars.
            var unclosed = false
            for scalar in line.text.unicodeScalars.reversed() {
                if scalar == "）" || scalar == ")" { break }
                if scalar == "（" || scalar == "(" { unclosed = true; break }
            }
            guard unclosed, !next.text.unicodeScalars.contains(where: { $0 == "（" || $0 == "(" }) else { return nil }
        } else {
            guard let open = line.text.lastIndex(where: { $0 == "（" || $0 == "(" }),
                  !line.text[open...].contains(where: { $0 == "）" || $0 == ")" }),
                  !next.text.contains(where: { $0 == "（" || $0 == "(" }) else { return nil }
        }
        let joined = LogicalLine(range: line.range, text: line.text + next.text, length: line.length + next.length)
        guard let m = BodyParser.attribution(in: joined, spec: spec, run: run),
              m.range.lowerBound < line.text.utf8.count else { return nil }
        return m
    }

    private func isTitleCandidate(_ line: LogicalLine, next: LogicalLine?, midBody: Bool) -> Bool {
        guard let next else { return false }
        let maxLength = titleSpec?.maxLength ?? 40
        guard line.length >= 2, line.length <= maxLength else { return false }
        if let wrapWidth, line.displayWidth * 100 >= wrapWidth * 85 { return false }
        if let titleSpec, titleSpec.pattern != nil, run.match(titleSpec, line) == nil { return false }
        // A line that is all in brackets is a source attribution standing on its own line.
        if let first = line.text.unicodeScalars.first, first == "（" || first == "(", let attributionSpec,
           let m = BodyParser.attribution(in: line, spec: attributionSpec, run: run), m.range.lowerBound == 0 {
            return false
        }
        // A title may hold a comma or a colon (“巴中市：多措并举……”) but no sentence end, and
        // does not end in punctuation; right after a 栏目 or a source line, a stray mark at its
        // end (a defect the title rules report) does not make it running text.
        var body = Substring(line.text)
        if !midBody, let last = body.last, "。，；：".contains(last), line.length <= 30 { body = body.dropLast() }
        if let last = body.unicodeScalars.last, "，。；：、,;—…".unicodeScalars.contains(last) { return false }
        if body.unicodeScalars.contains(where: { "。；;".unicodeScalars.contains($0) }) { return false }
        if BodyParser.startsWithHeadingNumber(line.text) { return false }
        if midBody {
            // Inside running text, a line that ends a sentence elsewhere or asks a question is
            // not a title either.
            if line.text.unicodeScalars.contains(where: { "！？!?".unicodeScalars.contains($0) }) { return false }
        }
        _ = next
        return true
    }

    /// Bullets that mark the entries of a 本期要目.
    static let bullets: Set<Unicode.Scalar> = ["◆", "◇", "●", "○", "■", "□", "★", "☆", "·", "•", "▲", "△", "※", "▪", "►", "—", "-"]

    static func withoutBullet(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, bullets.contains(first) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.drop { bullets.contains($0) || $0 == " " || $0 == "\u{3000}" }))
    }

    /// The entries of a 本期要目 whose heading is at `index`: lines marked with a bullet, or short
    /// lines with no sentence end, up to the first 栏目, the first article (whose title repeats
    /// the first entry), a paragraph, or 20 lines.
    private func contentsEntries(after index: Int) -> Int {
        var taken = 0
        var first: String? = nil
        var anyBulleted = false
        while index + taken + 1 < lines.count, taken < 20 {
            let line = lines[index + taken + 1]
            if let columnSpec, run.match(columnSpec, line) != nil { break }
            let text = BodyParser.withoutBullet(line.text)
            let bulleted = text.utf8.count != line.text.utf8.count
            if bulleted { anyBulleted = true }
            if !bulleted {
                // Marked entries end at the first unmarked line.
                if anyBulleted { break }
                if text == first || line.length > 40 || line.endsSentence || BodyParser.endsWithPunctuation(text) { break }
                // Unmarked entries only where the text says where the list ends: a 栏目 ahead, or
                // this very line repeated ahead as an article's title.
                let rest = lines[(index + taken + 2)...].prefix(20)
                let ends = rest.contains { candidate in
                    (columnSpec.map { run.match($0, candidate) != nil } ?? false) || candidate.text == text
                }
                if !ends { break }
            }
            if first == nil { first = text }
            taken += 1
        }
        return taken
    }

    /// How many lines after the title at `index` belong to it: a 副标题 line starting with a dash,
    /// or, where blank lines part paragraphs, the short unpunctuated lines of the title's block.
    private func titleContinuation(after index: Int) -> Int {
        var extra = 0
        while index + extra + 1 < lines.count, extra < 2 {
            let next = lines[index + extra + 1]
            if next.text.hasPrefix("—") {
                extra += 1
                continue
            }
            let blockEndsAfter = index + extra + 2 >= lines.count || lines[index + extra + 2].startsBlock
            let inBlock = !next.startsBlock && hasBlocks && blockEndsAfter
            // Not a byline (`本刊记者 张三`): names and bylines have a space or say who wrote.
            let byline = next.text.unicodeScalars.contains { $0 == " " || $0 == "\u{3000}" }
                || ["记者", "通讯员", "供稿", "撰稿", "作者", "来源"].contains { next.text.contains($0) }
            guard inBlock, !byline, next.length <= 30, !next.endsSentence, !BodyParser.endsWithPunctuation(next.text),
                  !next.text.unicodeScalars.contains(where: { "。，；;！？!?,".unicodeScalars.contains($0) }),
                  !BodyParser.startsWithHeadingNumber(next.text), firstMatch(otherSpecs, next) == nil,
                  inlineSpecs.allSatisfy({ run.match($0, next) == nil }),
                  run.table.attribution.map({ BodyParser.attribution(in: next, spec: $0, run: run) == nil }) ?? true else { break }
            extra += 1
        }
        return extra
    }

    static func endsWithPunctuation(_ text: String) -> Bool {
        guard let last = text.unicodeScalars.last else { return false }
        return "，、；：,;:".unicodeScalars.contains(last)
    }

    /// A numbered heading (一、 （一） 1. （1）) or a list item numbered `1）`, `2)`.
    static func startsWithHeadingNumber(_ text: String) -> Bool {
        HeadingNumber.parse(text) != nil || HeadingNumber.listMarkerClose(in: text) != nil
    }

    // MARK: Building

    private var output: [Element] = []
    private var column: Element?
    private var article: Element?
    private var paragraphRanges: [TextRange] = []
    /// The prepared text of each of `paragraphRanges` that is a whole line (nil for part of
    /// one), so a paragraph's prepared text is joined from its lines' instead of made anew.
    private var paragraphParts: [PreparedText?] = []
    private var paragraphEnded = false
    /// The last line of running text ended with a colon: what follows belongs to it.
    private var lastLineAnnounces = false

    func parse() -> [Element] {
        var expectTitle = true
        var afterTitle = false
        var i = -1
        while i + 1 < lines.count {
            i += 1
            let line = lines[i]
            let next = i + 1 < lines.count ? lines[i + 1] : nil
            // A blank line ends the paragraph before it (where blank lines part paragraphs).
            if line.startsBlock, !paragraphRanges.isEmpty { closeParagraph() }
            // 本期要目: the heading and its entries, before the first article.
            if article == nil, column == nil, output.isEmpty || expectTitle, let contentsSpec = run.table.contents,
               let m = run.match(contentsSpec, line) {
                let taken = contentsEntries(after: i)
                var contents = run.element(contentsSpec, region: .body, view: line.textView(in: run.source), match: m)
                contents.search = line.search
                if taken > 0 {
                    let entries = lines[(i + 1)...(i + taken)]
                    contents.view = MappedText(source: run.source, ranges: [line.range] + entries.map(\.range))
                    contents.range = contents.view.sourceRange
                    contents.entries = entries.map { entry in
                        let text = BodyParser.withoutBullet(entry.text)
                        let skipped = entry.text.utf8.count - text.utf8.count
                        return ListEntry(text: text, range: entry.sourceRange(skipped..<entry.text.utf8.count))
                    }
                }
                output.append(contents)
                i += taken
                expectTitle = true
                continue
            }
            if let columnSpec, let m = run.match(columnSpec, line) {
                closeArticle()
                closeColumn()
                column = run.element(columnSpec, region: .body, view: line.textView(in: run.source), match: m)
                column?.search = line.search
                expectTitle = true
                lastLineAnnounces = false
                continue
            }
            if let (spec, m) = firstMatch(otherSpecs, line) {
                appendLineElement(spec, m, line)
                continue
            }
            // A new article without a source line before it: only after a finished paragraph,
            // never straight after a title.
            // Never right after a line that announces what follows (`主要做法如下：`).
            let midBodyTitle = !expectTitle && !afterTitle && (paragraphRanges.isEmpty || paragraphEnded) && !line.continuesParagraph
                && !lastLineAnnounces
            if (expectTitle || midBodyTitle), isTitleCandidate(line, next: next, midBody: !expectTitle) {
                closeArticle()
                var newArticle = Element(kind: ElementSpec.Structural.article, region: .body, role: .container,
                                         view: line.textView(in: run.source))
                // A 副标题 (`——…`) or a title broken over lines of its own block joins the title.
                let extra = titleContinuation(after: i)
                let titleView = extra == 0 ? line.textView(in: run.source)
                    : MappedText(source: run.source, ranges: lines[i...(i + extra)].map(\.range))
                var title = Element(kind: ElementSpec.Structural.articleTitle, region: .body, view: titleView)
                addInline(to: &title, prepared: extra == 0 ? line.search : nil)
                newArticle.children.append(title)
                newArticle.setField("title", titleView.text)
                i += extra
                article = newArticle
                expectTitle = false
                afterTitle = true
                lastLineAnnounces = false
                continue
            }
            expectTitle = false
            afterTitle = false
            // Running text. A numbered heading (一、 （一） 1. （1）) starts a paragraph of its own,
            // and a short one without final punctuation is a paragraph by itself.
            let numbered = BodyParser.startsWithHeadingNumber(line.text)
            // A line the layout shows as wrapped (a PDF) continues the paragraph even after a
            // sentence end.
            if (paragraphEnded && !line.continuesParagraph) || numbered { closeParagraph() }
            var textRange = line.range
            /// The text of `textRange` when it is part of the line (before an attribution).
            var keptText: String? = nil
            var attribution: Element? = nil
            if let attributionSpec, let next, let m = wrappedAttribution(line, next, spec: attributionSpec) {
                // （泸 ⏎ 州市地方志办）: an attribution broken over two lines by the layout.
                let view = MappedText(source: run.source, ranges: [line.range, next.range])
                attribution = run.element(attributionSpec, region: .body, view: view, match: m, clip: true)
                let head = String(line.text.utf8Slice(0..<m.range.lowerBound))
                let kept = head.trimmingTrimmable()
                textRange = line.sourceRange(0..<kept.utf8.count)
                keptText = kept
                i += 1
            } else if let attributionSpec, let m = BodyParser.attribution(in: line, spec: attributionSpec, run: run) {
                let view = line.textView(in: run.source)
                attribution = run.element(attributionSpec, region: .body, view: view, match: m, clip: true)
                let head = String(line.text.utf8Slice(0..<m.range.lowerBound))
                let kept = head.untrimmedUTF8Range()
                textRange = line.sourceRange(kept)
                keptText = kept.count == head.utf8.count ? head : String(head.utf8Slice(kept))
            }
            if !textRange.isEmpty {
                paragraphRanges.append(textRange)
                // The part before an attribution is prepared on its own, a line's worth of
                // text, so the paragraph's is still joined rather than made anew (the join
                // checks that the parts spell the paragraph).
                paragraphParts.append(textRange == line.range ? line.search : keptText.map { PreparedText($0) })
            }
            paragraphEnded = line.endsSentence || (numbered && line.length <= 30 && !BodyParser.endsWithPunctuation(line.text))
            lastLineAnnounces = attribution == nil && BodyParser.endsWithColon(line.text)
            if let attribution {
                closeParagraph()
                ensureArticle()
                article?.children.append(attribution)
                closeArticle()
                expectTitle = true
            }
        }
        closeArticle()
        closeColumn()
        // Handed over, not shared: the caller still changes these elements (years of dates).
        defer { output = [] }
        return output
    }

    /// A 公文's body: its title (where `title` says it starts), the 主送机关 after it, paragraphs,
    /// the 成文日期 and the 附注 after it. No articles, 栏目 or source attributions.
    func parseOfficial(title: (found: ParseState.DocTitle, offset: Int)?) -> [Element] {
        var afterSigning = false
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let title, i == title.offset, let titleSpec = run.table.docTitle {
                let count = title.found.lineCount
                closeParagraph()
                let view = count == 1 ? line.textView(in: run.source) : MappedText(source: run.source, ranges: lines[i..<(i + count)].map(\.range))
                var element = run.element(titleSpec, region: .body, view: view, match: title.found.match)
                if count == 1 { element.search = line.search }
                append(element)
                i += count
                if let (addressee, taken) = addressee(at: i, wenzhong: element.field("wenzhong")) {
                    append(addressee)
                    i += taken
                }
                continue
            }
            if let (spec, m) = firstMatch(otherSpecs, line) {
                appendLineElement(spec, m, line)
                if spec.kind == ElementSpec.Structural.signingDate { afterSigning = true }
                i += 1
                continue
            }
            if afterSigning, let noteSpec = run.table.note, let m = run.match(noteSpec, line) {
                appendLineElement(noteSpec, m, line)
                i += 1
                continue
            }
            let numbered = BodyParser.startsWithHeadingNumber(line.text)
            if (paragraphEnded && !line.continuesParagraph) || numbered || line.startsBlock { closeParagraph() }
            paragraphRanges.append(line.range)
            paragraphParts.append(line.search)
            paragraphEnded = line.endsSentence || (numbered && line.length <= 30 && !BodyParser.endsWithPunctuation(line.text))
                || BodyParser.endsWithColon(line.text)
            i += 1
        }
        closeArticle()
        defer { output = [] }
        return output
    }

    /// An element that is a whole line of its own: the paragraph before it ends.
    private func appendLineElement(_ spec: ElementSpec, _ match: ICURegex.Match, _ line: LogicalLine) {
        closeParagraph()
        var element = run.element(spec, region: .body, view: line.textView(in: run.source), match: match)
        element.search = line.search
        append(element)
    }

    /// The 主送机关 right after a 公文's title: up to three lines, the last ending in `：`, none
    /// ending a sentence. The element and how many lines it takes.
    private func addressee(at index: Int, wenzhong: String?) -> (Element, Int)? {
        guard let spec = run.table.addressee, index < lines.count else { return nil }
        // 公告, 通告, 命令, 公报, 决议 and 纪要 have no 主送机关: their first line is their text.
        if let wenzhong, ["公告", "通告", "命令", "公报", "决议", "纪要"].contains(wenzhong) { return nil }
        for count in 1...3 where index + count <= lines.count {
            let last = lines[index + count - 1]
            if last.endsSentence || last.length > 120 { return nil }
            guard BodyParser.endsWithColon(last.text) else { continue }
            let taken = Array(lines[index..<(index + count)])
            let view = count == 1 ? taken[0].textView(in: run.source) : MappedText(source: run.source, ranges: taken.map(\.range))
            let probe = count == 1 ? taken[0] : LogicalLine(range: 0..<0, text: view.text, length: 0)
            // A lead-in sentence (`现通告如下：`, `为……，根据《……》`) is text, not a list of organs.
            let leadIn = ["如下", "现将", "现就", "为了", "根据", "《", "。"].contains { probe.text.contains($0) }
            if leadIn { return nil }
            guard let m = run.match(spec, probe) else { return nil }
            var element = run.element(spec, region: .body, view: view, match: m)
            if let list = m.groups["list"] {
                // One range per line: the entries must not take in the line breaks.
                let range = view.sourceRange(list)
                run.fillEntries(&element, listRanges: taken.compactMap { line -> TextRange? in
                    let lower = max(range.lowerBound, line.range.lowerBound)
                    let upper = min(range.upperBound, line.range.upperBound)
                    return lower < upper ? lower..<upper : nil
                })
            }
            return (element, count)
        }
        return nil
    }

    static func endsWithColon(_ text: String) -> Bool {
        guard let last = text.unicodeScalars.last else { return false }
        return last == "：" || last == ":"
    }

    private func firstMatch(_ specs: [ElementSpec], _ line: LogicalLine) -> (ElementSpec, ICURegex.Match)? {
        for k in specs.indices {
            if let m = run.match(specs[k], line) { return (specs[k], m) }
        }
        return nil
    }

    private func append(_ element: Element) {
        if article != nil {
            article?.children.append(element)
        } else if column != nil {
            column?.children.append(element)
        } else {
            output.append(element)
        }
    }

    private func ensureArticle() {
        if article == nil {
            let start = paragraphRanges.first ?? lines.first?.range ?? 0..<0
            article = Element(kind: ElementSpec.Structural.article, region: .body, role: .container,
                              view: MappedText(source: run.source, range: start))
        }
    }

    private func closeParagraph() {
        guard !paragraphRanges.isEmpty else { paragraphEnded = false; return }
        ensureArticle()
        var paragraph = Element(kind: ElementSpec.Structural.paragraph, region: .body,
                                view: MappedText(source: run.source, ranges: paragraphRanges))
        let parts = paragraphParts.compactMap { $0 }
        let prepared = parts.count == paragraphParts.count ? PreparedText(joining: parts, as: paragraph.text) : nil
        addInline(to: &paragraph, prepared: prepared)
        article?.children.append(paragraph)
        // Emptied, not replaced: the next paragraph reuses the room.
        paragraphRanges.removeAll(keepingCapacity: true)
        paragraphParts.removeAll(keepingCapacity: true)
        paragraphEnded = false
    }

    private func closeArticle() {
        closeParagraph()
        guard var finished = article else { return }
        // Let go of it first: changing an element that is still held elsewhere copies it.
        article = nil
        let lower = finished.children.map(\.range.lowerBound).min() ?? finished.range.lowerBound
        let upper = finished.children.map(\.range.upperBound).max() ?? finished.range.upperBound
        finished.range = lower..<upper
        finished.view = MappedText(source: run.source, range: finished.range)
        if column != nil { column?.children.append(finished) } else { output.append(finished) }
    }

    private func closeColumn() {
        guard let finished = column else { return }
        column = nil
        output.append(finished)
    }

    /// Inline elements (dates) found in a unit's text become its children.
    private func addInline(to unit: inout Element, prepared: PreparedText? = nil) {
        let search = prepared.flatMap { $0.text.hasSameBytes(as: unit.text) ? $0 : nil } ?? PreparedText(unit.text)
        unit.search = search
        for spec in inlineSpecs {
            for m in run.matches(spec, search) {
                unit.children.append(run.element(spec, region: .body, view: unit.view, match: m, role: .inline, clip: true))
            }
        }
    }
}

