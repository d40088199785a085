import Foundation

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
/// Atomicity: a directory is built under `<out>.partial-<pid>` with the
/// manifest written last, then renamed into place; a table is written under a
/// temporary name and renamed, its manifest after it. An existing output is
/// replaced only with `force`.
public struct DatasetWriter {
    public let plan: DatasetPlan
    /// Workers generating rows. Writing and hashing run on threads of their
    /// own; hashing keeps one core busy on its own (SHA-256 is serial), so
    /// the default leaves that core to it.
    public var threads: Int = max(1, Parallel.coreCount - 1)
    public var shard: Shard? = nil
    public var format: OutputFormat = .npy
    public var force = false
    /// Called after each chunk with (rows done, rows total).
    public var progress: ((Int, Int) -> Void)? = nil

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

    public init(plan: DatasetPlan) { self.plan = plan }

    public func write(to out: String) throws -> WriteSummary {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: out, isDirectory: &isDir), !force {
            throw SynthError("\(out): already exists (pass --force to replace it)")
        }
        // (NSString's path methods trap on a bare name in this Foundation.)
        let parent = URL(fileURLWithPath: out).deletingLastPathComponent().path
        var parentIsDirectory: ObjCBool = false
        if !fm.fileExists(atPath: parent, isDirectory: &parentIsDirectory) {
            throw SynthError("\(out): parent directory \(parent) does not exist")
        }
        if !parentIsDirectory.boolValue {
            throw SynthError("\(out): expected \(parent) to be a directory, found a file")
        }
        let temp = "\(out).partial-\(getpid())"
        try? fm.removeItem(atPath: temp)
        // The generators' products are our own; OpenBLAS's idle threads
        // would only spin on a core the writer needs (see parkIdleThreads).
        BLAS.useSingleThreadedBLAS()
        BLAS.parkIdleThreads()
        do {
            let summary: WriteSummary
            switch format {
            case .npy:
                try fm.createDirectory(atPath: temp, withIntermediateDirectories: false)
                summary = try writeDirectory(temp: temp, out: out)
            case .csv, .jsonl:
                summary = try writeTable(temp: temp, out: out)
            }
            return summary
        } catch let error as SynthError {
            try? fm.removeItem(atPath: temp)
            throw error
        } catch {
            // Foundation's file errors are multi-line and name temporary paths;
            // the user gets one line about the output they asked for.
            try? fm.removeItem(atPath: temp)
            throw SynthError("\(out): cannot write the output (\(FileErrorReason.describe(error, path: out)))")
        }
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
            let w = try NpyWriter(path: "\(temp)/\(name)", type: type, shape: shape)
            writers.append((name, w))
            return w
        }
        let d = shape.features, k = shape.classes, lw = shape.labelWidth, t = shape.targets, a = shape.annotators
        let features = try open("features.npy", .float32, [n, d])
        let labels = lw > 0 ? try open("labels.npy", .int32, k > 0 ? [n] : [n, lw]) : nil
        let truth = k > 0 ? try open("true_labels.npy", .int32, [n]) : nil
        let mask = k > 0 ? try open("noise_mask.npy", .uint8, [n]) : nil
        let targets = t > 0 ? try open("targets.npy", .float32, t == 1 ? [n] : [n, t]) : nil
        let annotations = a > 0 ? try open("annotations.npy", .int32, [n, a]) : nil

        // Each chunk's buffers, in the files' order, with the values per row.
        func parts(_ chunk: DatasetChunk, _ body: (NpyWriter, UnsafeRawBufferPointer) throws -> Void) rethrows {
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
        var total = 0
        for (name, w) in writers {
            let sha = try w.finish()
            total += w.bytesWritten
            files[name] = .object(["sha256": .string(sha), "bytes": .int(w.bytesWritten),
                                   "dtype": .string(w.type.rawValue), "shape": JSONValue(w.shape)])
        }
        let card = DatasetCard(plan: plan, stats: stats, rows: range).markdown
        let cardBytes = Array(card.utf8)
        try Data(cardBytes).write(to: URL(fileURLWithPath: "\(temp)/README.md"))
        files["README.md"] = .object(["sha256": .string(sha256Hex(cardBytes)), "bytes": .int(cardBytes.count)])
        total += cardBytes.count
        let manifest = Manifest(plan: plan, stats: stats, rows: range, shard: shard, files: files).json.serialized() + "\n"
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(temp)/manifest.json"))
        total += manifest.utf8.count
        try commit(temp: temp, out: out)
        return WriteSummary(rows: n, bytes: total, files: writers.map(\.name) + ["README.md", "manifest.json"], path: out)
    }

    /// Renames the finished temporary output into place, replacing an old one
    /// only after the new one is complete.
    func commit(temp: String, out: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: out) {
            let old = "\(out).old-\(getpid())"
            try fm.moveItem(atPath: out, toPath: old)
            try fm.moveItem(atPath: temp, toPath: out)
            try? fm.removeItem(atPath: old)
        } else {
            try fm.moveItem(atPath: temp, toPath: out)
        }
    }

    // MARK: - Table form

    func writeTable(temp: String, out: String) throws -> WriteSummary {
        let range = shard?.rows(of: plan.rows) ?? 0..<plan.rows
        let shape = self.shape, format = self.format
        let d = shape.features, k = shape.classes, lw = shape.labelWidth, t = shape.targets, a = shape.annotators
        guard let file = fopen(temp, "wb") else {
            throw SynthError("\(out): cannot create file (\(FileErrorReason.describe(errno: errno)))")
        }
        var hasher = StreamingSHA256()
        var bytes = 0
        func emit(_ s: String) throws {
            var s = s
            try s.withUTF8 { u in
                hasher.update(UnsafeRawBufferPointer(u))
                guard fwrite(u.baseAddress, 1, u.count, file) == u.count else {
                    throw SynthError("\(out): write failed (\(FileErrorReason.describe(errno: errno)))")
                }
                bytes += u.count
            }
        }
        var columns = plan.generator.featureNames
        if k > 0 { columns += ["label", "true_label", "noisy"] }
        if k == 0, lw > 0 { columns += plan.generator.classNames }
        if t > 0 { columns += t == 1 ? ["target"] : numberedNames("target_", t) }
        if a > 0 { columns += numberedNames("annotator_", a) }
        let (yes, no, missing) = format == .csv ? ("1", "0", "") : ("true", "false", "null")
        do {
            if format == .csv { try emit(columns.joined(separator: ",") + "\n") }
            let stats = try pipeline(range, stages: [{ chunk in
                var text = ""
                var cells = [String]()
                cells.reserveCapacity(columns.count)
                for i in 0..<chunk.rows.count {
                    cells.removeAll(keepingCapacity: true)
                    for j in 0..<d { cells.append(formatFloat(chunk.features[i * d + j])) }
                    if k > 0 {
                        cells += [String(chunk.labels[i]), String(chunk.trueLabels[i]), chunk.noiseMask[i] != 0 ? yes : no]
                    } else {
                        for j in 0..<lw { cells.append(String(chunk.labels[i * lw + j])) }
                    }
                    for j in 0..<t { cells.append(formatFloat(chunk.targets[i * t + j])) }
                    for j in 0..<a {
                        let v = chunk.annotations[i * a + j]
                        cells.append(v < 0 ? missing : String(v))
                    }
                    if format == .csv {
                        text += cells.joined(separator: ",") + "\n"
                    } else {
                        text += "{" + zip(columns, cells).map { "\"\($0)\":\($1)" }.joined(separator: ",") + "}\n"
                    }
                }
                try emit(text)
            }])
            let ok = fflush(file) == 0
            fclose(file)
            guard ok else { throw SynthError("\(out): could not flush to disk") }
            let name = URL(fileURLWithPath: out).lastPathComponent
            let files: [String: JSONValue] = [name: .object(["sha256": .string(hasher.hex()), "bytes": .int(bytes),
                                                             "columns": JSONValue(columns)])]
            let manifest = Manifest(plan: plan, stats: stats, rows: range, shard: shard, files: files).json.serialized() + "\n"
            if FileManager.default.fileExists(atPath: out) { try FileManager.default.removeItem(atPath: out) }
            try FileManager.default.moveItem(atPath: temp, toPath: out)
            try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(out).manifest.json"), options: .atomic)
            return WriteSummary(rows: range.count, bytes: bytes + manifest.utf8.count,
                                files: [name, name + ".manifest.json"], path: out)
        } catch {
            fclose(file)
            throw error
        }
    }
}

/// Shortest text that reads back to the same Float32 (NaN never occurs here).
func formatFloat(_ x: Float) -> String {
    if x == x.rounded(), abs(x) < 1e7 { return String(Int(x)) }
    return "\(x)"
}
