import BulletinLintCore
import FuzzSupport

/// Text decoding: the bytes of a .txt file through the reader `check` uses (encoding detection:
/// UTF-8 with or without BOM, UTF-16, GB18030; refusing binary), then the line table.
func test(_ input: UnsafeBufferPointer<UInt8>) {
    switch DocumentLinter.read(.bytes(Array(input), name: "fuzz.txt")) {
    case .success(let source):
        Fuzz.checkSource(source)
        // Text read as GB18030 can be written back so (a fix writes a document in its encoding).
        if source.encoding == .gb18030 {
            precondition(TextDecoding.encodeGB18030(source.text) != nil, "GB18030 text that cannot be encoded back")
        }
    case .failure(let failure):
        precondition(failure.ruleID == "encoding-error", "unexpected failure \(failure.ruleID)")
    }
}

Fuzz.run { data, size in
    test(Fuzz.buffer(data, size))
    return 0
}
