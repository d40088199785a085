import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// The bytes of `gen --format parquet`: pinned by SHA-256 like
/// ``GoldenDatasetTests``, and the same for any thread count and row-group
/// layout of the work (row groups are cut by row index, not by chunk).
@Suite struct ParquetDatasetTests {
    static let spec = #"{"rows": 3000, "seed": 5, "generator": {"type": "classification", "features": 12, "informative": 4, "redundant": 2, "classes": 3}, "noise": {"type": "random", "rate": 0.2}, "annotators": {"count": 5, "per_item": 2}}"#

    func written(threads: Int, codec: ParquetCodec = .zstd, labels: LabelFormat = .name, layout: (Int, Int)? = nil) throws -> String {
        var w = DatasetWriter(plan: try plan(Self.spec))
        w.format = .parquet
        w.compression = codec
        w.labelFormat = labels
        w.threads = threads
        w.parquetLayout = layout.map { (rowGroupRows: $0.0, pageRows: $0.1) }
        let path = "\(temporaryDirectory())/t.parquet"
        _ = try w.write(to: path)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let manifest = try String(contentsOfFile: path + ".manifest.json", encoding: .utf8)
        #expect(manifest.contains(sha256Hex(bytes)), "the manifest records the table's SHA-256")
        #expect(manifest.contains("\"format\": \"parquet\""))
        return sha256Hex(bytes)
    }

    /// Computed once, by this writer, after pyarrow, pandas, Polars, DuckDB
    /// and synthctl's reader read the file back (synthctlTests); a change
    /// of the dataset format version or of the Parquet layout changes them
    /// on purpose.
    static let golden: [String: String] = [
        "zstd/name": "d3cabb5b519343bc6847748804a45cf1a13c5f96a3e0dce6b0d8ffb55cc5cecf",
        "snappy/name": "bc8ec32e607b3dcc22306c99395ed7a2c0abdbabc7957caea3117b23c0bd1eeb",
        "none/id": "2f89699b87c512aa8a3478611da29f2df9d0ff5c8ba4d151e286b8c8e166743c",
    ]

    @Test func bytesAreThePinnedOnes() throws {
        var found = [String: String]()
        found["zstd/name"] = try written(threads: 2)
        found["snappy/name"] = try written(threads: 2, codec: .snappy)
        found["none/id"] = try written(threads: 2, codec: .none, labels: .id)
        #expect(found == Self.golden, "\(found.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", "))")
    }

    /// The manifest's schema lists exactly the table's columns, in order,
    /// with the class columns typed as written: names (categorical, with
    /// Parquet's `label_id`/`true_label_id` beside them) or ids (integer).
    @Test(arguments: [(OutputFormat.parquet, LabelFormat.name), (.parquet, .id), (.csv, .name), (.csv, .id), (.jsonl, .id)])
    func theManifestSchemaIsTheTablesColumns(format: OutputFormat, labels: LabelFormat) throws {
        var w = DatasetWriter(plan: try plan(Self.spec))
        w.format = format
        w.labelFormat = labels
        let path = "\(temporaryDirectory())/t.\(format.rawValue)"
        _ = try w.write(to: path)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".manifest.json"))) as! [String: Any]
        let file = try #require((manifest["files"] as? [String: Any])?.values.first as? [String: Any])
        let columns = try #require(file["columns"] as? [String])
        let schema = try #require((manifest["schema"] as? [String: Any])?["columns"] as? [[String: Any]])
        #expect(schema.map { $0["name"] as? String } == columns.map(Optional.some))
        let type = { (name: String) in schema.first { $0["name"] as? String == name }?["type"] as? String }
        #expect(type("label") == (labels == .name ? "categorical" : "integer"))
        #expect(type("annotator_0") == type("label"))
        #expect(columns.contains("label_id") == (format == .parquet && labels == .name))
        if columns.contains("label_id") { #expect(type("label_id") == "integer" && type("true_label_id") == "integer") }
    }

    @Test func bytesDoNotDependOnTheThreadCount() throws {
        let one = try written(threads: 1, layout: (700, 250))
        #expect(try written(threads: 3, layout: (700, 250)) == one)
        #expect(try written(threads: 8, layout: (700, 250)) == one)
        #expect(try written(threads: 1) != one, "the layout changes the bytes (so the test above can fail)")
    }

    @Test func rowGroupsHoldAboutSixtyFourMebibytes() {
        #expect(ParquetFileWriter.rowGroupRows(columns: 131) == 128_000)  // 1M × 128 features: 8 row groups
        #expect(ParquetFileWriter.rowGroupRows(columns: 3) == 1 << 20)   // capped at pyarrow's 1,048,576 rows
        #expect(ParquetFileWriter.rowGroupRows(columns: 100_000) == 1024)
        #expect(ParquetFileWriter.bufferBytes(columns: 131) <= 2 * (64 << 20))
        // A list column counts its width: an embedding of 384 beside a text column is 385 values a row,
        // not two columns (which would buffer 1,048,576 rows × 384 floats, 1.5 GiB).
        let writer = try! ParquetFileWriter(columns: [ParquetColumn(name: "text", kind: .text), ParquetColumn(name: "e", kind: .floatList(width: 384))],
                                            codec: .none, keyValues: [], createdBy: "test", threads: 1) { _ in }
        #expect(writer.rowGroupRows == ParquetFileWriter.rowGroupRows(columns: 385) && writer.rowGroupRows == 43_008)
    }

    @Test func shardPartsAndTheirManifestsAreNamedForDatasetReaders() throws {
        let shard = try Shard(index: 3, count: 12)
        let part = DatasetWriter.partPath(in: "out/ds", shard: shard)
        #expect(part == "out/ds/part-00003-of-00012.parquet")
        #expect(DatasetWriter.manifestPath(forTable: part) == "out/ds/_part-00003-of-00012.parquet.manifest.json")
        #expect(DatasetWriter.manifestPath(forTable: "out/t.parquet") == "out/t.parquet.manifest.json")
        #expect(DatasetWriter.manifestPath(forTable: "part-x-of-2.parquet") == "part-x-of-2.parquet.manifest.json")
    }
}
