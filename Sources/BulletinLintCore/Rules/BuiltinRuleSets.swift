/// The rule sets that ship inside the binary (`rules/*.yaml`, embedded at build time).
public enum BuiltinRuleSets {
    /// Names usable in `--rules` and `extends`.
    public static var names: [String] { EmbeddedRuleFiles.all.map(\.name).sorted() }

    /// The default set.
    /// `default`: `bulletin` and `gongwen`, each applied to the documents of its genre.
    public static let defaultName = "default"

    static func document(named name: String) -> YAMLDocument? {
        guard let entry = EmbeddedRuleFiles.all.first(where: { $0.name == name }) else { return nil }
        return YAMLDocument(path: entry.file, text: entry.text, isBuiltin: true)
    }
}
