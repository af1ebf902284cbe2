/// How one kind of element is recognised: rule-set data (`elements:` in a rule file), so an
/// office can change labels and shapes without Swift.
///
/// A class: the parser hands specs around for every line it tries, and a struct of strings and
/// a pattern cost a handful of retains per copy. Immutable once made.
public final class ElementSpec: Sendable {
    public let kind: String
    /// ICU pattern matched against one trimmed line (or the lines joined, see `lines`).
    /// Named groups become fields; a group named `list` is split into entries, a group whose
    /// name ends in `date` is read as a date and its field holds the ISO form.
    public let pattern: ICURegex?
    public let region: Region
    /// Lines without a label that follow continue this element (报/送/发 lists).
    public let isList: Bool
    /// How many lines the element may span (an 印发 line split over two lines).
    public let lines: Int
    /// Found anywhere inside the text of its region rather than as a whole line.
    public let inline: Bool
    /// The name users read in messages, e.g. `“报”送名单`.
    public let label: String
    /// For article titles: the longest line taken as a title.
    public let maxLength: Int
    /// Groups whose text is stored under another field name, with what a form says mapped to
    /// the value it means (`（此件公开发布）` → `value: 主动公开`): `normalize:` in a rule file.
    public let normalizations: [Normalization]
    /// What stands between the lines of a masthead element over several lines (`join:`), in its
    /// text and fields: `、` between joint issuers' names.
    public let joiner: String

    public struct Normalization: Sendable {
        /// The pattern's group.
        public let group: String
        /// The field it sets.
        public let field: String
        /// Raw text → value; text not in the map is stored as it is.
        public let map: [String: String]

        public init(group: String, field: String, map: [String: String]) {
            self.group = group
            self.field = field
            self.map = map
        }
    }

    public init(kind: String, pattern: ICURegex?, region: Region, isList: Bool = false, lines: Int = 1,
                inline: Bool = false, label: String? = nil, maxLength: Int = 40,
                normalizations: [Normalization] = [], joiner: String = "") {
        self.normalizations = normalizations
        self.joiner = joiner
        self.kind = kind
        self.pattern = pattern
        self.region = region
        self.isList = isList
        self.lines = lines
        self.inline = inline
        self.label = label ?? kind
        self.maxLength = maxLength
    }

    /// Kinds the parser gives a structural meaning.
    public enum Structural {
        public static let column = "column"
        public static let article = "article"
        public static let articleTitle = "article-title"
        public static let paragraph = "paragraph"
        public static let attribution = "attribution"
        public static let pageNumber = "page-number"
        public static let imprint = "imprint"
        public static let docTitle = "doc-title"
        public static let contents = "contents"
        public static let addressee = "addressee"
        public static let note = "note"
        public static let signingDate = "signing-date"
        public static let issueNumber = "issue-number"
        public static let bulletinName = "bulletin-name"
        public static let docNumber = "doc-number"
        public static let issuerMark = "issuer-mark"
        public static let mastheadDate = "masthead-date"
    }
}
