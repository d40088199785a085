import SynthctlCore

/// Per-row results as one table, so that they travel to pandas, Polars or a
/// spreadsheet: the consensus per item (``AnnotationReport/itemsTable``),
/// every row's label-quality verdict (``LabelIssueReport/rowsTable``).
///
/// Columns keep their types: text, integers, reals and booleans. Rendered as
/// CSV (RFC 4180: a field holding the delimiter, a quote, CR or LF is quoted,
/// quotes doubled), TSV (the same rule with a tab, as pandas'
/// `read_csv(sep="\t")` reads it) or JSON Lines (one object per row, keys in
/// column order; RFC 8259 strings, reals in their shortest round-tripping
/// form, a non-finite real as `null`), or Parquet (``parquet(codec:createdBy:threads:)``).
/// Rows keep the order they were built in.
public struct ResultTable: Sendable, Equatable {
    public enum Column: Sendable, Equatable {
        case text([String])
        case integer([Int])
        /// Whole numbers of which some exceed Int64 (pandas' uint64 ids): UINT_64 in Parquet, digits elsewhere.
        case unsigned([UInt64])
        case real([Double])
        case boolean([Bool])

        var count: Int {
            switch self {
            case .text(let v): return v.count
            case .integer(let v): return v.count
            case .unsigned(let v): return v.count
            case .real(let v): return v.count
            case .boolean(let v): return v.count
            }
        }
    }

    /// The formats a table is written in; see the type's documentation.
    public enum Format: String, Sendable, CaseIterable {
        case csv, tsv, jsonl, parquet

        /// The format a file name asks for by its extension (`.csv`, `.tsv`,
        /// `.jsonl`, `.parquet`, any case), nil for any other.
        public init?(path: String) {
            let lower = path.lowercased()
            guard let format = Self.allCases.first(where: { lower.hasSuffix("." + $0.rawValue) }) else { return nil }
            self = format
        }
    }

    public private(set) var names: [String] = []
    public private(set) var columns: [Column] = []
    public let rows: Int

    public init(rows: Int) { self.rows = rows }

    /// Appends a column. Precondition: it has ``rows`` values.
    public mutating func append(_ name: String, _ column: Column) {
        precondition(column.count == rows, "column \(name) has \(column.count) values for \(rows) rows")
        names.append(name)
        columns.append(column)
    }

    /// The table as a file in `format`: the UTF-8 of ``rendered(as:)`` for
    /// a text format, ``parquet(codec:createdBy:threads:)`` (zstd) for Parquet.
    public func file(as format: Format, createdBy: String) throws -> [UInt8] {
        format == .parquet ? try parquet(createdBy: createdBy) : Array(rendered(as: format).utf8)
    }

    /// The table as text in `format` (precondition: not Parquet), a header
    /// line first for CSV and TSV; every line ends with LF.
    public func rendered(as format: Format) -> String {
        var out = ""
        switch format {
        case .parquet:
            preconditionFailure("Parquet is not text: file(as:createdBy:)")
        case .csv, .tsv:
            let delimiter: Character = format == .csv ? "," : "\t"
            out += names.map { Self.field($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\n"
            for i in 0..<rows {
                for (c, column) in columns.enumerated() {
                    if c > 0 { out.append(delimiter) }
                    switch column {
                    case .text(let v): out += Self.field(v[i], delimiter: delimiter)
                    case .integer(let v): out += String(v[i])
                    case .unsigned(let v): out += String(v[i])
                    case .real(let v): out += "\(v[i])"
                    case .boolean(let v): out += v[i] ? "true" : "false"
                    }
                }
                out += "\n"
            }
        case .jsonl:
            let keys = names.map { name -> String in
                var k = ""
                JSONValue.quote(name, into: &k)
                return k + ":"
            }
            for i in 0..<rows {
                out += "{"
                for (c, column) in columns.enumerated() {
                    if c > 0 { out += "," }
                    out += keys[c]
                    switch column {
                    case .text(let v): JSONValue.quote(v[i], into: &out)
                    case .integer(let v): out += String(v[i])
                    case .unsigned(let v): out += String(v[i])
                    case .real(let v): out += v[i].isFinite ? "\(v[i])" : "null"
                    case .boolean(let v): out += v[i] ? "true" : "false"
                    }
                }
                out += "}\n"
            }
        }
        return out
    }

    /// A CSV or TSV field: quoted when it holds the delimiter, a quote, CR
    /// or LF (compared by scalar: "\r\n" is one Character).
    static func field(_ s: String, delimiter: Character) -> String {
        let d = delimiter.unicodeScalars.first!
        guard s.unicodeScalars.contains(where: { $0 == d || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
