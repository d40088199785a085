import SynthctlCore

extension DatasetWriter {
    /// The Parquet columns of this writer's table, in ``TableColumns``'
    /// order, with their types:
    ///
    /// | column | type |
    /// | --- | --- |
    /// | features `x0…` | FLOAT (float32), as in `features.npy`; a fitted model's integer, boolean and categorical features INT64, BOOLEAN and STRING (dictionary: the categories), its continuous features with learned decimals DOUBLE rounded to them (as the CSV writes them), its dates INT32 DATE and timestamps INT64 TIMESTAMP (``FittedTime``) |
    /// | `label`, `true_label` | names: BYTE_ARRAY STRING, dictionary-encoded (the dictionary is the class names); ids: INT32 |
    /// | `label_id`, `true_label_id` | INT32 class ids 0 ..< K (names only, beside the names) |
    /// | `noisy` | BOOLEAN: the observed label differs from the true one |
    /// | multilabel indicators | BOOLEAN |
    /// | `target`, `target_0…` | FLOAT |
    /// | `annotator_0…` | as `label` (STRING or INT32), OPTIONAL: null where that annotator gave no label |
    ///
    /// Every other column is REQUIRED (never null).
    func parquetColumns(_ names: [String]) -> [ParquetColumn] {
        let shape = self.shape
        let classes = ParquetColumn.Kind.string(dictionary: plan.generator.classNames)
        var kinds = plan.generator.featureColumns.map { $0.columns.map(Self.parquetKind) }
            ?? [ParquetColumn.Kind](repeating: .float, count: shape.featureCount)
        var nullable = [Bool](repeating: false, count: shape.featureCount)
        if shape.classes > 0 {
            kinds += labelFormat == .name ? [classes, .int32, classes, .int32, .boolean] : [.int32, .int32, .boolean]
        } else {
            kinds += [ParquetColumn.Kind](repeating: .boolean, count: shape.labelWidth)
        }
        kinds += [ParquetColumn.Kind](repeating: .float, count: shape.targets)
        nullable += [Bool](repeating: false, count: kinds.count - nullable.count)
        kinds += [ParquetColumn.Kind](repeating: labelFormat == .name ? classes : .int32, count: shape.annotators)
        nullable += [Bool](repeating: true, count: shape.annotators)
        precondition(kinds.count == names.count)
        let times = plan.generator.featureColumns?.columns ?? []
        return names.indices.map { j in
            if j < times.count, let time = times[j].time {
                return time == .date ? ParquetColumn(name: names[j], kind: .int32, logicalType: .date, optional: false)
                    : ParquetColumn(name: names[j], kind: .int64, logicalType: .timestamp(unit: FittedTime.parquetUnit(of: times[j]),
                                                                                          utc: time == .timestampUTC), optional: false)
            }
            return ParquetColumn(name: names[j], kind: kinds[j], nullable: nullable[j])
        }
    }

    /// A fitted model's feature as a Parquet column (``FittedColumns``):
    /// DOUBLE for a continuous column with learned decimals (a float32
    /// shows 64429.01 as 64429.01171875; the double rounded to the decimals
    /// reads back as the CSV's text), else FLOAT; INT64 for an integer
    /// column (what pandas writes and reads for the human table's whole
    /// numbers, and reads from the CSV), BOOLEAN, or a STRING dictionary of
    /// the categories.
    static func parquetKind(_ column: FittedColumns.Column) -> ParquetColumn.Kind {
        switch column.kind {
        case .continuous: column.decimals == nil ? .float : .double
        case .integer: .int64
        case .boolean: .boolean
        case .categorical: .string(dictionary: column.categories)
        }
    }

    /// Rows per row group: ``ParquetFileWriter/rowGroupRows(columns:)``, or
    /// all the rows when fewer (the same bytes: one row group either way),
    /// so that a small table does not reserve a large buffer.
    func parquetRowGroupRows(columns: Int) -> Int {
        let rows = (shard?.rows(of: plan.rows) ?? 0..<plan.rows).count
        return parquetLayout?.rowGroupRows ?? min(ParquetFileWriter.rowGroupRows(columns: columns), max(1, rows))
    }

    /// About the size of the Parquet file, in bytes: its 4-byte values
    /// (compression saves little on float features). Large enough, it makes
    /// the file bypass the page cache (``SequentialFile``).
    var parquetExpectedBytes: Int {
        let columns = (try? tableColumns(output: "-").names.count) ?? 1
        return (shard?.rows(of: plan.rows) ?? 0..<plan.rows).count * columns * 4
    }

    /// What a Parquet write holds beyond the plan's own estimate: one row
    /// group buffered, and encoded while it is written (see
    /// ``ParquetFileWriter``): 2 × rows per group × columns × 4 bytes.
    var parquetMemoryEstimate: MemoryEstimate {
        var e = DatasetPlan.memoryEstimate(generator: plan.generator, annotators: shape.annotators, path: nil)
        let columns = (try? tableColumns(output: "-").names.count) ?? 1
        let rows = parquetRowGroupRows(columns: columns)
        e.add("one Parquet row group, buffered and encoded (2 × \(rows) rows × \(columns) columns × 4 bytes)", 2 * rows, columns, 4)
        return e
    }

    /// Generates the rows and writes them to `file` as one Parquet table
    /// (columns: ``parquetColumns(_:)``; layout, row groups and pages:
    /// ``ParquetFileWriter``), hashing the bytes as they go. The footer's
    /// key-value metadata holds `synthctl.class_names` (a JSON array, id
    /// order), `synthctl.label_format`, `synthctl.format_version`,
    /// `synthctl.total_rows` and `synthctl.row_offset` (a shard's first row).
    func streamParquet(into file: SequentialFile) throws -> StreamedTable {
        let range = shard?.rows(of: plan.rows) ?? 0..<plan.rows
        let shape = self.shape
        let d = shape.featureCount, k = shape.classes, lw = shape.labelWidth, t = shape.targets, a = shape.annotators
        let names = try tableColumns(output: file.name).names
        var hasher = StreamingSHA256()
        var bytes = 0
        var metadata: [(key: String, value: String)] = []
        if k > 0 { metadata.append(("synthctl.class_names", JSONValue(plan.generator.classNames).serialized())) }
        metadata += [("synthctl.label_format", labelFormat.rawValue), ("synthctl.format_version", String(Self.formatVersion)),
                     ("synthctl.total_rows", String(plan.rows)), ("synthctl.row_offset", String(range.lowerBound))]
        // Compressing a row group is the writer's largest step; it runs
        // between chunks of generation, so it may use every core. Writing
        // the bytes and hashing them each run on a thread of their own
        // (overlapped), while the next row group fills.
        let writer = try ParquetFileWriter(columns: parquetColumns(names), codec: compression, keyValues: metadata,
                                           createdBy: "synthctl version \(SynthVersion.current)", threads: Parallel.coreCount,
                                           rowGroupRows: parquetRowGroupRows(columns: names.count), pageRows: parquetLayout?.pageRows,
                                           overlapped: true, sinks: [
                                               { chunk in
                                                   try file.write(chunk)
                                                   bytes += chunk.byteCount
                                               },
                                               { chunk in hasher.update(chunk) },
                                           ])
        let ids = labelFormat == .name  // label_id and true_label_id follow the names
        let typed = plan.generator.featureColumns
        let stats = try pipeline(range, stages: [{ chunk in
            let m = chunk.rows.count
            var i = 0
            while i < m {
                let take = min(m - i, writer.room)
                if let typed {
                    // A fitted model's typed features: one column at a time, each as its kind.
                    for (j, column) in typed.columns.enumerated() {
                        if column.time == .date {
                            // Whole days (an integer column), clipped to the human range: an Int32 DATE.
                            let days = (0..<take).map { Int32(chunk.features[(i + $0) * d + j]) }
                            writer.appendIntegers(column: j, from: days.span, rows: take)
                        } else if column.time != nil {
                            // Seconds (rounded to the column's decimals) in the TIMESTAMP's ticks.
                            let ticks = FittedTime.ticksPerSecond(FittedTime.parquetUnit(of: column))
                            let values = (0..<take).map { r -> Int64 in
                                let v = Double(chunk.features[(i + r) * d + j])
                                return Int64(((column.decimals.map { FittedColumns.rounded(v, decimals: $0) } ?? v) * ticks).rounded(.toNearestOrEven))
                            }
                            writer.appendInt64s(column: j, from: values.span, rows: take)
                        } else if column.kind == .continuous, let places = column.decimals {
                            let values = (0..<take).map { FittedColumns.rounded(Double(chunk.features[(i + $0) * d + j]), decimals: places) }
                            writer.appendDoubles(column: j, from: values.span, rows: take)
                        } else if column.kind == .continuous {
                            let values = (0..<take).map { chunk.features[(i + $0) * d + j] }
                            writer.appendFloats(columns: j, width: 1, rowMajor: values.span, rows: take)
                        } else if column.kind == .integer {
                            let values = (0..<take).map { Int64(chunk.features[(i + $0) * d + j]) }
                            writer.appendInt64s(column: j, from: values.span, rows: take)
                        } else {
                            let codes = (0..<take).map { Int32(chunk.features[(i + $0) * d + j]) }
                            writer.appendIntegers(column: j, from: codes.span, rows: take)
                        }
                    }
                } else {
                    chunk.features.withUnsafeBufferPointer { f in
                        let rows = unsafe Span(_unsafeElements: f)
                        writer.appendFloats(columns: 0, width: d, rowMajor: rows.extracting((i * d)...), rows: take)
                    }
                }
                var c = d
                func integers<T: BinaryInteger>(_ values: [T], width: Int = 1, offset: Int = 0) {
                    writer.appendIntegers(column: c, from: values.span.extracting((i * width)...), stride: width, offset: offset, rows: take)
                    c += 1
                }
                if k > 0 {
                    integers(chunk.labels)
                    if ids { integers(chunk.labels) }
                    integers(chunk.trueLabels)
                    if ids { integers(chunk.trueLabels) }
                    integers(chunk.noiseMask)
                } else {
                    for j in 0..<lw { integers(chunk.labels, width: lw, offset: j) }
                }
                if t > 0 {
                    writer.appendFloats(columns: c, width: t, rowMajor: chunk.targets.span.extracting((i * t)...), rows: take)
                    c += t
                }
                for j in 0..<a { integers(chunk.annotations, width: a, offset: j) }
                try writer.commit(rows: take)
                i += take
            }
        }])
        _ = try writer.finish()
        return StreamedTable(rows: range, stats: stats, columns: names, sha256: hasher.hex(), bytes: bytes)
    }
}
