import Testing
import Foundation

/// A sharded `gen --format parquet` directory loads with
/// `datasets.load_dataset(dir)` (its `.huggingface.yaml` names only the
/// parts), and still with pyarrow and DuckDB, which skip that file.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasDatasets, "needs python3 with datasets"))
    func aShardedParquetDirectoryLoadsWithDatasets() throws {
        let dir = tempDir()
        for k in [3, 1, 2] {
            _ = try expectSuccess(["gen", "--rows", "900", "--seed", "4", "--format", "parquet", "--shard", "\(k)/3", "--out", "ds"], in: dir)
        }
        try expectPython(dir, """
        import datasets, duckdb, pyarrow.parquet as pq
        datasets.disable_progress_bars()
        whole = pq.read_table('ds')  # the manifests start with _, the configuration with .: skipped
        assert whole.num_rows == 900
        loaded = datasets.load_dataset('ds', split='train')
        assert loaded.num_rows == 900 and loaded.column_names == whole.column_names, loaded
        for c in ['x0', 'x19', 'label', 'true_label_id', 'annotator_3']:
            assert loaded[c] == whole.column(c).to_pylist(), c
        assert duckdb.sql("select count(*) from 'ds/*.parquet'").fetchall()[0][0] == 900
        assert open('ds/.huggingface.yaml').read().count('part-*.parquet') == 1
        """)
        // The shared file is there with the same bytes: writing a part again leaves it; other bytes are an existing output.
        _ = try expectSuccess(["gen", "--rows", "900", "--seed", "4", "--format", "parquet", "--shard", "2/3", "--out", "ds", "--force"], in: dir)
        try FileManager.default.createDirectory(atPath: "\(dir)/other", withIntermediateDirectories: false)
        try "configs: []\n".write(toFile: "\(dir)/other/.huggingface.yaml", atomically: true, encoding: .utf8)
        let r = try run(["gen", "--rows", "900", "--format", "parquet", "--shard", "1/3", "--out", "other"], in: dir)
        #expect(r.code == 2 && r.stderr == "synthctl: error: other/.huggingface.yaml: already exists (pass --force to replace it)\n", "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/other/part-00001-of-00003.parquet"))
        #expect(try String(contentsOfFile: "\(dir)/other/.huggingface.yaml", encoding: .utf8) == "configs: []\n")
    }
}
