import Foundation

extension LanguageServer {
    // MARK: Code actions

    /// Quick fixes for the findings in the range, "fix all safe problems", and (Markdown) "ignore
    /// this rule on this line". Every edit is worked out here from the current text and the
    /// current findings; nothing depends on what the client echoes back.
    func codeActions(_ params: CodeActionParams) -> [CodeAction] {
        let uri = params.textDocument.uri
        guard let analysis = analyze(uri), let document = documents[uri],
              case .linted(let linter, let source, let findings) = analysis.kind else { return [] }
        let only = params.context?.only
        func wanted(_ kind: String) -> Bool {
            guard let only, !only.isEmpty else { return true }
            return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
        }
        var actions: [CodeAction] = []
        let inRange = findings.indices.filter { analysis.diagnostics[$0].range.touches(params.range) }
        if wanted(LanguageServer.quickFixKind) {
            for index in inRange {
                let finding = findings[index]
                guard let fix = finding.fix, !fix.edits.isEmpty else { continue }
                let edits = fix.edits.map { LSPTextEdit(range: document.text.range(of: $0.range, in: encoding), newText: $0.replacement) }
                let safe = fix.applicability == .safe
                actions.append(CodeAction(
                    title: "\(fix.description)（\(finding.ruleID)\(safe ? "" : "，请核对")）",
                    kind: LanguageServer.quickFixKind, diagnostics: [analysis.diagnostics[index]],
                    isPreferred: safe ? true : nil, edit: workspaceEdit(document, edits)))
            }
        }
        if document.isMarkdown, wanted(LanguageServer.quickFixKind) {
            var seen: Set<String> = []
            for index in inRange {
                let finding = findings[index]
                guard let rule = linter.configuration.ruleSet.rule(finding.ruleID), !rule.locked,
                      let range = finding.range else { continue }
                let line = document.text.lineIndex(containing: range.lowerBound)
                guard seen.insert("\(line) \(finding.ruleID)").inserted else { continue }
                let start = document.text.lineStarts[line]
                let lineText = document.text.bytes[start..<document.text.lineEnds[line]]
                let indent = String(decoding: lineText.prefix { $0 == 32 || $0 == 9 }, as: UTF8.self)
                let comment = "\(indent)<!-- bulletinlint-disable-next-line \(finding.ruleID) -->\(lineBreak(document.text))"
                let position = LSPPosition(line: line, character: 0)
                actions.append(CodeAction(
                    title: "在本行忽略规则 \(finding.ruleID)", kind: LanguageServer.quickFixKind,
                    diagnostics: [analysis.diagnostics[index]], isPreferred: nil,
                    edit: workspaceEdit(document, [LSPTextEdit(range: LSPRange(start: position, end: position), newText: comment)])))
            }
        }
        if wanted(LanguageServer.fixAllKind), findings.contains(where: { $0.fix?.applicability == .safe }) {
            let fixed = linter.fix(source, ignorePath: document.path, unsafe: false)
            let edits = LanguageServer.edits(from: document.text, to: fixed.text, encoding: encoding)
            if !edits.isEmpty {
                actions.append(CodeAction(title: "修复全部可安全修复的问题（bulletinlint）", kind: LanguageServer.fixAllKind,
                                          diagnostics: nil, isPreferred: nil, edit: workspaceEdit(document, edits)))
            }
        }
        return actions
    }

    /// `\r\n` when the document's first line ends so, else `\n`.
    private func lineBreak(_ text: LSPText) -> String {
        guard text.lineStarts.count > 1 else { return "\n" }
        return text.lineStarts[1] - text.lineEnds[0] == 2 ? "\r\n" : "\n"
    }

    /// Edits for one document: versioned `documentChanges` when the client takes them (an edit
    /// for another version is then refused by the client), plain `changes` otherwise.
    private func workspaceEdit(_ document: OpenDocument, _ edits: [LSPTextEdit]) -> WorkspaceEdit {
        if capabilities["workspace"]["workspaceEdit"]["documentChanges"].boolValue == true {
            return WorkspaceEdit(changes: nil, documentChanges: [
                TextDocumentEdit(textDocument: OptionalVersionedTextDocumentIdentifier(uri: document.uri, version: document.version),
                                 edits: edits),
            ])
        }
        return WorkspaceEdit(changes: [document.uri: edits], documentChanges: nil)
    }

    /// Edits turning `text` into `fixed`, as small as they come cheaply: one per changed line
    /// when the line count stays (fixes rarely add or remove lines), else one for the span
    /// between the common prefix and suffix.
    static func edits(from text: LSPText, to fixed: String, encoding: PositionEncoding) -> [LSPTextEdit] {
        let new = LSPText(fixed)
        guard text.bytes != new.bytes else { return [] }
        guard text.lineStarts.count == new.lineStarts.count else {
            return minimalEdit(from: text, to: new.bytes, base: 0..<text.bytes.count, encoding: encoding).map { [$0] } ?? []
        }
        var edits: [LSPTextEdit] = []
        for line in text.lineStarts.indices {
            // Each line with its terminator, so a changed terminator is an edit too.
            let oldEnd = line + 1 < text.lineStarts.count ? text.lineStarts[line + 1] : text.bytes.count
            let newEnd = line + 1 < new.lineStarts.count ? new.lineStarts[line + 1] : new.bytes.count
            let oldLine = text.lineStarts[line]..<oldEnd
            let newLine = new.bytes[new.lineStarts[line]..<newEnd]
            guard !text.bytes[oldLine].elementsEqual(newLine) else { continue }
            if let edit = minimalEdit(from: text, to: Array(newLine), base: oldLine, encoding: encoding) { edits.append(edit) }
        }
        return edits
    }

    /// One edit turning the bytes `base` of `text` into `new`: the span between their common
    /// prefix and suffix (whole scalars), nil when they are equal.
    static func minimalEdit(from text: LSPText, to new: [UInt8], base: Range<Int>, encoding: PositionEncoding) -> LSPTextEdit? {
        let old = Array(text.bytes[base])
        guard old != new else { return nil }
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        while prefix > 0, (prefix < old.count && old[prefix] & 0xC0 == 0x80) || (prefix < new.count && new[prefix] & 0xC0 == 0x80) {
            prefix -= 1
        }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
            suffix += 1
        }
        while suffix > 0, old[old.count - suffix] & 0xC0 == 0x80 { suffix -= 1 }
        let replacement = String(decoding: new[prefix..<(new.count - suffix)], as: UTF8.self)
        return LSPTextEdit(range: text.range(of: (base.lowerBound + prefix)..<(base.lowerBound + old.count - suffix), in: encoding),
                           newText: replacement)
    }

    // MARK: Hover

    /// On a finding: its message and help, the rule's title, and how to change the rule in
    /// `.bulletinlint.yaml`. Nothing elsewhere.
    func hover(_ params: TextDocumentPositionParams) -> Hover? {
        let uri = params.textDocument.uri
        guard let analysis = analyze(uri), let document = documents[uri] else { return nil }
        let offset = document.text.offset(of: params.position, in: encoding)
        let markdown = capabilities["textDocument"]["hover"]["contentFormat"].stringArray.first.map { $0 == "markdown" }
            ?? capabilities["textDocument"]["hover"]["contentFormat"].isNull
        var parts: [String] = []
        var covered: LSPRange?
        let ruleSet: RuleSet?
        if case .linted(let linter, _, _) = analysis.kind { ruleSet = linter.configuration.ruleSet } else { ruleSet = nil }
        for (index, lspDiagnostic) in analysis.diagnostics.enumerated() {
            let findings = analysis.findings
            let range = index < findings.count ? findings[index].range : nil
            let on: Bool
            if let range {
                on = range.contains(offset) || (range.isEmpty && offset == range.lowerBound)
            } else {
                on = lspDiagnostic.range.touches(LSPRange(start: params.position, end: params.position))
            }
            guard on else { continue }
            covered = covered.map { LSPRange(start: min($0.start, lspDiagnostic.range.start), end: max($0.end, lspDiagnostic.range.end)) }
                ?? lspDiagnostic.range
            if index < findings.count {
                parts.append(LanguageServer.hoverText(findings[index], rule: ruleSet?.rule(findings[index].ruleID), markdown: markdown))
            } else {
                parts.append(lspDiagnostic.message)
            }
        }
        guard let covered, !parts.isEmpty else { return nil }
        return Hover(contents: MarkupContent(kind: markdown ? "markdown" : "plaintext",
                                             value: parts.joined(separator: markdown ? "\n\n---\n\n" : "\n\n")),
                     range: covered)
    }

    static func hoverText(_ finding: Diagnostic, rule: Rule?, markdown: Bool) -> String {
        let level: String
        switch finding.severity {
        case .error: level = "错误"
        case .warning: level = "警告"
        case .info: level = "提示"
        }
        let id = finding.ruleID
        let title = rule?.displayTitle ?? EngineRule(rawValue: id)?.title
        var lines: [String] = []
        let heading = title.map { "\($0)（\(id)，\(level)）" } ?? "\(id)（\(level)）"
        lines.append(markdown ? "**\(heading)**" : heading)
        lines.append("")
        lines.append(finding.message)
        if !finding.help.isEmpty {
            lines.append("")
            lines.append(finding.help)
        }
        if let fix = finding.fix {
            lines.append("")
            lines.append("可修复：\(fix.description)\(fix.applicability == .safe ? "" : "（需核对后应用）")")
        }
        lines.append("")
        if let rule {
            if rule.locked {
                lines.append("这条规则已被规则集“\(rule.lockedBy ?? rule.origin.ruleSet)”锁定，不能关闭或改级别。")
            } else {
                let code = { (text: String) in markdown ? "`\(text)`" : text }
                let other = rule.severity == .warning ? "error" : "warning"
                lines.append("修改方法：在 .bulletinlint.yaml 的 overrides 中写 \(code("\(id): { severity: \(other) }")) 改级别，"
                             + "或 \(code("\(id): off")) 关闭；在 Markdown 中也可用 \(code("<!-- bulletinlint-disable-next-line \(id) -->")) 忽略下一行。"
                             + "规则说明：\(code("bulletinlint explain \(id)"))。")
            }
        } else {
            lines.append("规则说明：\(markdown ? "`bulletinlint explain \(id)`" : "bulletinlint explain \(id)")。")
        }
        return lines.joined(separator: "\n")
    }
}
