/// A self-contained HTML report (`--format html`): one file with its style inline and no script,
/// font or image from elsewhere, for CI artifacts and for whoever takes in an archive.
///
/// The summary (totals, findings per rule with a bar chart) is known only when the run ends, so
/// it is written last and shown first (the page is a flex column; the summary has `order: -1`).
/// Each file with findings is a `<details>`: its findings, then the lines they are on with the
/// spans highlighted by severity and two lines of context around them. The first
/// `openFiles` files are open; later ones start folded, so a run over 10,000 files still opens
/// quickly. Files without findings are only named, in one folded list at the end.
///
/// Everything from a document or a path is escaped for HTML, and its control characters are
/// shown as `\u{1B}` the way the text format shows them.
public struct HTMLFormatter: Formatter {
    /// Files with findings shown open; the rest start folded.
    public static let openFiles = 50
    /// Lines of context shown before and after a line with a finding.
    public static let contextLines = 2
    /// The most bytes of one line shown: a longer line is cut around its highlighted spans.
    static let lineWindow = 2_000

    public init() {}

    public func makeStream(context: ReportContext) -> any ReportStream { Stream(context: context) }

    final class Stream: ReportStream {
        let context: ReportContext
        var summary = Summary()
        var fileIndex = 0
        var filesWithFindings = 0
        var cleanFiles: [String] = []
        /// Per rule id: findings, files, the most severe severity seen.
        var byRule: [String: (count: Int, files: Int, severity: Severity)] = [:]
        let titles: [String: String]

        init(context: ReportContext) {
            self.context = context
            var titles: [String: String] = [:]
            for rule in context.rules where titles[rule.id] == nil { titles[rule.id] = rule.displayTitle }
            for engine in EngineRule.allCases where titles[engine.id] == nil { titles[engine.id] = engine.title }
            self.titles = titles
        }

        func begin() -> String {
            """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="bulletinlint \(HTMLText.escape(context.toolVersion))">
            <title>bulletinlint 检查报告</title>
            <style>
            \(HTMLFormatter.style)
            </style>
            </head>
            <body>
            <main class="report">
            <header><h1>bulletinlint 检查报告</h1></header>
            <section class="files">

            """
        }

        func add(_ report: FileReport) -> String {
            summary.add(report)
            fileIndex += 1
            guard !report.diagnostics.isEmpty else {
                cleanFiles.append(report.path)
                return ""
            }
            filesWithFindings += 1
            var seen: Set<String> = []
            for diagnostic in report.diagnostics {
                var entry = byRule[diagnostic.ruleID] ?? (0, 0, diagnostic.severity)
                entry.count += 1
                if seen.insert(diagnostic.ruleID).inserted { entry.files += 1 }
                entry.severity = min(entry.severity, diagnostic.severity)  // error < warning < info
                byRule[diagnostic.ruleID] = entry
            }
            return HTMLFormatter.file(report, index: fileIndex, open: filesWithFindings <= HTMLFormatter.openFiles)
        }

        func end() -> String {
            var out = "</section>\n"
            if !cleanFiles.isEmpty {
                out += "<section class=\"clean\">\n<details>\n<summary>没有问题的文件（\(cleanFiles.count) 个）</summary>\n<ul>\n"
                for path in cleanFiles { out += "<li>\(HTMLText.escapeShown(path))</li>\n" }
                out += "</ul>\n</details>\n</section>\n"
            }
            out += summarySection()
            out += "<footer>由 bulletinlint \(HTMLText.escape(context.toolVersion)) 生成。</footer>\n</main>\n</body>\n</html>\n"
            return out
        }

        private func summarySection() -> String {
            var out = "<section class=\"summary\">\n<h2>概况</h2>\n<ul class=\"totals\">\n"
            out += "<li><b>\(summary.files)</b> 个文件</li>\n"
            out += "<li><b>\(filesWithFindings)</b> 个有问题</li>\n"
            out += "<li class=\"error\"><b>\(summary.errors)</b> 个错误</li>\n"
            out += "<li class=\"warning\"><b>\(summary.warnings)</b> 个警告</li>\n"
            out += "<li class=\"info\"><b>\(summary.infos)</b> 个提示</li>\n"
            if summary.fixable + summary.unsafeFixable > 0 {
                out += "<li class=\"fixable\"><b>\(summary.fixable)</b> 个可用 --fix 自动修正"
                if summary.unsafeFixable > 0 { out += "，另 <b>\(summary.unsafeFixable)</b> 个需加 --unsafe-fixes" }
                out += "</li>\n"
            }
            out += "</ul>\n"
            guard !byRule.isEmpty else { return out + "<p class=\"none\">没有发现问题。</p>\n</section>\n" }
            let rows = byRule.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            let most = rows.first?.value.count ?? 1
            out += "<h3>按规则</h3>\n<table class=\"rules\">\n<thead><tr><th>规则</th><th>级别</th><th>问题数</th><th>文件数</th><th class=\"chart\">分布</th></tr></thead>\n<tbody>\n"
            for (id, entry) in rows {
                let width = max(1, Int((Double(entry.count) / Double(most) * 100).rounded()))
                let title = titles[id].map { "<span class=\"title\">\(HTMLText.escapeShown($0))</span>" } ?? ""
                out += "<tr class=\"\(entry.severity.rawValue)\"><td><code>\(HTMLText.escapeShown(id))</code>\(title)</td>"
                    + "<td>\(HTMLFormatter.label(entry.severity))</td><td class=\"n\">\(entry.count)</td><td class=\"n\">\(entry.files)</td>"
                    + "<td class=\"chart\"><span class=\"bar \(entry.severity.rawValue)\" style=\"width:\(width)%\"></span></td></tr>\n"
            }
            return out + "</tbody>\n</table>\n</section>\n"
        }
    }

    static func label(_ severity: Severity) -> String {
        switch severity {
        case .error: return "错误"
        case .warning: return "警告"
        case .info: return "提示"
        }
    }

    /// One file: its findings, then the lines they are on.
    static func file(_ report: FileReport, index: Int, open: Bool) -> String {
        var counts: [Severity: Int] = [:]
        for diagnostic in report.diagnostics { counts[diagnostic.severity, default: 0] += 1 }
        var out = "<details class=\"file\" id=\"file-\(index)\"\(open ? " open" : "")>\n<summary><span class=\"path\">\(HTMLText.escapeShown(report.path))</span>"
        for severity in [Severity.error, .warning, .info] {
            if let count = counts[severity] { out += " <span class=\"badge \(severity.rawValue)\">\(count) 个\(label(severity))</span>" }
        }
        out += "</summary>\n<ol class=\"findings\">\n"
        let writable = report.source.map { TextFormatter.fixWritesFormat($0.format) } ?? false
        for diagnostic in report.diagnostics {
            let location = report.source?.location(diagnostic.span.start) ?? "\(diagnostic.span.start.line):\(diagnostic.span.start.column)"
            let anchor = diagnostic.range != nil ? "#file-\(index)-line-\(diagnostic.span.start.line)" : nil
            out += "<li class=\"finding \(diagnostic.severity.rawValue)\">"
            out += anchor.map { "<a class=\"at\" href=\"\($0)\">\(HTMLText.escape(location))</a>" } ?? "<span class=\"at\">\(HTMLText.escape(location))</span>"
            out += " <span class=\"sev\">\(label(diagnostic.severity))</span> <span class=\"msg\">\(HTMLText.escapeShown(diagnostic.message))</span> <code class=\"rule\">\(HTMLText.escapeShown(diagnostic.ruleID))</code>"
            if !diagnostic.help.isEmpty { out += "<div class=\"help\">说明：\(HTMLText.escapeShown(diagnostic.help))</div>" }
            if let fix = diagnostic.fix {
                let how = !writable ? "请在原文件中按此修改" : fix.applicability == .safe ? "可用 --fix 自动修正" : "不安全的修正，需加 --fix --unsafe-fixes"
                out += "<div class=\"fix\">修正：\(HTMLText.escapeShown(fix.description))（\(how)）</div>"
            }
            out += "</li>\n"
        }
        out += "</ol>\n"
        if let source = report.source { out += excerpt(report, source: source, index: index) }
        return out + "</details>\n"
    }

    /// The lines with findings and `contextLines` around them, the spans marked.
    static func excerpt(_ report: FileReport, source: SourceText, index: Int) -> String {
        let ranged = report.diagnostics.compactMap { diagnostic -> (TextRange, Diagnostic)? in
            guard let range = diagnostic.range, range.lowerBound >= 0, range.upperBound <= source.text.utf8.count,
                  range.lowerBound <= range.upperBound else { return nil }
            return (range, diagnostic)
        }
        guard !ranged.isEmpty, source.lineCount > 0 else { return "" }
        // Lines to show: each finding's lines (a span may run over several) with context.
        var marked: Set<Int> = []
        for (range, _) in ranged {
            let first = source.lineIndex(containing: range.lowerBound)
            let last = source.lineIndex(containing: max(range.lowerBound, range.upperBound - 1))
            for line in first...max(first, last) { marked.insert(line) }
        }
        var shown: Set<Int> = []
        for line in marked {
            for other in max(0, line - contextLines)...min(source.lineCount - 1, line + contextLines) { shown.insert(other) }
        }
        var out = "<div class=\"text\">\n"
        var previous: Int?
        for line in shown.sorted() {
            if let previous, line > previous + 1 { out += "<div class=\"gap\">⋯</div>\n" }
            previous = line
            let start = source.lineStarts[line]
            let end = source.lineEnds[line]
            let pieces = ranged.filter { $0.0.lowerBound < end && $0.0.upperBound > start || ($0.0.isEmpty && $0.0.lowerBound >= start && $0.0.lowerBound <= end) }
            let label = source.lineLabel(line + 1)
            out += "<div class=\"line\(marked.contains(line) ? " hit" : "")\" id=\"file-\(index)-line-\(line + 1)\"><span class=\"ln\">\(HTMLText.escape(label))</span><span class=\"lt\">"
            out += lineHTML(source: source, start: start, end: end, pieces: pieces)
            out += "</span></div>\n"
        }
        return out + "</div>\n"
    }

    /// One line's text with the findings' spans as `<mark>`s: the line is cut where any span
    /// starts or ends, and each piece takes the most severe of the spans over it.
    static func lineHTML(source: SourceText, start: Int, end: Int, pieces: [(TextRange, Diagnostic)]) -> String {
        // A long line is cut to a window around its spans.
        var from = start
        var to = end
        if end - start > lineWindow {
            let first = pieces.map { max(start, $0.0.lowerBound) }.min() ?? start
            from = first - start > lineWindow / 4 ? source.scalarBoundary(atOrAfter: first - lineWindow / 4) : start
            to = end - from > lineWindow ? source.scalarBoundary(atOrAfter: from + lineWindow) : end
        }
        var cuts: Set<Int> = [from, to]
        for (range, _) in pieces {
            if range.lowerBound > from && range.lowerBound < to { cuts.insert(range.lowerBound) }
            if range.upperBound > from && range.upperBound < to { cuts.insert(range.upperBound) }
        }
        let points = cuts.sorted()
        var out = from > start ? "…" : ""
        for (index, point) in points.enumerated() {
            // An empty span (an insertion point) gets a thin marker of its own.
            for (range, diagnostic) in pieces where range.isEmpty && range.lowerBound == point && point < to {
                out += "<mark class=\"point \(diagnostic.severity.rawValue)\" title=\"\(HTMLText.escapeShown("\(diagnostic.message) [\(diagnostic.ruleID)]"))\"></mark>"
            }
            guard index + 1 < points.count else { break }
            let next = points[index + 1]
            let text = HTMLText.escapeShown(String(source.slice(point..<next)))
            let over = pieces.filter { !$0.0.isEmpty && $0.0.lowerBound <= point && $0.0.upperBound >= next }
            if let severity = over.map(\.1.severity).min() {  // the most severe: error < warning < info
                // One line of the tooltip per finding (`&#10;` is a line break inside an attribute).
                let title = over.map { HTMLText.escapeShown("\($0.1.message) [\($0.1.ruleID)]") }.joined(separator: "&#10;")
                out += "<mark class=\"\(severity.rawValue)\" title=\"\(title)\">\(text)</mark>"
            } else {
                out += text
            }
        }
        if to < end { out += "…" }
        return out
    }

    /// The page's style: severity colours as in the editors' page.
    static let style = """
    :root { --error: #c62828; --error-bg: #fde0dc; --warning: #b26a00; --warning-bg: #fff1c2; --info: #1565c0; --info-bg: #dcebfb; }
    body { margin: 0; font: 15px/1.6 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #1f2328; background: #f6f8fa; }
    .report { display: flex; flex-direction: column; max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
    header { order: -3; } .summary { order: -2; } .files { order: 0; } .clean { order: 1; } footer { order: 2; color: #57606a; font-size: 13px; margin-top: 2rem; }
    h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { font-size: 1.2rem; } h3 { font-size: 1rem; margin-bottom: .3rem; }
    .summary, details.file, .clean details { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem 1rem; margin: .5rem 0; }
    .totals { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; list-style: none; padding: 0; margin: .3rem 0; }
    .totals li.error b { color: var(--error); } .totals li.warning b { color: var(--warning); } .totals li.info b { color: var(--info); }
    table.rules { border-collapse: collapse; width: 100%; font-size: 14px; }
    table.rules th, table.rules td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
    table.rules td.n { text-align: right; font-variant-numeric: tabular-nums; }
    table.rules .title { display: block; color: #57606a; font-size: 13px; }
    td.chart, th.chart { width: 35%; }
    .bar { display: inline-block; height: .8rem; border-radius: 2px; min-width: 2px; }
    .bar.error { background: var(--error); } .bar.warning { background: var(--warning); } .bar.info { background: var(--info); }
    details.file { content-visibility: auto; contain-intrinsic-size: auto 2.5rem; }
    details.file > summary { cursor: pointer; font-weight: 600; }
    .path { word-break: break-all; }
    .badge { font-weight: normal; font-size: 12px; border-radius: 10px; padding: 0 .5rem; margin-left: .3rem; }
    .badge.error { background: var(--error-bg); color: var(--error); } .badge.warning { background: var(--warning-bg); color: var(--warning); } .badge.info { background: var(--info-bg); color: var(--info); }
    ol.findings { padding-left: 1.5rem; }
    li.finding { margin: .3rem 0; }
    li.finding .at { font-family: ui-monospace, monospace; font-size: 13px; }
    li.finding .sev { font-size: 12px; border-radius: 3px; padding: 0 .3rem; }
    li.error .sev { background: var(--error-bg); color: var(--error); } li.warning .sev { background: var(--warning-bg); color: var(--warning); } li.info .sev { background: var(--info-bg); color: var(--info); }
    code.rule { color: #57606a; font-size: 12px; }
    .help, .fix { color: #57606a; font-size: 13px; margin-left: 1rem; }
    .text { border-top: 1px solid #eaeef2; margin-top: .5rem; padding-top: .5rem; font-size: 14px; }
    .line { display: flex; white-space: pre-wrap; word-break: break-all; }
    .line:target { background: #fffbdd; }
    .ln { flex: none; width: 3.5rem; color: #8c959f; text-align: right; padding-right: .8rem; user-select: none; font-family: ui-monospace, monospace; font-size: 12px; line-height: 1.9; }
    .gap { color: #8c959f; padding-left: 3.5rem; }
    mark { background: none; border-bottom: 2px solid; }
    mark.error { background: var(--error-bg); border-color: var(--error); } mark.warning { background: var(--warning-bg); border-color: var(--warning); } mark.info { background: var(--info-bg); border-color: var(--info); }
    mark.point { display: inline-block; width: 0; border-left: 2px solid; border-bottom: none; height: 1.1em; vertical-align: text-bottom; }
    """
}

/// Text for HTML: the five characters that matter escaped; `escapeShown` also shows control
/// characters as `\u{1B}`, as the text format does.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    public static func escapeShown(_ text: String) -> String {
        escape(TerminalEscaping.escape(text))
    }
}
