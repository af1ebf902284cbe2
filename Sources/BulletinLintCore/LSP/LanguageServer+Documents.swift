import Foundation

extension LanguageServer {
    // MARK: Text synchronisation

    func didOpen(_ params: DidOpenTextDocumentParams) {
        let item = params.textDocument
        documents[item.uri] = OpenDocument(uri: item.uri, languageId: item.languageId, version: item.version,
                                           text: LSPText(item.text), path: LanguageServer.path(fromURI: item.uri))
        schedule(item.uri, delay: 0)
    }

    func didChange(_ params: DidChangeTextDocumentParams) {
        let uri = params.textDocument.uri
        guard var document = documents[uri] else {
            log("bulletinlint lsp: didChange for a document that is not open: \(uri)")
            return
        }
        for change in params.contentChanges {
            if let range = change.range {
                document.text.replace(range, with: change.text, in: encoding)
            } else {
                document.text = LSPText(change.text)
            }
        }
        document.version = params.textDocument.version
        document.analysis = nil
        documents[uri] = document
        schedule(uri, delay: options.debounceMilliseconds)
    }

    func didSave(_ params: DidSaveTextDocumentParams) {
        let uri = params.textDocument.uri
        if LanguageServer.isConfigFile(uri) {
            reloadConfigurations()
            return
        }
        // A save lints now rather than after the pause.
        if documents[uri] != nil { schedule(uri, delay: 0) }
    }

    func didClose(_ params: DidCloseTextDocumentParams) {
        let uri = params.textDocument.uri
        guard documents.removeValue(forKey: uri) != nil else { return }
        // Closed documents keep no findings in the editor (push); a pull client drops its own.
        if !pullDiagnostics {
            notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(uri: uri, version: nil, diagnostics: []))
        }
    }

    static func isConfigFile(_ uri: String) -> Bool {
        Configuration.fileNames.contains { uri.hasSuffix("/" + $0) }
    }

    /// Lints a document after `delay` ms if nothing changes it in the meantime, then publishes
    /// (push clients only; a pull client asks).
    func schedule(_ uri: String, delay: Int) {
        guard var document = documents[uri] else { return }
        document.generation += 1
        let generation = document.generation
        documents[uri] = document
        guard !pullDiagnostics else { return }
        let work: @Sendable () -> Void = { [self] in
            guard !stopped, !shutdownRequested, let current = documents[uri], current.generation == generation else { return }
            publish(uri)
        }
        if delay <= 0 {
            queue.async(execute: work)
        } else {
            queue.asyncAfter(deadline: .now() + .milliseconds(delay), execute: work)
        }
    }

    /// Publishes the diagnostics of a document's current version (never an older one than
    /// already published).
    func publish(_ uri: String) {
        guard let analysis = analyze(uri), let document = documents[uri] else { return }
        if let published = document.publishedVersion, published > analysis.version { return }
        documents[uri]?.publishedVersion = analysis.version
        notify("textDocument/publishDiagnostics",
               PublishDiagnosticsParams(uri: uri, version: analysis.version, diagnostics: analysis.diagnostics))
        publishConfigErrors()
    }

    // MARK: Linting

    /// The analysis of a document's current text, made when missing or out of date.
    func analyze(_ uri: String) -> Analysis? {
        guard let document = documents[uri] else { return nil }
        if let analysis = document.analysis, analysis.version == document.version, analysis.configGeneration == configGeneration {
            return analysis
        }
        let analysis = analyze(text: document.text, version: document.version, name: document.lintName, path: document.path, uri: uri)
        documents[uri]?.analysis = analysis
        return analysis
    }

    /// Lints a text through `DocumentLinter` with the configuration nearest its file.
    func analyze(text: LSPText, version: Int, name: String, path: String?, uri: String? = nil) -> Analysis {
        if text.bytes.count > options.maxDocumentBytes {
            let message = "文件有 \(text.bytes.count) 字节，超过语言服务器的上限 \(options.maxDocumentBytes) 字节，没有检查。"
                + "请用命令行 bulletinlint check 检查，或在编辑器的 initializationOptions 中调高 maxDocumentBytes。"
            return Analysis(version: version, configGeneration: configGeneration, kind: .tooLarge,
                            diagnostics: [LSPDiagnostic(range: LSPRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 0)),
                                                        severity: .warning, code: "document-too-large", source: "bulletinlint",
                                                        message: message)])
        }
        let configuration: Configuration
        do {
            configuration = try resolver.configuration(forFile: path ?? rootPath.map { ($0 as NSString).appendingPathComponent("untitled") })
        } catch {
            let file = LanguageServer.absolute(error.file)
            configErrors[LanguageServer.uri(fromPath: file)] = error
            let message = "配置文件 \(error.file) 第 \(error.line) 行第 \(error.column) 列有错误，本文件没有检查：\(error.message)"
            return Analysis(version: version, configGeneration: configGeneration, kind: .configError(error),
                            diagnostics: [LSPDiagnostic(range: LSPRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 0)),
                                                        severity: .error, code: "config-error", source: "bulletinlint",
                                                        message: message)])
        }
        let linter = DocumentLinter(configuration: configuration)
        let source = DocumentLinter.source(text: text.string, name: name)
        let outcome = linter.lint(source, ignorePath: path)
        let findings = outcome.report.diagnostics
        let ranges = findings.map { finding -> LSPRange in
            if let range = finding.range { return text.range(of: range, in: encoding) }
            return LSPRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 0))
        }
        let diagnostics = zip(findings, ranges).map { finding, range in
            var diagnostic = LSPDiagnostic(range: range, severity: LanguageServer.severity(finding.severity), code: finding.ruleID,
                                           source: "bulletinlint", message: LanguageServer.message(finding))
            // The places a finding refers to (the first spelling a later one departs from), for
            // a client that shows them.
            if relatedInformation, let uri, !finding.related.isEmpty {
                diagnostic.relatedInformation = finding.related.map {
                    LSPRelatedInformation(location: LSPLocation(uri: uri, range: text.range(of: $0.range, in: encoding)), message: $0.message)
                }
            }
            return diagnostic
        }
        return Analysis(version: version, configGeneration: configGeneration, kind: .linted(linter, source, findings),
                        diagnostics: diagnostics)
    }

    static func severity(_ severity: Severity) -> LSPSeverity {
        switch severity {
        case .error: return .error
        case .warning: return .warning
        case .info: return .information
        }
    }

    /// The message, then the help on a line of its own: every editor shows a diagnostic's
    /// message, not all of them show anything else.
    static func message(_ finding: Diagnostic) -> String {
        finding.help.isEmpty ? finding.message : finding.message + "\n" + finding.help
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return URL(fileURLWithPath: full).standardizedFileURL.path
    }

    // MARK: Pull diagnostics

    func documentDiagnostic(_ params: DocumentDiagnosticParams) -> DocumentDiagnosticReport {
        let uri = params.textDocument.uri
        let analysis: Analysis
        if documents[uri] != nil, let current = analyze(uri) {
            analysis = current
        } else {
            // Not open: the file as it is on disk.
            let path = LanguageServer.path(fromURI: uri)
            let text = path.flatMap { FileManager.default.contents(atPath: $0) }.map { LSPText(bytes: [UInt8]($0)) } ?? LSPText("")
            let document = OpenDocument(uri: uri, languageId: "", version: 0, text: text, path: path)
            analysis = analyze(text: text, version: 0, name: document.lintName, path: path)
        }
        publishConfigErrors()
        let resultId = "\(analysis.configGeneration):\(analysis.version)"
        if documents[uri] != nil, params.previousResultId == resultId {
            return DocumentDiagnosticReport(kind: "unchanged", resultId: resultId, items: nil)
        }
        return DocumentDiagnosticReport(kind: "full", resultId: resultId, items: analysis.diagnostics)
    }

    // MARK: Configuration

    /// Forgets every loaded configuration, re-lints the open documents and says so to the client.
    func reloadConfigurations() {
        resolver = ConfigResolver(mode: .discover)
        configGeneration += 1
        configErrors = [:]
        for uri in documents.keys.sorted() {
            documents[uri]?.generation += 1
            if pullDiagnostics {
                _ = analyze(uri)
            } else {
                publish(uri)
            }
        }
        publishConfigErrors()
        if pullDiagnostics, capabilities["workspace"]["diagnostics"]["refreshSupport"].boolValue == true {
            request("workspace/diagnostic/refresh", EmptyParams?.none)
        }
    }

    /// Shows each rule-file error as a diagnostic on its file, and clears those that are gone.
    func publishConfigErrors() {
        for (uri, error) in configErrors.sorted(by: { $0.key < $1.key }) {
            let key = error.description
            guard publishedConfigErrors[uri] != key else { continue }
            publishedConfigErrors[uri] = key
            let line = max(error.line - 1, 0)
            var start = LSPPosition(line: line, character: 0)
            var end = start
            if let sourceLine = error.sourceLine {
                let lineText = LSPText(sourceLine)
                let scalars = sourceLine.unicodeScalars
                let prefix = String(String.UnicodeScalarView(scalars.prefix(max(error.column - 1, 0))))
                start.character = lineText.position(of: prefix.utf8.count, in: encoding).character
                end.character = lineText.position(of: lineText.lineEnds[0], in: encoding).character
            } else {
                start.character = max(error.column - 1, 0)
                end = start
            }
            notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(uri: uri, version: nil, diagnostics: [
                LSPDiagnostic(range: LSPRange(start: start, end: end), severity: .error, code: "config-error",
                              source: "bulletinlint", message: error.message),
            ]))
        }
        for uri in publishedConfigErrors.keys.sorted() where configErrors[uri] == nil {
            publishedConfigErrors[uri] = nil
            notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(uri: uri, version: nil, diagnostics: []))
        }
    }
}
