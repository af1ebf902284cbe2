/// Writes comment anchors and tracked changes into `document.xml` at offsets of the text the
/// reader made of it, touching only the runs where a span starts or ends: such a run is split
/// there (each piece keeps the run's attributes and `w:rPr`), deleted pieces are wrapped in
/// `w:del` with their `w:t` turned into `w:delText`, and markers (`w:commentRangeStart`,
/// `w:commentRangeEnd` with its `w:commentReference` run, `w:ins`) go between the pieces. Every
/// other byte of the part is copied as it was.
struct BodyRewriter {
    /// A comment anchored on a range of the text (empty: a point).
    struct Comment {
        let id: Int
        let range: Range<Int>
    }

    /// A replacement of a range of the text, to be written as `w:del` + `w:ins`.
    struct Edit {
        let range: Range<Int>
        let replacement: String
    }

    /// Who made the revisions and when (`w:author`, `w:date`).
    struct Stamp {
        let author: String
        let date: String
    }

    /// A piece of text and the element it came from, placed in the whole text.
    struct Atom {
        let range: Range<Int>
        let node: XMLNode
        let run: XMLNode
    }

    let xml: PositionedXML
    /// Namespace prefix of WordprocessingML elements, with its colon (`w:`).
    let w: String
    private let lineStarts: [Int]
    private let lineLengths: [Int]
    private let atoms: [[Atom]]
    private let paragraphs: [XMLNode?]
    /// Lines whose every character has an origin (no numbering label, nothing cleaned away).
    private let fullyMapped: [Bool]

    init(xml: PositionedXML, lines: [BodyWalker.Line], prefix: String) {
        self.xml = xml
        w = prefix.isEmpty ? "" : prefix + ":"
        var starts: [Int] = []
        var lengths: [Int] = []
        var atoms: [[Atom]] = []
        var mapped: [Bool] = []
        var offset = 0
        for line in lines {
            starts.append(offset)
            let length = line.text.utf8.count
            lengths.append(length)
            let lineAtoms = line.origins.map { Atom(range: (offset + $0.range.lowerBound)..<(offset + $0.range.upperBound), node: $0.node, run: $0.run) }
            atoms.append(lineAtoms)
            mapped.append(line.origins.reduce(0) { $0 + $1.range.count } == length)
            offset += length + 1
        }
        lineStarts = starts
        lineLengths = lengths
        self.atoms = atoms
        paragraphs = lines.map(\.paragraphNode)
        fullyMapped = mapped
    }

    /// The line holding an offset (its end counts as in it).
    private func line(of offset: Int) -> Int? {
        var low = 0
        var high = lineStarts.count - 1
        guard high >= 0 else { return nil }
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return offset <= lineStarts[low] + lineLengths[low] ? low : nil
    }

    /// Whether an edit can be written as a tracked change: within one paragraph, on text that
    /// came from runs (not a numbering label), and not adding a paragraph break.
    func canTrack(_ edit: Edit) -> Bool {
        guard !edit.replacement.contains("\n"), let first = line(of: edit.range.lowerBound),
              line(of: edit.range.upperBound) == first else { return false }
        if !edit.range.isEmpty {
            let covered = atoms[first].reduce(0) { $0 + max(0, min($1.range.upperBound, edit.range.upperBound) - max($1.range.lowerBound, edit.range.lowerBound)) }
            return covered == edit.range.count
        }
        // An insertion: at a run boundary or inside a run's text, or into an empty paragraph.
        let at = edit.range.lowerBound
        if atoms[first].isEmpty { return lineLengths[first] == 0 && paragraphs[first] != nil }
        return fullyMapped[first] || atoms[first].contains { $0.range.lowerBound <= at && at <= $0.range.upperBound }
    }

    // MARK: Placing

    /// Where the markers of an offset go.
    private enum Place: Hashable {
        /// After the text of `run` that ends at the offset.
        case after(run: ObjectIdentifier, offset: Int)
        /// Before the text of `run` that starts at `offset` (the offset may have been moved
        /// forward over a numbering label).
        case before(run: ObjectIdentifier, offset: Int)
        /// At the end of a paragraph with no text from runs.
        case paragraphEnd(ObjectIdentifier)
    }

    private func place(_ offset: Int) -> Place? {
        guard let line = line(of: offset) else { return nil }
        let lineAtoms = atoms[line]
        if let atom = lineAtoms.first(where: { $0.range.lowerBound < offset && offset <= $0.range.upperBound }) {
            return .after(run: ObjectIdentifier(atom.run), offset: offset)
        }
        if let atom = lineAtoms.first(where: { $0.range.lowerBound >= offset }) {
            return .before(run: ObjectIdentifier(atom.run), offset: atom.range.lowerBound)
        }
        if let paragraph = paragraphs[line] { return .paragraphEnd(ObjectIdentifier(paragraph)) }
        return nil
    }

    private enum Marker {
        case insertion(String)
        case commentStart(Int)
        case commentEnd(Int)
    }

    // MARK: Rewriting

    /// The part with the comments anchored and the edits tracked; `nextID` gives each `w:ins`
    /// and `w:del` a unique id. Edits must not overlap and must pass `canTrack`.
    func rewrite(comments: [Comment], edits: [Edit], stamp: Stamp, nextID: inout Int) -> [UInt8] {
        // Markers per offset, in the order they are written there: the insertion that replaces
        // the text before the offset, then the ends of the comments on that text, the starts of
        // the comments after it, and last the points.
        var markers: [Int: [(rank: Int, marker: Marker)]] = [:]
        for edit in edits where !edit.replacement.isEmpty {
            markers[edit.range.upperBound, default: []].append((0, .insertion(edit.replacement)))
        }
        for comment in comments {
            if comment.range.isEmpty {
                markers[comment.range.lowerBound, default: []].append((2, .commentStart(comment.id)))
                markers[comment.range.lowerBound, default: []].append((3, .commentEnd(comment.id)))
            } else {
                markers[comment.range.lowerBound, default: []].append((2, .commentStart(comment.id)))
                markers[comment.range.upperBound, default: []].append((1, .commentEnd(comment.id)))
            }
        }
        var placed: [Place: [Marker]] = [:]
        for (offset, list) in markers.sorted(by: { $0.key < $1.key }) {
            guard let place = place(offset) else { continue }
            // Stable: markers of one rank keep the order they were given in.
            let ordered = list.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element.marker)
            placed[place, default: []] += ordered
        }
        // Offsets where a run may have to be split.
        var cuts: Set<Int> = []
        for edit in edits { cuts.insert(edit.range.lowerBound); cuts.insert(edit.range.upperBound) }
        for comment in comments { cuts.insert(comment.range.lowerBound); cuts.insert(comment.range.upperBound) }
        let deletions = edits.filter { !$0.range.isEmpty }.map(\.range).sorted { $0.lowerBound < $1.lowerBound }

        // The runs to rewrite, with their atoms.
        var runAtoms: [ObjectIdentifier: [Atom]] = [:]
        var runs: [ObjectIdentifier: XMLNode] = [:]
        for line in atoms {
            for atom in line { runAtoms[ObjectIdentifier(atom.run), default: []].append(atom); runs[ObjectIdentifier(atom.run)] = atom.run }
        }
        var touched: Set<ObjectIdentifier> = []
        for place in placed.keys {
            switch place {
            case .after(let run, _), .before(let run, _): touched.insert(run)
            case .paragraphEnd: break
            }
        }
        // A run with a cut inside it, or with deleted text: found by binary search, so that a long
        // document with many findings is not runs × findings.
        let sortedCuts = cuts.sorted()
        func firstIndex(_ list: [Int], after value: Int) -> Int {
            var low = 0
            var high = list.count
            while low < high {
                let middle = (low + high) / 2
                if list[middle] <= value { low = middle + 1 } else { high = middle }
            }
            return low
        }
        let deletionStarts = deletions.map(\.lowerBound)
        for (id, list) in runAtoms {
            guard let first = list.first?.range.lowerBound, let last = list.last?.range.upperBound else { continue }
            let cut = firstIndex(sortedCuts, after: first)
            if cut < sortedCuts.count, sortedCuts[cut] < last {
                touched.insert(id)
                continue
            }
            // The last deletion starting before the run's end is the only one that can overlap it.
            let deletion = firstIndex(deletionStarts, after: last - 1) - 1
            if deletion >= 0, deletions[deletion].overlaps(first..<last) { touched.insert(id) }
        }

        var renderer = Renderer(xml: xml)
        // In document order, so that ids (and so the output's bytes) are the same on every run.
        let ordered = touched.compactMap { runs[$0] }.compactMap { run in xml.position(of: run).map { (run, $0) } }
            .sorted { $0.1.start < $1.1.start }
        for (run, position) in ordered {
            let id = ObjectIdentifier(run)
            let rewritten = rewriteRun(run, atoms: runAtoms[id] ?? [], cuts: cuts, deletions: deletions, placed: placed,
                                       stamp: stamp, nextID: &nextID)
            renderer.replacements.append((position.start..<position.end, rewritten))
        }
        for paragraph in paragraphs.compactMap({ $0 }) {
            guard let list = placed[.paragraphEnd(ObjectIdentifier(paragraph))], let position = xml.position(of: paragraph) else { continue }
            let content = render(list, properties: nil, stamp: stamp, nextID: &nextID)
            if position.isEmpty {
                // `<w:p/>` becomes `<w:p>…</w:p>`.
                var open = Array(xml.bytes[position.start..<position.end].dropLast(2))
                open += Array(">".utf8)
                renderer.replacements.append((position.start..<position.end, .bytes(open + content + Array("</\(position.qualifiedName)>".utf8))))
            } else {
                renderer.replacements.append((position.endTagStart..<position.endTagStart, .bytes(content)))
            }
        }
        return renderer.render()
    }

    /// A run written again as pieces, with markers between them.
    private func rewriteRun(_ run: XMLNode, atoms: [Atom], cuts: Set<Int>, deletions: [Range<Int>], placed: [Place: [Marker]],
                            stamp: Stamp, nextID: inout Int) -> Renderer.Content {
        guard let position = xml.position(of: run) else { return .bytes([]) }
        let id = ObjectIdentifier(run)
        let openTag = Array(xml.bytes[position.start..<position.startTagEnd])
        let closeTag = Array("</\(position.qualifiedName)>".utf8)
        let properties = run.child("rPr")
        var ranges: [ObjectIdentifier: Range<Int>] = [:]
        for atom in atoms { ranges[ObjectIdentifier(atom.node)] = atom.range }

        var parts: [Renderer.Content] = []
        var piece: [Renderer.Content] = []
        var pieceDeleted = false
        var pieces = 0
        func flush() {
            guard !piece.isEmpty else { return }
            var bytes: [Renderer.Content] = []
            if pieceDeleted {
                bytes.append(.bytes(Array("<\(w)del \(w)id=\"\(nextID)\" \(w)author=\"\(XMLText.attribute(stamp.author))\" \(w)date=\"\(XMLText.attribute(stamp.date))\">".utf8)))
                nextID += 1
            }
            bytes.append(.bytes(openTag))
            if let properties { bytes.append(runProperties(properties, first: pieces == 0)) }
            bytes += piece
            bytes.append(.bytes(closeTag))
            if pieceDeleted { bytes.append(.bytes(Array("</\(w)del>".utf8))) }
            parts += bytes
            piece = []
            pieces += 1
        }
        func emit(_ place: Place) {
            guard let list = placed[place] else { return }
            flush()
            parts.append(.bytes(render(list, properties: properties, stamp: stamp, nextID: &nextID)))
        }
        for child in run.children where child !== properties {
            guard let range = ranges[ObjectIdentifier(child)] else {
                // Not text (a break, a drawing, a field character): never deleted.
                if pieceDeleted { flush() }
                pieceDeleted = false
                piece.append(.element(child))
                continue
            }
            // The piece boundaries inside this element.
            var bounds = [range.lowerBound]
            bounds += cuts.filter { range.lowerBound < $0 && $0 < range.upperBound }.sorted()
            bounds.append(range.upperBound)
            let text = child.name == "t" ? Array(child.text.utf8) : []
            for (start, end) in zip(bounds, bounds.dropFirst()) {
                let deleted = deletions.contains { $0.lowerBound <= start && end <= $0.upperBound }
                if cuts.contains(start) || deleted != pieceDeleted { flush() }
                emit(.before(run: id, offset: start))
                pieceDeleted = deleted
                if child.name == "t" {
                    let slice = String(decoding: text[(start - range.lowerBound)..<(end - range.lowerBound)], as: UTF8.self)
                    if !deleted, start == range.lowerBound, end == range.upperBound {
                        piece.append(.element(child))
                    } else {
                        let tag = deleted ? "\(w)delText" : "\(w)t"
                        piece.append(.bytes(Array("<\(tag) xml:space=\"preserve\">\(XMLText.content(slice))</\(tag)>".utf8)))
                    }
                } else {
                    piece.append(.element(child))
                }
                emit(.after(run: id, offset: end))
                if cuts.contains(end) { flush() }
            }
        }
        flush()
        return .sequence(parts)
    }

    /// A run's `w:rPr`; pieces after the first leave out `w:rPrChange`, whose id must stay unique.
    private func runProperties(_ properties: XMLNode, first: Bool) -> Renderer.Content {
        guard !first, let change = properties.child("rPrChange"), let position = xml.position(of: properties),
              let changePosition = xml.position(of: change) else { return .element(properties) }
        return .sequence([.bytes(Array(xml.bytes[position.start..<changePosition.start])),
                          .bytes(Array(xml.bytes[changePosition.end..<position.end]))])
    }

    private func render(_ markers: [Marker], properties: XMLNode?, stamp: Stamp, nextID: inout Int) -> [UInt8] {
        var out = ""
        for marker in markers {
            switch marker {
            case .commentStart(let id):
                out += "<\(w)commentRangeStart \(w)id=\"\(id)\"/>"
            case .commentEnd(let id):
                out += "<\(w)commentRangeEnd \(w)id=\"\(id)\"/><\(w)r><\(w)commentReference \(w)id=\"\(id)\"/></\(w)r>"
            case .insertion(let text):
                out += "<\(w)ins \(w)id=\"\(nextID)\" \(w)author=\"\(XMLText.attribute(stamp.author))\" \(w)date=\"\(XMLText.attribute(stamp.date))\"><\(w)r>"
                nextID += 1
                if let properties, case .bytes(let bytes) = runProperties(properties, first: false).flattened(xml) {
                    out += String(decoding: bytes, as: UTF8.self)
                }
                out += "<\(w)t xml:space=\"preserve\">\(XMLText.content(text))</\(w)t></\(w)r></\(w)ins>"
            }
        }
        return Array(out.utf8)
    }
}
