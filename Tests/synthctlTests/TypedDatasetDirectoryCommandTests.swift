import Testing
import Foundation

/// The sets `gen --model` writes as a table directory or as sharded
/// Parquet parts read back with the types their tables hold (issue 15):
/// a directory reads as its data file does, and parts as the whole.
extension CommandLineTests {
    /// The model's JSON without what names its source (`fit`'s summary line
    /// names the input), as Python prints it.
    static let fittedColumns = """
    import json, sys
    for path in sys.argv[1:]:
        m = json.load(open(path))
        print(json.dumps([m['feature_names'], m['columns'], [c for c in m['schema']['columns'] if c['name'] != 'true_label']], sort_keys=True))
    """

    /// `fit` and `compare` on a `gen --model --directory` set in each table
    /// format see its integer, boolean and categorical columns as its data
    /// file gives them (the categorical one was dropped without a word);
    /// `score`, which reads numbers only, refuses the categorical column in
    /// one line naming it, as for the data file.
    @Test(.enabled(if: pythonHasPandasAndPyarrow, "needs python3 with numpy, pandas and pyarrow"),
          arguments: ["csv", "jsonl", "parquet"])
    func typedDirectoryReadsAsItsDataFile(_ format: String) throws {
        let dir = tempDir()
        let made = try pythonIn(dir, Self.typedHumanTable)
        #expect(made.code == 0, "\(made.stderr)")
        #expect(try run(["fit", "h.csv", "--out", "m.json"], in: dir).code == 0)
        let gen = try run(["gen", "--model", "m.json", "--rows", "400", "--format", format, "--directory", "--out", "d"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        let data = "d/data.\(format)"
        let fitDirectory = try run(["fit", "d", "--out", "fd.json"], in: dir)
        let fitFile = try run(["fit", data, "--out", "ff.json"], in: dir)
        #expect(fitDirectory.code == 0 && fitFile.code == 0, "\(fitDirectory.stderr) \(fitFile.stderr)")
        #expect(fitDirectory.stdout.contains("3 classes, 5 features (3 numeric, 1 boolean, 1 categorical)"), "\(fitDirectory.stdout)")
        #expect(fitDirectory.stdout.replacingOccurrences(of: "fd.json", with: "ff.json").replacingOccurrences(of: " d:", with: " \(data):")
                == fitFile.stdout, "\(fitDirectory.stdout)\n\(fitFile.stdout)")
        // The same feature columns, kinds and schema (the file's true_label column apart).
        let models = try pythonIn(dir, Self.fittedColumns.replacingOccurrences(of: "sys.argv[1:]", with: "['fd.json', 'ff.json']"))
        let lines = models.stdout.split(separator: "\n")
        #expect(models.code == 0 && lines.count == 2 && lines[0] == lines[1], "\(models.stdout) \(models.stderr)")
        #expect(lines.first?.contains("\"integer\"") == true && lines.first?.contains("\"boolean\"") == true
                && lines.first?.contains("\"categorical\"") == true, "\(models.stdout)")
        let compareDirectory = try run(["compare", "--synthetic", "d", "--human", "h.csv"], in: dir)
        let compareFile = try run(["compare", "--synthetic", data, "--human", "h.csv"], in: dir)
        #expect(compareDirectory.code == compareFile.code && compareDirectory.code != 2, "\(compareDirectory.stderr) \(compareFile.stderr)")
        #expect(compareDirectory.stdout.contains("5 features (3 numeric, 1 boolean, 1 categorical)"), "\(compareDirectory.stdout)")
        // The directory's manifest names its model, whose fingerprint finds the fitted rows in the holdout: a note the file alone has not.
        let note = "note: d: the synthetic set's model was fitted on 300 rows, 90 of them in the human holdout"
        #expect(compareDirectory.stdout.hasPrefix(note) && !compareFile.stdout.contains("note:"), "\(compareDirectory.stdout)")
        #expect(compareDirectory.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
                    .replacingOccurrences(of: "Synthetic d ", with: "Synthetic \(data) ") == compareFile.stdout)
        let scoreDirectory = try run(["score", "d"], in: dir)
        let scoreFile = try run(["score", "--table", data], in: dir)
        #expect(scoreDirectory.code == 2 && scoreFile.code == 2)
        #expect(scoreDirectory.stderr.contains("\"city\"") && scoreDirectory.stderr.split(separator: "\n").count == 1, "\(scoreDirectory.stderr)")
    }

    /// `gen --model --shard k/n` parts share one copy of the model, so
    /// their manifests describe one dataset: `score`, `fit` and `compare`
    /// read the parts as the unsharded set (same rows, same report), and
    /// `gen --spec PART_MANIFEST` writes that part and the copy again with
    /// the same bytes.
    @Test(.enabled(if: pythonHasPandasAndPyarrow, "needs python3 with numpy, pandas and pyarrow"))
    func shardedModelSetReadsAsTheWhole() throws {
        let dir = tempDir()
        // Numbers only (the categorical city dropped), so that score reads it too.
        let made = try pythonIn(dir, Self.typedHumanTable + "pd.read_csv('h.csv').drop(columns=['city']).to_csv('h.csv', index=False)\n")
        #expect(made.code == 0, "\(made.stderr)")
        #expect(try run(["fit", "h.csv", "--out", "m.json"], in: dir).code == 0)
        for k in 1...3 {
            let part = try run(["gen", "--model", "m.json", "--rows", "900", "--format", "parquet", "--shard", "\(k)/3", "--out", "ds"], in: dir)
            #expect(part.code == 0, "\(part.stderr)")
        }
        let whole = try run(["gen", "--model", "m.json", "--rows", "900", "--format", "parquet", "--directory", "--out", "whole"], in: dir)
        #expect(whole.code == 0, "\(whole.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/ds").sorted()
        #expect(files == ([".huggingface.yaml", "_model.json", "_model.safetensors"] + (1...3).flatMap { ["_part-0000\($0)-of-00003.parquet.manifest.json", "part-0000\($0)-of-00003.parquet"] }).sorted(), "\(files)")
        let check = try pythonIn(dir, """
        import json, pyarrow.parquet as pq
        specs = [json.load(open(f'ds/_part-0000{k}-of-00003.parquet.manifest.json')) for k in (1, 2, 3)]
        g = [s['spec']['generator'] for s in specs]
        assert all(x['model_file'] == '_model.json' and x['model_sha256'] == g[0]['model_sha256'] for x in g), g
        assert all(s['files']['_model.json'] == specs[0]['files']['_model.json'] for s in specs)
        assert json.load(open('ds/_model.json'))['tensors']['file'] == '_model.safetensors'
        assert pq.read_table('ds').num_rows == 900
        assert pq.read_table('ds').drop(['label_id', 'true_label_id']).equals(pq.read_table('whole/data.parquet').drop(['label_id', 'true_label_id']))
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
        for command in [["score", "SET", "--json", "OUT.json"], ["fit", "SET", "--out", "OUT.json"], ["compare", "--synthetic", "SET", "--human", "h.csv"]] {
            let parts = try run(command.map { $0 == "SET" ? "ds" : $0 == "OUT.json" ? "\(command[0])-p.json" : $0 }, in: dir)
            let one = try run(command.map { $0 == "SET" ? "whole" : $0 == "OUT.json" ? "\(command[0])-w.json" : $0 }, in: dir)
            #expect(parts.code == one.code && parts.code != 2, "\(command[0]): \(parts.stderr)")
            #expect(parts.stdout.replacingOccurrences(of: "-p.json", with: "-w.json").replacingOccurrences(of: "\\bds\\b", with: "whole", options: .regularExpression) == one.stdout,
                    "\(command[0]):\n\(parts.stdout)\n\(one.stdout)")
        }
        // The part again from its manifest: the same bytes, the shared copy included.
        let again = try run(["gen", "--spec", "ds/_part-00002-of-00003.parquet.manifest.json", "--format", "parquet", "--out", "ds2"], in: dir)
        #expect(again.code == 0, "\(again.stderr)")
        for name in ["part-00002-of-00003.parquet", "_part-00002-of-00003.parquet.manifest.json", "_model.json", "_model.safetensors"] {
            #expect(FileManager.default.contents(atPath: "\(dir)/ds2/\(name)") == FileManager.default.contents(atPath: "\(dir)/ds/\(name)"), "\(name)")
        }
        // A part written again into the set (--force) leaves the shared copy in place.
        let forced = try run(["gen", "--model", "m.json", "--rows", "900", "--format", "parquet", "--shard", "3/3", "--out", "ds", "--force"], in: dir)
        #expect(forced.code == 0, "\(forced.stderr)")
        #expect(try run(["score", "ds"], in: dir).code == 0)
    }
}
