/// One column of a JSON Lines table, its cells appended row by row as the
/// file is read: a kind byte and eight bytes of payload a cell (a Double's
/// or Int64's bits, a boolean, or the index of a string), so a table of
/// numbers costs nine bytes a cell, not a decoded object per row.
struct JSONLinesColumn {
    private enum Kind: UInt8 { case null, text, integer, real, boolean, nested }

    private var kinds = [Kind]()
    private var payload = [UInt64]()
    /// Strings and nested-value descriptions, in order of appearance.
    private var texts = [String]()

    init(reservingCapacity rows: Int) {
        kinds.reserveCapacity(rows)
        payload.reserveCapacity(rows)
    }

    var count: Int { kinds.count }

    mutating func append(_ cell: TableCell) {
        switch cell {
        case .null: kinds.append(.null); payload.append(0)
        case .boolean(let b): kinds.append(.boolean); payload.append(b ? 1 : 0)
        case .integer(let i): kinds.append(.integer); payload.append(UInt64(bitPattern: i))
        case .real(let d): kinds.append(.real); payload.append(d.bitPattern)
        case .text(let s): kinds.append(.text); payload.append(UInt64(texts.count)); texts.append(s)
        case .nested(let what): kinds.append(.nested); payload.append(UInt64(texts.count)); texts.append(what)
        }
    }

    subscript(row: Int) -> TableCell {
        let bits = payload[row]
        switch kinds[row] {
        case .null: return .null
        case .boolean: return .boolean(bits != 0)
        case .integer: return .integer(Int64(bitPattern: bits))
        case .real: return .real(Double(bitPattern: bits))
        case .text: return .text(texts[Int(bits)])
        case .nested: return .nested(texts[Int(bits)])
        }
    }
}
