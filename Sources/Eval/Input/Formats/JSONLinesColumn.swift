/// One column of a JSON Lines table, its cells appended row by row as the
/// file is read: eight bytes of payload a cell (a Double's or Int64's
/// bits, a boolean, or the index of a string), and a kind byte a cell only
/// once the column holds cells of two kinds. A column of numbers of one
/// kind (what a feature column is) therefore costs eight bytes a cell, one
/// of mixed kinds nine, never a decoded object per row.
struct JSONLinesColumn {
    private enum Kind: UInt8 { case null, text, integer, real, boolean, nested }

    /// The kind of every cell while they all share one (nil before the first).
    private var uniform: Kind?
    /// Every cell's kind, once two kinds were seen (empty until then).
    private var kinds = [Kind]()
    private var payload = [UInt64]()
    /// Strings and nested-value descriptions, in order of appearance.
    private var texts = [String]()

    /// The most bytes a cell takes here, besides the text of strings.
    static let bytesPerCell = 9

    /// Room for `rows` cells of one kind, reserved, not touched.
    init(reservingCapacity rows: Int = 0) { payload.reserveCapacity(rows) }

    var count: Int { payload.count }

    mutating func append(_ cell: TableCell) {
        switch cell {
        case .null: append(.null, 0)
        case .boolean(let b): append(.boolean, b ? 1 : 0)
        case .integer(let i): append(.integer, UInt64(bitPattern: i))
        case .real(let d): append(.real, d.bitPattern)
        case .text(let s): append(.text, UInt64(texts.count)); texts.append(s)
        case .nested(let what): append(.nested, UInt64(texts.count)); texts.append(what)
        }
    }

    private mutating func append(_ kind: Kind, _ bits: UInt64) {
        if kinds.isEmpty {
            if uniform == nil { uniform = kind }
            if uniform != kind {
                // The second kind: from now on every cell carries its own.
                kinds.reserveCapacity(payload.capacity)
                kinds.append(contentsOf: repeatElement(uniform!, count: payload.count))
                kinds.append(kind)
            }
        } else {
            kinds.append(kind)
        }
        payload.append(bits)
    }

    subscript(row: Int) -> TableCell {
        let bits = payload[row]
        switch kinds.isEmpty ? uniform! : kinds[row] {
        case .null: return .null
        case .boolean: return .boolean(bits != 0)
        case .integer: return .integer(Int64(bitPattern: bits))
        case .real: return .real(Double(bitPattern: bits))
        case .text: return .text(texts[Int(bits)])
        case .nested: return .nested(texts[Int(bits)])
        }
    }
}
