import BulletinLintCore
import FuzzSupport

/// The .docx reader (ZIP limits, relationships, XML parts, styles, numbering, headers and
/// footers) on a package given whole or as parts (see `Fuzz.package`).
func test(_ input: UnsafeBufferPointer<UInt8>) {
    let package = Fuzz.package(Array(input))
    Fuzz.readAndCheck(.bytes([UInt8](package), name: "fuzz.docx"))
}

Fuzz.run { data, size in
    test(Fuzz.buffer(data, size))
    return 0
}
