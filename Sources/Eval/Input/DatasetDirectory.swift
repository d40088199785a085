import Foundation
import Synth
import SynthctlCore

/// A dataset directory in any of the forms `synthctl gen` writes, so that
/// every one of them reads back wherever a dataset directory is accepted:
///
/// - the `.npy` form (`features.npy`, `labels.npy`, `annotations.npy`, …);
/// - a table directory (`gen --format csv|jsonl|parquet --directory`):
///   `data.csv`, `data.jsonl` or `data.parquet`, which `manifest.json`
///   lists with its columns and `label_format`;
/// - a sharded Parquet dataset (`gen --format parquet --shard k/n`): parts
///   `part-0000k-of-0000n.parquet`, each beside its manifest
///   `_part-0000k-of-0000n.parquet.manifest.json`, read in part order as
///   one table.
///
/// The manifests say which files belong: every part 1…n must be there with
/// its manifest, no other part or part manifest may be, and the manifests
/// must describe one dataset (format version, seed and spec; the parts'
/// rows in order). Anything else is refused in one line naming the file
/// (``InputError``): reading some parts, or parts of two runs, would
/// silently score another dataset. A file a manifest lists that a run
/// would read must be there (``IncompleteDatasetError``), and each file
/// read is hashed once per run, however many readers are given the same
/// value (``VerifiedFiles``).
public struct DatasetDirectory {
    public let path: String
    /// The tables in row order with their manifests: one for a table
    /// directory, the parts for a sharded one; empty for the `.npy` form.
    let tables: [Table]
    /// The directory's `manifest.json`: the `.npy` form's (nil when it has
    /// none) or a table directory's; nil for a sharded one.
    let manifest: DatasetManifest?
    /// The files whose SHA-256 this run has checked: shared by every
    /// reader given this value, so that each file is hashed once.
    let verified = VerifiedFiles()

    struct Table {
        let path: String
        let manifest: DatasetManifest
        let entry: DatasetManifest.TableEntry
    }

    /// Whether the directory is a table or sharded one (else the `.npy` form).
    public var isTable: Bool { !tables.isEmpty }

    /// Whether labels can be read: `labels.npy`, or a table with a `label`
    /// column and class names.
    public var hasLabels: Bool {
        guard let first = tables.first else { return holds("labels.npy") }
        return first.manifest.classNames != nil && first.entry.columns.contains("label")
    }

    /// Whether annotations can be read: `annotations.npy`, or a table with
    /// `annotator_…` columns.
    public var hasAnnotations: Bool {
        guard let first = tables.first else { return holds("annotations.npy") }
        return first.entry.columns.contains { AnnotatorColumns.index(of: $0) != nil }
    }

    /// Why an `.npy` directory has no class labels, said as for a table
    /// directory (``noClassLabels``) rather than as a missing file or an
    /// array's shape: a regression dataset (`targets.npy` and no
    /// `labels.npy`), or a multilabel one (its manifest lists `labels.npy`
    /// as N × L indicators and names no classes); nil otherwise.
    public var npyWithoutClassLabels: InputError? {
        guard tables.isEmpty else { return nil }
        let expected = "a dataset with class labels (labels.npy and class_names in its manifest)"
        if !holds("labels.npy"), holds("targets.npy") {
            return InputError(file: path, expected: expected, found: "a regression dataset (its targets.npy holds numbers, not classes)")
        }
        if let manifest, manifest.classNames == nil, let shape = manifest.fileShapes["labels.npy"], shape.count == 2 {
            return InputError(file: path, expected: expected,
                              found: "a multilabel dataset (its labels.npy holds one 0/1 indicator column per label: \(shape[0]) × \(shape[1]))")
        }
        return nil
    }

    /// Whether the `.npy` directory has file `name`, or its manifest lists
    /// it (a listed file that is gone is then refused by the reader as
    /// missing, ``IncompleteDatasetError``, rather than read around).
    private func holds(_ name: String) -> Bool {
        manifest?.fileDigests[name] != nil
            || FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent(name).path)
    }

    /// The dataset directory at `path` (which must be a directory). The
    /// `.npy` form is recognized by its arrays without reading anything
    /// else; otherwise `manifest.json` naming a `data.<format>` table makes
    /// a table directory, and part files or part manifests a sharded one.
    ///
    /// - Throws: ``InputError`` naming the manifest or part that is
    ///   missing, extra or disagrees.
    public init(_ path: String) throws {
        self.path = path
        let fm = FileManager.default
        let base = URL(fileURLWithPath: path)
        func inside(_ name: String) -> String { path.hasSuffix("/") ? path + name : path + "/" + name }  // as the user named it
        let manifest = try DatasetManifest(directory: path)
        self.manifest = manifest
        if ["labels.npy", "annotations.npy", "features.npy"].contains(where: { fm.fileExists(atPath: base.appendingPathComponent($0).path) }) {
            tables = []
            try Self.checkUnreadFiles(of: [manifest].compactMap { $0 }, in: path, verified: verified)
            return
        }
        if let manifest, let name = ["data.parquet", "data.csv", "data.jsonl"].first(where: { manifest.tables[$0] != nil }) {
            tables = [Table(path: inside(name), manifest: manifest, entry: manifest.tables[name]!)]
            try Self.checkUnreadFiles(of: [manifest], in: path, verified: verified)
            return
        }
        let names = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        let parts = names.compactMap { name in Self.partNumbers(name).map { (name: name, index: $0.index, count: $0.count) } }
        let partManifests = names.filter { $0.hasPrefix("_part-") && $0.hasSuffix(".parquet.manifest.json") }
        guard !parts.isEmpty || !partManifests.isEmpty else {
            tables = []
            return
        }
        // The part count: the lowest-named part's (or its manifest's) n; every other must agree.
        let sorted = parts.sorted { ($0.count, $0.index) < ($1.count, $1.index) }
        guard let count = sorted.first?.count ?? partManifests.sorted().compactMap({ Self.partNumbers(String($0.dropFirst().dropLast(14)))?.count }).first else {
            throw InputError(file: inside(partManifests.sorted()[0]), expected: "the manifest of a part-0000k-of-0000n.parquet", found: "no such part")
        }
        let expectedName = { (k: Int) in "part-\(String(format: "%05d", k))-of-\(String(format: "%05d", count)).parquet" }
        for part in sorted where part.count != count || part.index < 1 || part.index > count {
            throw InputError(file: inside(part.name), expected: "parts 1 to \(count) of \(count) (\(expectedName(1)) …)",
                             found: "part \(part.index) of \(part.count)")
        }
        var tables = [Table]()
        var nextRow = 0
        for k in 1...count {
            let name = expectedName(k)
            let manifestPath = inside("_\(name).manifest.json")
            guard parts.contains(where: { $0.name == name }) else {
                // Listed by its own manifest, or counted by another part's.
                if partManifests.contains("_\(name).manifest.json") { throw IncompleteDatasetError(file: inside(name), manifest: manifestPath, part: (k, count)) }
                if let other = partManifests.sorted().first {
                    throw IncompleteDatasetError(file: inside(name), manifest: inside(other), part: (k, count), listed: false)
                }
                throw InputError(file: inside(name), expected: "part \(k) of \(count) of the sharded dataset", found: "no such file")
            }
            guard let manifest = try DatasetManifest(path: manifestPath) else {
                throw InputError(file: manifestPath, expected: "the manifest of \(name)", found: "no such file")
            }
            guard let entry = manifest.tables[name] else {
                throw InputError(file: manifestPath, expected: "an entry for \(name) in its files", found: "none")
            }
            if manifest.shard?.index != k || manifest.shard?.count != count {
                throw InputError(file: manifestPath, expected: "shard \(k) of \(count) (its part's name)",
                                 found: manifest.shard.map { "shard \($0.index) of \($0.count)" } ?? "a whole dataset's manifest")
            }
            if let first = tables.first {
                let firstName = URL(fileURLWithPath: first.path).lastPathComponent
                if manifest.datasetIdentity != first.manifest.datasetIdentity || manifest.totalRows != first.manifest.totalRows {
                    throw InputError(file: manifestPath, expected: "the dataset of \(firstName) (the same format version, seed, spec and total rows)",
                                     found: "another one")
                }
                if entry.columns != first.entry.columns || entry.labelFormat != first.entry.labelFormat {
                    throw InputError(file: manifestPath, expected: "the columns and label format of \(firstName)", found: "others")
                }
            }
            if let offset = manifest.rowOffset, offset != nextRow {
                throw InputError(file: manifestPath, expected: "rows from \(nextRow) (after the parts before it)", found: "rows from \(offset)")
            }
            nextRow += manifest.rows ?? 0
            tables.append(Table(path: inside(name), manifest: manifest, entry: entry))
        }
        // A part's manifest left behind by another split (its part gone).
        for name in partManifests.sorted() where !parts.contains(where: { "_\($0.name).manifest.json" == name }) {
            throw InputError(file: inside(name), expected: "a part beside it (\(name.dropFirst().dropLast(14)))", found: "none")
        }
        if let total = tables.first?.manifest.totalRows, total != nextRow {
            throw InputError(file: inside("_\(expectedName(count)).manifest.json"), expected: "parts that hold \(total) rows (the dataset's total_rows)",
                             found: "\(nextRow)")
        }
        self.tables = tables
        try Self.checkUnreadFiles(of: tables.map(\.manifest), in: path, verified: verified)
    }

    /// The arrays of the `.npy` form that readers hash while they read them
    /// (``ListedFileDigests/reading(_:)``): not hashed up front as well.
    static let arraysHashedWhileRead: Set<String> = ["features.npy", "labels.npy", "true_labels.npy", "annotations.npy"]

    /// Checks, before anything is read, every file `manifests` list that no
    /// reader hashes while reading: the card (`README.md`), `croissant.json`,
    /// the copies of a fitted model, `noise_mask.npy`, … (all but the
    /// tables and ``arraysHashedWhileRead``), hashed in parallel; the ones
    /// that match join `verified`.
    ///
    /// Why: the manifest vouches for every file it lists, and a card or a
    /// Croissant description edited after `gen` describes another dataset
    /// than the one scored; a changed table was refused while these passed
    /// in silence. Cost: these files are small beside the data (the card
    /// and description are kilobytes; a model's copies hold its
    /// parameters, not its rows), and each is hashed once per
    /// ``DatasetDirectory`` value; the tables and arrays are hashed once,
    /// by the reader that streams them.
    ///
    /// - Throws: ``IncompleteDatasetError`` for a listed file that is not
    ///   there, ``InputError`` (``ListedFileDigests/mismatch(_:found:)``)
    ///   naming the first file (in name order) whose SHA-256 differs.
    private static func checkUnreadFiles(of manifests: [DatasetManifest], in directory: String, verified: VerifiedFiles) throws {
        var seen = Set<String>()
        for manifest in manifests {
            let names = manifest.fileDigests.keys.sorted().filter { name in
                manifest.tables[name] == nil && !arraysHashedWhileRead.contains(name) && seen.insert(name).inserted
            }
            try ListedFileDigests(names, in: directory, manifest: manifest, verified: verified).check()
        }
    }

    /// (k, n) of `part-<k>-of-<n>.parquet`, or nil for any other name.
    static func partNumbers(_ name: String) -> (index: Int, count: Int)? {
        guard name.hasPrefix("part-"), name.hasSuffix(".parquet") else { return nil }
        let numbers = name.dropFirst(5).dropLast(8).split(separator: "-of-", omittingEmptySubsequences: false)
        guard numbers.count == 2, numbers.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 &- 48 < 10 } }),
              let k = Int(numbers[0]), let n = Int(numbers[1]) else { return nil }
        return (k, n)
    }

    /// The class names (every table's manifest gives the same), and the
    /// cells that spell each class in the tables: the names, or the ids
    /// `0`…`K−1` for `label_format` `id`.
    ///
    /// - Throws: ``noClassLabels`` when the tables have none.
    func classes() throws -> (names: [String], spellings: [String]) {
        let first = tables[0]
        guard let names = first.manifest.classNames else { throw noClassLabels }
        return (names, first.entry.labelFormat == "id" ? names.indices.map(String.init) : names)
    }

    /// Why a table directory has nothing `score` or `fit` reads: no `label`
    /// column with class names, and (for `score`) no annotator columns. A
    /// regression dataset's `target` columns and a multilabel dataset's
    /// indicator columns are named as such, so the line says what the
    /// directory is rather than which `.npy` files it lacks.
    public var noClassLabels: InputError {
        let columns = tables.first?.entry.columns ?? []
        let found: String
        if let target = columns.first(where: { $0 == "target" || $0.hasPrefix("target_") }) {
            found = "a regression dataset (its \(target) column holds numbers, not classes)"
        } else if !columns.contains("label"), case let indicators = columns.filter({ $0.hasPrefix("label_") }), !indicators.isEmpty {
            found = "a multilabel dataset (one indicator column per label: \(NameList.describe(indicators)))"
        } else {
            found = "none"
        }
        return InputError(file: path, expected: "a dataset with class labels (a label column and class_names in its manifest)", found: found)
    }

    /// Runs `read` over the tables with both checks that tie them to their
    /// manifests: each Parquet footer's `synthctl.row_offset` and
    /// `synthctl.total_rows` first (the footer alone; a part copied over
    /// another says so), then each table's SHA-256 against its manifest's,
    /// hashed while `read` reads (``ListedFileDigests``; a table this
    /// value has checked already is not hashed again).
    ///
    /// - Throws: ``IncompleteDatasetError`` for a table that is not there,
    ///   ``InputError`` naming the table whose footer or SHA-256
    ///   differs from its manifest, else what `read` throws.
    func checkedReading<T>(_ read: () throws -> T) throws -> T {
        for table in tables where !FileManager.default.fileExists(atPath: table.path) {
            throw IncompleteDatasetError(file: table.path, manifest: table.manifest.path)
        }
        for table in tables where table.path.hasSuffix(".parquet") {
            try checkFooter(table)
        }
        let sharded = tables.count > 1
        let files = tables.compactMap { table -> ListedFileDigests.File? in
            guard let sha = table.manifest.fileDigests[URL(fileURLWithPath: table.path).lastPathComponent] else { return nil }
            return ListedFileDigests.File(
                path: table.path, sha256: sha, manifest: table.manifest.path,
                explanation: sharded ? "the part is not the one gen wrote beside \(URL(fileURLWithPath: table.manifest.path).lastPathComponent) (changed since, or another run's)"
                                     : ListedFileDigests.changed(table.manifest.path))
        }
        return try ListedFileDigests(files: files, verified: verified).reading(read)
    }

    /// The footer's `synthctl.row_offset` and `synthctl.total_rows` (which
    /// `gen` writes into every Parquet table) against the manifest's
    /// `row_offset` (0 for a whole dataset) and `total_rows` (its `rows`
    /// for a whole dataset); a key either side lacks is not compared.
    private func checkFooter(_ table: Table) throws {
        let keys = try ParquetMetadata(footerOfFileAt: table.path).keyValues
        let whole = table.manifest.shard == nil
        if let footer = keys["synthctl.row_offset"].flatMap({ Int($0) }), let offset = table.manifest.rowOffset ?? (whole ? 0 : nil), footer != offset {
            throw InputError(file: table.path, expected: "rows from \(offset) (its manifest's row_offset)",
                             found: "rows from \(footer) (its footer's synthctl.row_offset)")
        }
        if let footer = keys["synthctl.total_rows"].flatMap({ Int($0) }), let total = table.manifest.totalRows ?? (whole ? table.manifest.rows : nil), footer != total {
            throw InputError(file: table.path, expected: "a dataset of \(total) rows in all (its manifest's)",
                             found: "\(footer) (its footer's synthctl.total_rows)")
        }
    }

    /// The realized noise matrix P(observed j | true i): the manifest's for
    /// one table; for parts, their realized counts summed and normalized by
    /// rows, as `gen` computes the whole dataset's (``RealizedStatistics``).
    func noiseMatrix(classes k: Int) -> [[Double]]? {
        if tables.count == 1 { return tables[0].manifest.noiseMatrix.flatMap { $0.count == k ? $0 : nil } }
        var sum = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for table in tables {
            guard let counts = table.manifest.realizedCounts, counts.count == k, counts.allSatisfy({ $0.count == k }) else { return nil }
            for i in 0..<k { for j in 0..<k { sum[i][j] += counts[i][j] } }
        }
        return sum.map { row in
            let n = row.reduce(0, +)
            return row.map { n > 0 ? Double($0) / Double(n) : 0 }
        }
    }
}

/// The wide answer columns of a synthctl table, `annotator_0` …
/// `annotator_{A−1}`: one answer per annotator per row, as `gen` writes
/// them (empty, `null` or a Parquet null where the annotator gave none).
enum AnnotatorColumns {
    /// The annotator number of a column `annotator_<a>`, or nil.
    static func index(of name: String) -> Int? {
        guard name.hasPrefix("annotator_") else { return nil }
        let digits = name.dropFirst(10)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 &- 48 < 10 }), digits == "0" || !digits.hasPrefix("0") else { return nil }
        return Int(digits)
    }
}
