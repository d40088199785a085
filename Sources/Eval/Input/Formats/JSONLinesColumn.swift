/// One column of a JSON Lines table, its cells appended row by row as the
/// file is read and kept in their narrowest exact form, so that a column
/// costs about what its values need, never a decoded object per row:
///
/// - four bytes a cell while every cell fits them: a number whose Double is
///   recovered exactly from its Float (see ``RealRule``; the few numbers
///   that are not keep their Double aside, 16 bytes each, their Float
///   slot marked by a NaN no JSON number makes), an integer within
///   Int32, a boolean, a null, or the id of a string interned by its bytes
///   (``ValueInterner``: a label column of ten class names costs four bytes
///   a row, not a String each);
/// - eight bytes a cell from the first integer beyond Int32, or once the
///   numbers kept aside outgrow a quarter of the cells (they would cost
///   more than eight bytes a cell): the column is then widened once, every
///   cell to a Double's or Int64's bits, exactly;
/// - plus a kind byte a cell only once the column holds cells of two kinds.
///
/// A cell reads back as the ``TableCell`` the scanner or decoder made, bit
/// for bit, so that types, values and messages do not depend on the form.
///
/// A class, not a struct: a table's cells are read through a closure
/// (``TableSource``), and fetching a struct of eight arrays from the
/// table's array of columns copies it, retaining and releasing each array
/// at every cell (half of a JSON Lines run's time went there).
///
/// A column of lists of numbers (an embedding per row) keeps each list's
/// elements as float32 (what a feature is read as), four bytes each, and
/// reads back as ``width`` numbers per row (``element(_:_:)``), its cells
/// `.nested("an array of n")` as before. What keeps such a column from
/// being read as a block — lists of unequal length, an element that is not
/// a number — is kept as its ``listProblem`` and said when a run reads the
/// column (``TableSource/load(columns:)``), so that a column a run does not
/// use never blocks it.
final class JSONLinesColumn {
    private enum Kind: UInt8 { case null, text, integer, real, boolean, nested, list, absent }

    /// How a real cell's Double is recovered from the Float kept for it in
    /// four-byte form; each cell is checked when appended, bit for bit.
    ///
    /// - `exact`: the Double is the Float (a float32 written exactly, as
    ///   Python's `json` writes `float(numpy.float32(x))`).
    /// - `tenDecimalPlaces`: the Float's value rounded to ten decimal places
    ///   (`round(Double(f) × 10¹⁰) / 10¹⁰`), what pandas' `to_json` writes
    ///   for a float32 column (`double_precision=10`): `0.1257302165` for
    ///   the float32 0.12573021650314331. Where ten places carry more
    ///   digits than float32 holds (magnitudes from about 10⁻² on), the
    ///   written number rounds back to the same Float, and the rounding
    ///   recovers the written number; elsewhere the check fails and the
    ///   column widens.
    private enum RealRule { case exact, tenDecimalPlaces }

    /// The kind of every cell while they all share one (nil before the first).
    private var uniform: Kind?
    /// Every cell's kind, once two kinds were seen (empty until then).
    private var kinds = [Kind]()
    /// The cells in four-byte form (until ``isWide``).
    private var narrow = [UInt32]()
    /// The cells in eight-byte form (from the first cell that needs it on).
    private var wide = [UInt64]()
    private var isWide = false
    private var rule = RealRule.exact
    /// Set once a switch to `tenDecimalPlaces` failed on a cell already
    /// kept: it would fail again, and rescanning the column at every later
    /// cell would make reading quadratic in the rows.
    private var tenDecimalPlacesRuledOut = false
    /// The real cells (in four-byte form) that ``rule`` does not recover:
    /// their rows, ascending, and their Doubles' bits.
    private var asideRows = [Int](), asideBits = [UInt64]()
    /// The Float bits marking a cell kept aside: a NaN, which `Float(d)` of
    /// a JSON number (always finite) never is.
    private static let asideMark: UInt32 = 0x7FC0_0001
    /// Strings and nested-value descriptions, interned by their bytes (all
    /// hashed: a table of its own per column would cost up to 16 MiB).
    private var texts = ValueInterner(directLimit: 0)
    /// String cells seen, while deciding whether interning pays.
    private var stringCells = 0
    /// Whether strings are still looked up before they are kept. A column
    /// whose first ``dedupSample`` strings are mostly distinct (free text,
    /// row ids) gains nothing from interning and pays a hash and a probe
    /// per cell (a quarter of reading a column of texts); from then on its
    /// strings are kept as they come, each under an id of its own. Cells
    /// read back by id (``ValueInterner/name(_:)``) only, so nothing else
    /// changes.
    private var deduplicating = true
    /// Strings sampled before deciding.
    static let dedupSample = 4096
    /// Whether string cells are still interned (for tests).
    var internsStrings: Bool { deduplicating }

    /// The most bytes a cell takes here, besides the text of strings and list elements.
    static let bytesPerCell = 9

    /// The length of the lists of numbers this column holds (an
    /// embedding's dimension, set by the first), or nil when it holds none.
    private(set) var listWidth: Int?
    /// The line of the first list, for messages.
    private(set) var firstListLine = 0
    /// Every list's elements, `listWidth` a list; a null element is NaN
    /// (no JSON number is one).
    private var listElements = [Float]()
    /// The first thing (in file order) that keeps this column from being
    /// read as lists of numbers of one length; nil when nothing does.
    private(set) var listProblem: (line: Int, expected: String, found: String)?

    /// Rows before this column's first cell (a key first seen on a later
    /// line of the file): nulls, counted rather than stored, so that a key
    /// first seen on the last of a million lines costs nothing for the others.
    private let missingRows: Int

    /// Room for `rows` cells in four-byte form, reserved, not touched;
    /// `missingRows` nulls before the first cell appended.
    init(reservingCapacity rows: Int = 0, missingRows: Int = 0) {
        narrow.reserveCapacity(rows)
        self.missingRows = missingRows
    }

    /// The rows, the leading nulls included.
    var count: Int { missingRows + stored }
    /// The cells stored (``count`` without the leading nulls); private
    /// methods index stored cells.
    private var stored: Int { isWide ? wide.count : narrow.count }

    /// The bytes a cell takes now (4 or 8), besides kinds, cells kept aside
    /// and interned text: what the tests check of the form.
    var cellBytes: Int { isWide ? 8 : 4 }

    func append(_ cell: TableCell) {
        switch cell {
        case .null: appendNarrow(.null, 0)
        case .absent: appendNarrow(.absent, 0)
        case .boolean(let b): appendNarrow(.boolean, b ? 1 : 0)
        case .integer(let i):
            if !isWide, let small = Int32(exactly: i) { appendNarrow(.integer, UInt32(bitPattern: small)) } else { appendWide(.integer, UInt64(bitPattern: i)) }
        case .real(let d):
            if isWide {
                appendWide(.real, d.bitPattern)
            } else if let f = narrowed(d) {
                appendNarrow(.real, f.bitPattern)
            } else if asideRows.count < 1024 || 4 * asideRows.count < stored {
                asideRows.append(stored)
                asideBits.append(d.bitPattern)
                appendNarrow(.real, Self.asideMark)
            } else {
                appendWide(.real, d.bitPattern)
            }
        case .text(let s): appendNarrow(.text, UInt32(textID(s)))
        case .nested(let what): appendNarrow(.nested, UInt32(texts.id(of: what)!))
        }
    }

    /// The id of string cell `s`: interned while ``deduplicating``, then
    /// kept without a lookup.
    private func textID(_ s: String) -> Int32 {
        guard deduplicating else { return texts.appendUnlooked(s) }
        stringCells += 1
        // More than three quarters distinct: interning would save little memory.
        if stringCells == Self.dedupSample && texts.count > 3 * Self.dedupSample / 4 { deduplicating = false }
        return texts.id(of: s)!
    }

    /// Appends the list of numbers `elements` (a JSON null element as NaN),
    /// written on line `line`. A list that cannot join the column's block —
    /// empty when it is the first, of another length than the first, or
    /// holding a number beyond float32's range — is kept as the array
    /// cell the exact path makes, and noted as the ``listProblem``.
    func appendList(_ elements: UnsafeBufferPointer<Double>, line: Int) {
        guard let width = listWidth else {
            guard !elements.isEmpty else {
                noteProblem(line, "a list of at least one number (an embedding)", "an empty list")
                return appendNarrow(.nested, UInt32(texts.id(of: "an array of 0")!))
            }
            listWidth = elements.count
            firstListLine = line
            return appendList(elements, line: line)
        }
        guard elements.count == width else {
            noteProblem(line, "a list of \(width) numbers, as on line \(firstListLine) (every row's the same length)", "\(elements.count)")
            return appendNarrow(.nested, UInt32(texts.id(of: "an array of \(elements.count)")!))
        }
        if let k = elements.firstIndex(where: { !$0.isNaN && !Float($0).isFinite }) {
            noteProblem(line, "numbers within float32's range (magnitude at most \(Float.greatestFiniteMagnitude))", "\(elements[k]) (element \(k))")
            return appendNarrow(.nested, UInt32(texts.id(of: "an array of \(elements.count)")!))
        }
        let ordinal = listElements.count / width
        listElements.append(contentsOf: elements.lazy.map { Float($0) })
        appendNarrow(.list, UInt32(ordinal))
    }

    /// Appends an array that is not a list of numbers (`cell`, the exact
    /// path's `.nested` for it), noting why: `found` names the element.
    func appendArray(_ cell: TableCell, line: Int, found: String) {
        noteProblem(line, "a list of numbers (an embedding)", found)
        append(cell)
    }

    /// Notes the first cell of a list column that is not a list (a number,
    /// a string, an object), once the file is read (`lines`: each row's
    /// line): a list column holds lists and nulls only.
    func checkListsOnly(lines: JSONLinesLineNumbers) {
        guard let width = listWidth else { return }
        for r in 0..<stored {
            switch kind(r) {
            case .list, .null, .absent: continue
            case .nested: if listProblem != nil { continue }  // an array noted as it was read
            default: break
            }
            let found: String = switch cell(r) {
            case .text(let t): "\"\(t.count > 40 ? String(t.prefix(40)) + "…" : t)\""
            case .integer(let i): "\(i)"
            case .real(let d): "\(d)"
            case .boolean(let b): "\(b)"
            case .nested(let what): what
            case .null: "null"
            case .absent: TableCell.absentSpelling
            }
            noteProblem(lines[missingRows + r], "a list of \(width) numbers, as on line \(firstListLine)", found)
            return
        }
    }

    /// Keeps the problem on the earliest line.
    private func noteProblem(_ line: Int, _ expected: String, _ found: String) {
        if let p = listProblem, p.line <= line { return }
        listProblem = (line, expected, found)
    }

    /// Element `k` of row `row`'s list: a number, or null where the list or
    /// the element is (a row that holds no list reads as null: the column's
    /// ``listProblem`` refuses it before anything is read).
    func element(_ row: Int, _ k: Int) -> TableCell {
        let row = row - missingRows
        guard row >= 0, kind(row) != .absent else { return .absent }
        guard kind(row) == .list, let width = listWidth else { return .null }
        let f = listElements[Int(isWide ? wide[row] : UInt64(narrow[row])) * width + k]
        return f.isNaN ? .null : .real(Double(f))
    }

    /// `d` as a Float that ``rule`` recovers it from, switching the rule
    /// from `exact` to `tenDecimalPlaces` when every real cell so far allows
    /// it; nil when no rule does (the cell is kept aside).
    private func narrowed(_ d: Double) -> Float? {
        let f = Float(d)
        if Self.recovered(f, rule).bitPattern == d.bitPattern { return f }
        guard rule == .exact, !tenDecimalPlacesRuledOut,
              Self.recovered(f, .tenDecimalPlaces).bitPattern == d.bitPattern else { return nil }
        for r in 0..<narrow.count where kind(r) == .real && narrow[r] != Self.asideMark {
            let kept = Float(bitPattern: narrow[r])
            guard Self.recovered(kept, .tenDecimalPlaces).bitPattern == Double(kept).bitPattern else {
                tenDecimalPlacesRuledOut = true
                return nil
            }
        }
        rule = .tenDecimalPlaces
        return f
    }

    /// The Double `rule` makes of `f` (see ``RealRule``).
    @inline(__always)
    private static func recovered(_ f: Float, _ rule: RealRule) -> Double {
        let d = Double(f)
        guard rule == .tenDecimalPlaces else { return d }
        let scaled = d * 1e10
        guard scaled.magnitude < 0x1p52 else { return d }
        return scaled.rounded() / 1e10
    }

    private func kind(_ row: Int) -> Kind { kinds.isEmpty ? uniform! : kinds[row] }

    private func appendNarrow(_ kind: Kind, _ bits: UInt32) {
        if isWide { appendWide(kind, UInt64(bits)); return }
        noteKind(kind)
        narrow.append(bits)
    }

    private func appendWide(_ kind: Kind, _ bits: UInt64) {
        if !isWide { widen() }
        noteKind(kind)
        wide.append(bits)
    }

    private func noteKind(_ kind: Kind) {
        if kinds.isEmpty {
            if uniform == nil { uniform = kind }
            if uniform != kind {
                // The second kind: from now on every cell carries its own.
                kinds.reserveCapacity(max(narrow.capacity, wide.capacity))
                kinds.append(contentsOf: repeatElement(uniform!, count: stored))
                kinds.append(kind)
            }
        } else {
            kinds.append(kind)
        }
    }

    /// Every cell from four bytes to eight, exactly; the four-byte form is released.
    private func widen() {
        wide.reserveCapacity(narrow.capacity)
        for r in 0..<narrow.count {
            let bits = narrow[r]
            switch kind(r) {
            case .integer: wide.append(UInt64(bitPattern: Int64(Int32(bitPattern: bits))))
            case .real: wide.append(real(row: r).bitPattern)
            case .null, .absent, .boolean, .text, .nested, .list: wide.append(UInt64(bits))
            }
        }
        narrow = []
        asideRows = []
        asideBits = []
        isWide = true
    }

    /// Row `row` of the file's rows (the leading nulls included).
    subscript(row: Int) -> TableCell {
        row < missingRows ? .absent : cell(row - missingRows)
    }

    /// Stored cell `row`.
    private func cell(_ row: Int) -> TableCell {
        switch kind(row) {
        case .null: return .null
        case .absent: return .absent
        case .boolean: return .boolean((isWide ? wide[row] : UInt64(narrow[row])) != 0)
        case .integer: return .integer(isWide ? Int64(bitPattern: wide[row]) : Int64(Int32(bitPattern: narrow[row])))
        case .real: return .real(isWide ? Double(bitPattern: wide[row]) : real(row: row))
        case .text: return .text(texts.name(Int(isWide ? wide[row] : UInt64(narrow[row]))))
        case .nested: return .nested(texts.name(Int(isWide ? wide[row] : UInt64(narrow[row]))))
        case .list: return .nested("an array of \(listWidth!)")
        }
    }

    /// The Double of real cell `row` in four-byte form: recovered from its
    /// Float, or found aside (a binary search among the rows kept aside).
    private func real(row: Int) -> Double {
        let bits = narrow[row]
        guard bits == Self.asideMark else { return Self.recovered(Float(bitPattern: bits), rule) }
        var low = 0, high = asideRows.count
        while low < high {
            let mid = (low + high) / 2
            if asideRows[mid] < row { low = mid + 1 } else { high = mid }
        }
        return Double(bitPattern: asideBits[low])
    }
}
