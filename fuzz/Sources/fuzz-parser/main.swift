import BulletinLintCore
import FuzzSupport

/// The bulletin parser with the default rule set's elements: any text (the input as UTF-8,
/// malformed sequences replaced) parsed as `check` parses a .txt file (regions, elements,
/// fields, lists, genre, date, several documents in one file), every range checked against
/// the text.
func test(_ input: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: input, as: UTF8.self)
    let source = SourceText(path: "fuzz.txt", text: text)
    Fuzz.checkSource(source)
    Fuzz.parseAndCheck(source)
}

Fuzz.run { data, size in
    test(Fuzz.buffer(data, size))
    return 0
}
