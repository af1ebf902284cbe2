import BulletinLintCore
import Foundation

/// Makes the reviewed .docx of an uploaded .docx: its bytes and display name, linted with the
/// given linter, to the bytes of a .docx with Word comments and tracked changes
/// (`bulletinlint annotate`). Throw `LintService.Failure` for a clear API error.
public typealias DocxAnnotating = @Sendable (_ document: [UInt8], _ name: String, _ linter: DocumentLinter) throws -> [UInt8]

/// How `bulletinlint serve` runs.
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// The largest request body accepted, in MB (answered with 413 beyond it).
    public var maxUploadMegabytes: Int
    /// The time budget of one request, in seconds (504 beyond it).
    public var timeoutSeconds: Int
    /// How many documents are read and linted at once.
    public var maxConcurrent: Int
    /// How many more requests may wait for a turn before new ones get 503.
    public var maxQueued: Int
    /// The annotator behind `POST /api/annotate` (`DocxAnnotator` by default); nil answers 501.
    public var annotator: DocxAnnotating?

    public init(host: String = "127.0.0.1", port: Int = 8080, maxUploadMegabytes: Int = 20, timeoutSeconds: Int = 30,
                maxConcurrent: Int = ProcessInfo.processInfo.activeProcessorCount, maxQueued: Int = 64,
                annotator: DocxAnnotating? = ServerOptions.reviewedDocx) {
        self.host = host
        self.port = port
        self.maxUploadMegabytes = maxUploadMegabytes
        self.timeoutSeconds = timeoutSeconds
        self.maxConcurrent = maxConcurrent
        self.maxQueued = maxQueued
        self.annotator = annotator
    }

    public var maxUploadBytes: Int { maxUploadMegabytes * 1024 * 1024 }

    /// Whether the host is a loopback address (or `localhost`): only then is the server private.
    public var isLoopback: Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

extension ServerOptions {
    /// `bulletinlint annotate` in memory: each finding a Word comment, each safe fix a tracked
    /// change. A .docx it cannot annotate is a 422 naming why.
    public static let reviewedDocx: DocxAnnotating = { bytes, name, linter in
        switch DocxAnnotator.annotate(Data(bytes), name: name, linter: linter, ignorePath: name) {
        case .success(let annotation):
            return [UInt8](annotation.data)
        case .failure(let failure):
            let help = failure.help.map { "（\($0)）" } ?? ""
            throw LintService.Failure(status: 422, code: failure.ruleID, message: failure.message + help)
        }
    }
}
