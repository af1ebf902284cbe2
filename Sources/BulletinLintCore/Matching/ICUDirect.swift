import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// ICU's C regular-expression API, called directly: the same ICU, the same flags and the same
/// find loop as `NSRegularExpression.enumerateMatches` (swift-corelibs-foundation's
/// `_CFRegularExpressionEnumerateMatchesInString`), without what that costs per call on Linux —
/// bridging the `String` to an `NSString`, transcoding it to UTF-16 again for every pattern, and a
/// Swift block call at every start position for the progress report.
///
/// The functions are looked up at run time in the ICU that Foundation already loads
/// (`lib_FoundationICU`, whose entry points carry a `swift_` prefix), so nothing changes in how
/// the package builds; where they are not found (another platform or toolchain), `ICURegex` keeps
/// using `NSRegularExpression`.
///
/// This type holds the entry points, the flags and the time-budget callbacks; `ICUPattern` is one
/// compiled pattern searched through them.
enum ICUDirect {
    typealias Status = Int32
    typealias MatchCallback = @convention(c) (UnsafeRawPointer?, Int32) -> Int8
    typealias FindProgressCallback = @convention(c) (UnsafeRawPointer?, Int64) -> Int8

    struct API: @unchecked Sendable {
        let open: @convention(c) (UnsafePointer<UInt16>?, Int32, UInt32, UnsafeMutableRawPointer?, UnsafeMutablePointer<Status>) -> OpaquePointer?
        let clone: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> OpaquePointer?
        let close: @convention(c) (OpaquePointer?) -> Void
        let setText: @convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<Status>) -> Void
        let findNext: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> Int8
        let start64: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Status>) -> Int64
        let end64: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Status>) -> Int64
        let groupCount: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> Int32
        let groupNumberFromName: @convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<Status>) -> Int32
        let setMatchCallback: @convention(c) (OpaquePointer?, MatchCallback?, UnsafeRawPointer?, UnsafeMutablePointer<Status>) -> Void
        let setFindProgressCallback: @convention(c) (OpaquePointer?, FindProgressCallback?, UnsafeRawPointer?, UnsafeMutablePointer<Status>) -> Void
        /// `uregex_lookingAt64`: a match starting exactly at an index, the whole text still in
        /// view (look-behinds, `^`); nil where this ICU lacks it.
        let lookingAt64: (@convention(c) (OpaquePointer?, Int64, UnsafeMutablePointer<Status>) -> Int8)?
    }

    /// nil when this ICU's entry points are not in the process.
    static let api: API? = {
        #if canImport(Glibc)
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "swift_" + name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        guard let open = symbol("uregex_open", as: (@convention(c) (UnsafePointer<UInt16>?, Int32, UInt32, UnsafeMutableRawPointer?, UnsafeMutablePointer<Status>) -> OpaquePointer?).self),
              let clone = symbol("uregex_clone", as: (@convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> OpaquePointer?).self),
              let close = symbol("uregex_close", as: (@convention(c) (OpaquePointer?) -> Void).self),
              let setText = symbol("uregex_setText", as: (@convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<Status>) -> Void).self),
              let findNext = symbol("uregex_findNext", as: (@convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> Int8).self),
              let start64 = symbol("uregex_start64", as: (@convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Status>) -> Int64).self),
              let end64 = symbol("uregex_end64", as: (@convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Status>) -> Int64).self),
              let groupCount = symbol("uregex_groupCount", as: (@convention(c) (OpaquePointer?, UnsafeMutablePointer<Status>) -> Int32).self),
              let groupNumberFromName = symbol("uregex_groupNumberFromName", as: (@convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<Status>) -> Int32).self),
              let setMatchCallback = symbol("uregex_setMatchCallback", as: (@convention(c) (OpaquePointer?, MatchCallback?, UnsafeRawPointer?, UnsafeMutablePointer<Status>) -> Void).self),
              let setFindProgressCallback = symbol("uregex_setFindProgressCallback", as: (@convention(c) (OpaquePointer?, FindProgressCallback?, UnsafeRawPointer?, UnsafeMutablePointer<Status>) -> Void).self)
        else { return nil }
        return API(open: open, clone: clone, close: close, setText: setText, findNext: findNext, start64: start64, end64: end64,
                   groupCount: groupCount, groupNumberFromName: groupNumberFromName, setMatchCallback: setMatchCallback,
                   setFindProgressCallback: setFindProgressCallback,
                   lookingAt64: symbol("uregex_lookingAt64", as: (@convention(c) (OpaquePointer?, Int64, UnsafeMutablePointer<Status>) -> Int8).self))
        #else
        return nil
        #endif
    }()

    /// `UREGEX_CASE_INSENSITIVE` and `UREGEX_MULTILINE`, as `NSRegularExpression` sets them for
    /// `.caseInsensitive` and `.anchorsMatchLines`.
    static let caseInsensitive: UInt32 = 2
    static let multiline: UInt32 = 8

    /// The deadline `seconds` from now, in `DispatchTime` uptime nanoseconds.
    static func deadline(after seconds: TimeInterval) -> UInt64 {
        DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, min(seconds, 1e9)) * 1e9)
    }

    /// The time budget of one search, checked from ICU's callbacks.
    struct Budget {
        var deadline: UInt64
        var calls = 0
        var timedOut = false

        mutating func expired() -> Bool {
            if DispatchTime.now().uptimeNanoseconds > deadline { timedOut = true }
            return timedOut
        }
    }

    /// Called by ICU every few thousand steps of matching.
    static let matchCallback: MatchCallback = { context, _ in
        guard let context else { return 1 }
        let budget = UnsafeMutablePointer<Budget>(mutating: context.assumingMemoryBound(to: Budget.self))
        return budget.pointee.expired() ? 0 : 1
    }

    /// Called by ICU at each start position it tries; the clock is read every 64 calls, as the
    /// `NSRegularExpression` path does.
    static let findProgressCallback: FindProgressCallback = { context, _ in
        guard let context else { return 1 }
        let budget = UnsafeMutablePointer<Budget>(mutating: context.assumingMemoryBound(to: Budget.self))
        budget.pointee.calls += 1
        if budget.pointee.calls & 63 == 0, budget.pointee.expired() { return 0 }
        return 1
    }
}
