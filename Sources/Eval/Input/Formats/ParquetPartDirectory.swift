import Foundation
import Synth
import SynthctlCore

/// A directory of Parquet part files read as one table, as pandas, Polars,
/// DuckDB and `pyarrow.dataset` read it: what Spark's `df.write.parquet("out")`
/// (`part-00000-<uuid>-c000.snappy.parquet` …, `_SUCCESS`, `.crc` files),
/// pyarrow's `write_to_dataset`/`pq.write_dataset`, Polars'
/// `write_parquet(…, partition_by=)` and DuckDB's `COPY … TO 'dir' (FORMAT
/// parquet, PER_THREAD_OUTPUT)` write.
///
/// - Parts are the `*.parquet` files, in byte-wise order of their paths
///   below the directory (`pyarrow.dataset`'s order); names starting with
///   `_` or `.` are skipped, as Spark and pyarrow skip them.
/// - Hive partition folders (`year=2024/city=Paris/part….parquet`, values
///   percent-decoded, `__HIVE_DEFAULT_PARTITION__` a null) add one
///   categorical column per key after the file's columns, as pandas reads
///   them. A key that is also a column of the parts (Polars'
///   `write_parquet(…, partition_by=)` keeps it in the files) is read from
///   the parts, as Polars reads it back. Any other layout (a folder not `key=value`, parts at several
///   depths or under other keys) is refused in one line.
/// - Every part must have the first part's columns with the same types;
///   the first that differs is refused naming it, the column, expected and found.
///
/// A directory that holds a synthctl manifest (`manifest.json`, a sharded
/// set's `_part-….manifest.json`) is a dataset directory
/// (``DatasetDirectory``), not this. Only footers are read up front; the
/// columns a run asks for are decoded part after part, so the bytes held
/// at once are one part's.
struct ParquetPartDirectory {
    let path: String
    /// The parts in reading order: each file's path and its partition values (one per key, nil for null).
    let parts: [(path: String, values: [String?])]
    /// The Hive partition keys, outermost first (empty without partition folders).
    let keys: [String]

    /// Whether `path` is a directory to read this way: it holds `*.parquet`
    /// files (directly or in `key=value` folders), nothing else that is not
    /// skipped (so /tmp, or a folder of tables, is not one), and no synthctl manifest.
    static func holds(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if names.contains("manifest.json") || names.contains(where: { $0.hasPrefix("_part-") && $0.hasSuffix(".manifest.json") }) { return false }
        let found = contents(below: path)
        return !found.files.isEmpty && found.files.allSatisfy { $0.hasSuffix(".parquet") } && found.otherFolders.isEmpty
    }

    /// Whether `path` is a sharded Parquet dataset as `gen --format parquet
    /// --shard k/n` writes it: `part-0000k-of-0000n.parquet` files, each
    /// with its `_part-….manifest.json`, and nothing else but hidden files.
    /// `split` reads it as one table of its parts (the other commands read
    /// it as a dataset directory, through its manifests).
    static func holdsShards(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        let visible = names.filter { !$0.hasPrefix(".") }
        let parts = visible.filter { $0.hasPrefix("part-") && $0.hasSuffix(".parquet") }
        let manifests = visible.filter { $0.hasPrefix("_part-") && $0.hasSuffix(".manifest.json") }
        return !parts.isEmpty && manifests.count == parts.count && parts.count + manifests.count == visible.count
    }

    /// Why directory `path`, which holds mostly Parquet files and no
    /// synthctl manifest, is not read as parts (``holds(_:)`` is false): the
    /// first other file or folder, named; nil when `path` is no directory,
    /// holds a synthctl manifest, is parts, or holds fewer Parquet files than
    /// others (a folder such as /tmp: then the usual "expected a readable
    /// file, found a directory" stands).
    ///
    /// Why: a stray `notes.txt` beside Spark's parts otherwise gets a
    /// message that does not say what is wrong with the directory.
    static func refusal(_ path: String) -> InputError? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue, !holds(path) else { return nil }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if names.contains("manifest.json") || names.contains(where: { $0.hasPrefix("_part-") && $0.hasSuffix(".manifest.json") }) { return nil }
        let found = contents(below: path)
        let expected = "a directory of Parquet parts (.parquet files and key=value folders only)"
        let parquet = found.files.filter { $0.hasSuffix(".parquet") }.count
        guard parquet > 0, parquet >= found.files.count - parquet + found.otherFolders.count else {
            return found.files.isEmpty && found.otherFolders.isEmpty ? InputError(file: path, expected: "a table file or \(expected)", found: "an empty directory") : nil
        }
        if let other = found.files.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).first(where: { !$0.hasSuffix(".parquet") }) {
            return InputError(file: path, expected: expected, found: "\(other) (not a Parquet file)")
        }
        let folder = found.otherFolders.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })[0]
        return InputError(file: path, expected: expected, found: "the folder \(folder) (not a key=value folder)")
    }

    /// Paths below `path` relative to it: the files that are not skipped
    /// (`_…`, `.…`), through `key=value` folders only (so that a directory
    /// such as /tmp is never walked whole), and the other folders met.
    private static func contents(below path: String, under prefix: String = "") -> (files: [String], otherFolders: [String]) {
        var files = [String](), others = [String]()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: join(path, prefix))) ?? [] where !name.hasPrefix("_") && !name.hasPrefix(".") {
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: join(path, relative), isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                files.append(relative)
            } else if let eq = name.firstIndex(of: "="), eq != name.startIndex {
                let below = contents(below: path, under: relative)
                files += below.files
                others += below.otherFolders
            } else {
                others.append(relative)
            }
        }
        return (files, others)
    }

    private static func join(_ directory: String, _ relative: String) -> String {
        relative.isEmpty ? directory : directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    /// The parts of the directory at `path` and their partition values.
    ///
    /// - Throws: ``InputError`` naming the directory when it holds no part,
    ///   or the folder that is not a simple Hive partition.
    init(_ path: String) throws {
        self.path = path
        let found = Self.contents(below: path)
        let relative = found.files.filter { $0.hasSuffix(".parquet") }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        if let folder = found.otherFolders.sorted().first {
            throw InputError(file: path, expected: "a directory of Parquet parts (in it, or in Hive partition folders key=value)",
                             found: "the folder \(folder) (only Hive partition folders key=value are read)")
        }
        guard let first = relative.first else {
            throw InputError(file: path, expected: "Parquet part files (*.parquet)", found: "none")
        }
        let folders = { (file: String) in file.split(separator: "/", omittingEmptySubsequences: true).dropLast().map(String.init) }
        let keyOf = { (folder: String) -> String? in
            guard let eq = folder.firstIndex(of: "="), eq != folder.startIndex else { return nil }
            return String(folder[..<eq])
        }
        let keys = folders(first).map { keyOf($0) ?? "" }
        var parts = [(path: String, values: [String?])]()
        for file in relative {
            let levels = folders(file)
            guard let bad = levels.first(where: { keyOf($0) == nil }) ?? (levels.map { keyOf($0)! } == keys ? nil : levels.joined(separator: "/")) else {
                let values = levels.map { folder -> String? in
                    let raw = String(folder[folder.index(after: folder.firstIndex(of: "=")!)...])
                    return raw == "__HIVE_DEFAULT_PARTITION__" ? nil : (raw.removingPercentEncoding ?? raw)
                }
                parts.append((Self.join(path, file), values))
                continue
            }
            let layout = keys.isEmpty ? "parts directly in it" : "parts in Hive partition folders \(keys.map { "\($0)=…" }.joined(separator: "/"))"
            throw InputError(file: path, expected: "a directory of Parquet parts (\(layout), as the first part \(first) has)",
                             found: "\(file) under \"\(bad)\" (only Hive partition folders key=value of one layout are read)")
        }
        self.parts = parts
        self.keys = keys
    }

    /// The partition keys that add a column, with their place among
    /// ``keys``: those that are not already among the parts' `columns`.
    /// Why: Polars' `write_parquet(…, partition_by=)` keeps each key in the
    /// files as well (`include_key`, true by default), and reads the file's
    /// column back; a second column of the same name would be ambiguous.
    func addedKeys(besides columns: [String]) -> [(position: Int, name: String)] {
        keys.enumerated().filter { !columns.contains($0.element) }.map { ($0.offset, $0.element) }
    }

    /// The parts as one ``TableSource``: the first part's columns, then one
    /// column per partition key; rows part after part. `notes` say how many
    /// parts were read (and which columns the folders gave).
    ///
    /// - Throws: ``InputError`` naming the first part whose footer cannot
    ///   be read or whose columns differ from the first part's.
    func source() throws -> TableSource {
        let footers = try parts.map { try ParquetMetadata(footerOfFileAt: $0.path) }
        let meta = footers[0]
        for (part, footer) in zip(parts, footers).dropFirst() {
            if footer.columns.map(\.name) != meta.columns.map(\.name) {
                throw InputError(file: part.path, expected: "the columns of \(parts[0].path) (\(NameList.describe(meta.columns.map(\.name))))",
                                 found: NameList.describe(footer.columns.map(\.name)))
            }
            for (want, got) in zip(meta.columns, footer.columns) where Self.typeName(want) != Self.typeName(got) {
                throw InputError(file: part.path, field: "column \"\(want.name)\"",
                                 expected: "\(Self.typeName(want)) (as in \(parts[0].path))", found: Self.typeName(got))
            }
        }
        let fileColumns = meta.columns.count
        let added = addedKeys(besides: meta.columns.map(\.name))
        let shared = keys.filter { meta.columns.map(\.name).contains($0) }
        // A part of no rows adds nothing (its schema was checked); the others are read in order.
        let counts = footers.map { Int($0.rows) }
        let rows = counts.reduce(0, +)
        guard rows > 0 else {
            throw InputError(file: path, expected: "at least one row", found: "none in its \(parts.count) Parquet part\(parts.count == 1 ? "" : "s")")
        }
        let groups = footers.reduce(0) { $0 + $1.rowGroups.count }
        let parts = self.parts, directory = path
        var notes = ["\(parts.count) Parquet part\(parts.count == 1 ? "" : "s") read as one table"]
        if !added.isEmpty { notes.append("\(NameList.describe(added.map(\.name))) read from the Hive partition folders as categorical") }
        if !shared.isEmpty {
            notes.append("\(NameList.describe(shared)) read from the parts, which hold \(shared.count == 1 ? "it" : "them") as well as the Hive partition folders (as Polars writes them, and reads them back)")
        }
        var source = TableSource(
            header: meta.columns.map(\.name) + added.map(\.name), rows: rows, notes: notes, indexColumns: meta.pandasIndexColumns,
            cell: { _, c in preconditionFailure("Parquet column \(c) read before load(columns:)") },
            location: { .row($0) },
            unsupported: { $0 < fileColumns ? meta.columns[$0].unsupported : nil },
            decode: { wanted, progress in
                var reading = ReadProgress(progress, path: directory, units: wanted.filter { $0 < fileColumns }.count * groups)
                var decoded = [Int: [ParquetTable.Column]](), read = [String]()
                for (p, part) in parts.enumerated() where counts[p] > 0 {
                    let file = try ParquetFile(bytes: try InputFile.contents(part.path), path: part.path)
                    try file.checkBudget(columns: wanted.filter { $0 < fileColumns }, budget: .current)
                    for c in wanted {
                        let column = c < fileColumns ? try file.decode(c, progress: &reading)
                            : ParquetTable.Column(name: added[c - fileColumns].name,
                                                  values: .strings(Array(repeating: part.values[added[c - fileColumns].position] ?? "", count: counts[p])),
                                                  present: Array(repeating: part.values[added[c - fileColumns].position] != nil, count: counts[p]))
                        decoded[c, default: []].append(column)
                    }
                    read.append(part.path)
                }
                reading.finish()
                var loaded = [ParquetTable.Column?](repeating: nil, count: (wanted.max() ?? -1) + 1)
                for c in wanted {
                    loaded[c] = try _PartColumns.joined(decoded[c] ?? [], parts: read)
                    decoded[c] = nil
                }
                return TableSource.DecodedColumns(parquet: loaded,
                    notes: wanted.compactMap { c in c < fileColumns ? meta.columns[c].annotation.unit.map { "column \"\(meta.columns[c].name)\": \($0)" } : nil })
            },
            declaredType: { $0 < fileColumns ? meta.columns[$0].columnType : .categorical(categories: []) })
        source.declaredClassNames = { DeclaredClassNames.parquet(meta, column: $0) }
        source.declaredUTC = { if $0 < fileColumns, case .timestamp(_, true) = meta.columns[$0].annotation { true } else { false } }
        source.writtenBySynthctl = meta.keyValues["synthctl.format_version"] != nil
        source.cellsTypedByFile = true
        return source
    }

    /// A column's type as messages spell it: the logical type, else the
    /// physical one, and whether it is a list.
    static func typeName(_ column: ParquetMetadata.Column) -> String {
        let physical: String = switch column.type {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY(\(column.length))"
        }
        let type = switch column.annotation {
        case .none: physical
        case .int96: column.annotation.spelled
        default: "\(physical) \(column.annotation.spelled)"
        }
        return column.list == nil ? type : "a list of \(type)"
    }
}

/// One column's values from part after part, joined once all are read
/// (each array is copied once, not once per part).
enum _PartColumns {
    /// The parts' `columns` (one per part, in order; `parts` their paths) as one column.
    ///
    /// - Throws: ``InputError`` naming the first part whose values are of
    ///   another kind (a list of another width) than the first part's.
    static func joined(_ columns: [ParquetTable.Column], parts: [String]) throws -> ParquetTable.Column {
        let first = columns[0]
        let present = columns.flatMap(\.present)
        // An unsigned column holding a value above Int64.max in some part: every part's as stored.
        if columns.contains(where: { if case .unsignedIntegers = $0.values { true } else { false } }) {
            var all = [UInt64]()
            all.reserveCapacity(present.count)
            for (column, part) in zip(columns, parts) {
                switch column.values {
                case .unsignedIntegers(let v): all += v
                case .integers(let v): all += v.lazy.map { UInt64(bitPattern: $0) }
                default: throw differs(column, part: part, from: first)
                }
            }
            return ParquetTable.Column(name: first.name, values: .unsignedIntegers(all), present: present)
        }
        func gather<T>(_ pick: (ParquetTable.Values) -> [T]?) throws -> [T] {
            var all = [T]()
            all.reserveCapacity(present.count)
            for (column, part) in zip(columns, parts) {
                guard let v = pick(column.values) else { throw differs(column, part: part, from: first) }
                all += v
            }
            return all
        }
        let values: ParquetTable.Values
        switch first.values {
        case .booleans: values = .booleans(try gather { if case .booleans(let v) = $0 { v } else { nil } })
        case .integers: values = .integers(try gather { if case .integers(let v) = $0 { v } else { nil } })
        case .unsignedIntegers: preconditionFailure("joined above")
        case .floats: values = .floats(try gather { if case .floats(let v) = $0 { v } else { nil } })
        case .strings: values = .strings(try gather { if case .strings(let v) = $0 { v } else { nil } })
        case .vectors(let width, _, _):
            let numbers: [Double] = try gather { if case .vectors(width, let v, _) = $0 { v } else { nil } }
            let elements: [Bool] = try gather { if case .vectors(width, _, let p) = $0 { p } else { nil } }
            values = .vectors(width: width, values: numbers, present: elements)
        case .fixedBytes(let width, _):
            values = .fixedBytes(width: width, bytes: try gather { if case .fixedBytes(width, let b) = $0 { b } else { nil } })
        }
        return ParquetTable.Column(name: first.name, values: values, present: present)
    }

    private static func differs(_ column: ParquetTable.Column, part: String, from first: ParquetTable.Column) -> InputError {
        func kind(_ v: ParquetTable.Values) -> String {
            switch v {
            case .booleans: "booleans"
            case .integers, .unsignedIntegers: "integers"
            case .floats: "numbers"
            case .strings: "strings"
            case .vectors(let width, _, _): "lists of \(width) numbers"
            case .fixedBytes(let width, _): "values of \(width) bytes"
            }
        }
        return InputError(file: part, field: "column \"\(column.name)\"", expected: "\(kind(first.values)) (as in the parts before)", found: kind(column.values))
    }
}

extension LabeledFeatures {
    /// Whether `path` is a directory of Parquet parts, read as one table
    /// (``ParquetPartDirectory``), rather than a synthctl dataset directory.
    public static func isParquetPartDirectory(_ path: String) -> Bool { ParquetPartDirectory.holds(path) }

    /// Whether `path` is a sharded Parquet dataset (`gen --format parquet
    /// --shard k/n`), which `split` splits as one table of its parts
    /// (``ParquetPartDirectory/holdsShards(_:)``).
    public static func isShardedParquetDataset(_ path: String) -> Bool { ParquetPartDirectory.holdsShards(path) }

    /// Why directory `path` is not read as Parquet parts although it holds
    /// mostly Parquet files and no synthctl manifest, or is empty
    /// (``ParquetPartDirectory/refusal(_:)``); nil otherwise.
    public static func partDirectoryRefusal(_ path: String) -> InputError? { ParquetPartDirectory.refusal(path) }
}
