/// What every match of a pattern starts with: a run of scalars of `alphabet` (possibly empty)
/// and then `literal` (see `RunFilter`).
struct RunFilterSpec: Sendable {
    let alphabet: [ScalarPredicate]
    let literal: UInt32
}
