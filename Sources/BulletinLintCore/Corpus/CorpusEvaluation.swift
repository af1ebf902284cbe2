import Foundation

/// Measures the parser and the default rules on a corpus of documents with hand-read truth
/// (`corpus/README.md` describes the truth files): per element kind, how many truth elements were
/// found with the right fields and entries, how many elements the parser invented, whether the
/// genre was read right, and the false error-severity findings (a "missing" error where the
/// element is there, an error from a rule of another genre).
public struct CorpusEvaluation: Sendable {
    /// The element kinds the truth files record.
    public static let kinds = [
        "secrecy", "urgency", "internal-mark", "issuer-mark", "bulletin-name", "issue-number", "compiler",
        "masthead-date", "doc-number", "doc-title", "addressee", "column", "article-title", "attribution",
        "signing-date", "note", "disclosure", "keywords", "report-to", "send-to", "issue-to", "copy-to",
        "copy-report-to", "main-to", "distribute-to", "dispatch-to", "print-send-to", "internal-send-to",
        "imprint", "print-count",
    ]

    /// Counts for one element kind.
    public struct KindScore: Sendable, Equatable {
        /// Elements in the truth.
        public var truth = 0
        /// Truth elements the parser found at the right line.
        public var found = 0
        /// … and with the right fields and entries.
        public var correct = 0
        /// Elements of the kind the parser made.
        public var predicted = 0
        /// Elements the parser made that the truth does not have.
        public var invented = 0

        public init(truth: Int = 0, found: Int = 0, correct: Int = 0, predicted: Int = 0, invented: Int = 0) {
            self.truth = truth
            self.found = found
            self.correct = correct
            self.predicted = predicted
            self.invented = invented
        }

        public var recall: Double { truth == 0 ? 1 : Double(correct) / Double(truth) }
        public var precision: Double { predicted == 0 ? 1 : Double(correct) / Double(predicted) }
    }

    /// One document's problems, for the report.
    public struct DocumentResult: Sendable {
        public let id: String
        public let writtenByUs: Bool
        public let truthGenre: String
        public let genre: String
        public var genreRight: Bool
        /// `kind line: what is wrong`.
        public var misses: [String] = []
        public var inventions: [String] = []
        /// `rule-id line: message` of the false error findings.
        public var falseErrors: [String] = []
        /// Other error findings, real defects or not, for a reader to judge.
        public var otherErrors: [String] = []
    }

    /// The figures of one group of documents (real ones, or ours).
    public struct Figures: Sendable {
        public var documents = 0
        public var genreRight = 0
        public var kinds: [String: KindScore] = [:]
        public var falseErrors = 0

        public var invented: Int { kinds.values.reduce(0) { $0 + $1.invented } }
    }

    public var real = Figures()
    public var written = Figures()
    public var documents: [DocumentResult] = []
    /// Truth files that could not be used, with why.
    public var problems: [String] = []
    /// Documents in a format this machine cannot read (a reader's tool is not installed).
    public var skipped: [String] = []

    public init() {}

    /// Evaluates every `*.truth.json` under `directory` (recursively).
    public static func evaluate(directory: String, ruleSet: RuleSet) -> CorpusEvaluation {
        var evaluation = CorpusEvaluation()
        let root = URL(fileURLWithPath: directory)
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var truthFiles: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.lastPathComponent.hasSuffix(".truth.json") { truthFiles.append(url) }
        }
        truthFiles.sort { $0.path < $1.path }
        let linter = Linter(ruleSet: ruleSet)
        for url in truthFiles {
            evaluation.evaluate(truthFile: url, linter: linter)
        }
        return evaluation
    }

    mutating func evaluate(truthFile url: URL, linter: Linter) {
        let name = url.lastPathComponent
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            problems.append("\(name): 无法读取")
            return
        }
        let truth: JSON
        do { truth = try JSON.parse(text) } catch {
            problems.append("\(name): JSON 有误（第 \(error.offset) 字节）：\(error.message)")
            return
        }
        guard let file = truth["file"]?.stringValue else { problems.append("\(name): 缺少 file"); return }
        // Binary originals whose truth could not be read by hand are for no-crash tests only.
        guard let truthElements = truth["elements"]?.arrayValue else { return }
        let documentPath = url.deletingLastPathComponent().appendingPathComponent(file).path
        let source: SourceText
        switch DocumentReader.read(path: documentPath, displayPath: file) {
        case .success(let read): source = read
        case .failure(let failure):
            // A format this machine cannot read (a .doc without LibreOffice) is skipped, not a
            // problem of the truth.
            if [EngineRule.unsupportedFormat, .pdftotextMissing, .sofficeMissing].contains(where: { $0.id == failure.ruleID }) {
                skipped.append("\(name): \(failure.message)")
            } else {
                problems.append("\(name): 无法读取 \(file)：\(failure.message)")
            }
            return
        }
        let id = truth["id"]?.stringValue ?? file
        let ours: Bool
        if case .bool(true)? = truth["written-by-us"] { ours = true } else { ours = false }
        let parsed = linter.parser.parse(source)
        let parts = parsed.documents

        // Genre: the first document's (a file of several documents is judged by its first).
        let truthGenre = truth["genre"]?.stringValue ?? "未知"
        let truthWenzhong = truth["wenzhong"]?.stringValue
        let genre = parsed.genre
        let genreName = genre.kind == .unknown ? "未知" : genre.kind.rawValue
        let genreRight = (genreName == truthGenre || (truthGenre == "unknown" && genre.kind == .unknown))
            && (truthWenzhong == nil || truthWenzhong == genre.wenzhong)
        var result = DocumentResult(id: id, writtenByUs: ours, truthGenre: truthWenzhong.map { "\(truthGenre)（\($0)）" } ?? truthGenre,
                                    genre: genre.description, genreRight: genreRight)
        var figures = ours ? written : real
        figures.documents += 1
        if genreRight { figures.genreRight += 1 }

        // Elements of the tracked kinds, by kind, with their lines.
        let tracked = Set(CorpusEvaluation.kinds)
        var predicted: [(kind: String, line: Int, element: Element)] = []
        for document in parts {
            for element in document.allElements where tracked.contains(element.kind) && element.role != .artifact {
                predicted.append((element.kind, source.span(element.range).start.line, element))
            }
        }
        var used = [Bool](repeating: false, count: predicted.count)
        for item in truthElements {
            guard let kind = item["kind"]?.stringValue, tracked.contains(kind), let line = item["line"]?.intValue else {
                problems.append("\(name): 元素缺少 kind 或 line，或 kind 未知：\(item.render())")
                continue
            }
            var score = figures.kinds[kind] ?? KindScore()
            score.truth += 1
            if let index = predicted.indices.first(where: { !used[$0] && predicted[$0].kind == kind && predicted[$0].line == line }) {
                used[index] = true
                score.found += 1
                let problems = CorpusEvaluation.differences(truth: item, element: predicted[index].element)
                if problems.isEmpty {
                    score.correct += 1
                } else {
                    result.misses.append("\(kind) 第\(line)行：\(problems.joined(separator: "；"))")
                }
            } else {
                result.misses.append("\(kind) 第\(line)行：未识别（\(item["text"]?.stringValue ?? "")）")
            }
            figures.kinds[kind] = score
        }
        for (index, item) in predicted.enumerated() {
            var score = figures.kinds[item.kind] ?? KindScore()
            score.predicted += 1
            if !used[index] {
                score.invented += 1
                let text = item.element.text.count > 30 ? String(item.element.text.prefix(30)) + "…" : item.element.text
                result.inventions.append("\(item.kind) 第\(item.line)行：\(text)")
            }
            figures.kinds[item.kind] = score
        }

        // Error findings of the default rules.
        let truthKinds = Set(truthElements.compactMap { $0["kind"]?.stringValue })
        let truthGenreValue = DocumentGenre(kind: DocumentGenre.Kind(rawValue: truthGenre) ?? .unknown, wenzhong: truthWenzhong)
        for diagnostic in linter.lint(source).diagnostics where diagnostic.severity == .error {
            let line = "\(diagnostic.ruleID) 第\(diagnostic.span.start.line)行：\(diagnostic.message)"
            guard let rule = linter.ruleSet.rule(diagnostic.ruleID) else {
                result.otherErrors.append(line)
                continue
            }
            let wrongGenre = !rule.condition.covers(truthGenreValue)
            var missingButPresent = false
            if let required = rule.check as? RequiredCheck, required.min > 0 {
                if required.per == .document {
                    missingButPresent = required.kinds.contains { truthKinds.contains($0) }
                } else {
                    // Per article: the truth's articles all have what the rule asks for when the
                    // document has as many of them as titles.
                    let titles = truthElements.filter { $0["kind"]?.stringValue == "article-title" }.count
                    missingButPresent = required.kinds.contains { kind in
                        let count = truthElements.filter { $0["kind"]?.stringValue == kind }.count
                        return count > 0 && count >= titles
                    }
                }
            }
            if wrongGenre || missingButPresent {
                result.falseErrors.append(line + (wrongGenre ? "（规则不适用于此类文书）" : "（该元素实际存在）"))
                figures.falseErrors += 1
            } else {
                result.otherErrors.append(line)
            }
        }
        if ours { written = figures } else { real = figures }
        documents.append(result)
    }

    /// What is wrong with a found element: fields and entries that differ from the truth.
    static func differences(truth: JSON, element: Element) -> [String] {
        var out: [String] = []
        if case .object(let fields)? = truth["fields"] {
            for (name, value) in fields {
                guard let expected = value.stringValue else { continue }
                let actual = element.field(name)
                if actual != expected { out.append("\(name) 应为“\(expected)”，识别为“\(actual ?? "（无）")”") }
            }
        }
        if let entries = truth["entries"]?.arrayValue, !entries.isEmpty || !element.entries.isEmpty {
            let expected = entries.compactMap(\.stringValue)
            let actual = element.entries.map(\.text)
            if expected != actual {
                out.append("名单应为 [\(expected.joined(separator: " | "))]，识别为 [\(actual.joined(separator: " | "))]")
            }
        }
        return out
    }
}
