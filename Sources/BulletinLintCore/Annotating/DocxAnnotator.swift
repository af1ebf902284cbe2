import Foundation

/// `bulletinlint annotate`: a reviewed copy of a .docx, bytes in and bytes out (the CLI writes
/// it beside the draft; a web page can return it). Every finding becomes a Word comment (批注)
/// on exactly its span, and every fix a tracked change (修订) the editor accepts or rejects; the
/// rest of the package is copied part for part, and `document.xml` changes only in the runs
/// where a span starts or ends.
///
/// The findings and fixes are those of `DocumentLinter` on the text `DocxReader` reads, so
/// accepting every change gives the text `DocumentLinter.fix` gives, and rejecting them gives
/// the text as read.
public enum DocxAnnotator {
    public struct Options: Sendable {
        /// `w:author` of the comments and revisions.
        public var author: String
        /// `w:initials` of the comments.
        public var initials: String
        /// ISO 8601 (`2026-12-07T08:30:00Z`), for `w:date`.
        public var date: String
        /// Unsafe fixes become tracked changes too (each comment says why it is unsafe).
        public var unsafeFixes: Bool

        public init(author: String = "bulletinlint", initials: String? = nil, date: String = DocxAnnotator.now(), unsafeFixes: Bool = false) {
            self.author = author
            self.initials = initials ?? DocxAnnotator.initials(of: author)
            self.date = date
            self.unsafeFixes = unsafeFixes
        }
    }

    /// What annotating gave.
    public struct Annotation: Sendable {
        /// The reviewed .docx.
        public let data: Data
        /// The findings, as `check` reports them.
        public let outcome: DocumentLinter.Outcome
        /// Comments written (one per finding).
        public let comments: Int
        /// Fixes written as tracked changes.
        public let trackedFixes: Int
        /// Fixes that could not be written as tracked changes (across paragraphs, inside a
        /// numbering label): their comments say so. When nonzero, accepting every change does
        /// not give all of what `--fix` would.
        public let untrackedFixes: Int
        /// The text `DocumentLinter.fix` gives; accepting every change gives it when
        /// `untrackedFixes` is 0.
        public let fixedText: String
    }

    /// The current time in ISO 8601, seconds, UTC.
    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    /// `bulletinlint` → `BL`; a Chinese name → its first character.
    static func initials(of author: String) -> String {
        if author == "bulletinlint" { return "BL" }
        return author.first.map { String($0).uppercased() } ?? "BL"
    }

    /// Whether `annotate` can write a reviewed copy of a file with this name.
    public static func refusal(forPath path: String) -> String? {
        let pathExtension = DocumentReader.lowercasedPathExtension(path)
        switch pathExtension {
        case "docx": return nil
        case "txt", "md", "markdown":
            return "annotate 只为 Word 文档（.docx）写审校稿；纯文本和 Markdown 请用 --diff 查看、--fix 修正，或在编辑器中用 bulletinlint lsp"
        case "doc", "wps", "rtf", "odt":
            return "annotate 只处理 .docx：请先在 Word 或 WPS 中把 .\(pathExtension) 另存为 .docx，再对 .docx 运行 annotate（原文件不会被改动）"
        case "ofd", "pdf":
            return "OFD 和 PDF 是版式文件，不能写批注和修订：请对 Word 原稿（.docx）运行 annotate"
        default:
            return "annotate 只处理 Word 文档（.docx），不认识扩展名“.\(pathExtension)”"
        }
    }

    /// Annotates a .docx's bytes. `ignorePath` is the path `ignore:` entries are matched against.
    public static func annotate(_ data: Data, name: String, linter: DocumentLinter, options: Options = Options(),
                                ignorePath: String? = nil, limits: PackageLimits = .standard) -> Result<Annotation, ReadFailure> {
        do {
            return .success(try annotateThrowing(data, name: name, linter: linter, options: options,
                                                 ignorePath: ignorePath, limits: limits))
        } catch {
            return .failure(error)
        }
    }

    private static func annotateThrowing(_ data: Data, name: String, linter: DocumentLinter, options: Options,
                                         ignorePath: String?, limits: PackageLimits) throws(ReadFailure) -> Annotation {
        if let refusal = refusal(forPath: name) { throw ReadFailure(.unsupportedFormat, message: refusal) }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw ReadFailure.corrupt("文件已加密（设置了打开密码），或是改了扩展名的旧版 .doc：请在 Word 中取消密码或另存为 .docx 后再试")
        }
        let package = try PackageArchive(data: data, documentName: "Word 文档（.docx）", limits: limits)
        var main: PositionedXML?
        let walk = try DocxReader.walk(package: package, displayPath: name, recordsOrigins: true) { path throws(ReadFailure) in
            guard let bytes = try package.read(path) else { return nil }
            do throws(XMLTree.Failure) {
                let parsed = try PositionedXML([UInt8](bytes))
                main = parsed
                return parsed.root
            } catch {
                throw ReadFailure.corrupt("Word 文档（.docx）中的“\(path)”不是有效的 XML：\(error.reason)")
            }
        }
        guard let main else { throw ReadFailure.corrupt("这不是有效的 Word 文档：缺少正文部件") }
        guard let prefix = main.position(of: main.root)?.prefix, !prefix.isEmpty else {
            throw ReadFailure.corrupt("无法在这个 Word 文档中写批注：正文部件没有使用带前缀的命名空间（不是 Word 或 WPS 保存的文件？）")
        }
        let source = walk.source
        let outcome = linter.lint(source, ignorePath: ignorePath)
        let rewriter = BodyRewriter(xml: main, lines: walk.lines, prefix: prefix)

        // The changes: one pass of fixes, or where later passes change a line further, that
        // line's difference from the fully fixed text.
        let diagnostics = outcome.report.diagnostics
        let fixed = linter.fix(source, ignorePath: ignorePath, unsafe: options.unsafeFixes).text
        let plan = EditPlan(source: source.text, diagnostics: diagnostics, fixedText: fixed, includingUnsafe: options.unsafeFixes)
        let tracked = plan.edits.filter { rewriter.canTrack(BodyRewriter.Edit(range: $0.range, replacement: $0.replacement)) }
        let trackedDiagnostics = Set(tracked.compactMap { $0.diagnostic })
        let plannedDiagnostics = Set(plan.edits.compactMap { $0.diagnostic })
        let untracked = plan.edits.count - tracked.count

        // Ids above every id in use: comments and revisions never collide with the draft's.
        var nextID = max(maximumID(main.root), try existingComments(package, walk: walk).maximumID) + 1
        // Lines written as one change (a fix that needed a second pass).
        let mergedLines = Set(tracked.filter { $0.diagnostic == nil }.map { source.span($0.range).start.line })
        var comments: [BodyRewriter.Comment] = []
        var texts: [(id: Int, paragraphs: [String])] = []
        let textLength = source.text.utf8.count
        for (index, diagnostic) in diagnostics.enumerated() {
            guard let range = diagnostic.range else { continue }
            let lower = min(max(range.lowerBound, 0), textLength)
            let upper = min(max(range.upperBound, lower), textLength)
            let id = nextID
            nextID += 1
            comments.append(BodyRewriter.Comment(id: id, range: lower..<upper))
            let state: CommentText.FixState
            if trackedDiagnostics.contains(index) {
                state = .tracked
            } else if plannedDiagnostics.contains(index) {
                state = .untrackable
            } else if diagnostic.fix != nil, mergedLines.contains(source.span(lower..<upper).start.line) {
                state = .merged
            } else {
                // Not in the plan: another fix overlapping it was chosen, and the text it leaves
                // no longer has this finding.
                state = .overlapped
            }
            let rule = linter.configuration.ruleSet.rule(diagnostic.ruleID)
            texts.append((id, CommentText.paragraphs(for: diagnostic, checkKind: rule?.checkKind, fix: state,
                                                     unsafeIncluded: options.unsafeFixes)))
        }
        let stamp = BodyRewriter.Stamp(author: options.author, date: options.date)
        let body = rewriter.rewrite(comments: comments,
                                    edits: tracked.map { BodyRewriter.Edit(range: $0.range, replacement: $0.replacement) },
                                    stamp: stamp, nextID: &nextID)
        var replaced: [String: Data] = [walk.mainPath: Data(body)]
        if !texts.isEmpty {
            try CommentsPart.add({ prefix, namespace in
                texts.map { CommentText.xml(id: $0.id, paragraphs: $0.paragraphs, options: options, prefix: prefix, declaring: namespace) }
            }, to: package, walk: walk, namespace: main.root.namespace, replacing: &replaced)
        }
        let output = try PackageWriter.write(package, replacing: replaced, modified: ISO8601DateFormatter().date(from: options.date))
        return Annotation(data: output, outcome: outcome, comments: comments.count, trackedFixes: tracked.count,
                          untrackedFixes: untracked, fixedText: fixed)
    }

    /// The largest numeric `w:id` anywhere in a part.
    static func maximumID(_ node: XMLNode) -> Int {
        var maximum = 0
        var stack = [node]
        while let current = stack.popLast() {
            if let id = current.attribute("id"), let value = Int(id), value < 1_000_000_000 { maximum = max(maximum, value) }
            stack += current.children
        }
        return maximum
    }

    private static func existingComments(_ package: PackageArchive, walk: DocxReader.Walk) throws(ReadFailure) -> (maximumID: Int, path: String?) {
        guard let path = walk.relationships.first(where: { $0.type.hasSuffix("/comments") })?.target,
              let part = try package.xml(path) else { return (0, nil) }
        return (maximumID(part), path)
    }
}

/// The changes to write: each safe (or, when asked, unsafe) fix of one pass as its own tracked
/// change, tied to its finding; a line that later passes change further is written as one
/// change from the original line to the fixed one, so that accepting everything gives exactly
/// the fixed text.
struct EditPlan {
    struct Edit {
        let range: Range<Int>
        let replacement: String
        /// The finding whose fix this is (an index into the diagnostics); nil for a whole-line
        /// difference.
        let diagnostic: Int?
    }

    let edits: [Edit]

    init(source: String, diagnostics: [Diagnostic], fixedText: String, includingUnsafe: Bool) {
        var fixes: [Fix] = []
        var owners: [Int] = []
        for (index, diagnostic) in diagnostics.enumerated() {
            guard let fix = diagnostic.fix, fix.applicability == .safe || includingUnsafe else { continue }
            fixes.append(fix)
            owners.append(index)
        }
        var firstPass: [Edit] = []
        for chosen in FixApplier.select(fixes) {
            for edit in fixes[chosen].edits {
                firstPass.append(Edit(range: edit.range, replacement: edit.replacement, diagnostic: owners[chosen]))
            }
        }
        firstPass.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        let afterFirst = FixApplier.apply(firstPass.map { TextEdit(range: $0.range, replacement: $0.replacement) }, to: source)
        if afterFirst == fixedText || firstPass.contains(where: { $0.replacement.contains("\n") || source.utf8Slice($0.range).contains("\n") }) {
            edits = firstPass
            return
        }
        let original = source.split(separator: "\n", omittingEmptySubsequences: false)
        let once = afterFirst.split(separator: "\n", omittingEmptySubsequences: false)
        let final = fixedText.split(separator: "\n", omittingEmptySubsequences: false)
        guard original.count == final.count, once.count == final.count else {
            edits = firstPass
            return
        }
        var result: [Edit] = []
        var lineStart = 0
        for (index, line) in original.enumerated() {
            let lineRange = lineStart..<(lineStart + line.utf8.count)
            if once[index] == final[index] {
                result += firstPass.filter { lineRange.contains($0.range.lowerBound) || $0.range.lowerBound == lineRange.upperBound && $0.range.isEmpty }
            } else {
                // One change from the original line to the fixed one, common ends left alone.
                let old = Array(line.utf8)
                let new = Array(final[index].utf8)
                var prefix = 0
                while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
                var suffix = 0
                while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
                // Whole characters only.
                while prefix > 0, prefix < old.count, old[prefix] & 0xC0 == 0x80 { prefix -= 1 }
                while suffix > 0, old[old.count - suffix] & 0xC0 == 0x80 { suffix -= 1 }
                let replacement = String(decoding: new[prefix..<(new.count - suffix)], as: UTF8.self)
                result.append(Edit(range: (lineRange.lowerBound + prefix)..<(lineRange.upperBound - suffix), replacement: replacement, diagnostic: nil))
            }
            lineStart = lineRange.upperBound + 1
        }
        edits = result
    }
}
