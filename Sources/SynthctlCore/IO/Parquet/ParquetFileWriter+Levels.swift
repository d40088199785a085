/// The columns ``ParquetFileWriter`` writes with definition (and, for
/// lists, repetition) levels: OPTIONAL columns whose nulls are flags
/// (``ParquetColumn/flaggedNulls``) and lists of floats
/// (``ParquetColumn/Kind/floatList(width:)``), and fixed-length bytes
/// (REQUIRED ones with no levels at all), as `synthctl split` copies
/// a Parquet table's columns. `gen`'s columns never come here, so its
/// bytes do not change.
///
/// A data page (v1, parquet-format `README.md`, "Data Pages") holds, for
/// a list, its repetition levels (0 starts a row, 1 continues it), then
/// the definition levels, each as a 4-byte little-endian length and the
/// RLE/bit-packed hybrid at the level's bit width, then the non-null
/// values PLAIN. Levels (LogicalTypes.md, "Lists"): a flat OPTIONAL
/// column 1 (value) or 0 (null); a list (`group NAME (LIST) { repeated
/// group list { optional element } }`) its maximum, 3 (2 for a REQUIRED
/// list), for each element, 0 for a null list. Elements are never null.
extension ParquetFileWriter {
    func encodeWithLevels(column c: Int, rows: Int, floats: UnsafeBufferPointer<Float>, integers: UnsafeBufferPointer<Int32>,
                          wide: UnsafeBufferPointer<UInt64>, texts: UnsafeBufferPointer<String>,
                          compressor: _UnsafeParquetPageCompressor) -> EncodedChunk {
        let column = columns[c]
        let width = column.valuesPerRow, start = slot[c]
        let flags = presence, flagStart = presenceSlot[c]
        func present(_ r: Int) -> Bool { flagStart.map { flags[$0 + r] } ?? true }
        var chunk = EncodedChunk()
        chunk.nullCount = (0..<rows).reduce(0) { $0 + (present($1) ? 0 : 1) }
        // Statistics over the values present (lists: the null count only).
        let kept = (0..<rows).filter(present)
        switch column.kind {
        case .float:
            let xs = kept.map { floats[start + $0] }.filter { !$0.isNaN }
            if var lo = xs.min(), var hi = xs.max() {
                if lo == 0 { lo = -0.0 }
                if hi == 0 { hi = 0.0 }
                (chunk.minValue, chunk.maxValue) = (Self.littleEndian(lo.bitPattern), Self.littleEndian(hi.bitPattern))
            }
        case .double:
            let xs = kept.map { Double(bitPattern: wide[start + $0]) }.filter { !$0.isNaN }
            if var lo = xs.min(), var hi = xs.max() {
                if lo == 0 { lo = -0.0 }
                if hi == 0 { hi = 0.0 }
                (chunk.minValue, chunk.maxValue) = (Self.littleEndian(lo.bitPattern), Self.littleEndian(hi.bitPattern))
            }
        case .int32 where !Self.isUnsigned(column.logicalType):
            let xs = kept.map { integers[start + $0] }
            if let lo = xs.min(), let hi = xs.max() {
                (chunk.minValue, chunk.maxValue) = (Self.littleEndian(UInt32(bitPattern: lo)), Self.littleEndian(UInt32(bitPattern: hi)))
            }
        case .int64 where !Self.isUnsigned(column.logicalType):
            let xs = kept.map { Int64(bitPattern: wide[start + $0]) }
            if let lo = xs.min(), let hi = xs.max() {
                (chunk.minValue, chunk.maxValue) = (Self.littleEndian(UInt64(bitPattern: lo)), Self.littleEndian(UInt64(bitPattern: hi)))
            }
        case .boolean:
            let xs = kept.map { UInt8(integers[start + $0]) }
            if let lo = xs.min(), let hi = xs.max() { (chunk.minValue, chunk.maxValue) = ([lo], [hi]) }
        case .text:
            let xs = kept.map { texts[start + $0] }
            chunk.minValue = xs.min { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { Array($0.utf8) }
            chunk.maxValue = xs.max { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { Array($0.utf8) }
        case .int32, .int64, .string, .floatList, .doubleList, .fixedBytes: break  // no statistics but the null count
        }
        // A REQUIRED flat column (fixed-length bytes) has no definition levels.
        let maxDefinition = column.isList ? (column.nullable ? 3 : 2) : column.nullable ? 1 : 0
        let definitionBits = Int.bitWidth - maxDefinition.leadingZeroBitCount
        var entries = 0, page = 0
        while page < rows {
            let n = min(pageRows, rows - page)
            let pageRows = page..<(page + n)
            var body = [UInt8](), repetition = [UInt8](), definition = [UInt8]()
            for r in pageRows {
                let isPresent = present(r)
                if column.isList {
                    if isPresent {
                        repetition.append(0)
                        repetition += repeatElement(1, count: width - 1)
                        definition += repeatElement(UInt8(maxDefinition), count: width)
                    } else {
                        repetition.append(0)
                        definition.append(0)
                    }
                } else {
                    definition.append(isPresent ? 1 : 0)
                }
            }
            if column.isList {
                let levels = _UnsafeBitPacking.hybrid(repetition, count: repetition.count, bitWidth: 1)
                body += Self.littleEndian(UInt32(levels.count)) + levels
            }
            if maxDefinition > 0 {
                let levels = _UnsafeBitPacking.hybrid(definition, count: definition.count, bitWidth: definitionBits)
                body += Self.littleEndian(UInt32(levels.count)) + levels
            }
            let rowsPresent = pageRows.filter(present)
            switch column.kind {
            case .float, .floatList:
                body.reserveCapacity(body.count + rowsPresent.count * width * 4)
                for r in rowsPresent { Self.appendLittleEndian(UnsafeBufferPointer(rebasing: floats[(start + r * width)..<(start + (r + 1) * width)]), to: &body) }
            case .double, .int64, .doubleList:
                body.reserveCapacity(body.count + rowsPresent.count * width * 8)
                for r in rowsPresent { Self.appendLittleEndian(UnsafeBufferPointer(rebasing: wide[(start + r * width)..<(start + (r + 1) * width)]), to: &body) }
            case .int32:
                body.reserveCapacity(body.count + rowsPresent.count * 4)
                for r in rowsPresent { Self.appendLittleEndian(UnsafeBufferPointer(rebasing: integers[(start + r)..<(start + r + 1)]), to: &body) }
            case .boolean:
                body += _UnsafeBitPacking.packed(rowsPresent.map { integers[start + $0] }, bitWidth: 1)
            case .text:
                for r in rowsPresent {
                    body += Self.littleEndian(UInt32(texts[start + r].utf8.count))
                    body += texts[start + r].utf8
                }
            case .fixedBytes(let bytes):
                // Each row's first `bytes` bytes of its `width` words.
                let raw = UnsafeRawBufferPointer(wide)
                for r in rowsPresent { body += raw[((start + r * width) * 8)..<((start + r * width) * 8 + bytes)] }
            case .string: preconditionFailure("dictionary strings take −1 for null")
            }
            entries += definition.count
            body.withUnsafeBytes { appendPage(&chunk, $0, compressor: compressor, dataValues: definition.count, encoding: 0) }
            page += n
        }
        chunk.encodings = maxDefinition > 0 ? [0, 3] : [0]
        if column.isList { chunk.entries = entries }
        return chunk
    }

    /// Appends `values`' bytes to `body`, each value little-endian (Parquet's
    /// PLAIN encoding of INT32, INT64, FLOAT and DOUBLE): on a little-endian
    /// machine their bytes as they lie in memory, one copy for the run.
    static func appendLittleEndian<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>, to body: inout [UInt8]) {
        #if _endian(little)
        body.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for v in values {
            withUnsafeBytes(of: v) { body.append(contentsOf: $0.reversed()) }
        }
        #endif
    }

    static func isUnsigned(_ type: ParquetColumn.LogicalType) -> Bool {
        if case .integer(_, false) = type { true } else { false }
    }

    /// A flat column's ConvertedType (field 6, with a DECIMAL's scale and
    /// precision, 7 and 8) and LogicalType (field 10) in its SchemaElement
    /// (parquet.thrift; LogicalTypes.md for which ConvertedType matches).
    static func logicalType(_ type: ParquetColumn.LogicalType, into e: inout ThriftCompactWriter) {
        switch type {
        case .none:
            return
        case .integer(let bits, let signed):
            // INT_8 … INT_64 are 15 … 18, UINT_8 … UINT_64 11 … 14.
            e.i32(6, (signed ? 15 : 11) + Int32(bits.trailingZeroBitCount - 3))
            e.structure(10) { l in l.structure(10) { i in i.byte(1, Int8(bits)); i.bool(2, signed) } }
        case .decimal(let precision, let scale):
            e.i32(6, 5)
            e.i32(7, Int32(scale))
            e.i32(8, Int32(precision))
            e.structure(10) { l in l.structure(5) { d in d.i32(1, Int32(scale)); d.i32(2, Int32(precision)) } }
        case .date:
            e.i32(6, 6)
            e.structure(10) { l in l.structure(6) { _ in } }
        case .timestamp(let unit, let utc):
            // TIMESTAMP_MILLIS and TIMESTAMP_MICROS mean adjusted to UTC.
            if utc && unit != .nanos { e.i32(6, unit == .millis ? 9 : 10) }
            let member: Int16 = switch unit {
            case .millis: 1
            case .micros: 2
            case .nanos: 3
            }
            e.structure(10) { l in l.structure(8) { t in t.bool(1, utc); t.structure(2) { u in u.structure(member) { _ in } } } }
        }
    }
}
