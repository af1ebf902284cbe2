/// Lints a list of inputs with one rule set: the library side of `bulletinlint check`.
public struct LintSession: Sendable {
    public let linter: Linter

    public init(ruleSet: RuleSet) {
        linter = Linter(ruleSet: ruleSet)
    }

    /// Reads and lints one input; a file that cannot be read becomes a report with one diagnostic.
    public func lint(_ item: FileCollector.Item) -> FileReport {
        switch item {
        case .file(let path):
            return report(DocumentReader.read(path: path), path: path)
        case .standardInput(let name):
            return report(DocumentReader.readStandardInput(displayPath: name), path: name)
        case .missing(let path):
            return failure(ReadFailure(ruleID: "io-error", message: "文件或文件夹不存在：\(path)"), path: path)
        }
    }

    public func report(_ result: Result<SourceText, ReadFailure>, path: String) -> FileReport {
        switch result {
        case .success(let source): return linter.lint(source)
        case .failure(let failure): return self.failure(failure, path: path)
        }
    }

    private func failure(_ failure: ReadFailure, path: String) -> FileReport {
        let origin = Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 1))
        return FileReport(path: path, source: nil, diagnostics: [
            Diagnostic(ruleID: failure.ruleID, severity: .error, message: failure.message,
                       help: failure.ruleID == "encoding-error"
                           ? "请将文件另存为 UTF-8 编码的文本后再检查。" : "请确认路径和读取权限。",
                       range: nil, span: origin),
        ])
    }

    /// Lints every item, in order; reports are sorted by path for output.
    public func lint(_ items: [FileCollector.Item]) -> [FileReport] {
        items.map { lint($0) }.sorted { $0.path < $1.path }
    }
}
