import Foundation
import Synth
import SynthctlCore

/// What a synthctl dataset's `manifest.json` says about its files that
/// reading them needs: the names of the classes (`class_names`, which
/// `labels.npy`, `true_labels.npy` and `annotations.npy` give as ids) and
/// of the feature columns (`feature_names`, the columns of `features.npy`;
/// a `gen --model` dataset carries its model's names), the realized noise
/// matrix, each annotator's confusion matrix, and each file's SHA-256.
///
/// Why: the same labels must be the same classes however they are given.
/// Through the directory, `labels.npy` holds class ids that the manifest
/// names (`class_0`, `upper_moon`); given alone (`--labels d/labels.npy`)
/// the same file must get the same names, or one report would call the
/// classes `class_0…` in one place and `0…` in another, and `compare`
/// would find no class in common. Feature names let a table's columns be
/// matched to the directory's by name rather than by position.
///
/// A field that is absent or not of the expected shape reads as nil: a
/// manifest of an older version names nothing. A manifest that is there but
/// not synthctl's is refused (``init(directory:)``).
struct DatasetManifest {
    let classNames: [String]?
    let featureNames: [String]?
    /// `noise.realized_transition_matrix`: P(observed j | true i), [i][j].
    let noiseMatrix: [[Double]]?
    /// Each annotator's confusion matrix (`annotators[a].confusion_matrix`).
    let annotatorConfusions: [[[Double]]]?
    /// SHA-256 (hex) of each file, by file name (`files.<name>.sha256`).
    let fileDigests: [String: String]
    /// The shape of each array, by file name (`files.<name>.shape`:
    /// `[N, L]` for a multilabel dataset's `labels.npy`).
    let fileShapes: [String: [Int]]
    /// The tables the manifest lists (`files.<name>` entries with
    /// `columns`: `data.parquet` of a table directory, a shard's
    /// `part-0000k-of-0000n.parquet`), by file name.
    let tables: [String: TableEntry]
    /// `shard` (index k of count n, 1-based), or nil for a whole dataset.
    let shard: (index: Int, count: Int)?
    /// `rows` and `row_offset`: the rows of this part and where they start
    /// in the whole dataset; `total_rows` its rows.
    let rows: Int?, rowOffset: Int?, totalRows: Int?
    /// `noise.realized_counts`: rows per (true i, observed j), [i][j]; the
    /// parts of a sharded dataset sum to the whole's.
    let realizedCounts: [[Int]]?
    /// What makes two parts one dataset: the format version, the seed and
    /// the spec without its `shard` (serialized, for comparison).
    let datasetIdentity: String

    /// A table's entry in `files`: its columns and how its class cells are
    /// spelled (`label_format`: `name`, the default, or `id`).
    struct TableEntry {
        let columns: [String]
        let labelFormat: String
    }
    /// The manifest's own path, as read (for messages).
    let path: String
    /// `schema`, as written (read by ``schema()`` where it is used).
    private let schemaField: JSONValue?

    /// The column types the manifest states (`schema`: gen records every
    /// column of the table it writes, a fitted model's typed columns
    /// included), or nil for a manifest written before it had one.
    ///
    /// - Throws: ``InputError`` naming the field of `schema` that is not a
    ///   schema (``TableSchema/init(json:source:)``).
    func schema() throws -> TableSchema? {
        guard let schemaField else { return nil }
        do { return try TableSchema(json: schemaField, source: path) } catch var e as InputError {
            e.field = "schema." + (e.field ?? "")
            throw e
        }
    }

    /// The manifest of dataset directory `dir`, or nil when it has none.
    ///
    /// A `manifest.json` that is there is read as a spec or model file is
    /// (the manifest of a `gen --model` dataset embeds its model: 88 MB for
    /// 384 features × 50 classes): through ``InputFile/readText(_:)`` and
    /// within `--max-memory` by ``SpecMemory``'s estimate, before anything
    /// is decoded. One that cannot be read, is not text (gzip, zip, UTF-16:
    /// ``InputFile/notUTF8Text(_:path:)``), is not JSON, or is not a
    /// synthctl manifest (a JSON object with an integer `format_version`)
    /// is bad input, one line naming it: ignored, it would silently turn the
    /// dataset's class names into ids and its feature names into positions.
    ///
    /// - Throws: ``InputError`` (or ``FileAccessError``) naming `dir/manifest.json`, or
    ///   ``MemoryLimitExceeded``.
    init?(directory dir: String) throws {
        try self.init(path: dir.hasSuffix("/") ? dir + "manifest.json" : dir + "/manifest.json")  // as the user named the directory
    }

    /// The manifest at `path` (a table's `<t>.manifest.json` beside it, a
    /// shard's `_part-….parquet.manifest.json`), or nil when there is none; read
    /// and refused as ``init(directory:)`` says.
    init?(path: String) throws {
        self.path = path
        let bytes: [UInt8]
        do {
            bytes = try InputFile.readText(path)
        } catch let failure as InputFile.Failure {
            if failure == .missing { return nil }
            // A directory or an unreadable file is named as the manifest it should be.
            guard var error = InputFile.error(path, failure) as? InputError, error.expected == "a readable file" else {
                throw InputFile.error(path, failure)
            }
            error.expected = "a readable synthctl manifest"
            throw error
        }
        try MemoryBudget.current.check(SpecMemory.estimate(for: bytes, json: true), subject: path)
        func notOurs(_ found: String) -> InputError {
            InputError(file: path, expected: "a synthctl dataset manifest (a JSON object with a format_version)", found: found)
        }
        if let (line, column) = NestingLimit.firstTooDeep(json: bytes) {
            throw InputError(file: path, expected: "JSON nested at most \(NestingLimit.maximumDepth) levels deep",
                             found: "deeper nesting at line \(line), column \(column)")
        }
        if let problem = JSONSyntax.firstProblem(in: bytes) {
            throw notOurs(bytes.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) } ? "an empty file"
                          : "a JSON syntax error (line \(problem.line), column \(problem.column): \(problem.message))")
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else { throw notOurs("text that does not decode as JSON") }
        guard case .object(let m) = value else { throw notOurs("JSON that is not an object") }
        guard case .int? = m["format_version"] else {
            throw notOurs("a JSON object without one (another tool's manifest?)")
        }
        classNames = m["class_names"]?.strings
        if case .null? = m["schema"] { schemaField = nil } else { schemaField = m["schema"] }
        featureNames = m["feature_names"]?.strings
        if case .object(let n)? = m["noise"] { noiseMatrix = n["realized_transition_matrix"]?.numberMatrix } else { noiseMatrix = nil }
        if case .array(let pool)? = m["annotators"] {
            annotatorConfusions = pool.compactMap { entry -> [[Double]]? in
                guard case .object(let e) = entry, case .array(let rows)? = e["confusion_matrix"] else { return nil }
                return rows.compactMap { row -> [Double]? in
                    guard case .array(let xs) = row else { return nil }
                    return xs.compactMap { if case .double(let d) = $0 { return d }; if case .int(let i) = $0 { return Double(i) }; return nil }
                }
            }
        } else {
            annotatorConfusions = nil
        }
        var digests = [String: String](), shapes = [String: [Int]]()
        if case .object(let files)? = m["files"] {
            for (name, entry) in files {
                if case .object(let e) = entry, case .string(let sha)? = e["sha256"] { digests[name] = sha }
                if case .object(let e) = entry, case .array(let dims)? = e["shape"] {
                    let shape = dims.compactMap { d -> Int? in if case .int(let n) = d { return n } else { return nil } }
                    if shape.count == dims.count { shapes[name] = shape }
                }
            }
        }
        fileDigests = digests
        fileShapes = shapes
        var tables = [String: TableEntry]()
        if case .object(let files)? = m["files"] {
            for (name, entry) in files {
                guard case .object(let e) = entry, let columns = e["columns"]?.strings else { continue }
                var labelFormat = "name"
                if case .string(let f)? = e["label_format"] { labelFormat = f }
                tables[name] = TableEntry(columns: columns, labelFormat: labelFormat)
            }
        }
        self.tables = tables
        if case .object(let s)? = m["shard"], case .int(let k)? = s["index"], case .int(let n)? = s["count"] { shard = (k, n) } else { shard = nil }
        func int(_ key: String) -> Int? { if case .int(let v)? = m[key] { return v } else { return nil } }
        rows = int("rows")
        rowOffset = int("row_offset")
        totalRows = int("total_rows")
        if case .object(let n)? = m["noise"], case .array(let rows)? = n["realized_counts"] {
            let counts = rows.map { row -> [Int]? in
                guard case .array(let xs) = row else { return nil }
                let values = xs.compactMap { v -> Int? in if case .int(let i) = v { return i } else { return nil } }
                return values.count == xs.count ? values : nil
            }
            realizedCounts = counts.contains { $0 == nil } ? nil : counts.map { $0! }
        } else {
            realizedCounts = nil
        }
        var spec = m["spec"] ?? .null
        if case .object(var o) = spec { o["shard"] = nil; spec = .object(o) }
        datasetIdentity = JSONValue.object(["format_version": m["format_version"] ?? .null, "seed": m["seed"] ?? .null, "spec": spec]).serialized()
    }

    /// The manifest of the synthctl dataset directory that holds `file`,
    /// when the file is called one of `names` (the role the manifest's names
    /// describe: `features.npy` for feature names) and that manifest lists
    /// it with the SHA-256 it has now; nil otherwise (no manifest beside it,
    /// a file the manifest does not list, a file changed since it was
    /// written, a pipe or standard input). The file is hashed only when its
    /// manifest lists it.
    static func vouching(for file: String, named names: Set<String>) throws -> DatasetManifest? {
        guard file != InputFile.standardInput else { return nil }
        let url = URL(fileURLWithPath: file)
        guard names.contains(url.lastPathComponent) else { return nil }
        // A file given alone may sit beside another tool's manifest.json:
        // only a synthctl manifest names it, and only within the budget.
        let beside: DatasetManifest?
        do { beside = try DatasetManifest(directory: url.deletingLastPathComponent().path) } catch let e as MemoryLimitExceeded { throw e } catch { return nil }
        guard let manifest = beside, let digest = manifest.fileDigests[url.lastPathComponent],
              let found = FileDigest.sha256(ofFileAt: file) else { return nil }
        // Its names are the manifest's only while it is the file the manifest
        // lists: refused, as a table's are (``vouching(forTable:)``), not lost in silence.
        guard found == digest else {
            throw ListedFileDigests.mismatch(ListedFileDigests.File(path: file, sha256: digest, manifest: url.deletingLastPathComponent().appendingPathComponent("manifest.json").path, explanation:
                "the file changed after gen wrote it, so the manifest's names are not its own (remove its entry from manifest.json, or that manifest, to read it without them)"),
                found: found)
        }
        return manifest
    }
}

extension DatasetManifest {
    /// The synthctl manifest that vouches for table `file`: the
    /// `<file>.manifest.json` beside it (`gen --format csv|jsonl|parquet
    /// --out t.csv`), else the `manifest.json` of its directory (`gen
    /// --directory`), when it lists the file, with the SHA-256 the file has
    /// now, as holding class ids (`label_format` `"id"`, which `gen
    /// --label-format id` records: a table of names, whose names may be
    /// integers such as a fitted model's `1` and `2`, records none); nil otherwise, as
    /// ``vouching(for:named:)`` says (the file is hashed only when a
    /// manifest lists it).
    ///
    /// - Throws: ``InputError`` when a manifest lists the file as holding
    ///   ids with another SHA-256 (``ListedFileDigests/mismatch(_:found:)``):
    ///   ignored, the ids would lose their names in silence, and a run
    ///   would fail later finding no class in common, or score ids.
    static func vouching(forTable file: String) throws -> DatasetManifest? {
        guard file != InputFile.standardInput else { return nil }
        let url = URL(fileURLWithPath: file)
        let name = url.lastPathComponent
        for candidate in [file + ".manifest.json", url.deletingLastPathComponent().appendingPathComponent("manifest.json").path] {
            let beside: DatasetManifest?
            do { beside = try DatasetManifest(path: candidate) } catch let e as MemoryLimitExceeded { throw e } catch { continue }
            // The entry of this file, else the one table a manifest copied beside it under another name lists.
            guard let manifest = beside, let listed = manifest.tables[name] != nil ? name : manifest.tables.count == 1 ? manifest.tables.keys.first : nil,
                  manifest.tables[listed]?.labelFormat == "id",
                  let digest = manifest.fileDigests[listed], let found = FileDigest.sha256(ofFileAt: file) else { continue }
            // Its ids' names are the manifest's only while it is the file the manifest lists.
            guard found == digest else {
                guard listed == name else { continue }  // another file's manifest
                throw ListedFileDigests.mismatch(ListedFileDigests.File(path: file, sha256: digest, manifest: candidate, explanation:
                    "the file changed after gen wrote it, so its class ids have no names (remove its entry from \(URL(fileURLWithPath: candidate).lastPathComponent), or that manifest, to read the ids as the classes)"),
                    found: found)
            }
            return manifest
        }
        return nil
    }

    /// The note for table `file` whose ids have no names although a
    /// manifest sits beside it under its name (`<file>.manifest.json`, a
    /// copy renamed with the table, say) that lists neither it nor, as its
    /// one table, a file with its bytes (``vouching(forTable:)``): "the
    /// manifest beside it (x.csv.manifest.json) does not list this file (it
    /// lists data.csv), so its class ids have no names". Nil otherwise.
    static func unlistedNote(forTable file: String) -> String? {
        guard file != InputFile.standardInput else { return nil }
        let candidate = file + ".manifest.json", name = URL(fileURLWithPath: file).lastPathComponent
        guard FileManager.default.fileExists(atPath: candidate),
              let manifest = try? DatasetManifest(path: candidate), manifest.tables[name] == nil else { return nil }
        let listed = manifest.tables.keys.sorted()
        return "the manifest beside it (\(URL(fileURLWithPath: candidate).lastPathComponent)) does not list this file"
            + (listed.isEmpty ? "" : " (it lists \(NameList.describe(listed, noun: "files")))") + ", so its class ids have no names"
    }
}

extension JSONValue {
    /// An array of strings, or nil.
    var strings: [String]? {
        guard case .array(let list) = self else { return nil }
        let out = list.compactMap { v -> String? in if case .string(let s) = v { return s } else { return nil } }
        return out.count == list.count ? out : nil
    }
}
