import SynthctlCore

extension ResultTable {
    /// The table as one Parquet file (``ParquetFileWriter``: row groups of
    /// about 64 MiB of values, zstd pages), every column REQUIRED, typed as
    /// pyarrow types a pandas frame of the same values:
    ///
    /// | column | Parquet |
    /// | --- | --- |
    /// | text | BYTE_ARRAY, logical type STRING, PLAIN (an empty string stays empty, as in the CSV form) |
    /// | integer | INT64 |
    /// | unsigned (ids beyond Int64) | INT64, logical type INTEGER(64, unsigned): pyarrow's uint64 |
    /// | real | DOUBLE (every bit: the CSV form's shortest round-tripping decimals read back to the same values) |
    /// | boolean | BOOLEAN |
    ///
    /// Returns the file's bytes; a result table is one value per item or row,
    /// small enough to hold.
    public func parquet(codec: ParquetCodec = .zstd, createdBy: String, threads: Int = 1) throws -> [UInt8] {
        let kinds: [ParquetColumn.Kind] = columns.map {
            switch $0 {
            case .text: .text
            case .integer, .unsigned: .int64
            case .real: .double
            case .boolean: .boolean
            }
        }
        let schema = names.indices.map { c -> ParquetColumn in
            if case .unsigned = columns[c] { return ParquetColumn(name: names[c], kind: .int64, logicalType: .integer(bits: 64, signed: false), optional: false) }
            return ParquetColumn(name: names[c], kind: kinds[c])
        }
        var bytes: [UInt8] = []
        let writer = try ParquetFileWriter(columns: schema, codec: codec, keyValues: [], createdBy: createdBy, threads: threads,
                                            rowGroupRows: min(ParquetFileWriter.rowGroupRows(columns: schema.count), max(1, rows))) {
            $0.withUnsafeBytes { bytes += $0 }
        }
        var first = 0
        while first < rows {
            let take = min(writer.room, rows - first)
            for (c, column) in columns.enumerated() {
                switch column {
                case .text(let v): writer.appendTexts(column: c, from: v.span.extracting(first...), rows: take)
                case .integer(let v): writer.appendInt64s(column: c, from: v.span.extracting(first...), rows: take)
                case .unsigned(let v):
                    let bits = v[first..<(first + take)].map { Int64(bitPattern: $0) }  // UINT_64 stores the bit pattern
                    writer.appendInt64s(column: c, from: bits.span, rows: take)
                case .real(let v): writer.appendDoubles(column: c, from: v.span.extracting(first...), rows: take)
                case .boolean(let v):
                    let bits = v[first..<(first + take)].map { $0 ? Int32(1) : 0 }
                    writer.appendIntegers(column: c, from: bits.span, rows: take)
                }
            }
            try writer.commit(rows: take)
            first += take
        }
        _ = try writer.finish()
        return bytes
    }
}
