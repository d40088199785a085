import Testing
import Foundation

/// A sharded `gen --format parquet` directory loads with
/// `datasets.load_dataset(dir)` (its `.huggingface.yaml` names only the
/// parts, and states the features: class columns as `ClassLabel` with the
/// dataset's class names), and still with pyarrow and DuckDB, which skip
/// that file.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasDatasets, "needs python3 with datasets"))
    func aShardedParquetDirectoryLoadsWithDatasets() throws {
        let dir = tempDir()
        for k in [3, 1, 2] {
            _ = try expectSuccess(["gen", "--rows", "900", "--seed", "4", "--format", "parquet", "--shard", "\(k)/3", "--out", "ds"], in: dir)
        }
        try expectPython(dir, """
        import datasets, duckdb, json, pyarrow.parquet as pq
        datasets.disable_progress_bars()
        whole = pq.read_table('ds')  # the manifests start with _, the configuration with .: skipped
        assert whole.num_rows == 900
        loaded = datasets.load_dataset('ds', split='train')
        assert loaded.num_rows == 900 and loaded.column_names == whole.column_names, loaded
        for c in ['x0', 'x19', 'true_label_id']:
            assert loaded[c] == whole.column(c).to_pylist(), c
        # Class columns are ClassLabel with the manifest's names: the ids loaded name the strings the parts hold.
        names = json.load(open('ds/_part-00002-of-00003.parquet.manifest.json'))['class_names']
        for c in ['label', 'true_label', 'annotator_3']:
            feature = loaded.features[c]
            assert isinstance(feature, datasets.ClassLabel) and feature.names == names, (c, feature)
            assert [None if v is None else feature.int2str(v) for v in loaded[c]] == whole.column(c).to_pylist(), c
        assert loaded.features['x0'] == datasets.Value('float32') and loaded.features['noisy'] == datasets.Value('bool')
        assert loaded.features['label_id'] == datasets.Value('int32')
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

    /// A fitted model's classes (`cat`, `dog`, `emu`) in a sharded directory
    /// of class ids (`--label-format id`) load as a `ClassLabel` of those
    /// names, its typed columns as the parts hold them; the configuration
    /// counts the whole dataset's rows, so a directory missing a part fails
    /// to load rather than loading some rows.
    @Test(.enabled(if: pythonHasDatasets, "needs python3 with datasets"))
    func aShardedDirectoryOfFittedClassesLoadsTheirNames() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import numpy as np, pandas as pd
        r = np.random.default_rng(30); y = r.integers(0, 3, 300)
        pd.DataFrame({'x': r.normal(size=300) + y, 'n': r.integers(0, 1000, 300),
                      'species': np.array(['cat', 'dog', 'emu'])[y]}).to_csv('h.csv', index=False)
        """)
        try expectSuccess(["fit", "h.csv", "--label-column", "species", "--out", "m.json", "--quiet"], in: dir)
        for k in [2, 1] {
            try expectSuccess(["gen", "--model", "m.json", "--rows", "400", "--format", "parquet", "--label-format", "id",
                               "--shard", "\(k)/2", "--out", "ds", "--quiet"], in: dir)
        }
        try expectSuccess(["gen", "--model", "m.json", "--rows", "400", "--format", "parquet", "--label-format", "id",
                           "--shard", "1/2", "--out", "half", "--quiet"], in: dir)
        try expectPython(dir, """
        import datasets, pyarrow.parquet as pq
        datasets.disable_progress_bars()
        whole = pq.read_table('ds')
        loaded = datasets.load_dataset('ds', split='train')
        assert loaded.num_rows == 400 and loaded.column_names == whole.column_names, loaded
        assert loaded.features['label'] == datasets.ClassLabel(names=['cat', 'dog', 'emu']), loaded.features
        assert loaded['label'] == whole.column('label').to_pylist()  # the ids the parts hold
        assert loaded.features['n'] == datasets.Value('int64') and loaded['n'] == whole.column('n').to_pylist()
        try:
            datasets.load_dataset('half', split='train')
            raise SystemExit('half a dataset loaded')
        except datasets.exceptions.NonMatchingSplitsSizesError as e:
            assert 'num_examples=400' in str(e) and 'num_examples=200' in str(e), e
        """)
    }
}
