/// A check that looks across every document of a run instead of into one: 期号 sequences,
/// repeated 发文字号 (`archive`). It has a phase of its own: a first pass gathers each
/// document's `ArchiveFacts`, then `evaluate` judges them all (`ArchivePass`); the linter's
/// per-document phase never runs it.
public protocol CrossDocumentCheck: Check {
    /// The findings over the facts of every document, each with the path of the file it lands on.
    func evaluate(_ facts: [ArchiveFacts]) -> [(path: String, finding: Finding)]
}

extension CrossDocumentCheck {
    /// Never called: `Linter` skips cross-document rules in its per-document phase.
    public func run(_ context: CheckContext) -> [Finding] { [] }
}

extension Rule {
    /// The rule's check when it looks across documents; nil for a per-document rule.
    public var crossDocumentCheck: (any CrossDocumentCheck)? { check as? any CrossDocumentCheck }
}
