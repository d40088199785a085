import Synth
import SynthctlCore

/// A table ready to be written as Parquet: each column's Parquet type
/// (``ParquetColumn``) and its values over every row (with nulls), the
/// footer's key-value metadata, and the categories of dictionary columns.
/// ``write(rows:appending:to:)`` writes chosen rows of it, with columns
/// appended after its own (an embedding), a row group at a time.
///
/// Two readers make one: ``ParquetTableSplit`` from a Parquet input, every
/// column as stored; ``ParquetWritableTable/init(carrying:path:textColumn:)``
/// from a CSV, TSV or JSON Lines table, each column typed by its cells.
package struct ParquetWritableTable {
    /// The columns to write, and their values over every row.
    let columns: [ParquetColumn]
    let values: [ParquetTable.Column]
    let keyValues: [(key: String, value: String)]
    /// For a string column that the Arrow schema says is dictionary-encoded
    /// (a pandas Categorical, a Polars Enum or Categorical, a pyarrow
    /// DictionaryArray): the input's categories, in its order — each row
    /// group's dictionary in turn, as pyarrow unifies them. Every part
    /// writes exactly these, so that an ordered category's order and an
    /// unused category survive (a part's own values in order of appearance
    /// would reorder both).
    let categories: [Int: [String]]

    /// The table's column names, in order.
    package var columnNames: [String] { columns.map(\.name) }

    /// How many rows the table has.
    package var rows: Int { values.first?.present.count ?? 0 }

    /// The Parquet file of the table's rows `rows` (0-based across its
    /// parts, ascending): its bytes.
    func bytes(ofRows rows: [Int]) throws -> [UInt8] {
        final class Sink: @unchecked Sendable { var bytes = [UInt8]() }
        let sink = Sink()
        try write(rows: rows, appending: [], to: { span in span.withUnsafeBytes { sink.bytes.append(contentsOf: $0) } })
        return sink.bytes
    }

    /// A column written after the table's own: its schema (a list of
    /// FLOAT, one row of `width` values per table row), and what fills
    /// it: `values(chosen, into)` sets `into` (chosen.count × width,
    /// row-major) to the values of the table rows `chosen`, a row group's
    /// worth at a time, so that they need not exist all at once.
    package struct AppendedColumn {
        package let column: ParquetColumn
        package let values: ([Int], inout [Float]) throws -> Void
        package init(column: ParquetColumn, values: @escaping ([Int], inout [Float]) throws -> Void) {
            self.column = column
            self.values = values
        }
    }

    /// Writes the Parquet file of the table's rows `rows` (as
    /// ``bytes(ofRows:)``) with `appended` after its columns, to `sink`.
    /// The footer's `ARROW:schema` is dropped when columns are appended
    /// (its fields would no longer be the file's columns).
    package func write(rows: [Int], appending appended: [AppendedColumn], to sink: @escaping ParquetFileWriter.Sink) throws {
        // Dictionary strings: each column's dictionary is the part's values, in order of appearance.
        var columns = self.columns
        var codes = [Int: [Int32]]()
        for c in columns.indices {
            guard case .string = columns[c].kind, case .strings(let v) = values[c].values else { continue }
            var dictionary = categories[c] ?? [], index = [String: Int32]()
            for (k, value) in dictionary.enumerated() { index[value] = Int32(k) }
            codes[c] = rows.map { r in
                guard values[c].present[r] else { return -1 }
                if let i = index[v[r]] { return i }
                index[v[r]] = Int32(dictionary.count)
                dictionary.append(v[r])
                return Int32(dictionary.count - 1)
            }
            columns[c] = ParquetColumn(name: columns[c].name, kind: .string(dictionary: dictionary), nullable: columns[c].nullable)
        }
        let own = columns.count
        columns += appended.map(\.column)
        // A synthctl table's row count and offset (of a shard in its dataset) are the part's own now: a whole table of rows.count.
        let keyValues = (appended.isEmpty ? self.keyValues : self.keyValues.filter { $0.key != "ARROW:schema" }).map { kv in
            switch kv.key {
            case "synthctl.total_rows": (kv.key, String(rows.count))
            case "synthctl.row_offset": (kv.key, "0")
            default: kv
            }
        }
        let writer = try ParquetFileWriter(columns: columns, codec: .snappy, keyValues: keyValues, createdBy: "synthctl version \(SynthVersion.current)",
                                           threads: 1, sink: sink)
        var extra = [Float]()
        var done = 0
        while done < rows.count {
            let n = min(writer.room, rows.count - done)
            let chosen = Array(rows[done..<(done + n)])
            for (a, column) in appended.enumerated() {
                try column.values(chosen, &extra)
                writer.appendList(column: own + a, from: extra.span, rows: n)
            }
            for (c, column) in columns[..<own].enumerated() {
                let v = values[c]
                if column.flaggedNulls {
                    let present = chosen.map { v.present[$0] }
                    writer.appendPresence(column: c, from: present.span, rows: n)
                }
                switch v.values {
                case .booleans(let x):
                    let bits = chosen.map { Int32(x[$0] ? 1 : 0) }
                    writer.appendIntegers(column: c, from: bits.span, rows: n)
                case .integers(let x):
                    let picked = chosen.map { x[$0] }
                    if case .int64 = column.kind { writer.appendInt64s(column: c, from: picked.span, rows: n) }
                    else { writer.appendIntegers(column: c, from: picked.span, rows: n) }
                case .unsignedIntegers(let x):
                    let picked = chosen.map { Int64(bitPattern: x[$0]) }
                    writer.appendInt64s(column: c, from: picked.span, rows: n)
                case .floats(let x):
                    if case .float = column.kind {
                        let picked = chosen.map { Float(x[$0]) }
                        writer.appendFloats(columns: c, width: 1, rowMajor: picked.span, rows: n)
                    } else {
                        let picked = chosen.map { x[$0] }
                        writer.appendDoubles(column: c, from: picked.span, rows: n)
                    }
                case .strings(let x):
                    if case .text = column.kind {
                        // Plain strings (a text column: no small set of values to put in a dictionary), never null.
                        let picked = chosen.map { x[$0] }
                        writer.appendTexts(column: c, from: picked.span, rows: n)
                    } else {
                        let picked = Array(codes[c]![done..<(done + n)])
                        writer.appendIntegers(column: c, from: picked.span, rows: n)
                    }
                case .vectors(let width, let x, _):
                    let picked = chosen.flatMap { x[($0 * width)..<(($0 + 1) * width)] }
                    writer.appendList(column: c, from: picked.span, rows: n)
                case .fixedBytes(let width, let x):
                    let picked = chosen.flatMap { x[($0 * width)..<(($0 + 1) * width)] }
                    writer.appendFixedBytes(column: c, from: picked.span, rows: n)
                }
            }
            try writer.commit(rows: n)
            done += n
        }
        _ = try writer.finish()
    }
}
