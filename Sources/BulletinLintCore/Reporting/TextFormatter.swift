/// The default output, like clang and rustc: `path:line:col: severity: message [rule]`, the
/// source line with a caret run placed by display width, and the help line.
public struct TextFormatter: Formatter {
    public let color: Bool
    /// The reports hold errors only (`--quiet`): the summary says so instead of counting
    /// warnings and notes that were not shown as zero.
    public var quiet = false
    /// Display cells of source shown around the caret on a very long line.
    static let window = 60

    public init(color: Bool) {
        self.color = color
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func severityLabel(_ severity: Severity) -> String {
        switch severity {
        case .error: return paint("error", "1;31")
        case .warning: return paint("warning", "1;33")
        case .info: return paint("info", "1;36")
        }
    }

    public func makeStream(context: ReportContext) -> any ReportStream { Stream(formatter: self) }

    final class Stream: ReportStream {
        let formatter: TextFormatter
        var summary = Summary()
        init(formatter: TextFormatter) { self.formatter = formatter }
        func begin() -> String { "" }
        func add(_ report: FileReport) -> String {
            summary.add(report)
            return report.diagnostics.map { formatter.format($0, in: report) }.joined()
        }
        func end() -> String { formatter.summaryLine(summary) + formatter.fixLine(summary) }
    }

    public func format(_ diagnostic: Diagnostic, in report: FileReport) -> String {
        // `draft.docx:¶12:5` names the paragraph of a .docx or .ofd.
        let location = report.source?.location(diagnostic.span.start) ?? "\(diagnostic.span.start.line):\(diagnostic.span.start.column)"
        // Document text and file names are shown with their control characters escaped
        // (`TerminalEscaping`): an ESC from a document must not drive the terminal.
        let position = "\(TerminalEscaping.escape(report.path)):\(location)"
        // `[*]`: `--fix` repairs it, as ruff marks it — a safe fix in a file `--fix` writes.
        let writable = report.source.map { TextFormatter.fixWritesFormat($0.format) } ?? false
        let fixable = diagnostic.fix?.applicability == .safe && writable ? " " + paint("[*]", "1;32") : ""
        var out = "\(paint(position, "1")): \(severityLabel(diagnostic.severity)): \(TerminalEscaping.escape(diagnostic.message)) \(paint("[\(diagnostic.ruleID)]", "2"))\(fixable)\n"
        if let source = report.source, let range = diagnostic.range {
            out += excerpt(diagnostic.span, range: range, in: source)
        }
        if !diagnostic.help.isEmpty {
            let label = report.source?.lineLabel(diagnostic.span.start.line) ?? String(diagnostic.span.start.line)
            let gutter = TextFormatter.repeated(" ", label.count + 1)
            out += "\(gutter) = \(paint("help:", "1")) \(TerminalEscaping.escape(diagnostic.help))\n"
        }
        if let fix = diagnostic.fix {
            let label = report.source?.lineLabel(diagnostic.span.start.line) ?? String(diagnostic.span.start.line)
            let gutter = TextFormatter.repeated(" ", label.count + 1)
            let how: String
            if !writable {
                let written = DocumentReader.lowercasedPathExtension(report.path)
                let name = written.isEmpty ? (report.source?.format.rawValue ?? "docx") : written
                how = "--fix 不修改 .\(name) 文件，请在原文件中按此修改"
            } else {
                how = fix.applicability == .safe ? "可用 --fix 自动修正" : "不安全的修正，需加 --fix --unsafe-fixes"
            }
            out += "\(gutter) = \(paint("fix:", "1")) \(TerminalEscaping.escape(fix.description))（\(how)）\n"
        }
        return out
    }

    /// The line with a caret under the span (first line only when the span runs on). On a long
    /// line only a window around the span is shown, so a 1 MB line prints a few dozen cells.
    func excerpt(_ span: Span, range: TextRange, in source: SourceText) -> String {
        let lineIndex = span.start.line - 1
        guard lineIndex >= 0, lineIndex < source.lineCount else { return "" }
        let lineStart = source.lineStarts[lineIndex]
        let lineEnd = source.lineEnds[lineIndex]
        let start = min(max(range.lowerBound, lineStart), lineEnd)
        let end = min(max(range.upperBound, start), lineEnd)
        // Cut the line to a window: up to `window` cells before the span, and the span plus up
        // to `window` cells after it (the span itself is cut at 2 × `window`).
        // A scalar is at most 4 bytes and at least one cell: this many bytes hold the window.
        let reach = 4 * (TextFormatter.window + 1)
        let windowStart = start - lineStart > reach ? source.scalarBoundary(atOrAfter: start - reach) : lineStart
        var before = Array(source.slice(windowStart..<start).unicodeScalars)
        var cutBefore = windowStart > lineStart
        var cells = 0
        for (i, scalar) in before.enumerated().reversed() {
            cells += cell(scalar)
            if cells > TextFormatter.window { before = Array(before[(i + 1)...]); cutBefore = true; break }
        }
        let markedAll = source.slice(start..<min(end, start + 8 * TextFormatter.window)).unicodeScalars
        var marked: [Unicode.Scalar] = []
        cells = 0
        for scalar in markedAll where cells < 2 * TextFormatter.window {
            marked.append(scalar)
            cells += cell(scalar)
        }
        let afterStart = start + marked.reduce(0) { $0 + UTF8.width($1) }
        let afterEnd = lineEnd - afterStart > reach ? source.scalarBoundary(atOrAfter: afterStart + reach) : lineEnd
        let afterAll = source.slice(afterStart..<afterEnd).unicodeScalars
        var after: [Unicode.Scalar] = []
        cells = 0
        var cutAfter = false
        for scalar in afterAll {
            if cells >= TextFormatter.window { cutAfter = true; break }
            after.append(scalar)
            cells += cell(scalar)
        }
        if afterEnd < lineEnd { cutAfter = true }
        // The shown line is built as UTF-8 bytes: appending scalar by scalar to a `String`
        // costs several times more.
        var shownBytes: [UInt8] = []
        shownBytes.reserveCapacity(4 * (before.count + marked.count + after.count) + 6)
        if cutBefore { shownBytes.append(contentsOf: "…".utf8) }
        TextFormatter.show(before, into: &shownBytes)
        TextFormatter.show(marked, into: &shownBytes)
        TextFormatter.show(after, into: &shownBytes)
        if cutAfter { shownBytes.append(contentsOf: "…".utf8) }
        let shown = String(decoding: shownBytes, as: UTF8.self)
        let prefixCells = (cutBefore ? 1 : 0) + before.reduce(0) { $0 + cell($1) }
        let markedCells = max(1, marked.reduce(0) { $0 + cell($1) })
        let gutter = source.lineLabel(span.start.line)
        let pad = TextFormatter.repeated(" ", gutter.count)
        let caret = "^" + TextFormatter.repeated("~", markedCells - 1)
        return " \(paint(gutter, "34")) | \(shown)\n \(pad) | \(TextFormatter.repeated(" ", prefixCells))\(paint(caret, "1;32"))\n"
    }

    /// The scalars of an excerpt as UTF-8: a tab as four spaces, controls escaped (`\u{1B}`,
    /// `TerminalEscaping`), other characters without width (combining marks) left out.
    static func show(_ scalars: [Unicode.Scalar], into out: inout [UInt8]) {
        for scalar in scalars {
            let v = scalar.value
            if v == 0x09 {
                for _ in 0..<4 { out.append(UInt8(ascii: " ")) }
                continue
            }
            if TerminalEscaping.needsEscape(scalar) {
                out.append(contentsOf: TerminalEscaping.escaped(scalar).utf8)
                continue
            }
            guard v == 0x20 || DisplayWidth.of(scalar) > 0 else { continue }
            UTF8.encode(scalar) { out.append($0) }
        }
    }

    /// An ASCII character `count` times (none for a count below one); cheaper than
    /// `String(repeating:count:)`.
    static func repeated(_ character: Unicode.Scalar, _ count: Int) -> String {
        guard count > 0, character.isASCII else {
            return count > 0 ? String(repeating: String(character), count: count) : ""
        }
        return String(unsafeUninitializedCapacity: count) { buffer in
            buffer.initialize(repeating: UInt8(truncatingIfNeeded: character.value))
            return count
        }
    }

    /// The cells a scalar takes in an excerpt, as `show` writes it.
    private func cell(_ scalar: Unicode.Scalar) -> Int {
        if scalar == "\t" { return 4 }
        return TerminalEscaping.needsEscape(scalar) ? TerminalEscaping.escapedWidth(scalar) : DisplayWidth.of(scalar)
    }

    /// Whether `--fix` writes files of this format (plain text and Markdown; a .docx, .ofd or .pdf
    /// is never changed).
    public static func fixWritesFormat(_ format: DocumentFormat) -> Bool {
        format == .text || format == .markdown
    }

    /// How many findings `--fix` would repair, when any.
    public func fixLine(_ summary: Summary) -> String {
        guard summary.fixable + summary.unsafeFixable > 0 else { return "" }
        var text = "其中 \(summary.fixable) 个可用 --fix 自动修正"
        if summary.unsafeFixable > 0 { text += "，另有 \(summary.unsafeFixable) 个需加 --unsafe-fixes" }
        return text + "\n"
    }

    public func summaryLine(_ summary: Summary) -> String {
        let text = quiet
            ? "共检查 \(summary.files) 个文件：\(summary.errors) 个错误（--quiet：警告和提示未显示）"
            : "共检查 \(summary.files) 个文件：\(summary.errors) 个错误，\(summary.warnings) 个警告，\(summary.infos) 个提示"
        return paint(text, "1") + "\n"
    }
}
