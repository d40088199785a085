import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SynthctlCore

/// What a write produced, for the command line's last line.
public struct WriteSummary: Sendable {
    public let rows: Int
    public let bytes: Int
    public let files: [String]
    public let path: String
}

/// Produces a dataset from a plan, streaming in blocks of rows, and writes it
/// atomically.
///
/// Rows are generated in chunks (bounded memory, whatever the row count);
/// each chunk is split into blocks of ``blockRows`` rows that the workers fill
/// independently. Every block writes only its own rows, so the bytes do not
/// depend on the thread count. Realized statistics (noise transitions,
/// annotator answers) are integer counts, merged in block order.
///
/// Atomicity: a directory is built under `<out>.synthctl-partial-<pid>` with the
/// manifest written last, then put in place in one step (a new name is
/// taken only if still free; an old dataset is swapped out atomically and
/// then removed). A table is written under a temporary name, its manifest
/// complete under another; then the old manifest is removed before the
/// table is replaced, and the new manifest renamed in last, so that no
/// moment shows a new table beside an old manifest (a complete-looking
/// pair with a wrong checksum). An existing output is replaced only with
/// `force`, and only a regular file or a dataset directory, never a
/// symbolic link, device or FIFO (``OutputTarget``).
///
/// Concurrency and interruption: the target is locked for the whole write
/// (``OutputLock``: a second run fails at once, naming the first's PID);
/// temporary outputs are registered with ``PartialOutputs`` (the command
/// line removes them on SIGINT and SIGTERM), and stale ones in the
/// target's directory whose process is gone are removed first.
public struct DatasetWriter {
    public let plan: DatasetPlan
    /// Workers generating rows. Writing and hashing run on threads of their
    /// own; hashing keeps one core busy on its own (SHA-256 is serial), so
    /// the default leaves that core to it.
    public var threads: Int = max(1, Parallel.coreCount - 1)
    /// The part of the rows to write: the plan's `shard` unless set.
    public var shard: Shard? = nil
    public var format: OutputFormat = .npy
    /// Class labels in a table as names or ids (not used by ``OutputFormat/npy``).
    public var labelFormat: LabelFormat = .name
    /// The page codec of ``OutputFormat/parquet``: Snappy by default, as
    /// pyarrow, pandas, DuckDB and Spark write (see ``ParquetCodec``).
    public var compression: ParquetCodec = .snappy
    /// A table (csv, jsonl, parquet) written as a dataset directory:
    /// `data.<format>`, README.md (a card whose YAML header
    /// `datasets.load_dataset(directory)` reads), croissant.json and
    /// manifest.json, put in place as the `.npy` directory is.
    public var tableDirectory = false
    /// A one-file csv table separated by tabs (`t.tsv`), quoted as CSV is.
    public var tabSeparated = false
    /// A one-file csv or jsonl table compressed as it is written
    /// (`t.csv.gz`, `t.jsonl.zst`; ``StreamEncoder``): its SHA-256 and size
    /// in the manifest are of the compressed bytes, the bytes on disk.
    public var textCompression: StreamCompression? = nil
    public var force = false
    /// Called after each chunk with (rows done, rows total).
    public var progress: ((Int, Int) -> Void)? = nil

    /// The points between the steps that put an output in place.
    enum CommitStep: Sendable {
        /// Every file of the directory is written but the manifest.
        case directoryFilledBeforeManifest
        /// The new directory is in place; the old one is at the temporary name.
        case directoryExchanged
        /// The old table's manifest is removed; the old table still stands.
        case tableOldManifestRemoved
        /// The new table is in place; its manifest is not yet.
        case tableRenamed
    }

    /// A test seam: Parquet row groups and pages of these many rows instead
    /// of ``ParquetFileWriter``'s sizes.
    var parquetLayout: (rowGroupRows: Int, pageRows: Int)? = nil

    /// A test seam: called at each ``CommitStep``; throwing there stops the
    /// write at that point, as a kill would (tests check what is left).
    var interruption: ((CommitStep) throws -> Void)? = nil

    public static let blockRows = 2048
    /// Which bytes a spec and seed produce; raised whenever a generator's
    /// draws change. 2: classification draws each column's normal in output
    /// order (format 1 drew them in canonical order, then permuted columns).
    /// 3: every exp, log, sin, cos and pow that decides a value (moons and
    /// circles, boundary and random noise, annotator pools, regression and
    /// multilabel setup, Zipf weights, the structure draws' normals) is
    /// synthctl's own (`ElementaryFunctions.swift`), not the C library's,
    /// whose last bits vary between versions.
    public static let formatVersion = 3

    public init(plan: DatasetPlan) {
        self.plan = plan
        shard = plan.shard
    }

    /// The manifest beside a table: `<table>.manifest.json`; for a shard's
    /// part (``partPath(in:shard:)``) `_<part>.manifest.json`, as readers of
    /// a Parquet dataset directory (pyarrow, Spark) skip names starting
    /// with `_`.
    public static func manifestPath(forTable table: String) -> String {
        let url = URL(fileURLWithPath: table)
        let name = url.lastPathComponent
        if table.hasSuffix(name), isPartName(name) {
            return String(table.dropLast(name.count)) + "_\(name).manifest.json"
        }
        return "\(table).manifest.json"
    }

    /// Where a sharded Parquet run writes its part of one dataset:
    /// `<directory>/part-0000k-of-0000n.parquet` (k and n with at least 5
    /// digits, Spark's and Hive's naming), so that the parts of all shards
    /// fill one directory that pyarrow, Polars, DuckDB and Spark read as one
    /// table.
    public static func partPath(in directory: String, shard: Shard) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + partName(shard)
    }

    /// `part-<digits>-of-<digits>.parquet`.
    static func isPartName(_ name: String) -> Bool {
        guard name.hasPrefix("part-"), name.hasSuffix(".parquet") else { return false }
        let numbers = name.dropFirst(5).dropLast(8).split(separator: "-of-", omittingEmptySubsequences: false)
        return numbers.count == 2 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    static func partName(_ shard: Shard) -> String {
        "part-\(String(format: "%05d", shard.index))-of-\(String(format: "%05d", shard.count)).parquet"
    }

    /// Creates the directory of a sharded Parquet dataset unless it exists
    /// (other shards may have made it); refuses a path that is something
    /// else.
    public static func makePartDirectory(_ directory: String) throws {
        if mkdir(directory, 0o777) == 0 { return }
        let reason = errno
        guard reason == EEXIST, FileKind(path: directory) == .directory else {
            throw FileAccessError(path: directory, problem: "cannot make the directory of the dataset's parts",
                                  reason: reason == EEXIST ? "it exists and is not a directory" : FileErrorReason.describe(errno: reason))
        }
    }

    /// ``tabSeparated`` where it applies: a one-file csv table.
    var writesTabs: Bool { format == .csv && !tableDirectory && tabSeparated }

    /// ``textCompression`` where it applies: a one-file csv or jsonl table.
    var writtenCompression: StreamCompression? {
        (format == .csv || format == .jsonl) && !tableDirectory ? textCompression : nil
    }

    /// The table's columns for this writer's format and label format.
    func tableColumns(output: String) throws -> TableColumns {
        try TableColumns(plan: plan, output: output, idColumns: format == .parquet && labelFormat == .name)
    }

    /// Writes the dataset to `out`: a directory (``OutputFormat/npy``) or a
    /// table with its manifest beside it.
    public func write(to out: String) throws -> WriteSummary {
        let directory = format == .npy || tableDirectory
        let out = try OutputTarget.validatedPath(out, option: nil, as: directory ? .datasetDirectory : .file)
        if !directory { try OutputTarget.checkNameLength(Self.manifestPath(forTable: out), subject: Self.manifestPath(forTable: out)) }
        if format != .npy { _ = try tableColumns(output: out) }  // names that cannot make a table: before any work
        if format == .npy, let typed = plan.generator.featureColumns, typed.hasCategories {
            // features.npy holds float32 numbers: a category's name has no place there.
            let names = zip(plan.generator.featureNames, typed.columns).filter { $0.1.kind == .categorical }.map { "\"\($0.0)\"" }
            throw OutputError(path: out, .refused(expected: "a table (--format csv, jsonl or parquet) for a model with categorical columns (\(names.joined(separator: ", ")))",
                                                  found: "npy, whose features.npy holds numbers only"))
        }
        if format == .parquet { try MemoryBudget.current.check(parquetMemoryEstimate, subject: "the Parquet table") }
        let fm = FileManager.default
        let manifest = directory ? nil : Self.manifestPath(forTable: out)
        func checkTargets() throws {
            try OutputTarget.check(out, as: directory ? .datasetDirectory : .file, replace: force)
            if let manifest { try OutputTarget.check(manifest, as: .file, replace: force) }
        }
        try checkTargets()
        let lock = try OutputLock.acquire(out)
        defer { lock.release() }
        try checkTargets()  // another run may have finished it before we locked
        PartialOutputs.removeStale(inDirectoryOf: out)  // the manifest's directory too: the same
        // Created exclusively and registered once created (mkdir, O_EXCL):
        // whatever was at this name is refused and left alone, and the error
        // paths below remove only what this run created (removeOwn).
        let temp = PartialOutputs.temporaryPath(for: out)
        defer { PartialOutputs.unregister(temp) }
        // The generators' products are our own; OpenBLAS's idle threads
        // would only spin on a core the writer needs (see parkIdleThreads).
        BLAS.useSingleThreadedBLAS()
        BLAS.parkIdleThreads()
        do {
            if directory {
                try DatasetDirectoryPlacement.createTemporary(temp, for: out)
                return format == .npy ? try writeDirectory(temp: temp, out: out) : try writeTableDirectory(temp: temp, out: out)
            }
            return try writeTable(temp: temp, out: out, manifest: manifest!)
        } catch let error as any SynthctlError {
            PartialOutputs.removeOwn(temp)
            throw error
        } catch {
            // Foundation's file errors are multi-line and name temporary paths;
            // the user gets one line about the output they asked for.
            PartialOutputs.removeOwn(temp)
            throw FileAccessError(path: out, problem: "cannot write the output", reason: FileErrorReason.describe(error, path: out))
        }
    }

    /// Streams the table (``OutputFormat/csv`` or ``OutputFormat/jsonl``)
    /// to `descriptor`, which the caller opened (standard output, a pipe),
    /// and writes its manifest to `manifestPath` when given (by
    /// ``AtomicFile``, after the last row). The manifest names the table `-`.
    public func writeTable(to descriptor: Int32, manifest manifestPath: String?) throws -> WriteSummary {
        guard format != .npy else { throw OutputError(path: "-", .refused(expected: "csv, jsonl or parquet (one table) for standard output", found: "npy (a directory)")) }
        _ = try tableColumns(output: "-")
        if format == .parquet { try MemoryBudget.current.check(parquetMemoryEstimate, subject: "the Parquet table") }
        var lock: OutputLock? = nil
        if let manifestPath {
            try OutputTarget.check(manifestPath, as: .file, replace: force)
            lock = try OutputLock.acquire(manifestPath)
        }
        defer { lock?.release() }
        BLAS.useSingleThreadedBLAS()
        BLAS.parkIdleThreads()
        let file = SequentialFile(descriptor: descriptor, name: "-")
        let table = try streamTable(into: file)
        try file.finish()
        var bytes = table.bytes
        var written = ["-"]
        if let manifestPath {
            let manifestURL = URL(fileURLWithPath: manifestPath)
            let directory = manifestPath.contains("/") ? manifestURL.deletingLastPathComponent().path : ""
            let model = try writeModelCopies(into: directory, shown: directory, manifestName: manifestURL.lastPathComponent, atomically: true)
            let manifest = manifestText(table, name: "-", model: model)
            try AtomicFile.write(manifest, to: manifestPath, replace: force)
            bytes += manifest.utf8.count + (model?.bytes ?? 0)
            written += (model?.files.keys.sorted() ?? []) + [manifestPath]
        }
        return WriteSummary(rows: table.rows.count, bytes: bytes, files: written, path: "-")
    }

    var shape: ChunkShape { ChunkShape(plan: plan) }

    /// Rows per chunk: about 4 MiB of values, a whole number of blocks, at
    /// least one block and at most 64.
    var chunkRows: Int {
        let rows = (4 << 20) / max(1, shape.valuesPerRow) / Self.blockRows * Self.blockRows
        return min(max(rows, Self.blockRows), 64 * Self.blockRows)
    }

    /// Generates `rows` into a new chunk of exactly that size (for callers
    /// that want the rows in memory) and adds the realized counts to `stats`.
    public func generate(_ rows: Range<Int>, stats: inout RealizedStatistics) -> DatasetChunk {
        let chunk = DatasetChunk(capacity: rows.count, shape: shape)
        chunk.fill(rows, plan: plan, threads: threads, blockRows: Self.blockRows, stats: &stats)
        return chunk
    }

    /// Fills chunk after chunk of `range` and hands each to every stage in
    /// `stages`, each stage on its own background thread, so that writing
    /// and hashing chunk i overlap with each other and with generating the
    /// chunks after it. Each stage sees the chunks in order. A few buffers
    /// rotate; a buffer is refilled only after every stage is done with its
    /// previous contents. Returns the realized counts.
    ///
    /// Why separate stages: SHA-256 cannot be split across cores (each block
    /// depends on the one before), and at about 1.4 GB/s it is the slowest
    /// single step of writing a large dataset. Given a thread of its own, it
    /// runs beside the copying into the page cache instead of after it.
    func pipeline(_ range: Range<Int>, stages: [(DatasetChunk) throws -> Void]) throws -> RealizedStatistics {
        let shape = self.shape
        var stats = RealizedStatistics(classes: shape.classes, annotators: shape.annotators)
        let capacity = min(chunkRows, max(1, range.count))
        let bufferCount = 3
        let buffers = (0..<bufferCount).map { _ in DatasetChunk(capacity: capacity, shape: shape) }
        // free[b][s]: stage s is done with buffer b.
        let free = buffers.map { _ in stages.map { _ in DispatchSemaphore(value: 1) } }
        let workers = stages.indices.map { SerialBackgroundWorker(label: "synthctl.stage\($0)") }
        var start = range.lowerBound, index = 0
        while start < range.upperBound, workers.allSatisfy({ $0.failure == nil }) {
            let end = min(range.upperBound, start + capacity)
            let b = index % bufferCount
            for semaphore in free[b] { semaphore.wait() }
            let chunk = buffers[b]
            chunk.fill(start..<end, plan: plan, threads: threads, blockRows: Self.blockRows, stats: &stats)
            for (s, stage) in stages.enumerated() {
                let semaphore = free[b][s]
                workers[s].submit({ try stage(chunk) }, done: { semaphore.signal() })
            }
            progress?(end - range.lowerBound, range.count)
            start = end
            index += 1
        }
        for worker in workers { try worker.finish() }
        return stats
    }

    // MARK: - Directory form

    func writeDirectory(temp: String, out: String) throws -> WriteSummary {
        let range = shard?.rows(of: plan.rows) ?? 0..<plan.rows
        let n = range.count, shape = self.shape
        var writers: [(name: String, writer: NpyWriter)] = []
        func open(_ name: String, _ type: NpyType, _ shape: [Int]) throws -> NpyWriter {
            let w = try NpyWriter(path: "\(temp)/\(name)", type: type, shape: shape, name: "\(out)/\(name)")
            writers.append((name, w))
            return w
        }
        let d = shape.featureCount, k = shape.classes, lw = shape.labelWidth, t = shape.targets, a = shape.annotators
        let features = try open("features.npy", .float32, [n, d])
        let labels = lw > 0 ? try open("labels.npy", .int32, k > 0 ? [n] : [n, lw]) : nil
        let truth = k > 0 ? try open("true_labels.npy", .int32, [n]) : nil
        let mask = k > 0 ? try open("noise_mask.npy", .uint8, [n]) : nil
        let targets = t > 0 ? try open("targets.npy", .float32, t == 1 ? [n] : [n, t]) : nil
        let annotations = a > 0 ? try open("annotations.npy", .int32, [n, a]) : nil

        // Each chunk's buffers, in the files' order, with the values per row.
        func parts(_ chunk: DatasetChunk, _ body: (NpyWriter, RawSpan) throws -> Void) rethrows {
            let m = chunk.rows.count
            try features.withPrefix(of: chunk.features, count: m * d, body)
            try labels?.withPrefix(of: chunk.labels, count: m * lw, body)
            try truth?.withPrefix(of: chunk.trueLabels, count: m, body)
            try mask?.withPrefix(of: chunk.noiseMask, count: m, body)
            try targets?.withPrefix(of: chunk.targets, count: m * t, body)
            try annotations?.withPrefix(of: chunk.annotations, count: m * a, body)
        }
        let stats = try pipeline(range, stages: [
            { chunk in try parts(chunk) { writer, bytes in try writer.write(bytes) } },
            { chunk in parts(chunk) { writer, bytes in writer.hash(bytes) } },
        ])
        var files: [String: JSONValue] = [:]
        var arrays: [(name: String, sha256: String)] = []
        var total = 0
        for (name, w) in writers {
            let sha = try w.finish()
            total += w.bytesWritten
            arrays.append((name, sha))
            files[name] = .object(["sha256": .string(sha), "bytes": .int(w.bytesWritten),
                                   "dtype": .string(w.type.rawValue), "shape": JSONValue(w.shape)])
        }
        // The model copies first, so that croissant.json can carry their SHA-256.
        let model = try writeModelCopies(into: temp, shown: out, manifestName: "manifest.json", atomically: false)
        files.merge(model?.files ?? [:]) { a, _ in a }
        total += model?.bytes ?? 0
        // The card and croissant.json describe the arrays and the model copies; the manifest lists them all.
        var card = DatasetCard(plan: plan, stats: stats, rows: range)
        card.modelFiles = model?.names
        let described = [("README.md", directoryCard(body: card.markdown, rows: n)),
                         ("croissant.json", directoryCroissant(arrays: arrays, rows: n, model: model))]
        for (name, text) in described {
            let bytes = Array(text.utf8)
            try DatasetDirectoryPlacement.writeWhole(bytes, to: "\(temp)/\(name)", name: "\(out)/\(name)")
            files[name] = .object(["sha256": .string(sha256Hex(bytes)), "bytes": .int(bytes.count)])
            total += bytes.count
        }
        try interruption?(.directoryFilledBeforeManifest)
        let manifest = Manifest(plan: plan, stats: stats, rows: range, shard: shard, files: files).json.serialized() + "\n"
        try DatasetDirectoryPlacement.writeWhole(Array(manifest.utf8), to: "\(temp)/manifest.json", name: "\(out)/manifest.json")
        total += manifest.utf8.count
        try DatasetDirectoryPlacement.place(temp, at: out, replace: force) { try interruption?(.directoryExchanged) }
        return WriteSummary(rows: n, bytes: total, files: writers.map(\.name) + ["README.md", "croissant.json"] + (model?.files.keys.sorted() ?? []) + ["manifest.json"], path: out)
    }

    // MARK: - Table form

    /// The rows streamed as a table, for its manifest.
    struct StreamedTable {
        let rows: Range<Int>
        let stats: RealizedStatistics
        let columns: [String]
        let sha256: String
        let bytes: Int
    }

    /// Writes the table to a temporary file, then puts it and its manifest
    /// in place in the order that never shows a mismatched pair (see the
    /// type's documentation).
    func writeTable(temp: String, out: String, manifest manifestPath: String) throws -> WriteSummary {
        let file = try SequentialFile(path: temp, expectedBytes: format == .parquet ? parquetExpectedBytes : 0, name: out, temporary: true)
        PartialOutputs.register(temp)  // created by this run (O_EXCL)
        let table = try streamTable(into: file)
        try file.finish()
        let manifestURL = URL(fileURLWithPath: manifestPath)
        let model = try writeModelCopies(into: manifestURL.deletingLastPathComponent().path, shown: manifestURL.deletingLastPathComponent().path,
                                         manifestName: manifestURL.lastPathComponent, atomically: true)
        let tableName = URL(fileURLWithPath: out).lastPathComponent
        if shard != nil, Self.isPartName(tableName), out.hasSuffix(tableName) {
            try writePartDirectoryConfig(into: String(out.dropLast(tableName.count)))
        }
        let manifest = manifestText(table, name: URL(fileURLWithPath: out).lastPathComponent, model: model)
        let manifestTemp = PartialOutputs.temporaryPath(for: manifestPath)
        // O_EXCL: a file or link already at manifestTemp is refused, and
        // only the file created here is ever removed.
        let manifestFile = try SequentialFile(path: manifestTemp, expectedBytes: manifest.utf8.count, name: manifestPath, temporary: true)
        PartialOutputs.register(manifestTemp)
        defer { PartialOutputs.removeOwn(manifestTemp) }  // unregistered once in place
        try manifestFile.write(Array(manifest.utf8).span.bytes)
        try manifestFile.finish()
        try PartialOutputs.committing {
            try OutputTarget.check(out, as: .file, replace: force)
            try OutputTarget.check(manifestPath, as: .file, replace: force)
            if FileKind(path: manifestPath) != .none, unlink(manifestPath) != 0 {
                throw FileAccessError(path: manifestPath, problem: "cannot replace the old manifest", reason: FileErrorReason.describe(errno: errno))
            }
            try interruption?(.tableOldManifestRemoved)
            if force { try AtomicRename.replace(temp, at: out) } else { try AtomicRename.placeNew(temp, at: out) }
            PartialOutputs.unregister(temp)  // in place: no longer this run's to remove
            try interruption?(.tableRenamed)
            try AtomicRename.placeNew(manifestTemp, at: manifestPath)
            PartialOutputs.unregister(manifestTemp)
        }
        let name = URL(fileURLWithPath: out).lastPathComponent
        return WriteSummary(rows: table.rows.count, bytes: table.bytes + manifest.utf8.count + (model?.bytes ?? 0),
                            files: [name] + (model?.files.keys.sorted() ?? []) + [name + ".manifest.json"], path: out)
    }

    /// Writes the table as a directory (``tableDirectory``): the table as
    /// `data.<format>`, its card and croissant.json, the manifest last, then
    /// puts the directory in place (``DatasetDirectoryPlacement``) as
    /// ``writeDirectory(temp:out:)`` does.
    func writeTableDirectory(temp: String, out: String) throws -> WriteSummary {
        let name = "data.\(format.rawValue)"
        let file = try SequentialFile(path: "\(temp)/\(name)", expectedBytes: 0, name: "\(out)/\(name)")
        let table = try streamTable(into: file)
        try file.finish()
        var described: [String: JSONValue] = [:]
        var total = table.bytes
        // The model copies first, so that croissant.json can carry their SHA-256.
        let model = try writeModelCopies(into: temp, shown: out, manifestName: "manifest.json", atomically: false)
        total += model?.bytes ?? 0
        for (fileName, text) in tableDirectoryDescription(dataFile: name, sha256: table.sha256, rows: table.rows, stats: table.stats, model: model) {
            let bytes = Array(text.utf8)
            try DatasetDirectoryPlacement.writeWhole(bytes, to: "\(temp)/\(fileName)", name: "\(out)/\(fileName)")
            described[fileName] = .object(["sha256": .string(sha256Hex(bytes)), "bytes": .int(bytes.count)])
            total += bytes.count
        }
        try interruption?(.directoryFilledBeforeManifest)
        let manifest = manifestText(table, name: name, described: described, model: model)
        try DatasetDirectoryPlacement.writeWhole(Array(manifest.utf8), to: "\(temp)/manifest.json", name: "\(out)/manifest.json")
        total += manifest.utf8.count
        try DatasetDirectoryPlacement.place(temp, at: out, replace: force) { try interruption?(.directoryExchanged) }
        return WriteSummary(rows: table.rows.count, bytes: total, files: [name, "README.md", "croissant.json"] + (model?.files.keys.sorted() ?? []) + ["manifest.json"], path: out)
    }

    /// The manifest of a streamed table named `name`; `described`: the
    /// entries of the files that describe a table directory (README.md and
    /// croissant.json), listed beside the table; `model`: the model copies
    /// beside it (``writeModelCopies(into:shown:manifestName:atomically:)``).
    func manifestText(_ table: StreamedTable, name: String, described: [String: JSONValue] = [:], model: ModelCopies? = nil) -> String {
        var entry: [String: JSONValue] = ["sha256": .string(table.sha256), "bytes": .int(table.bytes), "columns": JSONValue(table.columns)]
        // Recorded where it differs from what tables have always been (csv
        // and jsonl with class names), so that those manifests keep their bytes.
        if format == .parquet {
            entry["format"] = .string("parquet")
            entry["compression"] = .string(compression.rawValue)
        }
        if format == .parquet || labelFormat != .name { entry["label_format"] = .string(labelFormat.rawValue) }
        // A text table's format where its file's name does not say it
        // (`t.txt`) or says more (`t.tsv`, `t.csv.gz`), so that `gen --spec`
        // writes it again; `t.csv`, `data.jsonl` and a plain table on
        // standard output (`-`: its manifest is the file's, the name apart)
        // keep their bytes.
        let named = TableFileName(name)
        if format != .parquet, (name != "-" && named.format != format) || named.tabSeparated || named.compression != nil || writesTabs || writtenCompression != nil {
            entry["format"] = .string(format.rawValue)
            if writesTabs { entry["delimiter"] = .string("\t") }
            if let writtenCompression { entry["compression"] = .string(writtenCompression.rawValue) }
        }
        let files = described.merging(model?.files ?? [:]) { $1 }.merging([name: .object(entry)]) { $1 }
        var manifest = Manifest(plan: plan, stats: table.stats, rows: table.rows, shard: shard, files: files)
        manifest.modelCopies = model?.names
        manifest.labelFormat = labelFormat
        manifest.classIdColumns = format == .parquet && labelFormat == .name
        return manifest.json.serialized() + "\n"
    }

    /// Generates the rows and writes them to `file` as CSV (with a header)
    /// or JSON Lines, hashing the bytes as they go.
    ///
    /// Cells: features and targets as the shortest decimal that reads back
    /// to the same float32; `label`, `true_label` and the `annotator_…`
    /// columns hold the class *names* of the manifest (`class_0`,
    /// `upper_moon`, a fitted model's `2` or `cat`), as the directory form
    /// names its ids through `class_names`, so that the directory and the
    /// table of one dataset read as the same classes, and a table sampled
    /// from a model fitted on labels {1, 2} says 1 and 2, not 0 and 1;
    /// with ``LabelFormat/id`` the class ids 0 ..< K instead.
    /// Multilabel indicator columns stay 0/1. Parquet: ``streamParquet(into:)``. See ``TableColumns`` for
    /// quoting and escaping.
    func streamTable(into file: SequentialFile) throws -> StreamedTable {
        let range = shard?.rows(of: plan.rows) ?? 0..<plan.rows
        let shape = self.shape, format = self.format
        let d = shape.featureCount, k = shape.classes, lw = shape.labelWidth, t = shape.targets, a = shape.annotators
        var hasher = StreamingSHA256()
        var bytes = 0
        // The bytes on disk: the text, or what the encoder makes of it.
        let encoder = writtenCompression.map(StreamEncoder.init)
        func put(_ raw: RawSpan) throws {
            hasher.update(raw)
            try file.write(raw)
            bytes += raw.byteCount
        }
        func emit(_ s: String) throws {
            var s = s
            try s.withUTF8 { u in
                if let encoder {
                    let compressed = encoder.encode(unsafe RawSpan(_unsafeElements: u))
                    try put(compressed.span.bytes)
                } else {
                    try put(unsafe RawSpan(_unsafeElements: u))
                }
            }
        }
        if format == .parquet { return try streamParquet(into: file) }
        let table = try tableColumns(output: file.name)
        let columns = table.names
        let csv = format == .csv
        let (delimiter, separator): (UInt8, String) = writesTabs ? (0x09, "\t") : (0x2C, ",")
        // Every class name as its cell: CSV-quoted where needed, a JSON
        // string; or the class id, a number in either.
        let classCells = labelFormat == .id ? plan.generator.classNames.indices.map { String($0) }
            : plan.generator.classNames.map { csv ? TableColumns.csvField($0, delimiter: delimiter) : TableColumns.jsonString($0) }
        // JSON Lines: each key written once, escaped, with its colon.
        let keys = columns.map { TableColumns.jsonString($0) + ":" }
        // A fitted model's CSV writes `noisy` as its boolean features, true/false, so that
        // pandas reads it as bool, as it reads the Parquet table's BOOLEAN.
        let typedCSV = csv && plan.generator.featureColumns != nil
        let (yes, no, missing) = csv ? (typedCSV ? "true" : "1", typedCSV ? "false" : "0", "") : ("true", "false", "null")
        // A fitted model's typed features (``FittedColumns``): integers as
        // integers, booleans as true/false (in CSV too, which pandas and
        // synthctl read as booleans), categories by their names; a
        // continuous column with learned decimals as the double the Parquet
        // table holds (``formatRounded(_:decimals:)``); dates and timestamps
        // as ISO 8601 text (``FittedTime/text(_:)``), a JSON string in JSON Lines.
        let featureCells: ((Int, Float) -> String)? = plan.generator.featureColumns.map { typed in
            let names = typed.columns.map { column in
                column.kind == .categorical ? column.categories.map { csv ? TableColumns.csvField($0, delimiter: delimiter) : TableColumns.jsonString($0) } : []
            }
            return { j, v in
                if let time = typed.columns[j].time {
                    let seconds = typed.columns[j].decimals.map { FittedColumns.rounded(Double(v), decimals: $0) } ?? Double(v)
                    let text = time.text(seconds)
                    return csv ? text : "\"" + text + "\""
                }
                return switch typed.columns[j].kind {
                case .continuous: typed.columns[j].decimals.map { formatRounded(v, decimals: $0) } ?? formatFloat(v)
                case .integer: String(Int(v))
                case .boolean: v != 0 ? "true" : "false"
                case .categorical: names[j][Int(v)]
                }
            }
        }
        if csv { try emit(columns.map { TableColumns.csvField($0, delimiter: delimiter) }.joined(separator: separator) + "\n") }
        let stats = try pipeline(range, stages: [{ chunk in
            var text = ""
            var cells = [String]()
            cells.reserveCapacity(columns.count)
            for i in 0..<chunk.rows.count {
                cells.removeAll(keepingCapacity: true)
                if let featureCells {
                    for j in 0..<d { cells.append(featureCells(j, chunk.features[i * d + j])) }
                } else {
                    for j in 0..<d { cells.append(formatFloat(chunk.features[i * d + j])) }
                }
                if k > 0 {
                    cells += [classCells[Int(chunk.labels[i])], classCells[Int(chunk.trueLabels[i])], chunk.noiseMask[i] != 0 ? yes : no]
                } else {
                    for j in 0..<lw { cells.append(String(chunk.labels[i * lw + j])) }
                }
                for j in 0..<t { cells.append(formatFloat(chunk.targets[i * t + j])) }
                for j in 0..<a {
                    let v = chunk.annotations[i * a + j]
                    cells.append(v < 0 ? missing : classCells[Int(v)])
                }
                if csv {
                    text += cells.joined(separator: separator) + "\n"
                } else {
                    text += "{" + zip(keys, cells).map { $0 + $1 }.joined(separator: ",") + "}\n"
                }
            }
            try emit(text)
        }])
        if let encoder { try put(encoder.finish().span.bytes) }
        return StreamedTable(rows: range, stats: stats, columns: columns, sha256: hasher.hex(), bytes: bytes)
    }
}

/// The text of a fitted continuous value with learned `decimals`: the
/// double ``FittedColumns/rounded(_:decimals:)`` makes of it, which is what
/// the Parquet table holds (DOUBLE), as its shortest round-trip text, a
/// whole number as an integer. The float32's own shortest text would read
/// back as another number where float32 has fewer digits than the value:
/// 2085706752 (a timestamp fitted with 0 decimals) is "2.0857068e+09",
/// which pandas reads as 2085706800.
func formatRounded(_ x: Float, decimals: Int) -> String {
    let v = FittedColumns.rounded(Double(x), decimals: decimals)
    if v == v.rounded(), abs(v) < 0x1p53 { return String(Int64(v)) }
    return "\(v)"
}

/// Shortest text that reads back to the same Float32 (NaN never occurs here).
func formatFloat(_ x: Float) -> String {
    if x == x.rounded(), abs(x) < 1e7 { return String(Int(x)) }
    return "\(x)"
}
