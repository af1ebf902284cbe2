/// `one-of`: a field's value is one of a set (信息公开选项: 主动公开 / 依申请公开 / 不予公开).
struct OneOfCheck: Check {
    static let kind = "one-of"
    static let messageVariables = ["element", "field", "expected"]
    static let parameterKeys = ["element", "field", "values"]

    let kinds: [String]
    let field: String
    let values: [String]

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        kinds = try parameters.elementKinds()
        field = try parameters.required("field").nonEmptyString()
        let valuesNode = try parameters.required("values")
        values = try valuesNode.stringList()
        if values.isEmpty { throw valuesNode.error("“values”不能为空") }
    }

    func run(_ context: CheckContext) -> [Finding] {
        context.elements(ofKinds: kinds).compactMap { element in
            let value = element.field(field) ?? ""
            if values.contains(value) { return nil }
            let range = element.fieldRange(field).flatMap { $0.isEmpty ? nil : $0 } ?? context.firstLine(of: element)
            return Finding(range: range, variables: [
                "element": context.label(element.kind), "field": field, "text": value,
                // GB/T 15834: no 、 between quoted items.
                "expected": values.map { "“\($0)”" }.joined(),
            ])
        }
    }
}
