import Testing
import Foundation

/// Issue 15 (a fresh tester's finding): a CSV table directory whose class
/// names read as numbers loads in Hugging Face `datasets` with the file's
/// labels. Without the features in the card's `configs` entry, pandas read
/// the cell `1` as the integer 1, which `datasets` took as class *id* 1
/// (every label wrong for names "2", "0", "1"), or refused
/// ("Class label 10 greater than configured num_classes 3" for "1", "2", "10").
extension CommandLineTests {
    @Test(.enabled(if: pythonHasDatasets, "needs python3 with numpy, pandas, pyarrow, polars, duckdb and datasets"))
    func numericClassNamesLoadAsTheFileSaysInDatasets() throws {
        let dir = tempDir()
        let environment = ["HF_DATASETS_CACHE": "\(dir)/hf-cache", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"]
        // Two human sets: a ClassLabel whose names are not in numeric order
        // (written by `datasets`), and integer labels 1, 2, 10 in a CSV.
        let make = try launch("/usr/bin/env", ["python3", "-c", """
        import numpy as np, pandas as pd, datasets
        r = np.random.default_rng(1); y = r.integers(0, 3, 300); X = r.normal(size=(300, 2)) + y[:, None] * 3
        features = datasets.Features({'f0': datasets.Value('float64'), 'f1': datasets.Value('float64'),
                                      'label': datasets.ClassLabel(names=['2', '0', '1'])})
        datasets.Dataset.from_dict({'f0': X[:, 0].tolist(), 'f1': X[:, 1].tolist(), 'label': y.tolist()}, features=features).to_parquet('names.parquet')
        pd.DataFrame({'f0': X[:, 0], 'f1': X[:, 1], 'label': np.array([1, 2, 10])[y]}).to_csv('ints.csv', index=False)
        """], in: dir, environment: environment)
        #expect(make.code == 0, "\(make.stderr)")
        for (input, out) in [("names.parquet", "n"), ("ints.csv", "i")] {
            #expect(try run(["fit", input, "--out", "m\(out).json"], in: dir).code == 0)
            for (format, labels) in [("csv", "name"), ("csv", "id"), ("jsonl", "name"), ("parquet", "name")] {
                let r = try run(["gen", "--model", "m\(out).json", "--rows", "300", "--format", format, "--label-format", labels,
                                 "--directory", "--out", "\(out)_\(format)_\(labels)"], in: dir)
                #expect(r.code == 0, "\(r.stderr)")
            }
        }
        // Every directory: datasets' class names of its ids are the file's labels (ids for --label-format id).
        let check = try launch("/usr/bin/env", ["python3", "-c", """
        import json, numpy as np, pandas as pd, datasets
        datasets.disable_progress_bars()
        for d in ['n_csv_name', 'n_csv_id', 'n_jsonl_name', 'n_parquet_name', 'i_csv_name', 'i_csv_id', 'i_jsonl_name', 'i_parquet_name']:
            ds = datasets.load_dataset(d, split='train')
            f = ds.features['label']
            names = json.load(open(f'{d}/manifest.json'))['class_names']
            assert isinstance(f, datasets.ClassLabel) and f.names == names, (d, f)
            kind = d.split('_')[1]
            table = pd.read_parquet(f'{d}/data.parquet') if kind == 'parquet' else \\
                    pd.read_json(f'{d}/data.jsonl', lines=True, dtype=False) if kind == 'jsonl' else pd.read_csv(f'{d}/data.csv', dtype=str)
            for column in ['label', 'true_label']:
                loaded = [f.int2str(v) for v in ds[column]]
                written = [str(v) for v in table[column]]
                expected = [names[int(v)] for v in written] if d.endswith('_id') else written
                assert loaded == expected, (d, column, loaded[:5], expected[:5])
        print('ok')
        """], in: dir, environment: environment)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
        // Only a CSV of names that read as numbers lists the features in `configs`: other cards keep their bytes.
        for d in ["n_csv_name", "i_csv_name", "n_csv_id", "n_jsonl_name"] {
            let card = try String(contentsOfFile: "\(dir)/\(d)/README.md", encoding: .utf8)
            let header = card.components(separatedBy: "dataset_info:")[0]
            #expect(header.contains("  features:\n") == d.hasSuffix("csv_name"), "\(d): \(header)")
        }
    }
}
