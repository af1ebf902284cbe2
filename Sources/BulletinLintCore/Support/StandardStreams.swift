import Foundation

/// Writes to standard error through `write(2)`, whose failures come back as an errno, instead of
/// `FileHandle.write`, which traps when the descriptor is closed (`2>&-`) or the disk is full
/// (`2>/dev/full`). A message that cannot be written is dropped: there is nowhere left to
/// report it, and the exit code still says what happened.
public enum StandardStreams {
    /// Writes `text` to standard error, retrying short writes; false when it could not
    /// (EBADF, EPIPE, ENOSPC, …). Never traps.
    @discardableResult
    public static func writeError(_ text: String) -> Bool {
        write(text, to: STDERR_FILENO) == nil
    }

    /// Writes `text` to `descriptor`; the errno of a failure, nil when all of it was written.
    public static func write(_ text: String, to descriptor: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { ReportWriter.writeAll(descriptor, $0) }
    }
}
