/// `date`: dates are written as GB/T 9704 asks (Arabic numerals, full year, no leading zeros),
/// have no spaces inside, exist on the calendar, and fall no later than a reference date
/// (`not-after: imprint.date`; years of body dates come from the 印发日期).
struct DateCheck: Check {
    static let kind = "date"
    static let messageVariables = ["element", "problem", "expected", "other"]
    static let parameterKeys = ["element", "scope", "field", "format", "spaces", "calendar", "require-year", "not-after"]

    /// `gbt9704`: GB/T 9704-2012 (Arabic numerals, full year, no leading zeros); `gbt9704-1999`:
    /// the 成文日期 of GB/T 9704-1999 (Chinese numerals, zero written 〇).
    enum Format: String { case gbt9704, gbt97041999 = "gbt9704-1999" }

    let kinds: [String]?
    let scope: Scope?
    let field: String
    let format: Format?
    let spaces: Bool
    let calendar: Bool
    let requireYear: Bool
    let notAfter: (kind: String, field: String)?
    /// `[notAfter.kind]`, made once: the context finds a rule's list by its storage.
    let notAfterKinds: [String]

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        if parameters.optional("element") != nil {
            kinds = try parameters.elementKinds()
            scope = nil
        } else {
            kinds = nil
            scope = try parameters.scope()
        }
        field = try parameters.optional("field")?.nonEmptyString() ?? "date"
        if let formatValue = parameters.optional("format") {
            let name = try formatValue.string()
            guard let format = Format(rawValue: name) else { throw formatValue.error("未知的日期格式“\(name)”，可用：gbt9704、gbt9704-1999") }
            self.format = format
        } else {
            format = nil
        }
        spaces = try parameters.optional("spaces")?.bool() ?? true
        calendar = try parameters.optional("calendar")?.bool() ?? false
        requireYear = try parameters.optional("require-year")?.bool() ?? false
        if let reference = parameters.optional("not-after") {
            let text = try reference.string()
            let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw reference.error("“not-after”应写成“元素.字段”，例如 imprint.date") }
            notAfter = (parts[0], parts[1])
            notAfterKinds = [parts[0]]
            _ = try parameters.elementKindsReference(parts[0], at: reference)
        } else {
            notAfter = nil
            notAfterKinds = []
        }
        if format == nil, spaces, !calendar, !requireYear, notAfter == nil {
            throw parameters.ruleNode.error(
                "规则“\(parameters.ruleID)”没有要检查的内容：请设置 format、spaces、calendar、require-year 或 not-after")
        }
    }

    func run(_ context: CheckContext) -> [Finding] {
        var reference: (iso: String, text: String)? = nil
        if let notAfter {
            reference = context.elements(ofKinds: notAfterKinds).lazy.compactMap { element -> (String, String)? in
                guard let value = element.field(notAfter.field), ParseState.isFullISO(value) else { return nil }
                let text = element.fieldRange(notAfter.field).map { context.source.content($0) } ?? value
                return (value, text)
            }.first
        }
        var findings: [Finding] = []
        // Several date rules read the same dates: each is read once per document.
        for dated in context.datedValues(kinds: kinds, scope: scope, field: field) {
            let element = dated.element
            let value = dated.value
            let range = dated.range
            let text = dated.text
            func add(_ problem: String, expected: String = "", other: String = "") {
                findings.append(Finding(range: range, variables: [
                    "element": context.label(element.kind), "text": text, "problem": problem,
                    "expected": expected, "other": other,
                ]))
            }
            guard let date = dated.date else {
                if format != nil || calendar { add("无法识别的日期") }
                continue
            }
            if format == .gbt9704 {
                let expected = DateCheck.gbt9704(date)
                if date.style.chineseNumerals { add("应使用阿拉伯数字", expected: expected) }
                // Full-width digits are Arabic numerals: `fullwidth-digits` reports their form,
                // once, rather than every date rule again.
                if date.style.shortYear { add("年份应写全四位", expected: expected) }
                if date.style.leadingZero { add("月、日不应补零", expected: expected) }
                if date.style.dayWithHao { add("应写“日”而不是“号”", expected: expected) }
            }
            if format == .gbt97041999, date.isValid {
                let expected = DateCheck.gbt97041999(date)
                if date.style.arabicNumerals || date.style.fullwidthDigits {
                    add("GB/T 9704-1999 要求用汉字书写", expected: expected)
                } else if text.unicodeScalars.contains(where: { "零O○0".unicodeScalars.contains($0) }) {
                    add("“零”应写作“〇”", expected: expected)
                }
            }
            if requireYear, date.year == nil { add("缺少年份") }
            if !spaces, date.style.innerSpace {
                add("日期中有多余空格", expected: text.filter { !$0.isWhitespace && $0 != "\u{3000}" })
            }
            if calendar, !date.isValid {
                add("日历上没有这一天")
            }
            if let reference, ParseState.isFullISO(value), value > reference.iso {
                add("晚于\(reference.text)", other: reference.text)
            }
        }
        return findings
    }

    /// The date as GB/T 9704-1999 wrote a 成文日期: `二〇〇九年十一月二十七日`.
    static func gbt97041999(_ date: ChineseDate) -> String {
        let year = date.year.map { ChineseNumeral.digitByDigit($0) + "年" } ?? ""
        return year + ChineseNumeral.counting(date.month) + "月" + ChineseNumeral.counting(date.day) + "日"
    }

    /// The date as GB/T 9704 writes it.
    static func gbt9704(_ date: ChineseDate) -> String {
        (date.year.map { "\($0)年" } ?? "") + "\(date.month)月\(date.day)日"
    }
}

extension RuleParameters {
    /// Records an element kind named inside a value (`imprint.date`).
    mutating func elementKindsReference(_ kind: String, at value: YAMLValue) throws(RuleFileError) -> String {
        recordReference(kind, at: value)
        return kind
    }
}
