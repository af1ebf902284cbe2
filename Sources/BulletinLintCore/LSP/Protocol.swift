import Foundation

// The Language Server Protocol types bulletinlint uses (LSP 3.17), in Codable. Only what the
// server reads and writes is here; client capabilities are read as `JSONValue`.

/// A position as LSP counts it: 0-based line, 0-based character in the negotiated units.
public struct LSPPosition: Codable, Sendable, Equatable, Comparable {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (lhs: LSPPosition, rhs: LSPPosition) -> Bool {
        (lhs.line, lhs.character) < (rhs.line, rhs.character)
    }
}

public struct LSPRange: Codable, Sendable, Equatable {
    public var start: LSPPosition
    public var end: LSPPosition

    public init(start: LSPPosition, end: LSPPosition) {
        self.start = start
        self.end = end
    }

    /// Whether the two ranges share a position (touching counts: a cursor at a finding's end
    /// is on it).
    func touches(_ other: LSPRange) -> Bool { start <= other.end && other.start <= end }
}

public struct LSPLocation: Codable, Sendable, Equatable {
    public var uri: String
    public var range: LSPRange
}

struct TextDocumentIdentifier: Codable, Sendable {
    var uri: String
}

struct VersionedTextDocumentIdentifier: Codable, Sendable {
    var uri: String
    var version: Int
}

/// `{ uri, version }` where version may be null (a document edit's target).
struct OptionalVersionedTextDocumentIdentifier: Codable, Sendable {
    var uri: String
    var version: Int?

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uri, forKey: .uri)
        try container.encode(version, forKey: .version)
    }
}

struct TextDocumentItem: Codable, Sendable {
    var uri: String
    var languageId: String
    var version: Int
    var text: String
}

struct DidOpenTextDocumentParams: Codable, Sendable {
    var textDocument: TextDocumentItem
}

struct TextDocumentContentChangeEvent: Codable, Sendable {
    /// nil: the whole text.
    var range: LSPRange?
    var text: String
}

struct DidChangeTextDocumentParams: Codable, Sendable {
    var textDocument: VersionedTextDocumentIdentifier
    var contentChanges: [TextDocumentContentChangeEvent]
}

struct DidSaveTextDocumentParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
    var text: String?
}

struct DidCloseTextDocumentParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
}

struct TextDocumentPositionParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
    var position: LSPPosition
}

struct DocumentDiagnosticParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
    var identifier: String?
    var previousResultId: String?
}

struct CodeActionContext: Codable, Sendable {
    var only: [String]?
}

struct CodeActionParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
    var range: LSPRange
    var context: CodeActionContext?
}

struct CancelParams: Codable, Sendable {
    var id: RequestID
}

struct FileEvent: Codable, Sendable {
    var uri: String
    var type: Int
}

struct DidChangeWatchedFilesParams: Codable, Sendable {
    var changes: [FileEvent]
}

/// LSP's `DiagnosticSeverity`.
public enum LSPSeverity: Int, Codable, Sendable {
    case error = 1, warning = 2, information = 3, hint = 4
}

public struct LSPDiagnostic: Codable, Sendable, Equatable {
    public var range: LSPRange
    public var severity: LSPSeverity
    /// The rule id.
    public var code: String
    public var source: String
    public var message: String
    /// Other places that explain the finding; sent only to a client that declares
    /// `textDocument.publishDiagnostics.relatedInformation`.
    public var relatedInformation: [LSPRelatedInformation]?
}

public struct LSPRelatedInformation: Codable, Sendable, Equatable {
    public var location: LSPLocation
    public var message: String
}

struct PublishDiagnosticsParams: Codable, Sendable {
    var uri: String
    var version: Int?
    var diagnostics: [LSPDiagnostic]
}

/// A `textDocument/diagnostic` answer: `full` with the items, or `unchanged` since `resultId`.
struct DocumentDiagnosticReport: Codable, Sendable {
    var kind: String
    var resultId: String
    var items: [LSPDiagnostic]?
}

struct LSPTextEdit: Codable, Sendable, Equatable {
    var range: LSPRange
    var newText: String
}

struct TextDocumentEdit: Codable, Sendable {
    var textDocument: OptionalVersionedTextDocumentIdentifier
    var edits: [LSPTextEdit]
}

struct WorkspaceEdit: Codable, Sendable {
    var changes: [String: [LSPTextEdit]]?
    var documentChanges: [TextDocumentEdit]?
}

struct CodeAction: Codable, Sendable {
    var title: String
    var kind: String
    var diagnostics: [LSPDiagnostic]?
    var isPreferred: Bool?
    var edit: WorkspaceEdit
}

struct MarkupContent: Codable, Sendable {
    /// `markdown` or `plaintext`.
    var kind: String
    var value: String
}

struct Hover: Codable, Sendable {
    var contents: MarkupContent
    var range: LSPRange
}

struct FileSystemWatcher: Codable, Sendable {
    var globPattern: String
}

struct DidChangeWatchedFilesRegistrationOptions: Codable, Sendable {
    var watchers: [FileSystemWatcher]
}

struct Registration: Codable, Sendable {
    var id: String
    var method: String
    var registerOptions: DidChangeWatchedFilesRegistrationOptions
}

struct RegistrationParams: Codable, Sendable {
    var registrations: [Registration]
}

// MARK: initialize

struct ServerInfo: Codable, Sendable {
    var name: String
    var version: String
}

struct SaveOptions: Codable, Sendable {
    var includeText: Bool
}

struct TextDocumentSyncOptions: Codable, Sendable {
    var openClose: Bool
    /// 2: incremental.
    var change: Int
    var save: SaveOptions
}

struct CodeActionOptions: Codable, Sendable {
    var codeActionKinds: [String]
    var resolveProvider: Bool
}

struct DiagnosticOptions: Codable, Sendable {
    var identifier: String
    var interFileDependencies: Bool
    var workspaceDiagnostics: Bool
}

struct ServerCapabilities: Codable, Sendable {
    var positionEncoding: String
    var textDocumentSync: TextDocumentSyncOptions
    var hoverProvider: Bool
    var codeActionProvider: CodeActionOptions
    /// Only when the client pulls diagnostics.
    var diagnosticProvider: DiagnosticOptions?
}

struct InitializeResult: Codable, Sendable {
    var capabilities: ServerCapabilities
    var serverInfo: ServerInfo
}

// MARK: JSON-RPC

/// JSON-RPC and LSP error codes.
public enum RPCErrorCode: Int, Sendable {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
    case requestCancelled = -32800
}

struct ResponseError: Codable, Sendable {
    var code: Int
    var message: String
}

/// A response: `result` (null included) or `error`.
struct ResponseMessage<Result: Encodable>: Encodable {
    var id: RequestID?
    var result: Result?
    var error: ResponseError?

    enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        // A response to a message whose id could not be read has `"id": null`.
        try container.encode(id, forKey: .id)
        if let error {
            try container.encode(error, forKey: .error)
        } else {
            try container.encode(result, forKey: .result)
        }
    }
}

/// A notification or a request the server sends.
struct OutgoingMessage<Params: Encodable>: Encodable {
    var id: RequestID?
    var method: String
    /// nil: no `params` member (JSON-RPC allows none, not null).
    var params: Params?

    enum CodingKeys: String, CodingKey { case jsonrpc, id, method, params }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encode(method, forKey: .method)
        try container.encodeIfPresent(params, forKey: .params)
    }
}

/// The params of a message, decoded from the message's own bytes.
struct ParamsEnvelope<Params: Decodable>: Decodable {
    var params: Params
}

/// `{}` or no params.
struct EmptyParams: Codable, Sendable {}
