import Foundation

/// Streams a flat table into a Parquet file (Apache parquet-format:
/// `README.md` for the layout, `parquet.thrift` for the metadata,
/// `Encodings.md`, `LogicalTypes.md`), one row group at a time.
///
/// Layout: `PAR1`, then each row group's column chunks one after another
/// (a string column: its dictionary page, then data pages), then the footer
/// (FileMetaData in Thrift compact), its length as 4 bytes little-endian,
/// and `PAR1`. Data pages are version 1 with at most ``pageRows`` rows
/// (``defaultPageRows``: 1 MiB of 4-byte values, parquet-mr's and pyarrow's page size); each
/// page is compressed with the file's ``ParquetCodec``. Every column chunk
/// carries statistics (null count; min and max where a value exists), and
/// the footer declares the type-defined sort order for each column, so
/// readers may use them to skip row groups.
///
/// Why row groups of ``rowGroupRows(columns:)`` rows: a row group must be
/// buffered whole before its first column can be written (each column's
/// chunk is contiguous in the file), so its size is the writer's memory.
/// About 64 MiB of values, at most 1,048,576 rows (pyarrow's default
/// maximum), keeps memory flat in the row count while row groups stay large
/// enough for readers to scan efficiently.
///
/// Memory: the buffered row group (``rowGroupRows`` × columns × 4 bytes)
/// plus its encoded pages while they are written (at most about the same
/// again): ``bufferBytes(columns:)`` in all, whatever the number of rows.
///
/// Why `overlapped` sinks: writing a row group's bytes to disk and hashing
/// them take as long as encoding them. With `overlapped`, each sink runs on
/// its own background thread, in order, while the next row group fills;
/// the writer waits for them before it encodes the next row group, so at
/// most one encoded row group is in flight and memory stays as above.
/// A sink's error is rethrown by the next ``commit(rows:)`` that writes a
/// row group, or by ``finish()``.
///
/// Usage: ``append…`` the values of the next rows (each column at
/// the current row), ``commit(rows:)``, repeat, ``finish()``. The bytes are a
/// pure function of the values and options (not of `threads`).
package final class ParquetFileWriter {
    package let columns: [ParquetColumn]
    package let codec: ParquetCodec
    package let rowGroupRows: Int
    let keyValues: [(key: String, value: String)]
    let createdBy: String
    let threads: Int
    /// Where the file's bytes go, in order (``init(columns:codec:keyValues:createdBy:threads:rowGroupRows:pageRows:overlapped:sinks:)``).
    package typealias Sink = (RawSpan) throws -> Void
    let sinks: [Sink]
    /// One background worker per sink when overlapped, else none.
    let emitters: [SerialBackgroundWorker]
    /// One per encoding thread: worker w encodes columns w, w + T, …
    let compressors: [_UnsafeParquetPageCompressor]

    /// The row group being filled, by ``ParquetColumn/Storage``: float
    /// columns, Int32 columns, Double and Int64 columns (bit patterns) and
    /// plain string columns, each column `rowGroupRows` values long, one
    /// after another.
    var floats: [Float]
    var integers: [Int32]
    var wide: [UInt64]
    var texts: [String]
    /// Whether each row holds a value, for columns with flagged nulls
    /// (``ParquetColumn/flaggedNulls``), `rowGroupRows` flags a column.
    var presence: [Bool]
    /// Where each column's flags start in `presence` (nil: no flags).
    let presenceSlot: [Int?]
    /// Each float column's smallest and largest value so far in the row
    /// group, in 4 lanes (folded by ``appendFloats(columns:width:rowMajor:rows:)``
    /// as it transposes), and how many of its rows they cover: the
    /// statistics without another pass over the values.
    var floatLo: [SIMD4<Float>]
    var floatHi: [SIMD4<Float>]
    var foldedRows: [Int]
    /// Where each column's values start in the buffer of its storage.
    let slot: [Int]
    /// Rows of the current row group filled so far.
    package private(set) var filled = 0
    var offset = 0
    var rowGroups: [WrittenRowGroup] = []
    var totalRows = 0

    /// Values per data page: 1 MiB of 4-byte values.
    package static let defaultPageRows = 1 << 18
    package let pageRows: Int

    /// Rows per row group for `columns` values a row (a list column counts
    /// its width): about 64 MiB of 4-byte values, a multiple of 1024,
    /// between 1024 and 1,048,576.
    package static func rowGroupRows(columns: Int) -> Int {
        let rows = (64 << 20) / (4 * max(1, columns)) / 1024 * 1024
        return min(max(rows, 1024), 1 << 20)
    }

    /// The most this writer holds, in bytes, for `columns` columns with the
    /// default row groups (see the type's documentation).
    package static func bufferBytes(columns: Int) -> Int {
        2 * rowGroupRows(columns: columns) * 4 * max(1, columns)
    }

    /// Starts the file: writes `PAR1` to `sink`. `keyValues` go to the
    /// footer's key-value metadata in their order; `threads` encode and
    /// compress the columns of a row group in parallel. `rowGroupRows` and
    /// `pageRows` replace the defaults (tests use small ones to see several
    /// row groups and pages in a small table).
    package convenience init(columns: [ParquetColumn], codec: ParquetCodec, keyValues: [(key: String, value: String)], createdBy: String,
                             threads: Int, rowGroupRows: Int? = nil, pageRows: Int? = nil, sink: @escaping Sink) throws {
        try self.init(columns: columns, codec: codec, keyValues: keyValues, createdBy: createdBy, threads: threads,
                      rowGroupRows: rowGroupRows, pageRows: pageRows, overlapped: false, sinks: [sink])
    }

    /// As the other initializer, with every byte going to each of `sinks`
    /// in order (a file and a hash): on the calling thread, or with
    /// `overlapped` on one background thread per sink (see the type's
    /// documentation). A sink then must not touch what the caller touches.
    package init(columns: [ParquetColumn], codec: ParquetCodec, keyValues: [(key: String, value: String)], createdBy: String,
                 threads: Int, rowGroupRows: Int? = nil, pageRows: Int? = nil, overlapped: Bool, sinks: [Sink]) throws {
        self.columns = columns
        self.codec = codec
        self.keyValues = keyValues
        self.createdBy = createdBy
        self.threads = max(1, threads)
        self.sinks = sinks
        emitters = overlapped ? sinks.indices.map { SerialBackgroundWorker(label: "synthctl.parquet.sink\($0)") } : []
        compressors = (0..<max(1, min(self.threads, columns.count))).map { _ in _UnsafeParquetPageCompressor(codec: codec) }
        // A list column (an embedding) holds `width` values a row: the row group's budget counts values, not columns.
        let rows = max(1, rowGroupRows ?? Self.rowGroupRows(columns: columns.reduce(0) { $0 + $1.valuesPerRow }))
        self.rowGroupRows = rows
        self.pageRows = max(1, pageRows ?? Self.defaultPageRows)
        var counts: [ParquetColumn.Storage: Int] = [:]
        slot = columns.map { column in
            defer { counts[column.storage, default: 0] += column.valuesPerRow }
            return counts[column.storage, default: 0] * rows
        }
        var flagged = 0
        presenceSlot = columns.map { column in
            guard column.flaggedNulls else { return nil }
            defer { flagged += 1 }
            return flagged * rows
        }
        presence = [Bool](repeating: true, count: flagged * rows)
        // Numbers are only read where appended: no zeros written first
        // (a pass over the whole buffer, which the transposition makes anyway).
        floats = [Float](unsafeUninitializedCapacity: counts[.floats, default: 0] * rows) { $1 = $0.count }
        integers = [Int32](unsafeUninitializedCapacity: counts[.integers, default: 0] * rows) { $1 = $0.count }
        wide = [UInt64](unsafeUninitializedCapacity: counts[.wide, default: 0] * rows) { $1 = $0.count }
        texts = [String](repeating: "", count: counts[.texts, default: 0] * rows)
        floatLo = [SIMD4<Float>](repeating: .zero, count: columns.count)
        floatHi = floatLo
        foldedRows = [Int](repeating: 0, count: columns.count)
        try emit(Array("PAR1".utf8))
    }

    /// Rows that fit in the current row group before it must be committed.
    package var room: Int { rowGroupRows - filled }

    /// Sets the next `rows` values of the float columns `first..<first +
    /// width` from `rowMajor` (rows × width, row-major: a row's values are
    /// consecutive), transposing them into columns and folding their
    /// statistics (``_UnsafeTranspose``).
    package func appendFloats(columns first: Int, width: Int, rowMajor: Span<Float>, rows: Int) {
        precondition(rows <= room && rowMajor.count >= rows * width && first >= 0 && first + width <= columns.count)
        for j in first..<(first + width) { precondition(columns[j].storesFloats) }
        guard rows > 0, width > 0 else { return }
        let start = slot[first]
        precondition(slot[first + width - 1] == start + (width - 1) * rowGroupRows)
        let (filled, stride) = (self.filled, rowGroupRows)
        rowMajor.withUnsafeBufferPointer { source in
            for j in 0..<width where foldedRows[first + j] == 0 {
                (floatLo[first + j], floatHi[first + j]) = (SIMD4(repeating: source[j]), SIMD4(repeating: source[j]))
            }
            floats.withUnsafeMutableBufferPointer { out in
                floatLo.withUnsafeMutableBufferPointer { lo in
                    floatHi.withUnsafeMutableBufferPointer { hi in
                        _UnsafeTranspose.rowsToColumns(source.baseAddress!, rows: rows, width: width,
                                                       into: out.baseAddress! + start + filled, columnStride: stride,
                                                       lo: lo.baseAddress! + first, hi: hi.baseAddress! + first)
                    }
                }
            }
        }
        for j in first..<(first + width) { foldedRows[j] += rows }
    }

    /// Sets the next `rows` values of column `column` (int32, boolean or
    /// string) from `values[i * stride + offset]`.
    package func appendIntegers<T: BinaryInteger>(column: Int, from values: Span<T>, stride: Int = 1, offset: Int = 0, rows: Int) {
        precondition(rows <= room && columns[column].storage == .integers && offset >= 0 && offset < max(stride, 1))
        precondition(rows == 0 || (rows - 1) * stride + offset < values.count)
        let start = slot[column] + filled
        integers.withUnsafeMutableBufferPointer { out in
            for i in 0..<rows { out[start + i] = Int32(truncatingIfNeeded: values[i * stride + offset]) }
        }
    }

    /// Sets the next `rows` values of the DOUBLE column `column` from `values`.
    package func appendDoubles(column: Int, from values: Span<Double>, rows: Int) {
        guard case .double = columns[column].kind else { preconditionFailure("\(columns[column].name) is not DOUBLE") }
        precondition(rows <= room && rows <= values.count)
        let start = slot[column] + filled
        for i in 0..<rows { wide[start + i] = values[i].bitPattern }
    }

    /// Sets the next `rows` values of the INT64 column `column` from `values`.
    package func appendInt64s<T: BinaryInteger>(column: Int, from values: Span<T>, rows: Int) {
        guard case .int64 = columns[column].kind else { preconditionFailure("\(columns[column].name) is not INT64") }
        precondition(rows <= room && rows <= values.count)
        let start = slot[column] + filled
        for i in 0..<rows { wide[start + i] = UInt64(bitPattern: Int64(values[i])) }
    }

    /// Sets the next `rows` values of the plain string column `column`
    /// (``ParquetColumn/Kind/text``) from `values`.
    package func appendTexts(column: Int, from values: Span<String>, rows: Int) {
        guard case .text = columns[column].kind else { preconditionFailure("\(columns[column].name) is not plain strings") }
        precondition(rows <= room && rows <= values.count)
        let start = slot[column] + filled
        for i in 0..<rows { texts[start + i] = values[i] }
    }

    /// Sets whether each of the next `rows` rows of column `column` (one
    /// with ``ParquetColumn/flaggedNulls``) holds a value; a null row's
    /// appended value is a placeholder, not written.
    package func appendPresence(column: Int, from present: Span<Bool>, rows: Int) {
        guard let start = presenceSlot[column] else { preconditionFailure("\(columns[column].name) has no null flags") }
        precondition(rows <= room && rows <= present.count)
        for i in 0..<rows { presence[start + filled + i] = present[i] }
    }

    /// Sets the next `rows` values of the FIXED_LEN_BYTE_ARRAY column
    /// `column` (``ParquetColumn/Kind/fixedBytes(width:)``) from `values`,
    /// its width a row, one row after another; a null row's bytes (see
    /// ``appendPresence(column:from:rows:)``) are not written.
    package func appendFixedBytes(column: Int, from values: Span<UInt8>, rows: Int) {
        guard case .fixedBytes(let width) = columns[column].kind else { preconditionFailure("\(columns[column].name) is not fixed-length bytes") }
        let words = columns[column].valuesPerRow
        precondition(rows <= room && rows * width <= values.count)
        let start = slot[column] + filled * words
        wide.withUnsafeMutableBytes { out in
            values.withUnsafeBytes { source in
                for i in 0..<rows {
                    let row = UnsafeMutableRawBufferPointer(rebasing: out[((start + i * words) * 8)..<((start + (i + 1) * words) * 8)])
                    row.initializeMemory(as: UInt8.self, repeating: 0)
                    row.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(i * width)..<((i + 1) * width)]))
                }
            }
        }
    }

    /// Sets the next `rows` rows of the list column `column`
    /// (``ParquetColumn/Kind/floatList(width:)`` or `doubleList`) from
    /// `values`, `width` a row, row-major.
    package func appendList(column: Int, from values: Span<Double>, rows: Int) {
        let width = columns[column].valuesPerRow
        precondition(rows <= room && rows * width <= values.count)
        let start = slot[column] + filled * width
        switch columns[column].kind {
        case .floatList: for i in 0..<(rows * width) { floats[start + i] = Float(values[i]) }
        case .doubleList: for i in 0..<(rows * width) { wide[start + i] = values[i].bitPattern }
        default: preconditionFailure("\(columns[column].name) is not a list")
        }
    }

    /// Sets the next `rows` rows of the FLOAT list column `column`
    /// (``ParquetColumn/Kind/floatList(width:)``) from `values`, `width` a
    /// row, row-major: an embedder's rows as it made them.
    package func appendList(column: Int, from values: Span<Float>, rows: Int) {
        let width = columns[column].valuesPerRow
        precondition(rows <= room && rows * width <= values.count)
        guard case .floatList = columns[column].kind else { preconditionFailure("\(columns[column].name) is not a list of FLOAT") }
        let start = slot[column] + filled * width
        values.withUnsafeBufferPointer { source in
            floats.withUnsafeMutableBufferPointer { buffer in
                _ = UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + rows * width)]).initialize(from: source[..<(rows * width)])
            }
        }
    }

    /// Ends `rows` rows whose values were appended; writes the row group
    /// when it is full.
    package func commit(rows: Int) throws {
        precondition(rows <= room)
        filled += rows
        if filled == rowGroupRows { try writeRowGroup() }
    }

    /// Writes the last row group and the footer, and waits until every
    /// sink has taken every byte. Returns the file's size.
    package func finish() throws -> Int {
        if filled > 0 { try writeRowGroup() }
        var footer = ThriftCompactWriter()
        footer.structBody { w in fileMetaData(&w) }
        let length = footer.bytes.count
        try emit(footer.bytes + [UInt8(length & 0xff), UInt8((length >> 8) & 0xff), UInt8((length >> 16) & 0xff), UInt8(length >> 24)]
                 + Array("PAR1".utf8))
        try drain()
        return offset
    }

    /// Hands `bytes` to every sink: now, or queued on each sink's worker.
    func emit(_ bytes: [UInt8]) throws {
        if emitters.isEmpty {
            for sink in sinks { try sink(bytes.span.bytes) }
        } else {
            for (worker, sink) in zip(emitters, sinks) { worker.submit { try sink(bytes.span.bytes) } }
        }
        offset += bytes.count
    }

    /// Hands a column chunk's `pieces`, in the compressors' memory, to every
    /// sink, as ``emit(_:)``. A queued job keeps the compressors alive; the
    /// next row group reuses their memory only after ``drain()``.
    func emit(pieces: [UnsafeRawBufferPointer]) throws {
        guard emitters.isEmpty else { return queue(pieces: pieces) }
        for sink in sinks {
            for piece in pieces { try sink(unsafe RawSpan(_unsafeBytes: piece)) }
        }
        offset += pieces.reduce(0) { $0 + $1.count }
    }

    /// ``emit(pieces:)`` with overlapped sinks: queued, so it cannot throw
    /// (a sink's error comes from the next ``drain()``).
    func queue(pieces: [UnsafeRawBufferPointer]) {
        precondition(!emitters.isEmpty)
        let owners = compressors
        for (worker, sink) in zip(emitters, sinks) {
            worker.submit {
                try withExtendedLifetime(owners) {
                    for piece in pieces { try sink(unsafe RawSpan(_unsafeBytes: piece)) }
                }
            }
        }
        offset += pieces.reduce(0) { $0 + $1.count }
    }

    /// Which columns of a row group are encoded, for the thread that hands
    /// them on while others encode (the lock orders each chunk's writes
    /// before its reading).
    final class EncodedColumns: @unchecked Sendable {
        private let lock = NSLock()
        private var flags: [Bool]
        init(count: Int) { flags = [Bool](repeating: false, count: count) }
        func mark(_ c: Int) { lock.withLock { flags[c] = true } }
        func contains(_ c: Int) -> Bool { lock.withLock { flags[c] } }
    }

    /// Waits until the sinks have taken every byte emitted; rethrows the
    /// first sink's error.
    func drain() throws {
        for worker in emitters { try worker.finish() }
    }

    // MARK: - Row groups

    /// A column chunk as encoded, before its place in the file is known.
    struct EncodedChunk {
        /// The chunk's bytes: each page after its header, in file order, in
        /// the memory of the compressor that made them (valid until its
        /// next ``_UnsafeParquetPageCompressor/reset()``).
        var pieces: [UnsafeRawBufferPointer] = []
        /// The bytes of `pieces`, kept once they are written and released.
        var compressedSize = 0
        var uncompressedSize = 0
        /// Where the first data page starts within the chunk (after a dictionary page).
        var dataPageStart = 0
        var hasDictionary = false
        var encodings: [Int32] = []
        var nullCount = 0
        var minValue: [UInt8]? = nil
        var maxValue: [UInt8]? = nil
        /// A list's level entries (its num_values); nil: one a row.
        var entries: Int? = nil
    }

    /// A written column chunk, for the footer.
    struct WrittenChunk {
        let encoded: EncodedChunk
        let fileOffset: Int
    }

    struct WrittenRowGroup {
        let rows: Int
        let chunks: [WrittenChunk]
    }

    /// Encodes the row group's columns on the compressors' threads and
    /// writes its column chunks in column order.
    ///
    /// Why chunks are handed on while later columns compress (overlapped
    /// sinks only): hashing is serial and the slowest step, so it should
    /// start on column 0 at once rather than wait for the whole row group;
    /// above all after the last row group, when nothing else is left to do.
    /// The compressor that encodes column 0 hands on every chunk whose
    /// columns before it are encoded too; the rest follow once all are.
    func writeRowGroup() throws {
        try drain()  // the previous row group's bytes are out: one encoded row group at a time
        for compressor in compressors { compressor.reset() }
        let rows = filled
        var encoded = [EncodedChunk](repeating: EncodedChunk(), count: columns.count)
        var chunks = [WrittenChunk]()
        var next = 0  // the first column chunk not yet handed on
        let done = EncodedColumns(count: columns.count)
        func handOn(_ chunk: inout EncodedChunk) {
            let pieces = chunk.pieces
            chunk.pieces = []  // written: the footer keeps only the sizes
            chunks.append(WrittenChunk(encoded: chunk, fileOffset: offset))
            queue(pieces: pieces)
        }
        floats.withUnsafeBufferPointer { f in
            integers.withUnsafeBufferPointer { v in
                wide.withUnsafeBufferPointer { w in
                    texts.withUnsafeBufferPointer { t in
                        encoded.withUnsafeMutableBufferPointer { out in
                            let out = _UnsafeSendableBox(out)
                            let buffers = _UnsafeSendableBox((f, v, w, t))
                            let workers = compressors.count
                            let early = !emitters.isEmpty
                            Parallel.forEach(workers, threads: workers) { worker in
                                var c = worker
                                while c < self.columns.count {
                                    out.value[c] = self.encode(column: c, rows: rows, floats: buffers.value.0, integers: buffers.value.1,
                                                               wide: buffers.value.2, texts: buffers.value.3, compressor: self.compressors[worker])
                                    done.mark(c)
                                    if early && worker == 0 {
                                        while next < out.value.count && done.contains(next) {
                                            handOn(&out.value[next])
                                            next += 1
                                        }
                                    }
                                    c += workers
                                }
                            }
                        }
                    }
                }
            }
        }
        if emitters.isEmpty {
            for c in encoded.indices {
                let pieces = encoded[c].pieces
                encoded[c].pieces = []
                chunks.append(WrittenChunk(encoded: encoded[c], fileOffset: offset))
                try emit(pieces: pieces)
            }
        } else {
            while next < encoded.count {
                handOn(&encoded[next])
                next += 1
            }
        }
        rowGroups.append(WrittenRowGroup(rows: rows, chunks: chunks))
        totalRows += rows
        filled = 0
        for c in foldedRows.indices { foldedRows[c] = 0 }
    }

    func encode(column c: Int, rows: Int, floats: UnsafeBufferPointer<Float>, integers: UnsafeBufferPointer<Int32>,
                wide: UnsafeBufferPointer<UInt64>, texts: UnsafeBufferPointer<String>, compressor: _UnsafeParquetPageCompressor) -> EncodedChunk {
        let column = columns[c]
        if column.needsLevels {
            return encodeWithLevels(column: c, rows: rows, floats: floats, integers: integers, wide: wide, texts: texts, compressor: compressor)
        }
        var chunk = EncodedChunk()
        let start = slot[c]
        // Statistics over the non-null values.
        switch column.kind {
        case .float:
            let values = UnsafeBufferPointer(rebasing: floats[start..<(start + rows)])
            if var (lo, hi) = foldedRows[c] == rows && rows > 0 ? Self.reduce(floatLo[c], floatHi[c]) : Self.range(of: values) {
                // parquet.thrift ColumnOrder: a zero minimum is written as
                // −0 and a zero maximum as +0, as either may occur.
                if lo == 0 { lo = -0.0 }
                if hi == 0 { hi = 0.0 }
                chunk.minValue = Self.littleEndian(lo.bitPattern)
                chunk.maxValue = Self.littleEndian(hi.bitPattern)
            }
        case .double:
            // NaN has no place in the order: statistics over the others.
            var lo = Double.infinity, hi = -Double.infinity, seen = false
            for bits in wide[start..<(start + rows)] {
                let x = Double(bitPattern: bits)
                if x.isNaN { continue }
                seen = true
                lo = min(lo, x); hi = max(hi, x)
            }
            if seen {
                if lo == 0 { lo = -0.0 }
                if hi == 0 { hi = 0.0 }
                chunk.minValue = Self.littleEndian(lo.bitPattern)
                chunk.maxValue = Self.littleEndian(hi.bitPattern)
            }
        case .int64:
            let values = wide[start..<(start + rows)].lazy.map { Int64(bitPattern: $0) }
            if let lo = values.min(), let hi = values.max() {
                (chunk.minValue, chunk.maxValue) = (Self.littleEndian(UInt64(bitPattern: lo)), Self.littleEndian(UInt64(bitPattern: hi)))
            }
        case .text:
            // Strings order as unsigned bytes.
            let values = texts[start..<(start + rows)]
            chunk.minValue = values.min { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { Array($0.utf8) }
            chunk.maxValue = values.max { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { Array($0.utf8) }
        case .int32, .boolean, .string:
            let values = UnsafeBufferPointer(rebasing: integers[start..<(start + rows)])
            var lo = Int32.max, hi = Int32.min, nulls = 0
            for v in values {
                if column.nullable && v < 0 { nulls += 1; continue }
                lo = min(lo, v); hi = max(hi, v)
            }
            chunk.nullCount = nulls
            if lo <= hi {
                switch column.kind {
                case .int32: (chunk.minValue, chunk.maxValue) = (Self.littleEndian(UInt32(bitPattern: lo)), Self.littleEndian(UInt32(bitPattern: hi)))
                case .boolean: (chunk.minValue, chunk.maxValue) = ([UInt8(lo)], [UInt8(hi)])
                case .string(let dictionary):
                    // Strings order as unsigned bytes; over the entries used.
                    var used = [Bool](repeating: false, count: dictionary.count)
                    for v in values where v >= 0 { used[Int(v)] = true }
                    let present = dictionary.indices.filter { used[$0] }.map { Array(dictionary[$0].utf8) }
                    chunk.minValue = present.min { $0.lexicographicallyPrecedes($1) }
                    chunk.maxValue = present.max { $0.lexicographicallyPrecedes($1) }
                case .float, .double, .int64, .text, .floatList, .doubleList, .fixedBytes: break
                }
            }
        case .floatList, .doubleList, .fixedBytes: preconditionFailure("written with levels")
        }
        if case .string(let dictionary) = column.kind {
            var plain = [UInt8]()
            for entry in dictionary {
                let utf8 = Array(entry.utf8)
                plain += Self.littleEndian(UInt32(utf8.count)) + utf8
            }
            plain.withUnsafeBytes { appendPage(&chunk, $0, compressor: compressor, dictionaryValues: dictionary.count) }
            chunk.dataPageStart = chunk.compressedSize
            chunk.hasDictionary = true
        }
        var page = 0
        while page < rows {
            let n = min(pageRows, rows - page)
            var body = [UInt8]()
            let encoding: Int32 = chunk.hasDictionary ? 8 : 0
            switch column.kind {
            case .float:
                // Compressed from where the values are: no page array.
                let values = UnsafeBufferPointer(rebasing: floats[(start + page)..<(start + page + n)])
                appendPage(&chunk, UnsafeRawBufferPointer(values), compressor: compressor, dataValues: n, encoding: encoding)
                page += n
                continue
            case .double, .int64:
                let values = UnsafeBufferPointer(rebasing: wide[(start + page)..<(start + page + n)])
                appendPage(&chunk, UnsafeRawBufferPointer(values), compressor: compressor, dataValues: n, encoding: encoding)
                page += n
                continue
            case .text:
                for value in texts[(start + page)..<(start + page + n)] {
                    body += Self.littleEndian(UInt32(value.utf8.count))
                    body += value.utf8
                }
            case .floatList, .doubleList, .fixedBytes: preconditionFailure("written with levels")
            case .int32, .boolean, .string:
                let values = UnsafeBufferPointer(rebasing: integers[(start + page)..<(start + page + n)])
                var defined = Array(values)
                if column.nullable {
                    // Definition levels (1 defined, 0 null), RLE/bit-packed
                    // hybrid of width 1, after their byte length (data page v1).
                    let levels = _UnsafeBitPacking.hybrid(values.lazy.map { $0 >= 0 ? 1 : 0 }, count: n, bitWidth: 1)
                    body = Self.littleEndian(UInt32(levels.count)) + levels
                    defined = defined.filter { $0 >= 0 }
                }
                switch column.kind {
                case .int32: defined.withUnsafeBytes { body += $0 }
                case .boolean: body += _UnsafeBitPacking.packed(defined, bitWidth: 1)
                case .string(let dictionary):
                    let width = max(1, Int.bitWidth - (dictionary.count - 1).leadingZeroBitCount)
                    body.append(UInt8(width))
                    body += _UnsafeBitPacking.hybrid(defined, count: defined.count, bitWidth: width)
                case .float, .double, .int64, .text, .floatList, .doubleList, .fixedBytes: break
                }
            }
            body.withUnsafeBytes { appendPage(&chunk, $0, compressor: compressor, dataValues: n, encoding: encoding) }
            page += n
        }
        chunk.encodings = chunk.hasDictionary ? [0, 8] : [0]
        if column.nullable { chunk.encodings.append(3) }
        return chunk
    }

    /// Appends one page, compressed, after its header: a dictionary page
    /// when `dictionaryValues` is given, else a data page of `dataValues`
    /// values (nulls included) in `encoding`.
    func appendPage(_ chunk: inout EncodedChunk, _ body: UnsafeRawBufferPointer, compressor: _UnsafeParquetPageCompressor,
                    dictionaryValues: Int? = nil, dataValues: Int = 0, encoding: Int32 = 0) {
        let (bytes, compressed) = compressor.appendPage(body) { compressed in
            var header = ThriftCompactWriter()
            header.structBody { h in
                h.i32(1, dictionaryValues == nil ? 0 : 2)  // DATA_PAGE or DICTIONARY_PAGE
                h.i32(2, Int32(body.count))
                h.i32(3, Int32(compressed))
                if let dictionaryValues {
                    h.structure(7) { d in
                        d.i32(1, Int32(dictionaryValues))
                        d.i32(2, 0)  // PLAIN
                    }
                } else {
                    h.structure(5) { d in
                        d.i32(1, Int32(dataValues))
                        d.i32(2, encoding)
                        d.i32(3, 3)  // definition levels: RLE
                        d.i32(4, 3)  // repetition levels: RLE
                    }
                }
            }
            return header.bytes
        }
        chunk.pieces.append(bytes)
        chunk.compressedSize += bytes.count
        chunk.uncompressedSize += bytes.count - compressed + body.count
    }

    /// The smallest and largest of `values` (nil when empty), as `min` and
    /// `max` folded from the first value give them (a NaN is passed over,
    /// unless it comes first), in 16 lanes at once.
    static func range(of values: UnsafeBufferPointer<Float>) -> (Float, Float)? {
        guard let first = values.first else { return nil }
        var lo = SIMD16<Float>(repeating: first), hi = lo
        let raw = UnsafeRawBufferPointer(values)
        var i = 0
        while i + 16 <= values.count {
            let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            lo = lo.replacing(with: x, where: x .< lo)
            hi = hi.replacing(with: x, where: hi .< x)
            i += 16
        }
        var l = lo[0], h = hi[0]
        for j in 1..<16 { l = min(l, lo[j]); h = max(h, hi[j]) }
        for x in values[i...] { l = min(l, x); h = max(h, x) }
        return (l, h)
    }

    /// The smallest and largest value of lanes folded as ``range(of:)``
    /// folds (``_UnsafeTranspose``), reduced as it reduces its lanes.
    static func reduce(_ lo: SIMD4<Float>, _ hi: SIMD4<Float>) -> (Float, Float) {
        var l = lo[0], h = hi[0]
        for j in 1..<4 { l = min(l, lo[j]); h = max(h, hi[j]) }
        return (l, h)
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    // MARK: - Footer

    func fileMetaData(_ w: inout ThriftCompactWriter) {
        w.i32(1, 2)  // version
        // The root, then each column's elements: one, or three for a list.
        let elements = [(column: -1, level: 0)] + columns.indices.flatMap { c in (0..<(columns[c].isList ? 3 : 1)).map { (column: c, level: $0) } }
        w.structList(2, count: elements.count) { e, i in
            let (c, level) = elements[i]
            guard c >= 0 else {
                e.string(4, "schema")
                e.i32(5, Int32(columns.count))
                return
            }
            let column = columns[c]
            if column.isList {
                switch level {
                case 0:
                    e.i32(3, column.nullable ? 1 : 0)
                    e.string(4, column.name)
                    e.i32(5, 1)
                    e.i32(6, 3)  // ConvertedType LIST
                    e.structure(10) { l in l.structure(3) { _ in } }  // LogicalType LIST
                case 1:
                    e.i32(3, 2)  // REPEATED
                    e.string(4, "list")
                    e.i32(5, 1)
                default:
                    e.i32(1, column.physicalType)
                    e.i32(3, 1)  // OPTIONAL
                    e.string(4, "element")
                }
                return
            }
            e.i32(1, column.physicalType)
            if case .fixedBytes(let width) = column.kind { e.i32(2, Int32(width)) }  // type_length
            e.i32(3, column.nullable ? 1 : 0)  // OPTIONAL or REQUIRED
            e.string(4, column.name)
            switch column.kind {
            case .string, .text:
                e.i32(6, 0)  // ConvertedType UTF8, for older readers
                e.structure(10) { l in l.structure(1) { _ in } }  // LogicalType STRING
            case .float, .double, .int32, .int64, .boolean, .floatList, .doubleList, .fixedBytes:
                Self.logicalType(column.logicalType, into: &e)
            }
        }
        w.i64(3, Int64(totalRows))
        w.structList(4, count: rowGroups.count) { g, r in
            let group = rowGroups[r]
            g.structList(1, count: group.chunks.count) { c, j in
                let chunk = group.chunks[j]
                let e = chunk.encoded
                c.i64(2, Int64(chunk.fileOffset))
                c.structure(3) { m in
                    m.i32(1, columns[j].physicalType)
                    m.i32List(2, e.encodings)
                    m.stringList(3, columns[j].isList ? [columns[j].name, "list", "element"] : [columns[j].name])
                    m.i32(4, codec.thriftValue)
                    m.i64(5, Int64(e.entries ?? group.rows))
                    m.i64(6, Int64(e.uncompressedSize))
                    m.i64(7, Int64(e.compressedSize))
                    m.i64(9, Int64(chunk.fileOffset + e.dataPageStart))
                    if e.hasDictionary { m.i64(11, Int64(chunk.fileOffset)) }
                    m.structure(12) { s in
                        s.i64(3, Int64(e.nullCount))
                        if let hi = e.maxValue { s.binary(5, hi) }
                        if let lo = e.minValue { s.binary(6, lo) }
                    }
                }
            }
            g.i64(2, Int64(group.chunks.reduce(0) { $0 + $1.encoded.uncompressedSize }))
            g.i64(3, Int64(group.rows))
            g.i64(5, Int64(group.chunks.first?.fileOffset ?? 0))
            g.i64(6, Int64(group.chunks.reduce(0) { $0 + $1.encoded.compressedSize }))
        }
        if !keyValues.isEmpty {
            w.structList(5, count: keyValues.count) { kv, i in
                kv.string(1, keyValues[i].key)
                kv.string(2, keyValues[i].value)
            }
        }
        w.string(6, createdBy)
        w.structList(7, count: columns.count) { o, _ in o.structure(1) { _ in } }  // TYPE_ORDER
    }
}
