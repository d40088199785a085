import Testing
import Foundation

/// Whether python3 can import Hugging Face `datasets` beside the other
/// readers (the test script installs it; a machine without it skips).
let pythonHasDatasets: Bool = pythonImports("numpy, pandas, pyarrow, polars, duckdb, datasets")
/// Whether python3 can import `mlcroissant` (the test script installs it).
let pythonHasCroissant: Bool = pythonImports("mlcroissant")

func pythonImports(_ modules: String) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import \(modules)"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

/// Every `gen` format loads where people work (issue 15, "Done when"): the
/// `.npy` directory in NumPy; each table — one file, and the table
/// directory (`--directory`) whose card `datasets.load_dataset(DIR)` reads —
/// in pandas, pyarrow, Polars, DuckDB and Hugging Face `datasets`, with
/// class names and with ids; a sharded Parquet dataset's parts as one
/// table; croissant.json's records in `mlcroissant`. Every reader's values
/// equal the `.npy` directory's (float32 exactly). One Python process per
/// format.
extension CommandLineTests {
    /// `same(t, labels, who)`: the pandas frame `t` holds the rows of the
    /// directory `d` (`gen --rows 300 --seed 3`); class columns as names
    /// (`labels='name'`) or ids (`'id'`, which `datasets` gives for a
    /// `ClassLabel`); missing annotator cells as null.
    static let sameAsTheNpyDirectory = """
    import json, os, numpy as np, pandas as pd
    X = np.load('d/features.npy'); y = np.load('d/labels.npy'); tr = np.load('d/true_labels.npy')
    A = np.load('d/annotations.npy'); m = np.load('d/noise_mask.npy')
    names = np.array(json.load(open('d/manifest.json'))['class_names'], dtype=object)
    assert (A < 0).any(), 'the test needs missing annotator cells'
    def same(t, labels, who):
        assert len(t) == len(y), (who, len(t))
        assert np.array_equal(t[[f'x{j}' for j in range(X.shape[1])]].to_numpy(np.float32), X), who
        def classes(col, ids, given=None):
            v = t[col] if given is None else t[col][given]
            if labels == 'name': assert list(v) == list(names[ids]), (who, col)
            else: assert np.array_equal(v.to_numpy().astype(np.int64), ids), (who, col)
        classes('label', y); classes('true_label', tr)
        if 'label_id' in t: assert np.array_equal(t['label_id'].to_numpy(), y) and np.array_equal(t['true_label_id'].to_numpy(), tr), who
        assert np.array_equal(t['noisy'].to_numpy().astype(np.uint8), m), who
        for a in range(A.shape[1]):
            col = f'annotator_{a}'
            assert np.array_equal(t[col].isna().to_numpy(), A[:, a] < 0), (who, col)
            classes(col, A[A[:, a] >= 0, a], given=A[:, a] >= 0)
    import datasets
    datasets.disable_progress_bars()
    def hf_directory(path, labels, who):
        ds = datasets.load_dataset(path, split='train')
        f = ds.features
        assert all(f[f'x{j}'].dtype == 'float32' for j in range(X.shape[1])), (who, f)
        for col in ['label', 'true_label'] + [f'annotator_{a}' for a in range(A.shape[1])]:
            assert isinstance(f[col], datasets.ClassLabel) and f[col].names == list(names), (who, col, f[col])
        assert f['noisy'].dtype == 'bool', (who, f['noisy'])
        same(ds.to_pandas(), 'id', who)

    """

    /// Runs `script` (after ``sameAsTheNpyDirectory``) in `dir` with a
    /// private `datasets` cache and no network.
    func loadCheck(_ dir: String, _ script: String) throws -> Result {
        try launch("/usr/bin/env", ["python3", "-c", Self.sameAsTheNpyDirectory + script], in: dir,
                   environment: ["HF_DATASETS_CACHE": "\(dir)/hf-cache", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"])
    }

    func gen(_ dir: String, _ runs: [[String]]) throws {
        for args in [["--out", "d"]] + runs {
            let r = try run(["gen", "--rows", "300", "--seed", "3"] + args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
    }

    /// `--directory` is the table's directory form: refused, before any
    /// work, where the output is a directory already or standard output.
    @Test func directoryGoesWithATableWrittenToAPath() throws {
        let dir = tempDir()
        for (args, message) in [
            (["--directory", "--out", "d"], "--directory goes with --format csv, jsonl or parquet (the npy form is a directory already)"),
            (["--format", "csv", "--directory", "--out", "-"], "--directory: expected an --out path for the directory, found - (standard output takes one table, without --directory)"),
            (["--format", "parquet", "--directory", "--out", "-"], "--directory: expected an --out path for the directory, found - (standard output takes one table, without --directory)"),
            (["--format", "parquet", "--shard", "1/2", "--directory", "--out", "ds"], "--directory: a sharded Parquet dataset is already a directory of parts (--shard k/n writes part-0000k-of-0000n.parquet into --out)"),
        ] {
            let r = try run(["gen", "--rows", "10"] + args, in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(message)\n", "\(args): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        let r = try run(["gen", "--rows", "10", "--format", "jsonl", "--directory"], in: dir)
        #expect(r.code == 0 && r.stdout.hasPrefix("wrote synthctl-default: 10 rows"), "\(r.stdout) \(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/synthctl-default").sorted() == ["README.md", "croissant.json", "data.jsonl", "manifest.json"])
    }

    @Test(.enabled(if: pythonHasDatasets, "needs python3 with numpy, pandas, pyarrow, polars, duckdb and datasets"))
    func npyDirectoryLoadsInNumPyAndDatasetsSaysItHasNoReader() throws {
        let dir = tempDir()
        try gen(dir, [])
        let check = try loadCheck(dir, """
        assert X.dtype == np.float32 and X.shape == (300, 20) and y.dtype == np.int32 and A.shape == (300, 10)
        try:
            datasets.load_dataset('d', split='train')
            raise SystemExit('load_dataset read the .npy directory')
        except FileNotFoundError as e:
            assert 'features.npy' in str(e), e  # not a row built from manifest.json
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test(.enabled(if: pythonHasDatasets, "needs python3 with numpy, pandas, pyarrow, polars, duckdb and datasets"),
          arguments: ["csv", "jsonl"])
    func textTablesLoadInEveryReader(format: String) throws {
        let dir = tempDir()
        // The names that decide the bytes: tab-separated, gzip, zstd.
        let named = format == "csv" ? ["t.tsv", "t.csv.gz", "t.tsv.gz", "t.csv.zst"] : ["t.jsonl.gz", "t.jsonl.zst"]
        try gen(dir, [["--format", format, "--out", "t.\(format)"], ["--format", format, "--label-format", "id", "--out", "i.\(format)"],
                      ["--format", format, "--directory", "--out", "tn"], ["--format", format, "--label-format", "id", "--directory", "--out", "ti"]]
                     + named.map { ["--format", format, "--out", $0] })
        let readers = format == "csv" ? """
        import pyarrow.csv as pc
        def sep(p): return '\\t' if '.tsv' in p else ','
        def pandas_(p): return pd.read_csv(p, sep=sep(p))
        def arrow_(p): return pc.read_csv(p, parse_options=pc.ParseOptions(delimiter=sep(p)), convert_options=pc.ConvertOptions(strings_can_be_null=True)).to_pandas()
        def polars_(p): return pl.read_csv(p, separator=sep(p)).to_pandas()
        def duck_(p): return duckdb.sql(f"select * from read_csv('{p}')").df()
        def hf_(p): return datasets.load_dataset('csv', data_files=p, sep=sep(p), split='train').to_pandas()
        """ : """
        import pyarrow.json as pj
        def pandas_(p): return pd.read_json(p, lines=True, dtype=False)
        def arrow_(p): return pj.read_json(p).to_pandas()
        def polars_(p): return pl.read_ndjson(p).to_pandas()
        def duck_(p): return duckdb.sql(f"select * from read_json('{p}')").df()
        def hf_(p): return datasets.load_dataset('json', data_files=p, split='train').to_pandas()
        """
        let check = try loadCheck(dir, "import polars as pl, duckdb\n" + readers + "\n" + """
        try:
            import zstandard  # pandas' and datasets' zstd decoder, not installed everywhere
            zstd_everywhere = True
        except ImportError:
            zstd_everywhere = False
        for path, labels in ((f't.\(format)', 'name'), (f'i.\(format)', 'id'), (f'tn/data.\(format)', 'name'), (f'ti/data.\(format)', 'id'),
                             \(named.map { "('\($0)', 'name')" }.joined(separator: ", "))):
            for read in (pandas_, arrow_, polars_, duck_, hf_):
                if path.endswith('.zst') and read in (pandas_, hf_) and not zstd_everywhere: continue
                same(read(path), labels, (path, read.__name__))
        for path in ('tn', 'ti'):  # the card's header: ClassLabel features whether the file holds names or ids
            hf_directory(path, 'id', path)
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test(.enabled(if: pythonHasDatasets, "needs python3 with numpy, pandas, pyarrow, polars, duckdb and datasets"))
    func parquetTablesDirectoriesAndPartsLoadInEveryReader() throws {
        let dir = tempDir()
        try gen(dir, [["--format", "parquet", "--out", "t.parquet"], ["--format", "parquet", "--label-format", "id", "--out", "i.parquet"],
                      ["--format", "parquet", "--directory", "--out", "tn"], ["--format", "parquet", "--label-format", "id", "--directory", "--out", "ti"]]
                     + (1...3).map { ["--format", "parquet", "--shard", "\($0)/3", "--out", "ds"] })
        let check = try loadCheck(dir, """
        import pyarrow.parquet as pq, polars as pl, duckdb
        for path, labels in (('t.parquet', 'name'), ('i.parquet', 'id'), ('tn/data.parquet', 'name'), ('ti/data.parquet', 'id'), ('ds', 'name')):
            glob = path + '/*.parquet' if path == 'ds' else path
            same(pd.read_parquet(path), labels, (path, 'pandas'))
            same(pq.read_table(path).to_pandas(), labels, (path, 'pyarrow'))
            same(pl.read_parquet(glob).to_pandas(), labels, (path, 'polars'))
            same(duckdb.sql(f"select * from '{glob}'").df(), labels, (path, 'duckdb'))
            same(datasets.load_dataset('parquet', data_files=glob, split='train').to_pandas(), labels, (path, 'datasets'))
        for path in ('tn', 'ti'):
            hf_directory(path, 'id', path)
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test(.enabled(if: pythonHasDatasets && pythonHasCroissant, "needs python3 with datasets and mlcroissant"))
    func croissantRecordsAreTheRows() throws {
        let dir = tempDir()
        try gen(dir, [["--format", "csv", "--directory", "--out", "tc"], ["--format", "parquet", "--label-format", "id", "--directory", "--out", "tp"]])
        let check = try loadCheck(dir, """
        import hashlib, logging, mlcroissant as mlc
        logging.disable(logging.WARNING)
        for path, labels in (('tc', 'name'), ('tp', 'id'), ('d', None)):
            meta = json.load(open(f'{path}/croissant.json'))
            files = json.load(open(f'{path}/manifest.json'))['files']
            for f in meta['distribution']:
                assert f['sha256'] == files[f['contentUrl']]['sha256'] == hashlib.sha256(open(f"{path}/{f['contentUrl']}", 'rb').read()).hexdigest()
            ds = mlc.Dataset(jsonld=f'{path}/croissant.json')
            assert not ds.metadata.issues.errors, ds.metadata.issues.report()
            classes = list(ds.records(record_set='classes'))
            text = lambda v: v.decode() if isinstance(v, bytes) else v
            assert [(c['classes/id'], text(c['classes/name'])) for c in classes] == list(enumerate(names)), classes
            if labels is None: continue
            rows = pd.DataFrame([{k.split('/', 1)[1]: text(v) for k, v in r.items()}
                                 for r in ds.records(record_set='rows')])
            same(rows, labels, (path, 'mlcroissant'))
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    /// A dataset sampled from a fitted model (`gen --model`) holds copies of
    /// the model, and its croissant.json and card list them: every file of
    /// `distribution` is in the manifest with the same SHA-256 as its bytes,
    /// the model's JSON and safetensors among them, and `mlcroissant`
    /// finds no error (the `.npy` directory and a Parquet table directory).
    @Test(.enabled(if: pythonHasCroissant, "needs python3 with mlcroissant"))
    func croissantListsTheModelCopies() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "400", "--out", "h"], in: dir).code == 0)
        #expect(try run(["fit", "h", "--model", "gaussian", "--out", "m.json"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "m.json", "--rows", "300", "--out", "md"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "m.json", "--rows", "300", "--format", "parquet", "--directory", "--out", "mt"], in: dir).code == 0)
        for path in ["md", "mt"] {
            let card = try String(contentsOfFile: "\(dir)/\(path)/README.md", encoding: .utf8)
            #expect(card.contains("- `model.json` and `model.safetensors`: the fitted model"), "\(path)")
        }
        let check = try launch("/usr/bin/env", ["python3", "-c", """
        import hashlib, json, logging, mlcroissant as mlc
        logging.disable(logging.WARNING)
        for path in ('md', 'mt'):
            meta = json.load(open(f'{path}/croissant.json'))
            files = json.load(open(f'{path}/manifest.json'))['files']
            listed = {f['contentUrl']: f for f in meta['distribution']}
            assert set(listed) == set(files) - {'README.md', 'croissant.json'}, (path, sorted(listed), sorted(files))
            assert listed['model.json']['encodingFormat'] == 'application/json', listed['model.json']
            assert listed['model.safetensors']['encodingFormat'] == 'application/octet-stream', listed['model.safetensors']
            for name, f in listed.items():
                assert f['sha256'] == files[name]['sha256'] == hashlib.sha256(open(f'{path}/{name}', 'rb').read()).hexdigest(), name
            ds = mlc.Dataset(jsonld=f'{path}/croissant.json')
            assert not ds.metadata.issues.errors, ds.metadata.issues.report()
        print('ok')
        """], in: dir)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }
}
