import BulletinLintCore
import FuzzSupport

/// The Markdown reader: the bytes of a .md file read as `check` reads them (decoded, markup
/// marked as artifacts).
func test(_ input: UnsafeBufferPointer<UInt8>) {
    Fuzz.readAndCheck(.bytes(Array(input), name: "fuzz.md"))
}

Fuzz.run { data, size in
    test(Fuzz.buffer(data, size))
    return 0
}
