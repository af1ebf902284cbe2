/// `numbering.xml`: list definitions, and the counters of the lists met so far.
struct Numbering {
    struct Level {
        var start = 1
        var format = "decimal"
        var text = "%1."
        var suffix = "tab"
        var run = RunProperties()
    }

    var abstractLevels: [String: [Int: Level]] = [:]
    /// numId → (abstractNumId, level overrides of start values).
    var instances: [String: (abstract: String, starts: [Int: Int])] = [:]
    /// Counters per list instance and level.
    var counters: [String: [Int: Int]] = [:]

    init() {}

    init(_ node: XMLNode) {
        for abstract in node.children("abstractNum") {
            guard let id = abstract.attribute("abstractNumId") else { continue }
            var levels: [Int: Level] = [:]
            for lvl in abstract.children("lvl") {
                guard let index = lvl.int("ilvl") else { continue }
                var level = Level()
                if let start = lvl.child("start")?.int("val") { level.start = min(max(start, 0), 100_000) }
                if let format = lvl.child("numFmt")?.attribute("val") { level.format = format }
                if let text = lvl.child("lvlText")?.attribute("val") { level.text = text }
                if let suffix = lvl.child("suff")?.attribute("val") { level.suffix = suffix }
                level.run = RunProperties(lvl.child("rPr"))
                levels[index] = level
            }
            abstractLevels[id] = levels
        }
        for num in node.children("num") {
            guard let id = num.attribute("numId"), let abstract = num.child("abstractNumId")?.attribute("val") else { continue }
            var starts: [Int: Int] = [:]
            for override in num.children("lvlOverride") {
                if let level = override.int("ilvl"), let start = override.child("startOverride")?.int("val") {
                    starts[level] = min(max(start, 0), 100_000)
                }
            }
            instances[id] = (abstract, starts)
        }
    }

    /// The next label of a list level (`一、`), advancing its counter; nil for no numbering.
    mutating func nextLabel(numberingID: String?, level: Int?) -> (label: String, run: RunProperties)? {
        guard let numberingID, numberingID != "0", let instance = instances[numberingID],
              let levels = abstractLevels[instance.abstract] else { return nil }
        let levelIndex = min(max(level ?? 0, 0), 8)
        guard let definition = levels[levelIndex] else { return nil }
        var counts = counters[numberingID] ?? [:]
        let start = instance.starts[levelIndex] ?? definition.start
        counts[levelIndex] = min((counts[levelIndex] ?? (start - 1)) + 1, 1_000_000)
        for deeper in (levelIndex + 1)...9 { counts[deeper] = nil }
        counters[numberingID] = counts
        if definition.format == "none" || definition.format == "bullet" { return nil }
        var label = ""
        let chars = Array(definition.text)
        var i = 0
        while i < chars.count {
            if chars[i] == "%", i + 1 < chars.count, let digit = chars[i + 1].wholeNumberValue, digit >= 1, digit <= 9 {
                let referenced = digit - 1
                let value = counts[referenced] ?? (instance.starts[referenced] ?? levels[referenced]?.start ?? 1)
                let format = levels[referenced]?.format ?? "decimal"
                label += NumberFormat.format(value, as: format)
                i += 2
                continue
            }
            label.append(chars[i])
            i += 1
        }
        if definition.suffix == "space" { label += " " }
        return (label, definition.run)
    }
}

/// Number formats of list labels (`w:numFmt`).
enum NumberFormat {
    static func format(_ value: Int, as format: String) -> String {
        switch format {
        case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "koreanCounting":
            return ChineseNumeral.counting(value)
        case "chineseLegalSimplified":
            return ChineseNumeral.legal(value)
        case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand":
            return ChineseNumeral.digitByDigit(value)
        case "ideographTraditional":
            let stems = Array("甲乙丙丁戊己庚辛壬癸")
            return value >= 1 ? String(stems[(value - 1) % stems.count]) : String(value)
        case "ideographZodiac":
            let branches = Array("子丑寅卯辰巳午未申酉戌亥")
            return value >= 1 ? String(branches[(value - 1) % branches.count]) : String(value)
        case "decimalZero":
            return value < 10 && value >= 0 ? "0\(value)" : String(value)
        case "decimalFullWidth", "decimalFullWidth2":
            return String(String(value).unicodeScalars.map { scalar -> Character in
                guard ("0"..."9").contains(scalar), let wide = Unicode.Scalar(scalar.value + 0xFEE0) else { return Character(scalar) }
                return Character(wide)
            })
        case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
            if (1...20).contains(value), let scalar = Unicode.Scalar(0x2460 + value - 1) { return String(Character(scalar)) }
            return String(value)
        case "decimalEnclosedParen":
            if (1...20).contains(value), let scalar = Unicode.Scalar(0x2474 + value - 1) { return String(Character(scalar)) }
            return "(\(value))"
        case "decimalEnclosedFullstop":
            if (1...20).contains(value), let scalar = Unicode.Scalar(0x2488 + value - 1) { return String(Character(scalar)) }
            return "\(value)."
        case "upperLetter", "lowerLetter":
            guard value >= 1 else { return String(value) }
            let letter = Character(Unicode.Scalar(UInt8(65 + (value - 1) % 26)))
            let repeated = String(repeating: letter, count: (value - 1) / 26 + 1)
            return format == "upperLetter" ? repeated : repeated.lowercased()
        case "upperRoman", "lowerRoman":
            let roman = self.roman(value)
            return format == "upperRoman" ? roman : roman.lowercased()
        default:
            return String(value)
        }
    }

    static func roman(_ value: Int) -> String {
        guard value > 0, value < 4000 else { return String(value) }
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var out = ""
        var remaining = value
        for (number, letters) in table {
            while remaining >= number { out += letters; remaining -= number }
        }
        return out
    }
}
