/// One element of a pattern's sequence, as `Window.best(in:)` sees it.
enum WindowPiece {
    /// A single-scalar piece repeated `min`…`max` times.
    case unit(ScalarPredicate, min: Int, max: Int?)
    /// `(?=x)`: the next scalar is one of x.
    case lookahead(ScalarPredicate)
    /// `(?<!x)`: the scalar before is not one of x.
    case notBehind(ScalarPredicate)
    /// Anything else: the window cannot run across it.
    case cut
}
