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
    public var threads: Int = Parallel.coreCount
    public var shard: Shard? = nil
    public var format: OutputFormat = .npy
    public var force = false
    /// Called after each chunk with (rows done, rows total).
    public var progress: ((Int, Int) -> Void)? = nil

    public static let blockRows = 2048
    public static let formatVersion = 1

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
        BLAS.useSingleThreadedBLAS()
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
            let reason = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription
                ?? error.localizedDescription
            throw SynthError("\(out): cannot write the output (\(reason))")
        }
    }

    // MARK: - Generation in chunks

    /// One chunk of generated rows.
    struct Chunk {
        var rows: Range<Int>
        var features: [Float]
        var trueLabels: [Int32]
        var labels: [Int32]
        var targets: [Float]
        var annotations: [Int32]
    }

    var featureCount: Int { plan.generator.featureCount }
    var classCount: Int { plan.generator.classCount }
    var targetWidth: Int {
        if case .targets(let t) = plan.generator.labelKind { return t }
        return 0
    }
    var annotatorCount: Int { plan.annotators?.count ?? 0 }

    var chunkRows: Int {
        let perRow = max(1, featureCount + 2 + targetWidth + annotatorCount)
        let rows = max(Self.blockRows, (4 << 20) / perRow / Self.blockRows * Self.blockRows)
        return min(rows, 64 * Self.blockRows)
    }

    /// Generates `rows` and accumulates realized statistics into `stats`.
    func generate(_ rows: Range<Int>, stats: inout RealizedStatistics) -> Chunk {
        let n = rows.count, d = featureCount, k = classCount, t = targetWidth, a = annotatorCount
        var chunk = Chunk(
            rows: rows, features: [Float](repeating: 0, count: n * d),
            trueLabels: [Int32](repeating: 0, count: k > 0 ? n : 0),
            labels: [Int32](repeating: 0, count: k > 0 ? n : 0),
            targets: [Float](repeating: 0, count: n * t),
            annotations: [Int32](repeating: -1, count: n * a))
        let blocks = (n + Self.blockRows - 1) / Self.blockRows
        var blockStats = [RealizedStatistics](repeating: RealizedStatistics(classes: k, annotators: a), count: blocks)
        let generator = plan.generator, noise = plan.noise, pool = plan.annotators
        chunk.features.withUnsafeMutableBufferPointer { fp in
        chunk.trueLabels.withUnsafeMutableBufferPointer { tp in
        chunk.labels.withUnsafeMutableBufferPointer { lp in
        chunk.targets.withUnsafeMutableBufferPointer { yp in
        chunk.annotations.withUnsafeMutableBufferPointer { ap in
        blockStats.withUnsafeMutableBufferPointer { sp in
            let f = fp.baseAddress!, tl = tp.baseAddress, l = lp.baseAddress, y = yp.baseAddress, an = ap.baseAddress
            let s = sp.baseAddress!
            Parallel.forEach(blocks, threads: threads) { b in
                let lo = b * Self.blockRows, hi = min(n, lo + Self.blockRows)
                let range = (rows.lowerBound + lo)..<(rows.lowerBound + hi)
                generator.fill(rows: range, features: f + lo * d, labels: tl.map { $0 + lo },
                               targets: y.map { $0 + lo * t })
                guard k > 0, let tl, let l else { return }
                for i in lo..<hi {
                    let row = rows.lowerBound + i
                    let truth = Int(tl[i])
                    let observed = noise?.apply(row: row, label: truth, features: f + i * d, generator: generator) ?? truth
                    l[i] = Int32(observed)
                    s[b].transitions[truth * k + observed] += 1
                    if let pool, let an {
                        pool.annotate(row: row, label: truth, out: an + i * a) { who, answer in
                            s[b].answers[(who * k + truth) * k + answer] += 1
                        }
                    }
                }
            }
        }}}}}}
        for b in blockStats { stats.add(b) }
        return chunk
    }

    // MARK: - Directory form

    func writeDirectory(temp: String, out: String) throws -> WriteSummary {
        let range = shard?.rows(of: plan.rows) ?? 0..<plan.rows
        let n = range.count, d = featureCount, k = classCount, t = targetWidth, a = annotatorCount
        var writers: [(name: String, writer: NpyWriter)] = []
        func open(_ name: String, _ type: NpyType, _ shape: [Int]) throws -> NpyWriter {
            let w = try NpyWriter(path: "\(temp)/\(name)", type: type, shape: shape)
            writers.append((name, w))
            return w
        }
        let features = try open("features.npy", .float32, [n, d])
        let labels = k > 0 ? try open("labels.npy", .int32, [n]) : nil
        let truth = k > 0 ? try open("true_labels.npy", .int32, [n]) : nil
        let mask = k > 0 ? try open("noise_mask.npy", .uint8, [n]) : nil
        let targets = t > 0 ? try open("targets.npy", .float32, t == 1 ? [n] : [n, t]) : nil
        let annotations = a > 0 ? try open("annotations.npy", .int32, [n, a]) : nil

        var stats = RealizedStatistics(classes: k, annotators: a)
        var done = 0
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, start + chunkRows)
            let chunk = generate(start..<end, stats: &stats)
            try chunk.features.withUnsafeBufferPointer { try features.append($0) }
            try chunk.labels.withUnsafeBufferPointer { try labels?.append($0) }
            try chunk.trueLabels.withUnsafeBufferPointer { try truth?.append($0) }
            if let mask {
                let m = zip(chunk.labels, chunk.trueLabels).map { UInt8($0 != $1 ? 1 : 0) }
                try m.withUnsafeBufferPointer { try mask.append($0) }
            }
            try chunk.targets.withUnsafeBufferPointer { try targets?.append($0) }
            try chunk.annotations.withUnsafeBufferPointer { try annotations?.append($0) }
            done += end - start
            progress?(done, n)
            start = end
        }
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
        let d = featureCount, k = classCount, t = targetWidth, a = annotatorCount
        guard let file = fopen(temp, "wb") else {
            throw SynthError("\(out): cannot create file (\(String(cString: strerror(errno))))")
        }
        var hasher = StreamingSHA256()
        var bytes = 0
        func emit(_ s: String) throws {
            var s = s
            try s.withUTF8 { u in
                hasher.update(UnsafeRawBufferPointer(u))
                guard fwrite(u.baseAddress, 1, u.count, file) == u.count else {
                    throw SynthError("\(out): write failed (\(String(cString: strerror(errno))))")
                }
                bytes += u.count
            }
        }
        var columns = plan.generator.featureNames
        if k > 0 { columns += ["label", "true_label", "noisy"] }
        if t > 0 { columns += t == 1 ? ["target"] : numberedNames("target_", t) }
        if a > 0 { columns += numberedNames("annotator_", a) }
        do {
            if format == .csv { try emit(columns.joined(separator: ",") + "\n") }
            var stats = RealizedStatistics(classes: k, annotators: a)
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(range.upperBound, start + chunkRows)
                let chunk = generate(start..<end, stats: &stats)
                var text = ""
                for i in 0..<(end - start) {
                    var cells = [String]()
                    cells.reserveCapacity(columns.count)
                    for j in 0..<d { cells.append(formatFloat(chunk.features[i * d + j])) }
                    if k > 0 {
                        cells += [String(chunk.labels[i]), String(chunk.trueLabels[i]),
                                  chunk.labels[i] != chunk.trueLabels[i] ? (format == .csv ? "1" : "true") : (format == .csv ? "0" : "false")]
                    }
                    for j in 0..<t { cells.append(formatFloat(chunk.targets[i * t + j])) }
                    for j in 0..<a {
                        let v = chunk.annotations[i * a + j]
                        cells.append(v < 0 ? (format == .csv ? "" : "null") : String(v))
                    }
                    if format == .csv {
                        text += cells.joined(separator: ",") + "\n"
                    } else {
                        text += "{" + zip(columns, cells).map { "\"\($0)\":\($1)" }.joined(separator: ",") + "}\n"
                    }
                }
                try emit(text)
                progress?(end - range.lowerBound, range.count)
                start = end
            }
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
