import ArgumentParser
import Foundation
import Synth
import SynthctlCore

/// Where the dataset's definition comes from.
struct SpecSource: ParsableArguments {
    @Option(help: "A named dataset: \(Presets.all.map(\.name).joined(separator: ", ")). Default: default.")
    var preset: String?

    @Option(help: "A spec file, JSON or YAML (.yaml/.yml). Its fields: rows, seed, generator, noise, annotators.")
    var spec: String?

    @Option(help: "A fitted model (synthctl fit --out model.json) to sample from.")
    var model: String?

    @Option(name: .customLong("set"), help: "Override one spec field, e.g. --set generator.classes=5 (repeatable).")
    var overrides: [String] = []

    func validate() throws {
        if [preset != nil, spec != nil, model != nil].filter({ $0 }).count > 1 {
            throw ValidationError("--preset, --spec and --model are alternatives: give one of them")
        }
    }
}

/// Common overrides with their own flags.
struct SpecFlags: ParsableArguments {
    @Option(help: "Rows in the whole dataset.", range: .within(1...DatasetPlan.maxRows))
    var rows: Int?

    @Option(help: "The seed; the same seed, spec and rows give the same bytes.", range: .seed)
    var seed: UInt64?

    @Option(help: ArgumentHelp("Generator type: \(DatasetPlan.generatorTypes.joined(separator: ", ")).",
                               discussion: GeneratorRegistry.all.map { "\($0.type): \($0.summary)." }.joined(separator: "\n")))
    var generator: String?

    @Option(help: "Label noise: the share of rows whose label is changed to another class (flip noise).", range: .share)
    var flipRate: Double?

    /// Applies the flags to `spec`. `explicit` holds the top-level sections
    /// that `--set` gave: a section the preset or spec brought and the new
    /// `--generator` cannot take (noise and annotators for regression or
    /// multilabel) is dropped, and named in `notes`; one given with `--set`
    /// (or `--flip-rate`) stays, and is refused with the generator's message.
    /// `--flip-rate` with a classless generator (from `--generator` or the
    /// spec) is refused first, naming the flag: otherwise the preset's noise
    /// was dropped with a note and the flag's own then refused as "a noise
    /// section", two lines that contradict each other.
    func apply(to spec: JSONValue, explicit: Set<String> = [], notes: inout [String]) throws -> JSONValue {
        var s = spec
        if let flipRate {
            var type = generator
            if type == nil, case .object(let o) = spec, case .object(let g)? = o["generator"], case .string(let t)? = g["type"] { type = t }
            if let type, DatasetPlan.classlessGeneratorTypes.contains(type) {
                throw ArgumentError(argument: "--flip-rate", value: "\(flipRate)", expected: "a generator with class labels",
                                    found: "the \(type) generator (a \(type) dataset has no class labels to flip; leave out --flip-rate)")
            }
        }
        if let rows { s = try ArgumentError.naming("--set") { try applyOverride("rows=\(rows)", to: s) } }
        if let seed { s = try ArgumentError.naming("--set") { try applyOverride("seed=\(seed)", to: s) } }
        if let generator {
            // A new generator type starts from its own defaults.
            guard case .object(var o) = s else { return s }
            o["generator"] = .object(["type": .string(generator)])
            let dropped = DatasetPlan.sectionsNotTaken(by: generator, in: s).filter { !explicit.contains($0) }
            for section in dropped { o[section] = nil }
            if !dropped.isEmpty {
                notes.append("--generator \(generator.escapingControlCharacters): left out the \(dropped.joined(separator: " and ")) section\(dropped.count > 1 ? "s" : "") of the spec (a \(generator.escapingControlCharacters) dataset has no class labels to add noise to or annotate)")
            }
            s = .object(o)
        }
        if let flipRate { s = try ArgumentError.naming("--set") { try applyOverride("noise={\"type\": \"flip\", \"rate\": \(flipRate)}", to: s) } }
        return s
    }
}

struct Gen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a labeled dataset with known ground truth.",
        discussion: """
        With no options, writes the 'default' preset to ./synthctl-default. The output is a \
        directory of .npy arrays with manifest.json (spec, SHA-256 of every file, the true noise \
        matrix and annotator confusion matrices) and a README.md dataset card; --format csv, \
        jsonl or parquet writes one table instead, with <out>.manifest.json beside it; with \
        --directory, --out is a dataset directory holding the table instead: data.csv, data.jsonl \
        or data.parquet, manifest.json, croissant.json and a README.md card whose header \
        Hugging Face datasets.load_dataset(<out>) reads. With \
        --format parquet and --shard k/n (or a spec naming a shard, as a shard's manifest does), --out is \
        the dataset's directory and the run writes its part, part-0000k-of-0000n.parquet, into it. Output is atomic and \
        never overwrites without --force; a second run writing the same output fails at once. \
        --out - streams a csv, jsonl or parquet table to standard output (the summary line then goes to \
        standard error, and the manifest to --manifest FILE, or nowhere).
        """
    )

    @OptionGroup var source: SpecSource
    @OptionGroup var flags: SpecFlags

    @Option(help: "Where to write (a directory for npy, a file for csv/jsonl/parquet; - for standard output, csv/jsonl/parquet only). A table's name decides its bytes: .tsv is tab-separated, .gz and .zst gzip- and zstd-compressed.")
    var out: String?

    @Option(help: "With --out -: write the table's manifest to this file (a table on standard output has none otherwise).")
    var manifest: String?

    @Option(help: "npy (a dataset directory), csv, jsonl or parquet (one table). Default: what the --out name says (t.csv, t.tsv.gz, t.jsonl.zst, t.parquet), else what a --spec manifest records (its label format, compression and --directory form too), else npy.",
            oneOf: OutputFormat.self)
    var format: OutputFormat?

    @Option(help: "Class labels in a csv, jsonl or parquet table: the class names, or the integer ids of the directory form (parquet with names adds label_id and true_label_id).",
            oneOf: LabelFormat.self)
    var labelFormat: LabelFormat?

    @Option(help: "Parquet page compression. Default: snappy (as pyarrow, pandas, DuckDB and Spark write), or what a --spec manifest records; zstd is smaller on strings and ids and costs about twice the CPU time.", oneOf: ParquetCodec.self)
    var compression: ParquetCodec?

    @Option(help: "Threads generating rows (default: all cores but one, which writing and hashing use). The output does not depend on it.",
            range: .within(1...MemoryOptions.maximumThreads))
    var threads: Int?

    @Flag(inversion: .prefixedNo,
          help: "With --format csv, jsonl or parquet: write --out as a dataset directory (data.<format>, manifest.json, croissant.json and a README.md card that Hugging Face datasets.load_dataset reads) instead of one file (default: one file, or what a --spec manifest records).")
    var directory: Bool?

    @Option(parsing: .unconditional, help: "Write only part k of n of the rows, e.g. 2/8: exactly the rows a single run writes there (integers, 1 ≤ k ≤ n; a part may be empty when n > rows). Over a spec's own shard (a shard's manifest records it).")
    var shard: String?

    @OptionGroup var overwrite: OverwriteOption

    @OptionGroup var memory: MemoryOptions
    @OptionGroup var progressOption: ProgressOption

    /// What the run writes: each flag given, else what a `--spec` manifest
    /// records of the run that wrote it (``RecordedOutput``), so that the
    /// manifest writes its dataset again byte for byte, else the defaults
    /// (npy; class names; zstd; one file). A recorded setting the format
    /// cannot take is left out (a Parquet manifest's compression with
    /// `--format csv`), and so is the directory form where standard output
    /// or the parts of a sharded Parquet dataset replace it.
    ///
    /// The `--out` name of a one-file table (``TableFileName``) comes
    /// before the manifest: without `--format`, `t.csv`, `t.tsv.gz` or
    /// `t.parquet` is the format; `.tsv` writes tabs, `.gz`/`.zst` gzip or
    /// zstd. A name that says nothing (`again`, `-`, none) keeps what the
    /// manifest records; a name that contradicts `--format` is refused
    /// (``validate()``).
    struct OutputSettings {
        var format: OutputFormat
        var labelFormat: LabelFormat?
        var compression: ParquetCodec?
        var directory: Bool
        var tabSeparated = false
        var textCompression: StreamCompression? = nil
    }

    func outputSettings() -> OutputSettings {
        let recorded = recordedOutput()
        // --directory's --out is a directory: its name says nothing of a file.
        let named = directory == true ? nil : out.map(TableFileName.init)
        let format = self.format ?? named?.format ?? recorded?.format ?? .npy
        let table = format != .npy
        let recordedDirectory = table && out != "-" && !(format == .parquet && shard != nil) && named?.format == nil && recorded?.tableDirectory == true
        let fromRecord = (named?.isSilent ?? true) && recorded?.format == format
        let text = format == .csv || format == .jsonl
        return OutputSettings(format: format,
                              labelFormat: labelFormat ?? (table ? recorded?.labelFormat : nil),
                              compression: compression ?? (format == .parquet ? recorded?.compression : nil),
                              directory: directory ?? recordedDirectory,
                              tabSeparated: format == .csv && (fromRecord ? recorded?.tabSeparated == true : named?.tabSeparated == true),
                              textCompression: text ? (fromRecord ? recorded?.textCompression : named?.compression) : nil)
    }

    /// Refuses a one-file table's `--out` name that promises other bytes
    /// than `--format` writes: another format's extension (`--format
    /// parquet --out t.csv`), or a compression suffix on Parquet, whose
    /// readers do not open a compressed file (its pages are compressed).
    func checkOutName(format: OutputFormat) throws {
        guard let out, out != "-" else { return }
        let named = TableFileName(out)
        if format == .npy {
            // The npy form is a directory: a table's name would hold arrays that no table reader opens.
            guard directory != true, let nameFormat = named.format else { return }
            let stem = String(StreamCompression.strippingSuffix(out).dropLast(named.formatSuffix.count))
            throw ValidationError("--out \(out.escapingControlCharacters): expected a directory name for --format npy (a directory of .npy arrays), "
                + "found \(named.formatSuffix) (\(named.tabSeparated ? "tab-separated csv" : nameFormat.rawValue)): name it \(stem.escapingControlCharacters), or give --format \(nameFormat.rawValue)")
        }
        let found: String
        if let nameFormat = named.format, nameFormat != format {
            found = "\(named.formatSuffix) (\(named.tabSeparated ? "tab-separated csv" : nameFormat.rawValue)): name it \(renamed(out, named, format)), or give --format \(nameFormat.rawValue)"
        } else if format == .parquet, named.compression != nil {
            found = "\(TableFileName.compressionSuffix(of: out)) (a \(named.compression!.rawValue) stream, which Parquet readers do not open): name it \(renamed(out, named, format)) (--compression compresses its pages)"
        } else {
            return
        }
        throw ValidationError("--out \(out.escapingControlCharacters): expected a .\(format.rawValue) name for --format \(format.rawValue), found \(found)")
    }

    /// `out` with the suffix `format` writes (keeping a text table's compression suffix).
    private func renamed(_ out: String, _ named: TableFileName, _ format: OutputFormat) -> String {
        let stem = String(StreamCompression.strippingSuffix(out).dropLast(named.formatSuffix.count))
        return (stem + TableFileName.suffix(format: format, tabSeparated: false, compression: format == .parquet ? nil : named.compression)).escapingControlCharacters
    }

    /// The output settings the `--spec` file records when it is a
    /// manifest; nil for any other spec, one that cannot be read (the run
    /// then says why) or standard input (read once, by the run).
    func recordedOutput() -> RecordedOutput? {
        guard let path = source.spec, path != "-", case .object(let o)? = try? SpecLoader.load(path: path), o["format_version"] != nil
        else { return nil }
        return RecordedOutput(manifest: o)
    }

    func validate() throws {
        if let shard { _ = try ArgumentError.naming("--shard") { try Shard(parsing: shard) } }
        let settings = outputSettings()
        let (format, labelFormat, compression, directory) = (settings.format, settings.labelFormat, settings.compression, settings.directory)
        if out == "-" && format == .npy {
            throw ValidationError("--out -: expected --format csv, jsonl or parquet (one table) for standard output, found npy (a directory)")
        }
        if labelFormat != nil && format == .npy {
            throw ValidationError("--label-format goes with --format csv, jsonl or parquet (the directory form stores class ids and names them in manifest.json)")
        }
        if directory && format == .npy {
            throw ValidationError("--directory goes with --format csv, jsonl or parquet (the npy form is a directory already)")
        }
        if directory && out == "-" {
            throw ValidationError("--directory: expected an --out path for the directory, found - (standard output takes one table, without --directory)")
        }
        if directory && format == .parquet && shard != nil {
            throw ValidationError("--directory: a sharded Parquet dataset is already a directory of parts (--shard k/n writes part-0000k-of-0000n.parquet into --out)")
        }
        if compression != nil && format != .parquet {
            throw ValidationError("--compression goes with --format parquet")
        }
        if manifest != nil && out != "-" {
            throw ValidationError("--manifest goes with --out - (a table written to a file gets <out>.manifest.json beside it)")
        }
        if !directory && !(format == .parquet && shard != nil) { try checkOutName(format: format) }
    }

    /// The shard the spec file names (`--spec` of a shard's manifest, or
    /// a spec with `shard`, after `--set`), read ahead so that its Parquet
    /// part is placed where `--shard` places it; nil when it names none or
    /// cannot be read (the run then says why) or is standard input.
    func specShard() -> Shard? {
        guard let path = source.spec, path != "-", var spec = try? SpecLoader.load(path: path) else { return nil }
        if case .object(let o) = spec, o["format_version"] != nil, let inner = o["spec"] { spec = DatasetPlan.regenerating(manifest: o, spec: inner) }
        for o in source.overrides {
            guard let s = try? applyOverride(o, to: spec) else { return nil }
            spec = s
        }
        guard case .object(let o) = spec, case .string(let text)? = o["shard"] else { return nil }
        return try? Shard(parsing: text)
    }

    func run() throws {
        let settings = outputSettings()
        let format = settings.format
        let tableDirectory = settings.directory  // (`directory` below is the parts' path)
        // `--out fresh/` is the directory fresh (see OutputTarget.validatedPath).
        let chosen = out ?? (source.preset.map { "synthctl-\($0)" } ?? (source.model != nil ? "synthctl-model" : "synthctl-default"))
            + (format == .npy || tableDirectory ? "" : TableFileName.suffix(format: format, tabSeparated: settings.tabSeparated, compression: settings.textCompression))
        let shardFlag = try shard.map { text in try ArgumentError.naming("--shard") { try Shard(parsing: text) } }
        let outPath: String
        if format == .parquet, chosen != "-", let part = shardFlag ?? (tableDirectory ? nil : specShard()) {
            // The parts of one dataset share its directory (a spec's own shard, a shard's manifest, too).
            let directory = try OutputTarget.validatedPath(chosen, option: "--out", as: .datasetDirectory)
            try DatasetWriter.makePartDirectory(directory)
            outPath = DatasetWriter.partPath(in: directory, shard: part)
        } else {
            outPath = try OutputTarget.validatedPath(chosen, option: "--out", as: format == .npy || tableDirectory ? .datasetDirectory : .file)
        }
        let table = format != .npy && outPath != "-" && !tableDirectory
        let files = try RunFiles(
            inputs: [("--spec", source.spec), ("--model", source.model)],
            outputs: [("--out", outPath, format == .npy || tableDirectory ? .datasetDirectory : .file),
                      ("--out", table ? DatasetWriter.manifestPath(forTable: outPath) : nil, .file),
                      ("--manifest", manifest, .file)],
            force: overwrite.force)
        var spec: JSONValue
        var sourceName: String
        if let path = source.spec {
            spec = try SpecLoader.load(path: path)
            try ModelFileHint.checkSpec(spec, path: path)
            sourceName = path
            if case .object(let o) = spec, let version = o["format_version"], let inner = o["spec"] {
                spec = DatasetPlan.regenerating(manifest: o, spec: inner)  // a manifest.json: regenerate from its spec
                if version != .int(DatasetWriter.formatVersion) {
                    // Still useful (same distribution, same ground truth), but
                    // not the original's bytes; say so rather than let a
                    // checksum comparison fail later without a reason.
                    StandardStreams.writeError("synthctl: warning: \(path.escapingControlCharacters) was written with dataset format \(version.shortDescription); this synthctl writes format \(DatasetWriter.formatVersion): the rows will differ from the original's\n")
                }
            }
            // A model the spec names (a manifest's copy) sits beside the spec.
            spec = FittedModelFile.resolvingModelFile(in: spec, relativeTo: path)
        } else if let path = source.model {
            let model = try ModelFileHint.generatorSpec(loading: path, manifestHint: "regenerate the dataset with --spec \(path)",
                                                        specHint: "generate it with --spec \(path)")
            // The model's own fit size by default; --rows to change it. The
            // file's counts are summed without overflow (the plan bounds rows).
            let fitted = try FittedModelFile.fittedRows(model)
            spec = .object(["rows": .int(max(fitted, 1)), "generator": .object(model)])
            sourceName = path
        } else {
            let preset = try ArgumentError.naming("--preset") { try Presets.named(source.preset ?? "default") }
            spec = preset.spec
            sourceName = "preset \(preset.name)"
        }
        for o in source.overrides { spec = try ArgumentError.naming("--set") { try applyOverride(o, to: spec) } }
        var notes = [String]()
        let explicit = Set(source.overrides.compactMap { $0.split(separator: "=").first?.split(separator: ".").first.map(String.init) })
        spec = try flags.apply(to: spec, explicit: explicit, notes: &notes)
        for note in notes { StandardStreams.writeError("synthctl: note: \(note)\n") }
        // A model file has no rows: --rows sizes the sample, it overrides nothing.
        if !source.overrides.isEmpty || (flags.rows != nil && source.model == nil) || flags.generator != nil { sourceName += " (with overrides)" }
        let plan = try DatasetPlan(spec: spec, source: sourceName)
        var labelFormat = settings.labelFormat
        if labelFormat == .id, plan.generator.classCount == 0 {
            // Regression and multilabel tables have no class labels to write as ids.
            if self.labelFormat == .id {
                var type = "classless"
                if case .object(let o) = plan.resolvedSpec, case .object(let g)? = o["generator"], case .string(let t)? = g["type"] { type = t }
                throw ArgumentError(argument: "--label-format", value: "id", expected: "a generator with class labels",
                                    found: "the \(type) generator (a \(type) dataset has no class labels to write as ids; leave out --label-format)")
            }
            labelFormat = nil  // a manifest's, passed over: not recorded again
        }

        var writer = DatasetWriter(plan: plan)
        writer.format = format
        writer.tableDirectory = tableDirectory
        writer.tabSeparated = settings.tabSeparated
        writer.textCompression = settings.textCompression
        if let labelFormat { writer.labelFormat = labelFormat }
        if let compression = settings.compression { writer.compression = compression }
        writer.force = overwrite.force
        if let threads { writer.threads = threads }
        if let shardFlag { writer.shard = shardFlag }  // over the spec's own
        let bar = ProgressBar(label: "gen", quiet: progressOption.quiet)
        writer.progress = { done, total in bar.update(done: done, total: total) }
        let start = Date()
        let summary = try files.standardOutput.map { try writer.writeTable(to: $0, manifest: manifest) } ?? writer.write(to: outPath)
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        let rate = Double(summary.rows) / max(seconds, 1e-9)
        print("wrote \(summary.path.escapingControlCharacters): \(summary.rows) rows, \(formatBytes(summary.bytes)) in \(String(format: "%.2f", seconds)) s (\(formatCount(rate)) rows/s)")
    }
}

func formatBytes(_ b: Int) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var v = Double(b), i = 0
    while v >= 1000 && i < units.count - 1 { v /= 1000; i += 1 }
    return i == 0 ? "\(b) B" : String(format: "%.1f %@", v, units[i])
}

func formatCount(_ x: Double) -> String {
    if x >= 1e6 { return String(format: "%.2fM", x / 1e6) }
    if x >= 1e3 { return String(format: "%.1fk", x / 1e3) }
    return String(format: "%.0f", x)
}
