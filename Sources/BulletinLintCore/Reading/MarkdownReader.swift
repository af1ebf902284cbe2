/// Reads Markdown: the text stays exactly as written (so positions are those of the file), and
/// the markup is marked as artifacts, which no check sees: heading marks (`## `), block quotes
/// (`> `), bullet markers (`- `, `* `, `+ `), emphasis delimiters (`**`, `_`, `~~`), link syntax
/// (`[`, `](url)`), images, code spans and fenced code blocks, HTML tags and comments, front matter,
/// thematic breaks, table delimiter rows and backslash escapes.
///
/// Ordered-list numbers (`1. `) stay: they are shown numbers, like a Word numbering label.
/// Indented code blocks are not recognised: a Chinese draft indents paragraphs with spaces.
///
/// Pipe tables (GFM) are also read as tables (`SourceText.tables`, see `PipeTables`); their pipes
/// stay in the text as before.
public enum MarkdownReader {
    /// Marks the markup of decoded Markdown text and reads its tables.
    public static func source(text: String, displayPath: String, encoding: TextEncoding = .utf8) -> SourceText {
        var source = SourceText(path: displayPath, text: text, encoding: encoding, format: .markdown)
        var delimiterRows: [Int] = []
        source.setArtifacts(markup(in: source, delimiterRows: &delimiterRows))
        if !delimiterRows.isEmpty { source.tables = PipeTables.tables(in: source, delimiterRows: delimiterRows) }
        return source
    }

    static func markup(in source: SourceText) -> [Artifact] {
        var delimiterRows: [Int] = []
        return markup(in: source, delimiterRows: &delimiterRows)
    }

    /// The markup, and the lines (0-based) that are table delimiter rows outside code, comments
    /// and front matter.
    static func markup(in source: SourceText, delimiterRows: inout [Int]) -> [Artifact] {
        var ranges: [TextRange] = []
        var fence: (character: Unicode.Scalar, length: Int)? = nil
        var inComment = false
        var frontMatter = false
        var previousHadText = false
        for index in 0..<source.lineCount {
            let start = source.lineStarts[index]
            let end = source.lineEnds[index]
            let line = Array(source.slice(start..<end).unicodeScalars)
            var offsets: [Int] = []
            var offset = start
            for scalar in line { offsets.append(offset); offset += UTF8.width(scalar) }
            offsets.append(offset)
            let whole = start..<end
            let indent = line.prefix { $0 == " " }.count
            let body = Array(line.dropFirst(indent))
            let trimmed = String(String.UnicodeScalarView(line)).trimmingScalars([" ", "\t"])

            // Front matter: `---` on the first line, up to the next `---` or `...`.
            if index == 0, trimmed == "---" { frontMatter = true; ranges.append(whole); continue }
            if frontMatter {
                ranges.append(whole)
                if trimmed == "---" || trimmed == "..." { frontMatter = false }
                continue
            }
            // Fenced code.
            if let open = fence {
                ranges.append(whole)
                let run = body.prefix { $0 == open.character }.count
                if indent <= 3, run >= open.length, body.dropFirst(run).allSatisfy({ $0 == " " || $0 == "\t" }) { fence = nil }
                continue
            }
            if indent <= 3, let first = body.first, first == "`" || first == "~" {
                let run = body.prefix { $0 == first }.count
                if run >= 3 {
                    fence = (first, run)
                    ranges.append(whole)
                    continue
                }
            }
            // HTML comment blocks.
            if inComment || trimmed.hasPrefix("<!--") {
                ranges.append(whole)
                inComment = !trimmed.contains("-->")
                previousHadText = false
                continue
            }
            if trimmed.isEmpty { previousHadText = false; continue }
            // Thematic breaks and setext underlines.
            if indent <= 3, isBreak(trimmed) || (previousHadText && isSetextUnderline(trimmed)) {
                ranges.append(whole)
                previousHadText = false
                continue
            }
            // Table delimiter rows.
            if trimmed.contains("|"), trimmed.unicodeScalars.allSatisfy({ "|-: \t".unicodeScalars.contains($0) }), trimmed.contains("-") {
                ranges.append(whole)
                delimiterRows.append(index)
                continue
            }
            // Link reference definitions.
            if indent <= 3, trimmed.hasPrefix("["), let close = trimmed.range(of: "]:"), close.lowerBound > trimmed.index(after: trimmed.startIndex) {
                ranges.append(whole)
                continue
            }
            previousHadText = true

            // Block prefixes: quotes, headings, bullets, task boxes.
            var position = indent
            var changed = true
            while changed {
                changed = false
                if position < line.count, line[position] == ">" {
                    var stop = position + 1
                    if stop < line.count, line[stop] == " " { stop += 1 }
                    ranges.append(offsets[position]..<offsets[stop])
                    position = stop
                    changed = true
                    continue
                }
                if position < line.count, line[position] == "#" {
                    let hashes = line[position...].prefix { $0 == "#" }.count
                    let after = position + hashes
                    if hashes <= 6, after == line.count || line[after] == " " || line[after] == "\t" {
                        var stop = after
                        while stop < line.count, line[stop] == " " || line[stop] == "\t" { stop += 1 }
                        ranges.append(offsets[position]..<offsets[stop])
                        position = stop
                        // A closing run of #: `## 标题 ##`.
                        var tail = line.count
                        while tail > position, line[tail - 1] == " " { tail -= 1 }
                        var hashStart = tail
                        while hashStart > position, line[hashStart - 1] == "#" { hashStart -= 1 }
                        if hashStart < tail, hashStart > position, line[hashStart - 1] == " " {
                            ranges.append(offsets[hashStart - 1]..<offsets[line.count])
                        }
                    }
                    break
                }
                if position + 1 < line.count, "-*+".unicodeScalars.contains(line[position]), line[position + 1] == " " || line[position + 1] == "\t" {
                    var stop = position + 1
                    while stop < line.count, line[stop] == " " || line[stop] == "\t" { stop += 1 }
                    // Task list box.
                    if stop + 2 < line.count, line[stop] == "[", "xX ".unicodeScalars.contains(line[stop + 1]), line[stop + 2] == "]" {
                        stop += 3
                        while stop < line.count, line[stop] == " " { stop += 1 }
                    }
                    ranges.append(offsets[position]..<offsets[stop])
                    position = stop
                    changed = true
                }
            }
            ranges += inline(line, offsets: offsets, from: position)
            // A hard break written as a trailing backslash.
            if let last = line.last, last == "\\", line.count >= 2, line[line.count - 2] != "\\" {
                ranges.append(offsets[line.count - 1]..<offsets[line.count])
            }
        }
        return ranges.map { Artifact(range: $0, kind: .markup) }
    }

    private static func isBreak(_ text: String) -> Bool {
        let marks = text.unicodeScalars.filter { $0 != " " && $0 != "\t" }
        guard marks.count >= 3, let first = marks.first, "-*_".unicodeScalars.contains(first) else { return false }
        return marks.allSatisfy { $0 == first }
    }

    private static func isSetextUnderline(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "=" || first == "-" else { return false }
        return text.unicodeScalars.allSatisfy { $0 == first }
    }

    /// Inline markup of one line from `start`: code spans, escapes, images, links, autolinks,
    /// HTML, emphasis delimiters.
    static func inline(_ line: [Unicode.Scalar], offsets: [Int], from start: Int) -> [TextRange] {
        var ranges: [TextRange] = []
        var delimiters: [(index: Int, character: Unicode.Scalar, length: Int)] = []
        var i = start
        func range(_ from: Int, _ to: Int) -> TextRange { offsets[from]..<offsets[to] }
        func find(_ target: Unicode.Scalar, from: Int) -> Int? {
            var j = from
            while j < line.count { if line[j] == target { return j }; j += 1 }
            return nil
        }
        while i < line.count {
            let c = line[i]
            if c == "\\", i + 1 < line.count, isPunctuation(line[i + 1]) {
                ranges.append(range(i, i + 1))
                i += 2
                continue
            }
            if c == "`" {
                let run = line[i...].prefix { $0 == "`" }.count
                // The matching run of the same length closes the span; the whole span is code.
                var j = i + run
                var closed: Int? = nil
                while j < line.count {
                    if line[j] == "`" {
                        let other = line[j...].prefix { $0 == "`" }.count
                        if other == run { closed = j + other; break }
                        j += other
                    } else {
                        j += 1
                    }
                }
                if let closed {
                    ranges.append(range(i, closed))
                    i = closed
                } else {
                    i += run
                }
                continue
            }
            if c == "!", i + 1 < line.count, line[i + 1] == "[", let close = find("]", from: i + 2),
               close + 1 < line.count, line[close + 1] == "(", let paren = find(")", from: close + 2) {
                ranges.append(range(i, paren + 1))
                i = paren + 1
                continue
            }
            if c == "[", let close = find("]", from: i + 1), close > i + 1, close + 1 < line.count {
                if line[close + 1] == "(", let paren = find(")", from: close + 2) {
                    ranges.append(range(i, i + 1))
                    ranges.append(range(close, paren + 1))
                    i += 1
                    continue
                }
                if line[close + 1] == "[", let end = find("]", from: close + 2) {
                    ranges.append(range(i, i + 1))
                    ranges.append(range(close, end + 1))
                    i += 1
                    continue
                }
            }
            if c == "<" {
                if i + 3 < line.count, line[i + 1] == "!", line[i + 2] == "-", line[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < line.count, !(line[j] == "-" && line[j + 1] == "-" && line[j + 2] == ">") { j += 1 }
                    let end = min(j + 3, line.count)
                    ranges.append(range(i, end))
                    i = end
                    continue
                }
                if let close = find(">", from: i + 1), isTagOrAutolink(Array(line[(i + 1)..<close])) {
                    let inner = Array(line[(i + 1)..<close])
                    if inner.contains(":"), !inner.contains(" ") {
                        // <https://example.org>: the address shows, the brackets do not.
                        ranges.append(range(i, i + 1))
                        ranges.append(range(close, close + 1))
                    } else {
                        ranges.append(range(i, close + 1))
                    }
                    i = close + 1
                    continue
                }
            }
            if c == "*" || c == "_" || c == "~" {
                let run = line[i...].prefix { $0 == c }.count
                let before: Unicode.Scalar? = i > 0 ? line[i - 1] : nil
                let after: Unicode.Scalar? = i + run < line.count ? line[i + run] : nil
                let canOpen = after.map { !$0.properties.isWhitespace } ?? false
                let canClose = before.map { !$0.properties.isWhitespace } ?? false
                // `_` inside a word (snake_case) is not emphasis; `~` needs two.
                let intraword = c == "_" && (before.map(isAlphanumeric) ?? false) && (after.map(isAlphanumeric) ?? false)
                if run <= 3, !intraword, !(c == "~" && run != 2) {
                    if canClose, let open = delimiters.lastIndex(where: { $0.character == c && $0.length == run }) {
                        let opener = delimiters[open]
                        ranges.append(range(opener.index, opener.index + run))
                        ranges.append(range(i, i + run))
                        delimiters.removeSubrange(open...)
                        i += run
                        continue
                    }
                    if canOpen { delimiters.append((i, c, run)) }
                }
                i += run
                continue
            }
            i += 1
        }
        return ranges
    }

    private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars.contains(scalar)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }

    /// `<span class="x">`, `</p>`, `<br/>`, `<https://…>`, `<name@example.org>`.
    private static func isTagOrAutolink(_ inner: [Unicode.Scalar]) -> Bool {
        guard var first = inner.first else { return false }
        var body = inner[...]
        if first == "/" { body = body.dropFirst(); guard let next = body.first else { return false }; first = next }
        guard first.isASCII, first.properties.isAlphabetic else { return false }
        let name = body.prefix { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        let rest = body.dropFirst(name.count)
        if rest.isEmpty || rest.first == " " || rest.first == "/" { return true }
        // An autolink: scheme:… or an e-mail address.
        return rest.first == ":" || rest.contains("@")
    }
}
