/// The accuracy figures as a table (`bulletinlint accuracy`, `scripts/accuracy`) and as JSON
/// (the recorded figures the corpus test compares with).
extension CorpusEvaluation {
    /// A Markdown table per group, the genre and false-error figures, and each document's misses.
    public func report(details: Bool = true) -> String {
        var out = ""
        for (title, figures) in [("真实文件", real), ("本项目编写的简报（单列，不计入真实文件的数字）", written)] where figures.documents > 0 {
            out += "## \(title)：\(figures.documents) 份\n\n"
            out += "| 元素 | 真值 | 找到 | 完全正确 | 识别出 | 虚构 | 召回率 | 精确率 |\n"
            out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
            for kind in CorpusEvaluation.kinds {
                guard let score = figures.kinds[kind], score.truth > 0 || score.predicted > 0 else { continue }
                out += "| \(kind) | \(score.truth) | \(score.found) | \(score.correct) | \(score.predicted) | \(score.invented) | "
                out += "\(CorpusEvaluation.percent(score.recall)) | \(CorpusEvaluation.percent(score.precision)) |\n"
            }
            let total = figures.kinds.values.reduce(KindScore()) { sum, score in
                KindScore(truth: sum.truth + score.truth, found: sum.found + score.found, correct: sum.correct + score.correct,
                          predicted: sum.predicted + score.predicted, invented: sum.invented + score.invented)
            }
            out += "| **合计** | \(total.truth) | \(total.found) | \(total.correct) | \(total.predicted) | \(total.invented) | "
            out += "\(CorpusEvaluation.percent(total.recall)) | \(CorpusEvaluation.percent(total.precision)) |\n\n"
            out += "文书类别判断正确：\(figures.genreRight)/\(figures.documents)；虚构元素：\(figures.invented)；误报的错误：\(figures.falseErrors)\n\n"
        }
        if !skipped.isEmpty {
            out += "## 本机无法读取、未计入的文件\n\n" + skipped.map { "- \($0)\n" }.joined() + "\n"
        }
        if !problems.isEmpty {
            out += "## 无法使用的真值文件\n\n" + problems.map { "- \($0)\n" }.joined() + "\n"
        }
        guard details else { return out }
        let troubled = documents.filter { !$0.genreRight || !$0.misses.isEmpty || !$0.inventions.isEmpty || !$0.falseErrors.isEmpty || !$0.otherErrors.isEmpty }
        if !troubled.isEmpty {
            out += "## 逐份说明\n\n"
            for document in troubled {
                out += "### \(document.id)\(document.writtenByUs ? "（本项目编写）" : "")\n\n"
                if !document.genreRight { out += "- 类别：应为\(document.truthGenre)，判断为\(document.genre)\n" }
                for miss in document.misses { out += "- 漏识或有误：\(miss)\n" }
                for invention in document.inventions { out += "- 虚构：\(invention)\n" }
                for error in document.falseErrors { out += "- 误报：\(error)\n" }
                for error in document.otherErrors { out += "- 其他错误级问题（请人工判断）：\(error)\n" }
                out += "\n"
            }
        }
        return out
    }

    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// The figures as JSON: `{"real": {...}, "written": {...}}`, each with `documents`,
    /// `genre-right`, `false-errors` and per kind `{truth, found, correct, predicted, invented}`.
    public func figuresJSON() -> JSON {
        func group(_ figures: Figures) -> JSON {
            let kinds = CorpusEvaluation.kinds.compactMap { kind -> (String, JSON)? in
                guard let score = figures.kinds[kind], score.truth > 0 || score.predicted > 0 else { return nil }
                return (kind, .object([("truth", .int(score.truth)), ("found", .int(score.found)), ("correct", .int(score.correct)),
                                       ("predicted", .int(score.predicted)), ("invented", .int(score.invented))]))
            }
            return .object([("documents", .int(figures.documents)), ("genre-right", .int(figures.genreRight)),
                            ("false-errors", .int(figures.falseErrors)), ("kinds", .object(kinds))])
        }
        return .object([("real", group(real)), ("written", group(written))])
    }

    /// Where the figures fall below recorded ones (`figuresJSON()` of an earlier run): fewer
    /// correct elements or right genres, more invented elements or false errors.
    public func drops(below recorded: JSON) -> [String] {
        var out: [String] = []
        for (name, figures) in [("real", real), ("written", written)] {
            guard let old = recorded[name] else { continue }
            if let value = old["genre-right"]?.intValue, figures.genreRight < value {
                out.append("\(name): 类别判断正确 \(figures.genreRight) < 记录的 \(value)")
            }
            if let value = old["false-errors"]?.intValue, figures.falseErrors > value {
                out.append("\(name): 误报的错误 \(figures.falseErrors) > 记录的 \(value)")
            }
            guard case .object(let kinds)? = old["kinds"] else { continue }
            for (kind, scores) in kinds {
                let score = figures.kinds[kind] ?? KindScore()
                if let value = scores["correct"]?.intValue, score.correct < value {
                    out.append("\(name) \(kind): 完全正确 \(score.correct) < 记录的 \(value)")
                }
                if let value = scores["invented"]?.intValue, score.invented > value {
                    out.append("\(name) \(kind): 虚构 \(score.invented) > 记录的 \(value)")
                }
            }
        }
        return out
    }
}
