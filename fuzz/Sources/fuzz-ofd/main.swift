import BulletinLintCore
import FuzzSupport

/// The OFD reader (ZIP limits, OFD.xml, document and page parts, glyph positions, lines) on a
/// package given whole or as parts (see `Fuzz.package`).
func test(_ input: UnsafeBufferPointer<UInt8>) {
    let package = Fuzz.package(Array(input))
    Fuzz.readAndCheck(.bytes([UInt8](package), name: "fuzz.ofd"))
}

Fuzz.run { data, size in
    test(Fuzz.buffer(data, size))
    return 0
}
