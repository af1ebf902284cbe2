/// `table-totals`: a table's 合计 (总计, 小计) row whose number in a column is not the sum of
/// the rows it totals, in the tables the readers found (`TextTable`: a .docx's `w:tbl`, a
/// Markdown or plain-text pipe table).
///
/// How a table is read:
/// - **Header.** Rows the document marks as header (the Markdown header row, `w:tblHeader`), a
///   caption across the table, the first row above the first row with a number (or whose only
///   numbers are years: `项目 | 2023 | 2024`), and rows without numbers that continue it (their
///   first column empty: `  | 预算数 | 决算数`). A column's name is its header cells' text; a
///   caption is not part of any column's name.
/// - **Total rows.** A row holding a number is a total row when a cell before its first number
///   reads as one of `labels` (spaces inside ignored: `合　计`; `合计（万元）`, `三、合计` too).
///   Labels in `subtotals` (小计) close a group; the others (合计, 总计) close everything above.
/// - **Direction.** Totals stand below what they add up, unless the table's first row of numbers
///   is a total row (`合计` right under the header): then every total adds up what stands below it.
/// - **Columns.** A column is checked when every row it adds up holds a number or nothing (empty,
///   `—`, `-`, `/`); a column with text, or with a percentage anywhere, or whose name says it is
///   no sum (`skip-columns`: 率, 比, 均, 增长, 单价, 序号 …) is left alone.
/// - **Sums.** A 小计 is the sum of the rows since the previous total; a 合计 may be the sum of the
///   detail rows or of the 小计s (either is accepted), and a 总计 under several 合计s their sum.
///   Rows numbered at several levels (一、 （一） 1. （1）) may add up by their top level, their
///   lowest one or all of them; a row the rows under it add up to (人员经费 = 工资 + 津贴) may
///   stand for them. Any of these reading that gives the total is accepted. When none does and
///   the rows' structure is unclear (a `其中` row, numbered and unnumbered rows mixed), nothing is
///   reported: a wrong guess at the structure would be a false alarm.
/// - **Rounding.** The difference may be up to `tolerance` (default 0.5) units of the last
///   decimal place shown, for each number added: rounded addends and a rounded total differ by
///   at most that much. A column of whole numbers whose name says it counts (`exact-columns`:
///   人数, 户数, （个） …) is added exactly: counts are not rounded.
///
/// A finding is on the total's cell, with `{column}`, `{sum}` (as the table writes numbers: its
/// decimals, thousands separators when the total has them), `{total}` and `{label}`.
struct TableTotalsCheck: Check {
    static let kind = "table-totals"
    static let messageVariables = ["column", "sum", "total", "label"]
    static let parameterKeys = ["labels", "subtotals", "tolerance", "skip-columns", "exact-columns"]

    static let defaultLabels = ["合计", "总计", "小计", "总数"]
    static let defaultSubtotals = ["小计"]
    static let defaultSkipColumns = ["率", "比", "均", "增长", "%", "％", "‰", "单价", "序号", "编号", "代码", "年份", "年度", "排名", "名次",
                                     "行次", "栏次"]
    static let defaultTolerance = 0.5
    /// What `bulletinlint rules` and `explain` say about the formats it reads.
    static let formatNote = "只检查表格：.docx 和 Markdown 的表格，以及纯文本中 Markdown 写法的表格（表头下一行是“| --- | --- |”）；PDF 和 OFD 提取的文字认不出表格，不报告。"
    static let defaultExactColumns = ["人数", "户数", "个数", "件数", "次数", "家数", "项数", "人次", "（人）", "（个）", "（项）", "（件）",
                                      "（次）", "（户）", "（家）", "（所）", "（名）", "(人)", "(个)", "(项)", "(件)", "(次)", "(户)"]

    /// Labels with their spaces removed, longest first.
    let labels: [String]
    let subtotals: Set<String>
    let tolerance: Double
    let skipColumns: [String]
    let exactColumns: [String]

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        func labelList(_ key: String, default fallback: [String]) throws(RuleFileError) -> [String] {
            guard let value = parameters.optional(key) else { return fallback }
            let list = try value.stringList().map(TableTotalsCheck.squeezed)
            if list.isEmpty || list.contains(where: \.isEmpty) { throw value.error("“\(key)”应为不空的文字列表") }
            return list
        }
        let subtotalList = try labelList("subtotals", default: TableTotalsCheck.defaultSubtotals)
        let labelList = try labelList("labels", default: TableTotalsCheck.defaultLabels)
        labels = Array(Set(labelList + subtotalList)).sorted { ($0.count, $0) > ($1.count, $1) }
        subtotals = Set(subtotalList)
        if let value = parameters.optional("tolerance") {
            guard let number = Double(try value.string()), number.isFinite, number >= 0, number <= 1_000 else {
                throw value.error("“tolerance”应为不小于 0 的数（末位单位的几分之几，默认 0.5）")
            }
            tolerance = number
        } else {
            tolerance = TableTotalsCheck.defaultTolerance
        }
        func words(_ key: String, default fallback: [String]) throws(RuleFileError) -> [String] {
            guard let value = parameters.optional(key) else { return fallback }
            let list = try value.stringList()
            if list.contains(where: { $0.isEmpty }) { throw value.error("“\(key)”中不能有空字符串") }
            return list
        }
        skipColumns = try words("skip-columns", default: TableTotalsCheck.defaultSkipColumns)
        exactColumns = try words("exact-columns", default: TableTotalsCheck.defaultExactColumns)
    }

    func run(_ context: CheckContext) -> [Finding] {
        let tables = context.tables
        guard !tables.isEmpty else { return [] }
        var findings: [Finding] = []
        for table in tables {
            var reading = TableReading(table: table, source: context.source, check: self)
            findings += reading.findings()
        }
        return findings
    }

    // MARK: Cells

    /// A text without any space (spaces inside a label: `合　计`).
    static func squeezed(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !TextTable.isSpace($0) && !$0.properties.isWhitespace }))
    }

    /// What a cell holds, for adding up.
    enum Value: Equatable {
        case empty
        case number(Number)
        case percent
        case text
    }

    /// A number as written: its value in units of its last decimal place.
    struct Number: Equatable {
        var units: Int
        var decimals: Int
        /// Written with thousands separators (`1,200`).
        var grouped: Bool
    }

    /// Cells that mean "nothing here".
    static let emptyMarks: Set<String> = ["-", "--", "—", "——", "－", "–", "―", "/", "／", "\\", "…", "……", "无"]

    /// Reads a cell's text (its spaces at either end already gone).
    static func value(_ text: String) -> Value {
        if text.isEmpty || emptyMarks.contains(text) { return .empty }
        if text.unicodeScalars.contains(where: { $0 == "%" || $0 == "％" || $0 == "‰" }) { return .percent }
        guard let number = number(text) else { return .text }
        return .number(number)
    }

    /// An Arabic number, full-width digits allowed: optional sign (or currency sign), digits
    /// with or without correct thousands separators, up to six decimals.
    static func number(_ text: String) -> Number? {
        var scalars: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: scalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30) ?? scalar)
            case 0xFF0E: scalars.append(".")
            case 0xFF0C: scalars.append(",")
            case 0xFF0D, 0x2212, 0x2013: scalars.append("-")
            case 0xFF0B: scalars.append("+")
            default: scalars.append(scalar)
            }
        }
        var index = 0
        var negative = false
        if index < scalars.count, scalars[index] == "¥" || scalars[index] == "￥" { index += 1 }
        if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" {
            negative = scalars[index] == "-"
            index += 1
        }
        if index < scalars.count, scalars[index] == "¥" || scalars[index] == "￥" { index += 1 }
        var integer: [UInt32] = []
        var grouped = false
        var groupLength = 0
        var fraction: [UInt32] = []
        var inFraction = false
        while index < scalars.count {
            let scalar = scalars[index]
            if ("0"..."9").contains(scalar) {
                if inFraction { fraction.append(scalar.value - 0x30) } else { integer.append(scalar.value - 0x30); groupLength += 1 }
            } else if scalar == ",", !inFraction {
                // A separator: after one to three digits first, then after exactly three.
                guard !integer.isEmpty, grouped ? groupLength == 3 : groupLength <= 3 else { return nil }
                grouped = true
                groupLength = 0
            } else if scalar == ".", !inFraction {
                inFraction = true
            } else {
                return nil
            }
            index += 1
        }
        guard !integer.isEmpty, !grouped || groupLength == 3, !inFraction || !fraction.isEmpty,
              fraction.count <= 6, integer.count + fraction.count <= 18 else { return nil }
        var units = 0
        for digit in integer + fraction { units = units * 10 + Int(digit) }
        return Number(units: negative ? -units : units, decimals: fraction.count, grouped: grouped)
    }

    /// Powers of ten up to 10^6, for scaling numbers to a common last place.
    static let powers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// A sum written in units of `decimals` places, with separators when `grouped`.
    static func format(_ units: Int, decimals: Int, grouped: Bool) -> String {
        let negative = units < 0
        let magnitude = units.magnitude
        let scale = UInt(powers[min(max(decimals, 0), 6)])
        var integer = String(magnitude / scale)
        if grouped {
            var out = ""
            for (offset, character) in integer.enumerated() {
                if offset > 0, (integer.count - offset) % 3 == 0 { out.append(",") }
                out.append(character)
            }
            integer = out
        }
        var text = (negative ? "-" : "") + integer
        if decimals > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// The level a row's label is numbered at (一、 1, （一） 2, 1. 3, （1） 4, ① 5), whether it is
    /// an "of which" row (`其中：`, `含`, `——`), or neither.
    enum Level: Equatable {
        case numbered(Int)
        case ofWhich
        case plain
    }

    static func level(of label: String) -> Level {
        if label.hasPrefix("其中") || label.hasPrefix("含") || label.hasPrefix("包括") || label.hasPrefix("—") || label.hasPrefix("-") {
            return .ofWhich
        }
        if let heading = HeadingNumber.parse(label) { return .numbered(heading.level) }
        if !label.isEmpty, label.allSatisfy({ HeadingNumber.numerals.contains($0) }) { return .numbered(1) }
        if !label.isEmpty, label.count <= 2, label.allSatisfy({ $0.isASCII && $0.isNumber }) { return .numbered(3) }
        if let first = label.unicodeScalars.first, (0x2460...0x2473).contains(first.value) { return .numbered(5) }
        return .plain
    }
}

/// One table as the check reads it.
private struct TableReading {
    let table: TextTable
    let source: SourceText
    let check: TableTotalsCheck

    enum TotalKind { case grand, subtotal }

    /// Each row's values by grid column (a value belongs to the column its cell starts at; the
    /// other columns a cell spans, and a cell continuing the one above, hold nothing).
    private var values: [[TableTotalsCheck.Value]] = []
    /// Each row's total label (as written, spaces removed), if it is a total row.
    private var totals: [(kind: TotalKind, label: String)?] = []
    /// Each row's label: its first cell with text (spaces removed).
    private var labels: [String] = []
    private let columnCount: Int

    init(table: TextTable, source: SourceText, check: TableTotalsCheck) {
        self.table = table
        self.source = source
        self.check = check
        columnCount = table.columnCount
    }

    /// A cell's text as the author wrote it (Markdown markup left out), without the spaces
    /// around it.
    func text(_ cell: TextTable.Cell) -> String {
        guard !cell.range.isEmpty else { return "" }
        return TableReading.trim(source.content(cell.range))
    }

    static func trim(_ text: String) -> String {
        let range = TextTable.trimmed(0..<text.utf8.count, in: text)
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
        return String(text[start..<end])
    }

    mutating func findings() -> [Finding] {
        let rows = table.rows
        guard rows.count >= 2, columnCount >= 2 else { return [] }
        read()
        let headers = headerCount()
        let body = Array(headers..<rows.count)
        guard !body.isEmpty, body.contains(where: { totals[$0] != nil }) else { return [] }
        // Totals above what they add up: the first row with a number is a total.
        let firstWithNumber = body.first { row in values[row].contains { if case .number = $0 { return true } else { return false } } }
        let topDown = firstWithNumber.map { totals[$0] != nil } ?? false
        let order = topDown ? Array(body.reversed()) : body
        guard let lastTotal = order.lastIndex(where: { totals[$0] != nil }) else { return [] }
        let levels = labels.map(TableTotalsCheck.level)
        var findings: [Finding] = []
        for column in 0..<columnCount {
            let name = columnName(column, headerRows: headers)
            if check.skipColumns.contains(where: { name.contains($0) }) { continue }
            // Every row added up holds a number or nothing; no percentage anywhere.
            var addable = true
            for (position, row) in order.enumerated() {
                switch values[row][column] {
                case .percent: addable = false
                case .text where position < lastTotal && totals[row] == nil: addable = false
                default: break
                }
                if !addable { break }
            }
            guard addable else { continue }
            let sums = ColumnSums(column: column, name: name, reading: self, levels: levels)
            findings += sums.run(order)
        }
        return findings
    }

    /// Values, labels and total rows of every row.
    private mutating func read() {
        for row in table.rows {
            var rowValues = [TableTotalsCheck.Value](repeating: .empty, count: columnCount)
            var texts: [(column: Int, text: String)] = []
            for cell in row.cells where !cell.continuesAbove && cell.column < columnCount {
                let text = self.text(cell)
                rowValues[cell.column] = TableTotalsCheck.value(text)
                if !text.isEmpty { texts.append((cell.column, text)) }
            }
            let firstNumber = rowValues.firstIndex { value in
                switch value {
                case .number, .percent: return true
                default: return false
                }
            }
            let hasNumber = rowValues.contains { if case .number = $0 { return true } else { return false } }
            let before = texts.filter { firstNumber == nil || $0.column < (firstNumber ?? 0) }
            // The row's label for its level: its first cell with text, a 序号 cell included
            // (`一`, `1`).
            labels.append(texts.first.map { TableTotalsCheck.squeezed($0.text) } ?? "")
            var total: (kind: TotalKind, label: String)? = nil
            if hasNumber {
                for (_, text) in before {
                    if let label = totalLabel(TableTotalsCheck.squeezed(text)) {
                        total = (check.subtotals.contains(label) ? .subtotal : .grand, label)
                        break
                    }
                }
            }
            values.append(rowValues)
            totals.append(total)
        }
    }

    /// The label a cell's text (spaces removed) reads as: the label itself, with a heading number
    /// before it (`三、合计`), a colon after it, or a bracket after it (`合计（万元）`).
    private func totalLabel(_ text: String) -> String? {
        var rest = Substring(text)
        if let heading = HeadingNumber.parse(text) { rest = rest.dropFirst(heading.written.count) }
        while let last = rest.last, last == "：" || last == ":" { rest = rest.dropLast() }
        for label in check.labels where rest.hasPrefix(label) {
            let after = rest.dropFirst(label.count)
            if after.isEmpty || after.hasPrefix("（") || after.hasPrefix("(") || after.hasPrefix("：") || after.hasPrefix(":") {
                return label
            }
        }
        return nil
    }

    /// Rows at the top that are headers: rows marked so, captions across the table, the first
    /// row above the first row with a number (or whose only numbers are years: `项目 | 2023 |
    /// 2024`), and after it rows that continue it: no number, and nothing in the first column
    /// (`  | 预算数 | 决算数`) or nothing but the first column (`单位：万元`), and a form's column
    /// numbers (`甲 | 乙 | 1 | 2 | 3`). A row such as `甲 | 12,34` is no header: it is a row whose
    /// value is not a number.
    private func headerCount() -> Int {
        var count = 0
        var sawHeader = false
        for (index, row) in table.rows.enumerated() {
            if row.isHeader {
                count = index + 1
                sawHeader = sawHeader || !isCaption(row)
                continue
            }
            if totals[index] != nil { break }
            let numbers = values[index].compactMap { value -> TableTotalsCheck.Number? in
                if case .number(let number) = value { return number }
                return nil
            }
            let percent = values[index].contains(.percent)
            if numbers.isEmpty, !percent {
                if isCaption(row) { count = index + 1; continue }
                if !sawHeader || continuesHeader(index) {
                    count = index + 1
                    sawHeader = true
                    continue
                }
                break
            }
            if !sawHeader, !percent, values[index].contains(.text),
               numbers.allSatisfy({ !$0.grouped && $0.decimals == 0 && (1900...2100).contains($0.units) }) {
                count = index + 1
                sawHeader = true
                continue
            }
            if sawHeader, isColumnNumbers(index) {
                count = index + 1
                continue
            }
            break
        }
        return count
    }

    /// A statistical form's column numbers under its header: `甲 | 乙 | 1 | 2 | 3` (or `栏次 | 1 | 2`),
    /// numbers 1, 2, 3 … from left to right and, for text, 栏次 or two of 甲 乙 丙 丁 ….
    func isColumnNumbers(_ index: Int) -> Bool {
        var expected = 1
        var stems = 0
        var named = false
        for value in values[index] {
            switch value {
            case .number(let number):
                guard number.units == expected, number.decimals == 0, !number.grouped else { return false }
                expected += 1
            case .percent: return false
            case .text, .empty: continue
            }
        }
        for cell in table.rows[index].cells where !cell.continuesAbove {
            let text = TableTotalsCheck.squeezed(self.text(cell))
            if text.isEmpty || Double(text) != nil { continue }
            if text == "栏次" || text == "行次" { named = true } else if text.count == 1, "甲乙丙丁戊己庚辛壬癸".contains(text) { stems += 1 } else { return false }
        }
        return expected >= 3 && (named || stems >= 2)
    }

    /// One cell across the whole table (a title, `单位：万元`).
    private func isCaption(_ row: TextTable.Row) -> Bool {
        columnCount > 1 && row.cells.count == 1 && (row.cells.first?.span ?? 0) >= columnCount
    }

    /// A row without numbers that goes on with the header above: its first column empty (or
    /// merged with the row above), or nothing after its first column.
    private func continuesHeader(_ index: Int) -> Bool {
        let row = table.rows[index]
        let first = row.cell(covering: 0)
        let firstEmpty = first.map { $0.continuesAbove || text($0).isEmpty } ?? true
        let restEmpty = row.cells.allSatisfy { $0.columns.contains(0) || $0.continuesAbove || text($0).isEmpty }
        return firstEmpty || restEmpty
    }

    /// The column's header text, or `第N列`.
    private func columnName(_ column: Int, headerRows: Int) -> String {
        var parts: [String] = []
        for (index, row) in table.rows.prefix(headerRows).enumerated() where !isColumnNumbers(index) {
            guard let cell = row.cell(covering: column), !cell.continuesAbove else { continue }
            // A caption across the whole table names no column.
            if cell.span >= columnCount, columnCount > 1 { continue }
            let text = self.text(cell)
            if !text.isEmpty, parts.last != text { parts.append(text) }
        }
        let name = parts.joined().replacingOccurrences(of: "\n", with: "")
        return name.isEmpty ? "第\(column + 1)列" : name
    }

    func value(_ row: Int, _ column: Int) -> TableTotalsCheck.Value { values[row][column] }
    func total(_ row: Int) -> (kind: TotalKind, label: String)? { totals[row] }
}

/// The running sums of one column, down the rows in reading order.
private struct ColumnSums {
    let column: Int
    let name: String
    let reading: TableReading
    let levels: [TableTotalsCheck.Level]
    /// Every number of the column at a common last place: `scale` decimals.
    private let scale: Int
    /// The allowance for rounding per number added, in units of the last place shown.
    private let tolerance: Double

    init(column: Int, name: String, reading: TableReading, levels: [TableTotalsCheck.Level]) {
        self.column = column
        self.name = name
        self.reading = reading
        self.levels = levels
        var scale = 0
        for row in reading.table.rows.indices {
            if case .number(let number) = reading.value(row, column) { scale = max(scale, number.decimals) }
        }
        self.scale = scale
        // A count (人数, （个）) in whole numbers is not rounded.
        let counts = scale == 0 && reading.check.exactColumns.contains { name.contains($0) }
        tolerance = counts ? 0 : reading.check.tolerance
    }

    /// A number at the column's scale; nil on overflow.
    private func scaled(_ number: TableTotalsCheck.Number) -> Int? {
        let factor = TableTotalsCheck.powers[scale - number.decimals]
        let (value, overflow) = number.units.multipliedReportingOverflow(by: factor)
        return overflow ? nil : value
    }

    private func number(_ row: Int) -> TableTotalsCheck.Number? {
        if case .number(let number) = reading.value(row, column) { return number }
        return nil
    }

    /// A way of adding up: the sum at the column's scale, how many numbers, their most decimals.
    struct Candidate {
        var sum: Int
        var count: Int
        var decimals: Int
        var grouped: Bool
    }

    /// The numbers of `rows` added up; nil on overflow.
    private func add(_ rows: [Int]) -> Candidate? {
        var candidate = Candidate(sum: 0, count: 0, decimals: 0, grouped: false)
        for row in rows {
            guard let number = number(row) else { continue }
            guard let value = scaled(number) else { return nil }
            let (sum, overflow) = candidate.sum.addingReportingOverflow(value)
            if overflow { return nil }
            candidate.sum = sum
            candidate.count += 1
            candidate.decimals = max(candidate.decimals, number.decimals)
            candidate.grouped = candidate.grouped || number.grouped
        }
        return candidate
    }

    private func hasNumbers(_ rows: [Int]) -> Bool { rows.contains { number($0) != nil } }

    /// The ways the detail rows `rows` may add up, and whether their structure is clear enough
    /// to report when none gives the total.
    private func readings(_ rows: [Int]) -> (candidates: [Candidate], clear: Bool) {
        let ordered = rows.sorted()
        var candidates: [Candidate] = []
        if let all = add(ordered) { candidates.append(all) }
        let kinds = ordered.map { levels[$0] }
        let flat = kinds.allSatisfy { $0 == .plain } || (kinds.first.map { first in kinds.allSatisfy { $0 == first } } ?? true)
        let numberedOnly = kinds.allSatisfy { if case .numbered = $0 { return true } else { return false } }
        if let folded = folded(ordered) { candidates.append(folded) }
        if !flat {
            for plainIsRoot in [true, false] {
                let parents = tree(ordered, plainIsRoot: plainIsRoot)
                let roots = ordered.filter { parents[$0] == nil }
                let withChildren = Set(parents.values)
                let leaves = ordered.filter { !withChildren.contains($0) }
                if let sum = add(roots) { candidates.append(sum) }
                if let sum = add(leaves) { candidates.append(sum) }
                if numberedOnly { break }
            }
        }
        return (candidates, flat || numberedOnly)
    }

    /// Each row's parent: the nearest row above at a higher level (一、 over （一）); an "of which"
    /// row is under the row above it; an unnumbered row is at the top (`plainIsRoot`) or beside
    /// the row above it. A row at the top has no entry.
    private func tree(_ rows: [Int], plainIsRoot: Bool) -> [Int: Int] {
        var parents: [Int: Int] = [:]
        var stack: [(row: Int, level: Double)] = []
        for row in rows {
            let level: Double
            switch levels[row] {
            case .numbered(let n): level = Double(n)
            case .ofWhich: level = (stack.last?.level ?? 0) + 0.5
            case .plain: level = plainIsRoot ? 0 : (stack.last?.level ?? 0)
            }
            while let top = stack.last, top.level >= level { stack.removeLast() }
            parents[row] = stack.last?.row
            stack.append((row, level))
        }
        return parents
    }

    /// The rows added up with a row that the next rows (two or more, contiguous) add up to
    /// standing for them: 人员经费 50 above 工资 30 and 津贴 20 counts once.
    private func folded(_ rows: [Int]) -> Candidate? {
        let numbers = rows.map { number($0).flatMap(scaled) }
        var kept: [Int] = []
        var folds = 0
        var index = 0
        while index < rows.count {
            if let value = numbers[index] {
                var sum = 0
                var end: Int? = nil
                var seen = 0
                var next = index + 1
                while next < rows.count, next - index <= 50 {
                    if let part = numbers[next] {
                        let (added, overflow) = sum.addingReportingOverflow(part)
                        if overflow { break }
                        sum = added
                        seen += 1
                        // Within rounding, at the column's last place.
                        let (difference, away) = sum.subtractingReportingOverflow(value)
                        if seen >= 2, !away, Double(difference.magnitude) <= tolerance * Double(seen) + 1e-9 { end = next; break }
                    }
                    next += 1
                }
                if let end {
                    kept.append(rows[index])
                    folds += 1
                    index = end + 1
                    continue
                }
            }
            kept.append(rows[index])
            index += 1
        }
        return folds > 0 ? add(kept) : nil
    }

    /// Whether the written total is one of the candidates, within the rounding allowance.
    private func matches(_ total: TableTotalsCheck.Number, _ candidates: [Candidate]) -> Bool {
        guard let written = scaled(total) else { return true }
        for candidate in candidates {
            let decimals = max(candidate.decimals, total.decimals)
            let unit = Double(TableTotalsCheck.powers[scale - decimals])
            let allowed = tolerance * unit * Double(max(candidate.count, 1))
            let (difference, overflow) = written.subtractingReportingOverflow(candidate.sum)
            if overflow { continue }
            if Double(difference.magnitude) <= allowed + 1e-9 { return true }
        }
        return false
    }

    func run(_ order: [Int]) -> [Finding] {
        var findings: [Finding] = []
        var segment: [Int] = []
        var group: [Int] = []
        var all: [Int] = []
        var subtotals: [Int] = []
        var grands: [Int] = []
        for row in order {
            guard let total = reading.total(row) else {
                segment.append(row)
                group.append(row)
                all.append(row)
                continue
            }
            switch total.kind {
            case .subtotal:
                if let written = number(row), hasNumbers(segment) {
                    let (candidates, clear) = readings(segment)
                    if clear, !candidates.isEmpty, !matches(written, candidates), let shown = candidates.first {
                        findings.append(finding(row, written: written, sum: shown, label: total.label))
                    }
                }
                if number(row) != nil { subtotals.append(row) }
                segment = []
            case .grand:
                if let written = number(row) {
                    var candidates: [Candidate] = []
                    var clear = true
                    if hasNumbers(group) {
                        let reading = readings(group)
                        candidates += reading.candidates
                        clear = clear && reading.clear
                    }
                    if !subtotals.isEmpty, let sum = add(subtotals + segment) { candidates.append(sum) }
                    if !hasNumbers(group), subtotals.isEmpty {
                        if !grands.isEmpty, let sum = add(grands) { candidates.append(sum) }
                        if hasNumbers(all), let sum = add(all) { candidates.append(sum) }
                    }
                    if clear, !matches(written, candidates), let shown = candidates.first {
                        findings.append(finding(row, written: written, sum: shown, label: total.label))
                    }
                    grands.append(row)
                }
                segment = []
                group = []
                subtotals = []
            }
        }
        return findings
    }

    private func finding(_ row: Int, written: TableTotalsCheck.Number, sum: Candidate, label: String) -> Finding {
        let cell = reading.table.rows[row].cells.first { $0.column == column && !$0.continuesAbove }
        let range = cell.map { cell -> TextRange in
            let pieces = reading.source.contentPieces(of: cell.range)
            guard let first = pieces.first, let last = pieces.last else { return cell.range }
            return first.lowerBound..<last.upperBound
        } ?? reading.table.rows[row].range
        let totalText = TableReading.trim(reading.source.content(range))
        let decimals = max(sum.decimals, written.decimals)
        let units = sum.sum / TableTotalsCheck.powers[scale - decimals]
        let shown = TableTotalsCheck.format(units, decimals: decimals, grouped: written.grouped || sum.grouped)
        return Finding(range: range, variables: [
            "text": totalText, "column": name, "sum": shown, "total": totalText, "label": label,
        ])
    }
}
