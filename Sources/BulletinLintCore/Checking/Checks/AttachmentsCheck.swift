/// `attachments`: the 附件说明 against the rest of the document (GB/T 9704-2012 §7.3.6, §8.1).
///
/// Reads, line by line over the document's units:
/// - the 附件说明: a line `附件：…`, its entries numbered `1.`/`1．`/`1、` on that line and the lines
///   that follow (an entry wrapped onto an indented line continues it), or one unnumbered entry;
/// - the body's citations before it: `附件2`, `附件2、3`, `附件1至附件3`, `附件二` — but not the
///   attachment of another document (`《……的通知》附件2`, `（……〔2020〕5号）附件2`);
/// - attachment pages after it: a line that is only `附件` or `附件3`, the next line being the
///   attachment's title.
///
/// One rule per `aspect`, so each can have its own severity:
/// - `cited-missing`: the body cites an attachment the 附件说明 does not list (or there is no
///   附件说明 and no attachment page at all);
/// - `not-cited`: an entry neither cited by number nor named in the body, in a document whose
///   body does cite other attachments by number (so citing by number is its habit);
/// - `numbering`: entries not numbered 1, 2, 3 … in order, or one attachment numbered;
/// - `title-mismatch`: an attachment page whose title is not its entry's (one may be the
///   other's beginning: an entry wrapped over two lines), or a page the 附件说明 does not list.
struct AttachmentsCheck: Check {
    static let kind = "attachments"
    static let messageVariables = ["problem", "number", "entry"]
    static let parameterKeys = ["aspect"]
    static let aspects = ["cited-missing", "not-cited", "numbering", "title-mismatch"]

    let aspect: String

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        let node = try parameters.required("aspect")
        let value = try node.nonEmptyString()
        guard AttachmentsCheck.aspects.contains(value) else {
            throw node.error("“aspect”只能是 \(AttachmentsCheck.aspects.joined(separator: "、"))，实际是“\(value)”\(Suggestion.hint(for: value, among: AttachmentsCheck.aspects))")
        }
        aspect = value
    }

    func run(_ context: CheckContext) -> [Finding] {
        let lines = AttachmentLines(context)
        // Nothing to look at in most documents: no line mentions 附件 at all.
        guard lines.mentionsAttachment else { return [] }
        let layout = AttachmentLayout(lines.lines)
        switch aspect {
        case "cited-missing": return layout.citedMissing()
        case "not-cited": return layout.notCited()
        case "numbering": return layout.numbering()
        default: return layout.titleMismatches()
        }
    }
}

/// A line of the document: its text and the source offset of its first byte.
struct AttachmentLine {
    let text: String
    let start: Int

    /// The source range of a UTF-8 range of the text.
    func range(_ bytes: Range<Int>) -> TextRange { (start + bytes.lowerBound)..<(start + bytes.upperBound) }
}

/// The document's lines, from its units (a unit of joined lines gives each of its lines).
struct AttachmentLines {
    var lines: [AttachmentLine] = []
    var mentionsAttachment = false

    init(_ context: CheckContext) {
        let source = context.source
        for unit in context.units(in: .document) {
            let range = unit.range
            let text = String(source.slice(range))
            if !mentionsAttachment, text.contains("附件") { mentionsAttachment = true }
            // By bytes: "\r\n" is one Character, which a split on "\n" would not cut.
            var offset = range.lowerBound
            for piece in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                var bytes = Array(piece)
                let width = bytes.count
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                lines.append(AttachmentLine(text: String(decoding: bytes, as: UTF8.self), start: offset))
                offset += width + 1
            }
        }
    }
}

/// The 附件说明, the citations and the attachment pages of one document.
struct AttachmentLayout {
    struct Entry {
        var number: Int?
        var title: String
        /// Where the entry stands (its number and title).
        var range: TextRange
        var numberRange: TextRange
    }

    struct Citation {
        let number: Int
        let range: TextRange
    }

    struct Page {
        let number: Int?
        let labelRange: TextRange
        let title: String
        let titleRange: TextRange?
    }

    var entries: [Entry] = []
    /// Whether there is a 附件说明 line at all.
    var hasNote = false
    var citations: [Citation] = []
    var pages: [Page] = []
    /// The body's text (the lines before the 附件说明 or the first page), for titles named there.
    var bodyText = ""

    init(_ lines: [AttachmentLine]) {
        let noteIndex = lines.firstIndex { AttachmentLayout.noteRest($0.text) != nil }
        let firstPage = lines.firstIndex { AttachmentLayout.pageLabel($0.text) != nil }
        let bodyEnd = noteIndex ?? firstPage ?? lines.count
        for line in lines[..<bodyEnd] {
            citations += AttachmentLayout.citations(in: line)
            bodyText += line.text
        }
        var pagesFrom = bodyEnd
        if let noteIndex, let rest = AttachmentLayout.noteRest(lines[noteIndex].text) {
            hasNote = true
            let line = lines[noteIndex]
            var index = noteIndex + 1
            if let entry = AttachmentLayout.numberedEntry(line.text, from: rest) {
                entries.append(AttachmentLayout.entry(entry, in: line))
            } else if rest < line.text.utf8.count {
                let bytes = AttachmentLayout.trimmed(line.text, rest..<line.text.utf8.count)
                if !bytes.isEmpty {
                    let title = AttachmentLayout.slice(line.text, bytes)
                    entries.append(Entry(number: nil, title: title, range: line.range(bytes), numberRange: line.range(bytes.lowerBound..<bytes.lowerBound)))
                }
            }
            // Entries on the lines that follow; a wrapped entry continues on an indented line.
            while index < lines.count {
                let next = lines[index]
                if let entry = AttachmentLayout.numberedEntry(next.text, from: 0) {
                    entries.append(AttachmentLayout.entry(entry, in: next))
                } else if let last = entries.indices.last, entries[last].number != nil,
                          AttachmentLayout.startsIndented(next.text), AttachmentLayout.pageLabel(next.text) == nil,
                          AttachmentLayout.isTitleContinuation(next.text) {
                    let bytes = AttachmentLayout.trimmed(next.text, 0..<next.text.utf8.count)
                    entries[last].title += AttachmentLayout.slice(next.text, bytes)
                } else {
                    break
                }
                index += 1
            }
            pagesFrom = index
        }
        var index = pagesFrom
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard let label = AttachmentLayout.pageLabel(line.text) else { continue }
            // The title: the next line with text.
            var title = ""
            var titleRange: TextRange?
            while index < lines.count {
                let candidate = lines[index]
                let bytes = AttachmentLayout.trimmed(candidate.text, 0..<candidate.text.utf8.count)
                if bytes.isEmpty { index += 1; continue }
                if AttachmentLayout.pageLabel(candidate.text) == nil {
                    title = AttachmentLayout.slice(candidate.text, bytes)
                    titleRange = candidate.range(bytes)
                    index += 1
                }
                break
            }
            pages.append(Page(number: label.number, labelRange: line.range(label.bytes), title: title, titleRange: titleRange))
        }
    }

    // MARK: The four aspects

    func citedMissing() -> [Finding] {
        var findings: [Finding] = []
        let listed = Set(entries.compactMap { $0.number ?? (entries.count == 1 ? 1 : nil) })
        let paged = Set(pages.compactMap { $0.number ?? 1 })
        var reported: Set<Int> = []
        for citation in citations where reported.insert(citation.number).inserted {
            let problem: String
            if hasNote {
                guard !listed.contains(citation.number) else { continue }
                problem = "正文引用了附件\(citation.number)，附件说明中没有附件\(citation.number)"
            } else {
                // No 附件说明: a page of that attachment still shows it exists.
                guard !paged.contains(citation.number) else { continue }
                problem = "正文引用了附件\(citation.number)，但文中没有附件说明"
            }
            findings.append(Finding(range: citation.range, variables: [
                "text": "附件\(citation.number)", "problem": problem, "number": String(citation.number), "entry": "",
            ]))
        }
        return findings
    }

    func notCited() -> [Finding] {
        guard entries.count >= 2, !citations.isEmpty else { return [] }
        let cited = Set(citations.map(\.number))
        let body = AttachmentLayout.normalized(bodyText)
        var findings: [Finding] = []
        for entry in entries {
            guard let number = entry.number, !cited.contains(number) else { continue }
            let title = AttachmentLayout.normalized(entry.title)
            if title.isEmpty || body.contains(title) { continue }
            findings.append(Finding(range: entry.range, variables: [
                "text": entry.title, "problem": "附件\(number)“\(entry.title)”在正文中没有提到", "number": String(number), "entry": entry.title,
            ]))
        }
        return findings
    }

    func numbering() -> [Finding] {
        if entries.count == 1, let only = entries.first {
            guard let number = only.number else { return [] }
            return [Finding(range: only.numberRange, variables: [
                "text": "\(number).", "problem": "只有一个附件时不编序号", "number": String(number), "entry": only.title,
            ])]
        }
        var findings: [Finding] = []
        for (offset, entry) in entries.enumerated() {
            let expected = offset + 1
            guard let number = entry.number else {
                findings.append(Finding(range: entry.range, variables: [
                    "text": entry.title, "problem": "有多个附件时每个附件都应编序号，这里缺少序号\(expected)", "number": String(expected), "entry": entry.title,
                ]))
                continue
            }
            if number != expected {
                findings.append(Finding(range: entry.numberRange, variables: [
                    "text": "\(number).", "problem": "附件序号应为\(expected)，这里是\(number)", "number": String(number), "entry": entry.title,
                ]))
                // One finding for a run off by one from here on.
                break
            }
        }
        return findings
    }

    func titleMismatches() -> [Finding] {
        guard hasNote, !entries.isEmpty else { return [] }
        var findings: [Finding] = []
        for page in pages {
            let number = page.number ?? 1
            let entry = entries.first { ($0.number ?? 1) == number }
            guard let entry else {
                findings.append(Finding(range: page.labelRange, variables: [
                    "text": "附件\(page.number.map(String.init) ?? "")", "problem": "附件\(number)在附件说明中没有对应的条目", "number": String(number), "entry": "",
                ]))
                continue
            }
            guard let titleRange = page.titleRange else { continue }
            let written = AttachmentLayout.normalized(page.title)
            let listed = AttachmentLayout.normalized(entry.title)
            if written.isEmpty || listed.isEmpty || written.hasPrefix(listed) || listed.hasPrefix(written) { continue }
            findings.append(Finding(range: titleRange, variables: [
                "text": page.title, "problem": "附件\(number)的标题“\(page.title)”与附件说明中的“\(entry.title)”不一致", "number": String(number), "entry": entry.title,
            ]))
        }
        return findings
    }

    // MARK: Reading lines

    private static let spaces: Set<Unicode.Scalar> = [" ", "\t", "\u{3000}", "\u{A0}"]
    private static let digits: ClosedRange<Unicode.Scalar> = "0"..."9"
    private static let fullDigits: ClosedRange<Unicode.Scalar> = "０"..."９"
    private static let chineseDigits: [Unicode.Scalar: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10]

    /// The UTF-8 offset after `附件：` (or `附件:`, with spaces around) at the start of a line.
    static func noteRest(_ line: String) -> Int? {
        var scanner = LineScanner(line)
        scanner.skipSpaces()
        guard scanner.take("附"), scanner.take("件") else { return nil }
        scanner.skipSpaces()
        guard scanner.take("：") || scanner.take(":") else { return nil }
        scanner.skipSpaces()
        return scanner.offset
    }

    /// A page's label: a line that is only `附件` or `附件3` (`附件 3`, `附件三`).
    static func pageLabel<S: StringProtocol>(_ line: S) -> (number: Int?, bytes: Range<Int>)? {
        var scanner = LineScanner(line)
        scanner.skipSpaces()
        let start = scanner.offset
        guard scanner.take("附"), scanner.take("件") else { return nil }
        scanner.skipSpaces()
        let number = scanner.number()
        let end = scanner.offset
        scanner.skipSpaces()
        guard scanner.atEnd else { return nil }
        return (number, start..<end)
    }

    /// A numbered entry at `from`: `1.标题`, `1．标题`, `1、标题`.
    static func numberedEntry(_ line: String, from: Int) -> (number: Int, numberBytes: Range<Int>, title: Range<Int>)? {
        var scanner = LineScanner(line, from: from)
        scanner.skipSpaces()
        let start = scanner.offset
        guard let number = scanner.arabicNumber() else { return nil }
        guard scanner.take(".") || scanner.take("．") || scanner.take("、") else { return nil }
        let numberEnd = scanner.offset
        scanner.skipSpaces()
        let title = trimmed(line, scanner.offset..<line.utf8.count)
        guard !title.isEmpty else { return nil }
        return (number, start..<numberEnd, title)
    }

    static func entry(_ parsed: (number: Int, numberBytes: Range<Int>, title: Range<Int>), in line: AttachmentLine) -> Entry {
        Entry(number: parsed.number, title: slice(line.text, parsed.title),
              range: line.range(parsed.numberBytes.lowerBound..<parsed.title.upperBound), numberRange: line.range(parsed.numberBytes))
    }

    static func startsIndented(_ line: String) -> Bool {
        guard let first = line.unicodeScalars.first else { return false }
        return spaces.contains(first)
    }

    /// An indented line that reads as the rest of a title: short, with no sentence punctuation
    /// and not a date or an organ's signature block (which follow the 附件说明 indented too).
    static func isTitleContinuation(_ line: String) -> Bool {
        let text = slice(line, trimmed(line, 0..<line.utf8.count))
        guard !text.isEmpty, text.count <= 40 else { return false }
        if text.contains(where: { "。；：:！？".contains($0) }) { return false }
        if text.hasSuffix("日") && text.contains("年") && text.contains("月") { return false }
        for suffix in ["办公室", "办公厅", "委员会", "人民政府", "局", "厅", "部", "委", "院", "办", "会", "中心", "所", "处", "室"] where text.hasSuffix(suffix) {
            return false
        }
        return true
    }

    /// The body's citations of its own attachments on one line.
    static func citations(in line: AttachmentLine) -> [Citation] {
        var out: [Citation] = []
        let scalars = Array(line.text.unicodeScalars)
        let offsets = scalars.utf8Offsets
        var i = 0
        while i + 1 < scalars.count {
            guard scalars[i] == "附", scalars[i + 1] == "件" else { i += 1; continue }
            let start = i
            i += 2
            if isOtherDocuments(scalars, before: start) { continue }
            var numbers: [(Int, Range<Int>)] = []
            var j = skipSpaces(scalars, i)
            guard let first = number(scalars, &j) else { continue }
            numbers.append((first, offsets[start]..<offsets[j]))
            // More of them: 附件2、3，附件1和附件2，附件1至附件3.
            while true {
                var k = skipSpaces(scalars, j)
                guard k < scalars.count else { break }
                let separator = scalars[k]
                let isRange = "至到～~—-－".unicodeScalars.contains(separator)
                guard isRange || "、，,和及与".unicodeScalars.contains(separator) else { break }
                k = skipSpaces(scalars, k + 1)
                let itemStart = k
                if k + 1 < scalars.count, scalars[k] == "附", scalars[k + 1] == "件" { k = skipSpaces(scalars, k + 2) }
                guard let next = number(scalars, &k) else { break }
                if isRange, let last = numbers.last?.0, next > last, next - last <= 20 {
                    for n in (last + 1)..<next { numbers.append((n, offsets[itemStart]..<offsets[k])) }
                }
                numbers.append((next, offsets[itemStart]..<offsets[k]))
                j = k
            }
            for (number, bytes) in numbers { out.append(Citation(number: number, range: line.range(bytes))) }
            i = j
        }
        return out
    }

    /// `《……》附件2`, `（川办发〔2020〕5号）附件2`, `该通知附件2`: another document's attachment.
    private static func isOtherDocuments(_ scalars: [Unicode.Scalar], before index: Int) -> Bool {
        var k = index - 1
        while k >= 0, spaces.contains(scalars[k]) { k -= 1 }
        if k >= 0, scalars[k] == "的" || scalars[k] == "中" { k -= 1 }
        guard k >= 0 else { return false }
        if "》）)".unicodeScalars.contains(scalars[k]) { return true }
        // 该通知附件2, 原文件附件1, 上述文件附件.
        if k >= 1 {
            let pair = String(String.UnicodeScalarView(scalars[(k - 1)...k]))
            if ["通知", "文件", "意见", "办法", "方案", "规定", "决定", "函的"].contains(pair) { return true }
        }
        return false
    }

    private static func skipSpaces(_ scalars: [Unicode.Scalar], _ index: Int) -> Int {
        var k = index
        while k < scalars.count, spaces.contains(scalars[k]) { k += 1 }
        return k
    }

    /// An attachment number: Arabic (half or full width) or 一 to 十九.
    private static func number(_ scalars: [Unicode.Scalar], _ index: inout Int) -> Int? {
        var k = index
        var value = 0
        var count = 0
        while k < scalars.count, count < 3 {
            let s = scalars[k]
            if digits.contains(s) {
                value = value * 10 + Int(s.value - 48)
            } else if fullDigits.contains(s) {
                value = value * 10 + Int(s.value - 0xFF10)
            } else {
                break
            }
            k += 1
            count += 1
        }
        if count > 0 {
            // Not a number that goes on (附件123456 is not an attachment number).
            if k < scalars.count, digits.contains(scalars[k]) || fullDigits.contains(scalars[k]) { return nil }
            guard value > 0 else { return nil }
            index = k
            return value
        }
        guard k < scalars.count, let first = chineseDigits[scalars[k]] else { return nil }
        k += 1
        if first == 10, k < scalars.count, let unit = chineseDigits[scalars[k]], unit < 10 {
            index = k + 1
            return 10 + unit
        }
        index = k
        return first
    }

    /// A title as compared: no spaces, 书名号 or final punctuation.
    static func normalized(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !spaces.contains(scalar) && !"《》〈〉\n\r".unicodeScalars.contains(scalar) {
            out.append(scalar)
        }
        var result = String(out)
        while let last = result.last, "。；;，,、.：:".contains(last) { result.removeLast() }
        return result
    }

    /// `bytes` without the spaces (ASCII, ideographic, no-break) at either end.
    static func trimmed(_ line: String, _ bytes: Range<Int>) -> Range<Int> {
        var pieces: [(offset: Int, scalar: Unicode.Scalar)] = []
        var offset = 0
        for scalar in line.unicodeScalars {
            if offset >= bytes.lowerBound && offset < bytes.upperBound { pieces.append((offset, scalar)) }
            offset += UTF8.width(scalar)
        }
        guard let first = pieces.firstIndex(where: { !spaces.contains($0.scalar) }),
              let last = pieces.lastIndex(where: { !spaces.contains($0.scalar) }) else {
            return bytes.lowerBound..<bytes.lowerBound
        }
        return pieces[first].offset..<(pieces[last].offset + UTF8.width(pieces[last].scalar))
    }

    static func slice(_ line: String, _ bytes: Range<Int>) -> String {
        let utf8 = line.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: bytes.lowerBound)
        let end = utf8.index(utf8.startIndex, offsetBy: bytes.upperBound)
        return String(line[start..<end])
    }
}

/// Reads a line scalar by scalar, keeping its UTF-8 offset.
private struct LineScanner {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private(set) var offset = 0

    init<S: StringProtocol>(_ line: S, from byte: Int = 0) {
        scalars = Array(line.unicodeScalars)
        while index < scalars.count, offset < byte {
            offset += UTF8.width(scalars[index])
            index += 1
        }
    }

    var atEnd: Bool { index >= scalars.count }

    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard index < scalars.count, scalars[index] == scalar else { return false }
        advance()
        return true
    }

    mutating func skipSpaces() {
        while index < scalars.count, [" ", "\t", "\u{3000}", "\u{A0}"].contains(scalars[index]) { advance() }
    }

    mutating func arabicNumber() -> Int? {
        var value = 0
        var count = 0
        while index < scalars.count, count < 3 {
            let s = scalars[index]
            if ("0"..."9").contains(s) {
                value = value * 10 + Int(s.value - 48)
            } else if ("０"..."９").contains(s) {
                value = value * 10 + Int(s.value - 0xFF10)
            } else {
                break
            }
            advance()
            count += 1
        }
        return count > 0 && value > 0 ? value : nil
    }

    /// An Arabic number or 一 … 十九.
    mutating func number() -> Int? {
        if let value = arabicNumber() { return value }
        let chinese: [Unicode.Scalar: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10]
        guard index < scalars.count, let first = chinese[scalars[index]] else { return nil }
        advance()
        if first == 10, index < scalars.count, let unit = chinese[scalars[index]], unit < 10 {
            advance()
            return 10 + unit
        }
        return first
    }

    private mutating func advance() {
        offset += UTF8.width(scalars[index])
        index += 1
    }
}
