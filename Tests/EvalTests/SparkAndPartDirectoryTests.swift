import Testing
import Foundation
@testable import Eval
import Synth
@testable import SynthctlCore
import TestSupport

/// Files Apache Spark 3.5 wrote (Tests/Oracles/spark_fixtures.py) and
/// directories of Parquet parts as Spark, pyarrow and DuckDB write them
/// (Tests/Oracles/parquet_directories.py), read through the table readers:
/// every value equals what pyarrow reads (Parquet, `pyarrow.dataset` for a
/// directory; CSV and JSON Lines through `pyarrow.csv` and `pyarrow.json`,
/// an empty CSV cell null as in pandas), in synthctl's units.
@Suite struct SparkAndPartDirectoryTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let spark = "\(fixtures)/spark"
    static let directories = "\(fixtures)/parquet/directories"

    /// One column's values as the oracle stored them (exactly one is set).
    struct Values: Decodable {
        let numbers: [Double?]?, strings: [String?]?, booleans: [Bool?]?, vectors: [[Double?]?]?
    }
    struct Text: Decodable { let header: [String]; let rows: Int; let columns: [String: Values] }
    struct Directory: Decodable { let parts: Int; let header: [String]?; let columns: [String: Values] }
    struct SparkExpected: Decodable {
        let parquet: [String: [String: Values]]
        let text: [String: Text]
        let directories: [String: Directory]
    }

    static let sparkExpected: SparkExpected = try! JSONDecoder().decode(
        SparkExpected.self, from: Data(contentsOf: URL(fileURLWithPath: "\(spark)/expected.json")))
    static let directoryExpected: [String: Directory] = try! JSONDecoder().decode(
        [String: Directory].self, from: Data(contentsOf: URL(fileURLWithPath: "\(directories)/expected.json")))

    /// Compares every cell of `source`'s column `name` (loaded) with `want`.
    static func compare(_ source: TableSource, _ name: String, _ want: Values, _ what: String) throws {
        let c = try #require(source.header.firstIndex(of: name), "\(what) \(name)")
        func number(_ cell: TableCell) -> Double? {
            switch cell {
            case .real(let d): d
            case .integer(let i): Double(i)
            case .text(let s): Double(s)
            default: nil
            }
        }
        // Text and booleans as a label reads them: a CSV's empty cell is missing, its `true` a boolean.
        func label(_ cell: TableCell) -> String? { if case .value(let s) = cell.label { s } else { nil } }
        if let numbers = want.numbers {
            for (r, v) in numbers.enumerated() { #expect(number(source.cell(r, c)) == v, "\(what) \(name)[\(r)]: \(source.cell(r, c))") }
        } else if let strings = want.strings {
            for (r, v) in strings.enumerated() { #expect(label(source.cell(r, c)) == v, "\(what) \(name)[\(r)]: \(source.cell(r, c))") }
        } else if let booleans = want.booleans {
            for (r, v) in booleans.enumerated() {
                #expect(label(source.cell(r, c)) == v.map { $0 ? "true" : "false" }, "\(what) \(name)[\(r)]: \(source.cell(r, c))")
            }
        } else {
            let vectors = try #require(want.vectors)
            let widths = vectors.compactMap { $0?.count }
            let width = try #require(widths.first)
            #expect(source.width(c) == width, "\(what) \(name)")
            for (r, vector) in vectors.enumerated() {
                for k in 0..<width { #expect(number(source.cell(r, c, element: k)) == vector?[k] ?? nil, "\(what) \(name)[\(r)][\(k)]") }
            }
        }
    }

    static func loaded(_ path: String) throws -> TableSource {
        var source = try TableSource(path)
        try source.load(columns: Array(source.header.indices))
        return source
    }

    @Test(arguments: sparkExpected.parquet.keys.sorted())
    func sparkParquetReadsAsPyarrowReadsIt(file: String) throws {
        let source = try Self.loaded("\(Self.spark)/\(file).parquet")
        let columns = try #require(Self.sparkExpected.parquet[file])
        #expect(Set(source.header) == Set(columns.keys))
        for (name, want) in columns { try Self.compare(source, name, want, file) }
    }

    /// Spark's CSV (quoted commas, nulls as empty cells, `2021-03-04T05:06:07.123Z`
    /// timestamps) and JSON Lines (null fields left out) as pyarrow reads them;
    /// dates and timestamps in synthctl's units through a labeled read.
    @Test(arguments: ["spark.csv", "spark.jsonl"])
    func sparkTextReadsAsPyarrowReadsIt(file: String) throws {
        let want = try #require(Self.sparkExpected.text[file])
        let path = "\(Self.spark)/\(file)"
        let source = try Self.loaded(path)
        #expect(source.header == want.header && source.rows == want.rows)
        for (name, values) in want.columns where name != "day" && name != "at" { try Self.compare(source, name, values, file) }
        let times = try LabeledFeatures.read(table: path, labelColumn: "label", featureColumns: ["day", "at"], dropMissing: true)
        let days = try #require(want.columns["day"]?.numbers), labels = try #require(want.columns["label"]?.strings)
        let kept = days.indices.filter { labels[$0] != nil }
        let features = try #require(times.features)
        for (i, r) in kept.enumerated() {
            #expect(features.storage[2 * i] == Float(want.columns["day"]!.numbers![r]!), "\(file) day[\(r)]")
            #expect(features.storage[2 * i + 1] == Float(want.columns["at"]!.numbers![r]!), "\(file) at[\(r)]")
        }
    }

    /// Spark's `df.write.parquet` directory (`_SUCCESS`, `.crc` files beside
    /// the parts), pyarrow's and DuckDB's: one table, as `pyarrow.dataset`
    /// reads it, its Hive partition values as categorical text after the
    /// file's columns; the notes say how many parts were read.
    @Test(arguments: ["spark/parts"] + directoryExpected.keys.sorted().map { "parquet/directories/\($0)" })
    func partDirectoryReadsAsPyarrowDatasetReadsIt(directory: String) throws {
        let name = URL(fileURLWithPath: directory).lastPathComponent
        let want = try #require(directory.hasPrefix("spark") ? Self.sparkExpected.directories[name] : Self.directoryExpected[name])
        let path = "\(Self.fixtures)/\(directory)"
        #expect(LabeledFeatures.isParquetPartDirectory(path))
        let source = try Self.loaded(path)
        if let header = want.header { #expect(source.header == header) }
        #expect(Set(source.header) == Set(want.columns.keys))
        #expect(source.notes.first == "\(want.parts) Parquet part\(want.parts == 1 ? "" : "s") read as one table")
        #expect(want.parts > 1 || name == "duckdb_threads")
        for (column, values) in want.columns { try Self.compare(source, column, values, directory) }
        if source.header.contains("split") {
            let c = source.header.firstIndex(of: "split")!
            #expect(source.declaredType(c) == .categorical(categories: []))
        }
    }

    /// A directory holding a synthctl manifest is a dataset directory, and
    /// one holding anything but Parquet files (skipped names aside) is no
    /// part directory: both read as before.
    @Test func manifestsAndOtherDirectoriesAreNotPartDirectories() throws {
        let dir = scratch()
        try FileManager.default.copyItem(atPath: "\(Self.directories)/pyarrow_dataset/part-0.parquet", toPath: "\(dir)/part-0.parquet")
        #expect(LabeledFeatures.isParquetPartDirectory(dir))
        FileManager.default.createFile(atPath: "\(dir)/notes.txt", contents: Data("x".utf8))
        #expect(!LabeledFeatures.isParquetPartDirectory(dir))
        try FileManager.default.removeItem(atPath: "\(dir)/notes.txt")
        FileManager.default.createFile(atPath: "\(dir)/_part-00001-of-00001.parquet.manifest.json", contents: Data("{}".utf8))
        #expect(!LabeledFeatures.isParquetPartDirectory(dir))
        let empty = scratch()
        FileManager.default.createFile(atPath: "\(empty)/labels.npy", contents: Data())
        #expect(!LabeledFeatures.isParquetPartDirectory(empty))
    }

    /// Parts of another schema, a folder that is no Hive partition, and a
    /// truncated part are refused in one line naming the part (or folder).
    @Test func partsThatDoNotFitAreRefusedInOneLine() throws {
        let mixed = scratch()
        let fm = FileManager.default
        try fm.copyItem(atPath: "\(Self.directories)/pyarrow_dataset/part-0.parquet", toPath: "\(mixed)/part-0.parquet")
        try fm.copyItem(atPath: "\(Self.directories)/pyarrow_dataset/part-1.parquet", toPath: "\(mixed)/part-1.parquet")
        try fm.copyItem(atPath: "\(Self.spark)/labeled.parquet", toPath: "\(mixed)/part-2.parquet")
        #expect(throws: (any Error).self) { _ = try TableSource(mixed) }
        do { _ = try TableSource(mixed) } catch {
            #expect("\(error)" == "\(mixed)/part-2.parquet: expected the columns of \(mixed)/part-0.parquet (x, f, k, label), found x0, x1, true_label, label")
        }
        let typed = scratch()
        try fm.copyItem(atPath: "\(Self.spark)/spark_snappy.parquet", toPath: "\(typed)/a.parquet")
        try fm.copyItem(atPath: "\(Self.spark)/spark_micros.parquet", toPath: "\(typed)/b.parquet")
        do { _ = try TableSource(typed); Issue.record("read") } catch {
            #expect("\(error)" == "\(typed)/b.parquet: column \"at\": expected INT96 timestamp (as in \(typed)/a.parquet), found INT64 TIMESTAMP(MICROS, UTC)")
        }
        let folders = scratch()
        try fm.createDirectory(atPath: "\(folders)/nested", withIntermediateDirectories: true)
        try fm.copyItem(atPath: "\(Self.spark)/labeled.parquet", toPath: "\(folders)/a.parquet")
        try fm.copyItem(atPath: "\(Self.spark)/labeled.parquet", toPath: "\(folders)/nested/b.parquet")
        do { _ = try TableSource(folders); Issue.record("read") } catch {
            // Not a directory of parts (it holds another folder): refused, saying which.
            #expect("\(error)" == "\(folders): expected a directory of Parquet parts (.parquet files and key=value folders only), found the folder nested (not a key=value folder)")
        }
        // Parts at two depths: Hive folders of another layout than the first part's.
        try fm.removeItem(atPath: "\(folders)/nested")
        try fm.createDirectory(atPath: "\(folders)/split=a", withIntermediateDirectories: true)
        try fm.copyItem(atPath: "\(Self.spark)/labeled.parquet", toPath: "\(folders)/split=a/b.parquet")
        do { _ = try TableSource(folders); Issue.record("read") } catch {
            #expect("\(error)" == "\(folders): expected a directory of Parquet parts (parts directly in it, as the first part a.parquet has), found split=a/b.parquet under \"split=a\" (only Hive partition folders key=value of one layout are read)")
        }
        // A truncated part: one line naming it, whichever part it is.
        let cut = scratch()
        try fm.copyItem(atPath: "\(Self.directories)/pyarrow_dataset/part-0.parquet", toPath: "\(cut)/part-0.parquet")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(Self.directories)/pyarrow_dataset/part-1.parquet"))
        for keep in [0, 7, bytes.count / 2, bytes.count - 1] {
            fm.createFile(atPath: "\(cut)/part-1.parquet", contents: bytes.prefix(keep))
            do {
                var source = try TableSource(cut)
                try source.load(columns: Array(source.header.indices))
                Issue.record("a part cut to \(keep) bytes was read")
            } catch let e as any SynthctlError {
                #expect(e.message.hasPrefix("\(cut)/part-1.parquet: "), "\(e.message)")
                #expect(!e.message.contains("\n"))
            }
        }
    }

    /// Fuzz: every byte of a Spark part replaced, one at a time: a table or
    /// one line naming the part.
    @Test func corruptedSparkBytesNeverTrap() throws {
        try ParquetByteFuzz.replaceEachByte(of: "\(Self.spark)/spark_legacy.parquet")
    }

    let temporary = TemporaryPaths()  // removed when the test ends

    func scratch() -> String { temporary.directory("synthctl-parts") }
}
