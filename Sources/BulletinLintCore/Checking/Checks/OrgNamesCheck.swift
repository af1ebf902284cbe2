/// `org-names`: an office's registry of organs (机构名称) — each full name with its allowed short
/// forms (规范化简称) and forms to avoid (`organs:` in the rule, or registry files, `registry:`) —
/// and three findings, told apart by `{problem}`:
///
/// - a registered short form in running text before the full name is first written in the
///   document (the first mention is in full; the masthead's 编印单位, a 版头 or a title counts; a
///   title or a 主送 may itself use the short form) — once per organ, no fix; not
///   where the form begins a unit's name (`国家发展改革委办公厅`); `first-mention: false` turns it
///   off (national organs' 规范化简称 are commonly used without the full name);
/// - a form the registry says to avoid — fixed (safely, with `fix: { with: '{replacement}' }`)
///   to the first short form, or to the full name where the name has not been written yet (or
///   the organ has no short form);
/// - a short form that is not registered: a span built from a registered form's characters in
///   order, starting and ending as it does (`省方志办` for `省地方志办`, `国家发改委` for
///   `国家发展改革委`; for an organ without short forms, one ending with its organ word, `办公厅`),
///   with at least one of its distinctive characters — no fix. `unregistered: false` turns
///   this guess off.
///
/// An empty registry finds nothing: the built-in `organ-names` is empty until an office fills it.
/// Cited titles (`《…》`), a 发文字号's 代字 (`国办发〔2020〕1号`), words that merely contain a form
/// (`办公室`, `全省地方志办`) and short forms declared in the text (`（以下简称…）`, as `consistency`
/// reads them) are not reported. Source attributions are exempt by default (`exempt`).
struct OrgNamesCheck: Check {
    static let kind = "org-names"
    static let messageVariables = ["problem", "full", "expected", "replacement"]
    static let parameterKeys = ["scope", "organs", "registry", "exempt", "first-mention", "unregistered"]

    let scope: Scope
    let exempt: [String]
    /// Whether a short form before the full name is reported (`first-mention:`); national
    /// organs' 规范化简称 (`国家发展改革委`) are commonly used without the full name.
    let requiresFullFirst: Bool
    /// Whether short forms outside the registry are looked for (`unregistered:`).
    let guessesUnregistered: Bool
    /// Nil for an empty registry.
    let table: OrganTable?

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .region(.body))
        var registry = OrganRegistry()
        if let organs = parameters.optional("organs"), !organs.isNull { try registry.addYAML(organs) }
        if let value = parameters.optional("registry") {
            let items: [YAMLValue]
            if case .scalar = value.node { items = [value] } else { items = try value.list() }
            for item in items {
                let reference = try item.nonEmptyString()
                if OrgNamesCheck.looksLikePath(reference) {
                    let file = try parameters.dataFile(item, what: "机构名录")
                    try registry.addFile(file.text, file: file.path)
                } else {
                    let builtins = EmbeddedDataFiles.all.filter { $0.name.hasPrefix("organs") }
                    guard let file = builtins.first(where: { $0.name == reference }) else {
                        let names = builtins.map(\.name)
                        throw item.error("没有名为“\(reference)”的内置机构名录\(Suggestion.hint(for: reference, among: names))；可用：\(names.joined(separator: "、"))；本单位的名录文件请写相对于本文件的路径（如 my-organs.tsv）")
                    }
                    try registry.addFile(file.text, file: file.file)
                }
            }
        }
        if let value = parameters.optional("exempt") {
            exempt = try value.stringList()
            for kind in exempt { parameters.recordReference(kind, at: value) }
        } else {
            exempt = [ElementSpec.Structural.attribution]
        }
        requiresFullFirst = try parameters.optional("first-mention")?.bool() ?? true
        guessesUnregistered = try parameters.optional("unregistered")?.bool() ?? true
        table = registry.organs.isEmpty ? nil : OrganTable(registry.organs)
    }

    /// Where a short form must not come before the full name: running text. A title, the 主送
    /// and the lists may use the 规范化简称 from the start (《党政机关公文处理工作条例》第九条 allows it
    /// for the 发文机关标志, the 主送机关 and the 署名; titles of articles use it throughout).
    static let runningText: Set<String> = [ElementSpec.Structural.paragraph, "editor-note"]

    /// `my-organs.tsv`, `名录/机构.txt`, `/etc/…`: a file; `organs-example`: a built-in registry.
    static func looksLikePath(_ reference: String) -> Bool {
        reference.contains("/") || reference.hasSuffix(".tsv") || reference.hasSuffix(".txt")
    }

    func run(_ context: CheckContext) -> [Finding] {
        guard let table else { return [] }
        // Where each full name is first written, anywhere in the document: the masthead's
        // 编印单位 and a 版头 are first mentions too.
        var firstFull: [Int: TextRange] = [:]
        var scans: [TextRange: OrganTable.Scan] = [:]
        for unit in context.units(in: .document) {
            let scan = table.scan(unit.text)
            scans[unit.range] = scan
            for hit in scan.hits where table.forms[hit.form].role == .name {
                let range = unit.view.sourceRange(scan.utf8Range(hit.range))
                let organ = table.forms[hit.form].organ
                if let known = firstFull[organ], known.lowerBound <= range.lowerBound { continue }
                firstFull[organ] = range
            }
        }
        // `省农业农村厅` in a document that also writes `浙江省农业农村厅` is Zhejiang's, whatever the
        // registry's province: such a form is not judged in this document.
        var elsewhere: [String: Bool] = [:]
        func namesAnotherPlace(_ text: String, organ: Int) -> Bool {
            if let known = elsewhere[text] { return known }
            let found = table.namesAnotherPlace(Array(text.unicodeScalars), organ: organ, in: scans.values)
            elsewhere[text] = found
            return found
        }
        var findings: [Finding] = []
        var reportedFirst: Set<Int> = []
        // Organs whose first mention is a form to avoid, which its fix writes in full.
        var writtenInFull: Set<Int> = []
        var declared: Set<String> = []
        for unit in context.units(in: scope) where !exempt.contains(unit.kind) {
            var scan = scans[unit.range] ?? table.scan(unit.text)
            for hit in scan.hits where !hit.quoted {
                let form = table.forms[hit.form]
                let organ = table.organs[form.organ]
                let range = unit.view.sourceRange(scan.utf8Range(hit.range))
                let full = firstFull[form.organ]
                let expected = OrgNamesCheck.expected(organ)
                switch form.role {
                case .name:
                    continue
                case .short:
                    // Running text only: a title, a 主送 or a list may use the 规范化简称 first.
                    // `国家发展改革委办公厅` names the 办公厅, not the 委员会.
                    if !requiresFullFirst || !OrgNamesCheck.runningText.contains(unit.kind) || hit.beforeSubunit { continue }
                    if let full, full.lowerBound < range.lowerBound { continue }
                    if reportedFirst.contains(form.organ) || namesAnotherPlace(form.text, organ: form.organ) { continue }
                    reportedFirst.insert(form.organ)
                    let problem = full == nil
                        ? "文中没有写出全称“\(organ.name)”，第一次提到时应写全称"
                        : "简称出现在全称“\(organ.name)”之前，第一次提到时应写全称"
                    let related = full.map { [Finding.Note(range: $0, message: "全称“\(organ.name)”在这里第一次出现")] } ?? []
                    findings.append(Finding(range: range, variables: [
                        "text": form.text, "problem": problem, "full": organ.name, "expected": expected, "replacement": form.text,
                    ], related: related))
                case .avoid:
                    // Before the full name is written, this is the first mention: it becomes the full name.
                    let first = (full.map { $0.lowerBound > range.lowerBound } ?? true) && writtenInFull.insert(form.organ).inserted
                    let replacement = first || organ.short.isEmpty ? organ.name : organ.short[0]
                    let problem = replacement == organ.name && !organ.short.isEmpty
                        ? "不用此写法；这里是第一次提到，应写全称“\(organ.name)”"
                        : "不用此写法，应写作“\(replacement)”"
                    findings.append(Finding(range: range, variables: [
                        "text": form.text, "problem": problem, "full": organ.name, "expected": expected, "replacement": replacement,
                    ]))
                }
            }
            guard guessesUnregistered else { continue }
            for candidate in table.unregistered(in: &scan) {
                let text = candidate.text
                let utf8 = scan.utf8Range(candidate.range)
                // Declared in the text (`四川省地方志工作办公室（以下简称省方志办）`): the author's own.
                if declared.contains(text) { continue }
                if ConsistencyCheck.declares(text, in: unit.text).contains(where: { $0.lowerBound < utf8.upperBound }) {
                    declared.insert(text)
                    continue
                }
                if namesAnotherPlace(text, organ: candidate.organ) { continue }
                let organ = table.organs[candidate.organ]
                let problem = organ.short.isEmpty
                    ? "不在机构名录中；“\(organ.name)”没有规范简称，应写全称"
                    : "不在机构名录中；“\(organ.name)”的规范简称是\(OrgNamesCheck.expected(organ))"
                findings.append(Finding(range: unit.view.sourceRange(utf8), variables: [
                    "text": text, "problem": problem, "full": organ.name, "expected": OrgNamesCheck.expected(organ), "replacement": text,
                ]))
            }
        }
        return findings
    }

    /// The allowed forms, quoted: `“省地方志办”“省志办”`, or the full name when there is none.
    static func expected(_ organ: OrganRegistry.Organ) -> String {
        (organ.short.isEmpty ? [organ.name] : organ.short).map { "“\($0)”" }.joined()
    }
}

/// The registry made ready for text: every name and form by its first character, and what a short
/// form outside the registry must look like, by its last character.
struct OrganTable: Sendable {
    struct Form: Sendable {
        let text: String
        let scalars: [Unicode.Scalar]
        let organ: Int
        let role: OrganRegistry.Role
    }

    /// What an unregistered short form of an organ is measured against: it must be built from
    /// `scalars` in order, start with one of `starts`, end with `ending` and hold one of `core`.
    struct Reference: Sendable {
        let organ: Int
        let scalars: [Unicode.Scalar]
        let starts: Set<Unicode.Scalar>
        let ending: [Unicode.Scalar]
        let core: Set<Unicode.Scalar>
    }

    let organs: [OrganRegistry.Organ]
    let forms: [Form]
    /// Form indices by first scalar, longest first.
    private let formsByFirst: [Unicode.Scalar: [Int]]
    /// References by the last scalar of their ending.
    private let referencesByLast: [Unicode.Scalar: [Reference]]
    /// Every name and form of the registry.
    private let registered: Set<String>

    /// 省, 市, 县 …: the level a place prefix ends with (`四川省`), and a short form starts with (`省地方志办`).
    static let levels: Set<Unicode.Scalar> = ["省", "市", "县", "区", "州", "盟", "旗"]
    /// Words before a level that take it as their own: `全省`, `各市`, `本县` — `全省地方志办` is every
    /// 地方志办 of the province, not the provincial one.
    static let levelTakers: Set<Unicode.Scalar> = ["全", "本", "我", "各", "该", "外", "两", "跨", "邻", "每", "他", "此",
                                                   "多", "数", "几", "诸", "同", "省", "市", "县", "区", "州"]
    /// What may stand before a two-character form (`国办`) other than a mark or a line start:
    /// `经国办同意`, `由国办印发`; `全国办理` and `中国办学` are other words.
    static let functionWords: Set<Unicode.Scalar> = ["经", "由", "和", "与", "及", "同", "向", "对", "在", "据", "请",
                                                     "将", "为", "是", "被", "从", "至", "报", "送", "把", "给", "即", "并", "或", "跟"]
    /// Characters that, after an organ's last character, make a longer word of it: `办公室`,
    /// `办理`, `委员`, `会议`, `部门`, `中心城区`.
    static let continuations: [Unicode.Scalar: Set<Unicode.Scalar>] = [
        "办": ["公", "理", "法", "事", "学", "好", "结", "案", "件", "成", "实", "得", "到", "妥", "班", "展", "刊", "证", "照", "税", "文"],
        "委": ["员", "托", "屈", "派"],
        "会": ["议", "同", "商", "计", "员", "谈", "见", "展", "场", "期", "上", "后", "前", "务", "所", "刊", "堂", "演"],
        "局": ["面", "势", "部", "限"],
        "院": ["校", "士", "落", "线"],
        "部": ["门", "分", "署", "队", "位", "件", "落", "署"],
        "厅": ["堂"],
        "心": ["城", "区", "得", "理", "愿", "声"],
        "府": ["第", "邸"],
        "室": ["内", "外", "友"],
    ]
    /// Leading words of a national organ, not distinctive of it: `国家`发展改革委.
    static let nationalPrefixes = ["中华人民共和国", "国家", "中央", "全国", "中国"]
    /// The organ words a full name ends with, longest first; otherwise its last character.
    static let organWords = ["常务委员会", "委员会", "办公厅", "办公室", "人民政府", "研究室", "中心"]
    static let openingBrackets: Set<Unicode.Scalar> = ["〔", "[", "［", "(", "（", "【", "﹝"]
    /// Words right after an organ's name that make it the name of one of its units:
    /// `国家发展改革委办公厅`, `省地方志办党组`, `科技部机关` (a unit named further on, as in
    /// `住房城乡建设部建筑市场监管司`, is not seen).
    static let subunitWords: [[Unicode.Scalar]] = ["办", "党组", "党委", "机关", "直属", "所属", "司", "局", "处", "厅", "室", "所",
                                                   "中心", "研究院", "研究所"].map { Array($0.unicodeScalars) }

    init(_ organs: [OrganRegistry.Organ]) {
        self.organs = organs
        var forms: [Form] = []
        var references: [Reference] = []
        for (index, organ) in organs.enumerated() {
            forms.append(Form(text: organ.name, scalars: Array(organ.name.unicodeScalars), organ: index, role: .name))
            for short in organ.short { forms.append(Form(text: short, scalars: Array(short.unicodeScalars), organ: index, role: .short)) }
            for avoid in organ.avoid { forms.append(Form(text: avoid, scalars: Array(avoid.unicodeScalars), organ: index, role: .avoid)) }
            references += OrganTable.references(of: organ, index: index)
        }
        var byFirst: [Unicode.Scalar: [Int]] = [:]
        for (index, form) in forms.enumerated() {
            if let first = form.scalars.first { byFirst[first, default: []].append(index) }
        }
        for key in byFirst.keys { byFirst[key]?.sort { forms[$0].scalars.count > forms[$1].scalars.count } }
        var byLast: [Unicode.Scalar: [Reference]] = [:]
        for reference in references {
            if let last = reference.ending.last { byLast[last, default: []].append(reference) }
        }
        self.forms = forms
        formsByFirst = byFirst
        referencesByLast = byLast
        registered = Set(forms.map(\.text))
    }

    /// The number of leading scalars of a name that are its place (`四川省`, `成都市`): up to the
    /// first level within nine characters, after at least one; 0 for a national organ.
    static func placeLength(_ name: [Unicode.Scalar]) -> Int {
        let text = String(String.UnicodeScalarView(name))
        if nationalPrefixes.contains(where: { text.hasPrefix($0) }) { return 0 }
        for index in name.indices.dropFirst().prefix(8) where levels.contains(name[index]) { return index + 1 }
        return 0
    }

    /// The scalars of a leading national word (`国家`), if any.
    static func nationalLength(_ scalars: [Unicode.Scalar]) -> Int {
        let text = String(String.UnicodeScalarView(scalars))
        return nationalPrefixes.first { text.hasPrefix($0) }?.unicodeScalars.count ?? 0
    }

    /// What an unregistered short form of one organ is measured against: each short form of
    /// three or more characters, and the place followed by it (`四川` + `省地方志办`); for an
    /// organ without one, the full name, ending with its organ word.
    static func references(of organ: OrganRegistry.Organ, index: Int) -> [Reference] {
        let name = Array(organ.name.unicodeScalars)
        let place = Array(name.prefix(placeLength(name)))
        var out: [Reference] = []
        for short in organ.short {
            let scalars = Array(short.unicodeScalars)
            guard scalars.count >= 3, let first = scalars.first, let last = scalars.last else { continue }
            var core = Set(scalars.dropLast().dropFirst(nationalLength(scalars)))
            core.subtract(levels)
            core.subtract(place)
            guard !core.isEmpty else { continue }
            out.append(Reference(organ: index, scalars: scalars, starts: [first], ending: [last], core: core))
            if let placeFirst = place.first, placeFirst != first {
                out.append(Reference(organ: index, scalars: place + scalars, starts: [placeFirst], ending: [last], core: core))
            }
        }
        if out.isEmpty, let first = name.first {
            let text = organ.name
            let word = organWords.first { text.hasSuffix($0) && text.count > $0.count } ?? String(String.UnicodeScalarView(name.suffix(1)))
            let ending = Array(word.unicodeScalars)
            var core = Set(name.dropLast(ending.count).dropFirst(max(place.count, nationalLength(name))))
            core.subtract(levels)
            var starts: Set<Unicode.Scalar> = [first]
            if let level = place.last { starts.insert(level) }
            if !core.isEmpty { out.append(Reference(organ: index, scalars: name, starts: starts, ending: ending, core: core)) }
        }
        return out
    }

    // MARK: Scanning a unit

    /// A name or form found in a unit, by scalar indices.
    struct Hit: Sendable {
        let form: Int
        let range: Range<Int>
        /// Inside `《…》`: a cited title, quoted as it was issued.
        let quoted: Bool
        /// Followed by a unit's word (`办公厅`, `党组`, `司`): the form is part of the name of a
        /// unit of the organ, not the organ itself.
        let beforeSubunit: Bool
    }

    /// One unit's text as scalars, with the forms found in it and what is taken.
    struct Scan: Sendable {
        let scalars: [Unicode.Scalar]
        var hits: [Hit] = []
        /// Scalars inside a hit, a cited title or a short form already reported.
        var taken: [Bool]
        /// UTF-8 offset of each scalar, and of the end.
        private let offsets: [Int]

        init(_ text: String) {
            scalars = Array(text.unicodeScalars)
            taken = [Bool](repeating: false, count: scalars.count)
            offsets = scalars.utf8Offsets
        }

        func utf8Range(_ range: Range<Int>) -> Range<Int> { offsets[range.lowerBound]..<offsets[range.upperBound] }
    }

    /// The names and forms of a unit, leftmost-longest; a short form or a form to avoid only
    /// where it stands as a word of its own (`boundaryAllows`).
    func scan(_ text: String) -> Scan {
        var scan = Scan(text)
        let scalars = scan.scalars
        // Cited titles: between 《 and its 》.
        var depth = 0
        var quoted = [Bool](repeating: false, count: scalars.count)
        for index in scalars.indices {
            if scalars[index] == "《" { depth += 1 } else if scalars[index] == "》" { depth = max(0, depth - 1) }
            if depth > 0 { quoted[index] = true; scan.taken[index] = true }
        }
        var index = 0
        while index < scalars.count {
            guard let candidates = formsByFirst[scalars[index]],
                  let found = candidates.first(where: { OrganTable.matches(forms[$0].scalars, scalars, at: index) }) else {
                index += 1
                continue
            }
            let form = forms[found]
            let end = index + form.scalars.count
            if form.role != .name, !OrganTable.boundaryAllows(scalars, start: index, end: end) {
                index += 1
                continue
            }
            scan.hits.append(Hit(form: found, range: index..<end, quoted: quoted[index],
                                 beforeSubunit: OrganTable.subunitWords.contains { OrganTable.matches($0, scalars, at: end) }))
            for k in index..<end { scan.taken[k] = true }
            index = end
        }
        return scan
    }

    static func matches(_ form: [Unicode.Scalar], _ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + form.count <= scalars.count else { return false }
        for k in form.indices where scalars[index + k] != form[k] { return false }
        return true
    }

    /// Whether a short form at `start..<end` stands as a word of its own: not followed by a
    /// character that makes a longer word of its end (`办公室`), not a 发文字号's 代字
    /// (`国办发〔2020〕`), not after a word that takes its level (`全省`), and, for two
    /// characters, not inside a word (`全国办理`).
    static func boundaryAllows(_ scalars: [Unicode.Scalar], start: Int, end: Int) -> Bool {
        guard end > start else { return false }
        if !rightBoundaryAllows(scalars, end: end) { return false }
        if start > 0 {
            let before = scalars[start - 1]
            if levels.contains(scalars[start]), levelTakers.contains(before) { return false }
            if end - start == 2, before.properties.isIdeographic, !functionWords.contains(before) { return false }
        }
        return true
    }

    /// The right side of `boundaryAllows`: no longer word, no 代字.
    static func rightBoundaryAllows(_ scalars: [Unicode.Scalar], end: Int) -> Bool {
        guard end < scalars.count else { return true }
        if let words = continuations[scalars[end - 1]], words.contains(scalars[end]) { return false }
        // `国办发〔2020〕1号`, `川志函[2019]`: up to three characters, a bracket, a digit.
        var k = end
        while k < scalars.count, k - end < 3, scalars[k].properties.isIdeographic { k += 1 }
        if k + 1 < scalars.count, openingBrackets.contains(scalars[k]),
           ("0"..."9").contains(scalars[k + 1]) || ("０"..."９").contains(scalars[k + 1]) {
            return false
        }
        return true
    }

    /// Whether a form that starts with a level (`省农业农村厅`) is written anywhere in the
    /// document after another place than the organ's (`浙江省农业农村厅`, not `四川省…`, `全省…`):
    /// then the document is about that place's organ.
    func namesAnotherPlace(_ form: [Unicode.Scalar], organ: Int, in scans: some Sequence<Scan>) -> Bool {
        guard let first = form.first, OrganTable.levels.contains(first) else { return false }
        let name = Array(organs[organ].name.unicodeScalars)
        let place = OrganTable.placeLength(name)
        guard place >= 2 else { return false }
        let own = name[place - 2]
        for scan in scans {
            let scalars = scan.scalars
            var index = 1
            while index + form.count <= scalars.count {
                if OrganTable.matches(form, scalars, at: index) {
                    let before = scalars[index - 1]
                    if before != own, before.properties.isIdeographic, !OrganTable.levelTakers.contains(before) { return true }
                }
                index += 1
            }
        }
        return false
    }

    // MARK: Short forms outside the registry

    /// The short forms of a unit that look like a registered organ's but are not registered; the
    /// longest at each end, each marked taken.
    func unregistered(in scan: inout Scan) -> [(organ: Int, range: Range<Int>, text: String)] {
        guard !referencesByLast.isEmpty else { return [] }
        let scalars = scan.scalars
        var found: [(organ: Int, range: Range<Int>, text: String)] = []
        for end in scalars.indices where !scan.taken[end] {
            guard let references = referencesByLast[scalars[end]], OrganTable.rightBoundaryAllows(scalars, end: end + 1) else { continue }
            var best: (start: Int, organ: Int, text: String)? = nil
            for reference in references {
                guard let start = longestStart(of: reference, in: scan, end: end) else { continue }
                if let current = best, current.start <= start { continue }
                best = (start, reference.organ, String(String.UnicodeScalarView(scalars[start...end])))
            }
            guard let best else { continue }
            found.append((best.organ, best.start..<(end + 1), best.text))
            for k in best.start...end { scan.taken[k] = true }
        }
        return found
    }

    /// The furthest start of a span ending at `end` that `reference` accepts: built from its
    /// characters in order (matched from the right, each to the last place it can take), ending
    /// with its ending, starting with one of its starts, at least three characters long, holding
    /// one of its distinctive characters, not taken, not registered and not a leading part of the
    /// full name (`四川省人民代表大会` in `四川省人民代表大会常务委员会` is another organ).
    private func longestStart(of reference: Reference, in scan: Scan, end: Int) -> Int? {
        let scalars = scan.scalars
        let ending = reference.ending
        guard end + 1 >= ending.count else { return nil }
        for k in ending.indices where scalars[end + 1 - ending.count + k] != ending[k] || scan.taken[end + 1 - ending.count + k] {
            return nil
        }
        var best: Int? = nil
        var bound = reference.scalars.count
        var distinctive = false
        var k = end
        while k >= 0, !scan.taken[k], end - k < reference.scalars.count {
            guard let place = reference.scalars[..<bound].lastIndex(of: scalars[k]) else { break }
            bound = place
            if k < end, reference.core.contains(scalars[k]) { distinctive = true }
            if end - k + 1 >= 3, distinctive, reference.starts.contains(scalars[k]), isCandidate(scalars, start: k, end: end, organ: reference.organ) {
                best = k
            }
            if bound == 0 { break }
            k -= 1
        }
        return best
    }

    private func isCandidate(_ scalars: [Unicode.Scalar], start: Int, end: Int, organ: Int) -> Bool {
        if start > 0, OrganTable.levels.contains(scalars[start]), OrganTable.levelTakers.contains(scalars[start - 1]) { return false }
        let text = String(String.UnicodeScalarView(scalars[start...end]))
        if registered.contains(text) { return false }
        // A leading part of the full name is the organ above it, not a short form of this one.
        let name = organs[organ].name
        if let found = name.range(of: text), found.upperBound != name.endIndex { return false }
        return true
    }
}
