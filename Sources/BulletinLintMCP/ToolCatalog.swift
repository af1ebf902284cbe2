// Compiled only with the MCP package trait (on by default); see Package.swift.
#if MCP
import BulletinLintCore
import MCP

/// The tools `bulletinlint mcp` offers, with their JSON input schemas. Descriptions are in
/// Chinese (the users' language); rule ids, rule-set names and argument names stay ASCII.
enum ToolCatalog {
    static let lint = "lint"
    static let fix = "fix"
    static let explain = "explain"
    static let listRules = "list_rules"
    static let inspect = "inspect"

    static let names = [lint, fix, explain, listRules, inspect]

    /// The arguments each tool accepts (anything else is refused).
    static let arguments: [String: Set<String>] = [
        lint: ["text", "path", "name", "rules", "genre"],
        fix: ["text", "name", "rules", "genre", "unsafe"],
        explain: ["rule", "rules", "path"],
        listRules: ["rules", "path"],
        inspect: ["text", "path", "name", "rules"],
    ]

    static var tools: [Tool] {
        [
            Tool(name: lint, title: "检查文稿",
                 description: """
                 按规则集检查一篇中文工作简报、信息专报或公文（版记）：报头、栏目、文章标题与来源、日期、\
                 标点、报/送/发名单、印发行等。text（文稿全文）和 path（文件路径）二者给且只给一个。\
                 返回每个问题的规则名（rule）、级别、说明（message）、依据与改法（help）、位置和可用的修正（fix）。\
                 位置：line、column 从 1 起，column 按 Unicode 字符（码位）计，与命令行 bulletinlint check 相同；\
                 offset 是从文本开头起的 Unicode 字符（码位）数，从 0 起，end 不含在内。\
                 修正分 safe（可直接应用）和 unsafe（需人工核对）；要得到修正后的全文，用 fix 工具。
                 """,
                 inputSchema: schema([
                     ("text", textProperty),
                     ("path", pathProperty),
                     ("name", nameProperty),
                     ("rules", rulesProperty),
                     ("genre", genreProperty),
                 ], required: []),
                 annotations: readOnly("检查文稿")),
            Tool(name: fix, title: "自动修正文稿",
                 description: """
                 修正一段文稿中可自动修正的问题，返回修正后的全文（text）、改动清单（changes：原文中的位置、\
                 原文字 old、新文字 new、对应规则 rules）和修正后仍存在的问题（remaining）。默认只应用安全修正（safe）；\
                 unsafe 设为 true 时也应用需要核对的修正。结果与命令行 bulletinlint check --fix 相同。\
                 不写任何文件：需要时请把 text 写回文件。位置的含义同 lint。
                 """,
                 inputSchema: schema([
                     ("text", .object(["type": "string", "description": "要修正的文稿全文（UTF-8 文本，不超过 64 MB）。"])),
                     ("name", nameProperty),
                     ("rules", rulesProperty),
                     ("genre", genreProperty),
                     ("unsafe", .object(["type": "boolean", "default": false,
                                         "description": "是否也应用不安全的修正（unsafe，需人工核对），默认 false。"])),
                 ], required: ["text"]),
                 annotations: readOnly("自动修正文稿")),
            Tool(name: explain, title: "说明规则",
                 description: """
                 说明一条规则：检查什么（message）、为什么和依据的规范（help，如 GB/T 9704-2012 的条款）、\
                 适用范围、级别、能否自动修正、合规与违规示例（↓ 标出应报告的位置），以及如何在 .bulletinlint.yaml 中调整。\
                 rule 为规则名，如 date-spacing；规则名可从 lint 的结果或 list_rules 得到。
                 """,
                 inputSchema: schema([
                     ("rule", .object(["type": "string", "description": "规则名（ASCII），如 date-spacing、disclosure-missing。"])),
                     ("rules", rulesProperty),
                     ("path", .object(["type": "string", "description": "不给 rules 时，按此路径向上查找最近的 .bulletinlint.yaml（相对于服务器的工作目录）。"])),
                 ], required: ["rule"]),
                 annotations: readOnly("说明规则")),
            Tool(name: listRules, title: "列出规则",
                 description: """
                 列出一个规则集生效的全部规则：规则名、标题、级别、检查类型、来源规则集、适用文种与时期、说明。\
                 不给参数时使用服务器工作目录向上最近的 .bulletinlint.yaml，没有则用内置 default。\
                 结果中的 builtin 列出可用作 rules 参数的内置规则集。
                 """,
                 inputSchema: schema([
                     ("rules", rulesProperty),
                     ("path", .object(["type": "string", "description": "不给 rules 时，按此路径向上查找最近的 .bulletinlint.yaml（相对于服务器的工作目录）。"])),
                 ], required: []),
                 annotations: readOnly("列出规则")),
            Tool(name: inspect, title: "查看文稿结构",
                 description: """
                 显示工具如何理解一篇文稿：识别出的要素（报头、期号、编印单位、栏目、文章标题、正文段落、来源、\
                 版记中的信息公开选项、报/送/发名单、印发行等）及其字段、名单条目和位置，以及判断出的文种（genre：\
                 简报、信息专报、公文及其文种）和判断依据。检查结果与预期不符时，先用它看要素是否识别正确。\
                 text 和 path 二者给且只给一个；位置为 line、column（从 1 起）。
                 """,
                 inputSchema: schema([
                     ("text", textProperty),
                     ("path", pathProperty),
                     ("name", nameProperty),
                     ("rules", rulesProperty),
                 ], required: []),
                 annotations: readOnly("查看文稿结构")),
        ]
    }

    // MARK: Pieces

    static let textProperty: Value = .object([
        "type": "string",
        "description": "文稿全文（UTF-8 文本，不超过 64 MB）。与 path 二选一。",
    ])

    static let pathProperty: Value = .object([
        "type": "string",
        "description": """
        文件路径，相对路径以服务器的工作目录为准；必须是普通文件，不超过 64 MB。\
        支持 .txt、.md、.docx、.ofd、.pdf（需 pdftotext）、.doc/.wps（需 LibreOffice）。与 text 二选一。
        """,
    ])

    static let nameProperty: Value = .object([
        "type": "string",
        "description": """
        给 text 用的文件名（可含路径），如 简报.md：以 .md 结尾时按 Markdown 读；\
        不给 rules 时从它所在目录向上查找 .bulletinlint.yaml，其 ignore 条目也按它匹配。
        """,
    ])

    static var rulesProperty: Value {
        .object([
            "type": "string",
            "enum": .array(BuiltinRuleSets.names.map { .string($0) }),
            "description": .string("""
            内置规则集：\(BuiltinRuleSets.names.joined(separator: "、"))。bulletin 为工作简报，gongwen 为公文（GB/T 9704），\
            default 按文种自动选用二者。不给时使用文件（或 name、服务器工作目录）向上最近的 .bulletinlint.yaml，没有则用 default。
            """),
        ])
    }

    static var genreProperty: Value {
        .object([
            "type": "string",
            "enum": .array(DocumentGenre.conditionNames.map { .string($0) }),
            "description": "把文稿当作这一类文书检查（简报、信息专报、公文，或请示、通知等文种），不按报头、标题自动判断。",
        ])
    }

    static func schema(_ properties: [(String, Value)], required: [String]) -> Value {
        var members: [String: Value] = [:]
        for (name, property) in properties { members[name] = property }
        var schema: [String: Value] = ["type": "object", "properties": .object(members), "additionalProperties": false]
        // An empty `required` is refused by draft-04 validators, which some clients still use.
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    static func readOnly(_ title: String) -> Tool.Annotations {
        Tool.Annotations(title: title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false)
    }
}
#endif
