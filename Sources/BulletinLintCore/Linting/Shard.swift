/// `--shard I/N`: a deterministic part of the file list, chosen by a hash of each path so that
/// adding a file moves no other file to another shard.
public struct Shard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    /// Parses `I/N` with 1 ≤ I ≤ N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              count >= 1, index >= 1, index <= count else { return nil }
        self.index = index
        self.count = count
    }

    public func contains(_ path: String) -> Bool {
        var hash = FNV1a()
        hash.feed(path)
        return Int(hash.value % UInt64(count)) == index - 1
    }
}

/// 64-bit FNV-1a: a stable hash (Swift's `Hasher` is seeded per process), for shard choice and
/// baseline fingerprints that must be the same on every machine and run.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func feed(_ text: String) {
        for byte in text.utf8 { feed(byte) }
    }

    mutating func feed(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01b3
    }
}
