import Foundation

/// When a rule applies: to documents of some genres (`when: { genre: [简报, 信息专报] }`) and in
/// the period it is in force (`effective: { from: 2012-07-01, until: … }`), compared with the
/// document's own date. A rule without a condition applies to every document.
public struct RuleCondition: Sendable, Equatable {
    /// Genre names (`简报`, `信息专报`, `公文`, `未知`, or a 文种 such as `请示`); nil for any.
    public var genres: [String]? {
        didSet { (kinds, wenzhong) = RuleCondition.split(genres) }
    }
    /// The kinds and the 文种 `genres` names, worked out once: every document is checked against
    /// every rule's condition, and comparing enums costs less than comparing strings.
    private var kinds: [DocumentGenre.Kind] = []
    private var wenzhong: [String] = []

    private static func split(_ genres: [String]?) -> ([DocumentGenre.Kind], [String]) {
        var kinds: [DocumentGenre.Kind] = []
        var wenzhong: [String] = []
        for name in genres ?? [] {
            guard let genre = DocumentGenre.named(name) else { continue }
            if let name = genre.wenzhong { wenzhong.append(name) } else { kinds.append(genre.kind) }
        }
        return (kinds, wenzhong)
    }
    /// Element kinds of which at least one must be in the document (`present: [issuer-mark]`): a
    /// 公文 text without its 版头 (as published on a website) is not missing its 发文字号.
    public var present: [String]?
    /// First day in force (ISO), inclusive.
    public var from: String?
    /// First day no longer in force (ISO), exclusive.
    public var until: String?

    public init(genres: [String]? = nil, from: String? = nil, until: String? = nil) {
        self.genres = genres
        self.from = from
        self.until = until
        (kinds, wenzhong) = RuleCondition.split(genres)
    }

    public var isEmpty: Bool { genres == nil && present == nil && from == nil && until == nil }


    /// Whether the rule applies to a document of this genre and date; an undated document is
    /// judged by the rules in force on `today`.
    public func applies(to genre: DocumentGenre, date: String?, today: String = RuleCondition.today,
                        has: (String) -> Bool = { _ in true }) -> Bool {
        if !covers(genre) { return false }
        if let present, !present.contains(where: has) { return false }
        if from == nil, until == nil { return true }
        return isInForce(on: date ?? today)
    }

    /// Whether the genre condition (alone) covers a genre.
    public func covers(_ genre: DocumentGenre) -> Bool {
        guard genres != nil else { return true }
        if kinds.contains(genre.kind) { return true }
        guard genre.kind == .official, let name = genre.wenzhong else { return false }
        return wenzhong.contains(name)
    }

    public func isInForce(on date: String) -> Bool {
        if let from, date < from { return false }
        if let until, date >= until { return false }
        return true
    }

    /// Today's date, ISO, in China's time zone, worked out once per process.
    public static let today: String = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }()

    /// A genre that satisfies the condition, for running a rule's examples: the first named.
    var exampleGenre: DocumentGenre? {
        genres?.first.flatMap(DocumentGenre.named)
    }

    /// A date inside the period, for running a rule's examples that carry none.
    var exampleDate: String? {
        if let from { return from }
        if let until, let year = Int(until.prefix(4)) { return "\(year - 1)-01-01" }
        return nil
    }

    /// How `rules` and `explain` show the condition: `文种：简报、信息专报；施行：2012-07-01 起`.
    public var summary: String {
        var parts: [String] = []
        if let genres { parts.append("适用：\(genres.joined(separator: "、"))") }
        if let present {
            let named = present.count <= 3 ? present.joined(separator: "或") : present.prefix(2).joined(separator: "、") + "等 \(present.count) 种要素之一"
            parts.append("有\(named)时")
        }
        switch (from, until) {
        case let (from?, until?): parts.append("施行：\(from) 至 \(until) 前")
        case let (from?, nil): parts.append("施行：\(from) 起")
        case let (nil, until?): parts.append("施行：\(until) 前")
        default: break
        }
        return parts.joined(separator: "；")
    }

    /// Reads `when:` and `effective:` values of a rule file.
    static func parse(when: YAMLValue?, effective: YAMLValue?, knownKinds: [String]? = nil) throws(RuleFileError) -> RuleCondition {
        var condition = RuleCondition()
        if let when {
            for entry in try when.entries() {
                if entry.key == "present" {
                    let items: [YAMLValue]
                    if case .scalar = entry.value.node { items = [entry.value] } else { items = try entry.value.list() }
                    var kinds: [String] = []
                    for item in items {
                        let kind = try item.nonEmptyString()
                        if let knownKinds, !knownKinds.contains(kind) {
                            throw item.error("when 的 present 引用了未定义的元素“\(kind)”\(Suggestion.hint(for: kind, among: knownKinds))")
                        }
                        kinds.append(kind)
                    }
                    if kinds.isEmpty { throw entry.value.error("present 至少要写一个元素") }
                    condition.present = kinds
                    continue
                }
                guard entry.key == "genre" else {
                    throw entry.keyValue.error("when 中只能写 genre（文书类别）和 present（须有的元素），实际是“\(entry.key)”\(Suggestion.hint(for: entry.key, among: ["genre", "present"]))")
                }
                let items: [YAMLValue]
                if case .scalar = entry.value.node { items = [entry.value] } else { items = try entry.value.list() }
                var names: [String] = []
                for item in items {
                    let name = try item.nonEmptyString()
                    guard DocumentGenre.conditionNames.contains(name) else {
                        throw item.error("未知的文书类别“\(name)”\(Suggestion.hint(for: name, among: DocumentGenre.conditionNames))；可用：\(DocumentGenre.conditionNames.joined(separator: "、"))")
                    }
                    names.append(name)
                }
                if names.isEmpty { throw entry.value.error("genre 至少要写一个文书类别") }
                condition.genres = names
            }
        }
        if let effective {
            for entry in try effective.entries() {
                guard entry.key == "from" || entry.key == "until" else {
                    throw entry.keyValue.error("effective 中只能写 from 和 until，实际是“\(entry.key)”\(Suggestion.hint(for: entry.key, among: ["from", "until"]))")
                }
                let text = try entry.value.nonEmptyString()
                guard isISODate(text) else {
                    throw entry.value.error("日期应写成 YYYY-MM-DD（如 2012-07-01），实际是“\(text)”")
                }
                if entry.key == "from" { condition.from = text } else { condition.until = text }
            }
            if let from = condition.from, let until = condition.until, from >= until {
                throw effective.error("effective 的 from（\(from)）应早于 until（\(until)）")
            }
        }
        return condition
    }

    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        return ChineseDate(year: year, month: month, day: day).isValid
    }
}
