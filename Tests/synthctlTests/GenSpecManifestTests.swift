import Testing
import Foundation

/// A manifest regenerates its dataset as it was written: `gen --spec
/// t.parquet.manifest.json` wrote an npy directory, and with `--format
/// parquet` other bytes (labels int32 → string, SNAPPY → ZSTD); so did
/// `--directory` and shard manifests. And a fresh tester's two smaller
/// findings: `--label-format id` for a generator without class labels was
/// recorded, and some `score` reports had no `schemas` for their answers.
extension CommandLineTests {
    /// Every file under `dir`, by its path relative to `dir`.
    func tree(_ dir: String) -> [String: Data] {
        var out = [String: Data]()
        let fm = FileManager.default
        for name in (fm.subpaths(atPath: dir) ?? []) {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: "\(dir)/\(name)", isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = fm.contents(atPath: "\(dir)/\(name)")
            }
        }
        return out
    }

    @Test func aManifestWritesItsDatasetAgainInEveryFormLabelFormatCompressionAndShard() throws {
        let dir = tempDir()
        var cases = 0
        for format in ["csv", "jsonl", "parquet"] {
            for labels in ["name", "id"] {
                for compression in format == "parquet" ? ["zstd", "snappy", "none"] : [nil] {
                    for directory in [false, true] {
                        for shard in [nil, "2/3"] as [String?] {
                            if directory && format == "parquet" && shard != nil { continue }  // refused: the parts' directory
                            cases += 1
                            let a = "\(dir)/\(cases)a", b = "\(dir)/\(cases)b"
                            try FileManager.default.createDirectory(atPath: a, withIntermediateDirectories: false)
                            try FileManager.default.createDirectory(atPath: b, withIntermediateDirectories: false)
                            let name = directory || (format == "parquet" && shard != nil) ? "t" : "t.\(format)"
                            var args = ["gen", "--preset", "crowd", "--rows", "300", "--format", format, "--label-format", labels, "--quiet"]
                            if let compression { args += ["--compression", compression] }
                            if directory { args.append("--directory") }
                            if let shard { args += ["--shard", shard] }
                            let what = args.dropFirst(5).joined(separator: " ")
                            let first = try run(args + ["--out", "\(a)/\(name)"])
                            #expect(first.code == 0, "\(what): \(first.stderr)")
                            let written = tree(a)
                            let manifests = written.keys.filter { $0.hasSuffix("manifest.json") }
                            #expect(manifests.count == 1, "\(what): \(written.keys.sorted())")
                            guard let manifest = manifests.first else { continue }
                            let again = try run(["gen", "--spec", "\(a)/\(manifest)", "--out", "\(b)/\(name)", "--quiet"])
                            #expect(again.code == 0, "\(what): \(again.stderr)")
                            // Every file: the data, the manifest, the card and croissant.json.
                            let rewritten = tree(b)
                            #expect(rewritten.keys.sorted() == written.keys.sorted(), "\(what)")
                            for (file, bytes) in written { #expect(rewritten[file] == bytes, "\(what): \(file)") }
                        }
                    }
                }
            }
        }
        #expect(cases == 34)
        // The .npy form, whole and a shard, as before.
        for shard in [[], ["--shard", "2/3"]] {
            #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--out", "n", "--force", "--quiet"] + shard, in: dir).code == 0)
            #expect(try run(["gen", "--spec", "n/manifest.json", "--out", "n2", "--force", "--quiet"], in: dir).code == 0)
            #expect(tree("\(dir)/n2") == tree("\(dir)/n") && tree("\(dir)/n").keys.contains("features.npy"))
        }
    }

    @Test func flagsOverrideWhatAManifestRecords() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--preset", "crowd", "--rows", "200", "--format", "parquet", "--compression", "zstd",
                         "--label-format", "id", "--out", "t.parquet"], in: dir).code == 0)
        // --compression: the rest as recorded (z2 has the default, Snappy).
        #expect(try run(["gen", "--spec", "t.parquet.manifest.json", "--compression", "snappy", "--out", "z.parquet"], in: dir).code == 0)
        #expect(try run(["gen", "--preset", "crowd", "--rows", "200", "--format", "parquet", "--label-format", "id", "--out", "z2.parquet"], in: dir).code == 0)
        #expect(contents(dir, "z.parquet") == contents(dir, "z2.parquet") && contents(dir, "z.parquet") != contents(dir, "t.parquet"))
        // --format csv: the label format carries over, the compression does not apply.
        #expect(try run(["gen", "--spec", "t.parquet.manifest.json", "--format", "csv", "--out", "c.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--preset", "crowd", "--rows", "200", "--format", "csv", "--label-format", "id", "--out", "c2.csv"], in: dir).code == 0)
        #expect(contents(dir, "c.csv") == contents(dir, "c2.csv") && contents(dir, "c.csv") != nil)
        // --format npy: a dataset directory, nothing of the table's settings.
        #expect(try run(["gen", "--spec", "t.parquet.manifest.json", "--format", "npy", "--out", "n"], in: dir).code == 0)
        #expect(FileManager.default.fileExists(atPath: "\(dir)/n/features.npy"))
        // --no-directory: a directory manifest's table as one file, the same bytes as data.csv.
        #expect(try run(["gen", "--preset", "crowd", "--rows", "200", "--format", "csv", "--directory", "--out", "d"], in: dir).code == 0)
        #expect(try run(["gen", "--spec", "d/manifest.json", "--no-directory", "--out", "one.csv"], in: dir).code == 0)
        #expect(contents(dir, "one.csv") == contents(dir, "d/data.csv") && contents(dir, "one.csv") != nil)
        // --out -: one table on standard output, not the recorded directory.
        let streamed = try run(["gen", "--spec", "d/manifest.json", "--out", "-"], in: dir)
        #expect(streamed.code == 0, "\(streamed.stderr)")
        #expect(Data(streamed.stdout.utf8) == contents(dir, "d/data.csv"))
        // A csv or jsonl table on standard output records no format
        // (its manifest keeps the bytes of the file's): the defaults, as before.
        #expect(try run(["gen", "--preset", "crowd", "--rows", "100", "--format", "jsonl", "--out", "-", "--manifest", "m.json"], in: dir).code == 0)
        #expect(try run(["gen", "--spec", "m.json", "--out", "o"], in: dir).code == 0)
        #expect(FileManager.default.fileExists(atPath: "\(dir)/o/features.npy"))
    }

    @Test func labelIdsNeedAGeneratorWithClasses() throws {
        let dir = tempDir()
        for (preset, format) in [("regression", "csv"), ("regression", "parquet")] {
            let r = try run(["gen", "--preset", preset, "--rows", "50", "--format", format, "--label-format", "id", "--out", "r.\(format)"], in: dir)
            #expect(r.code == 2)
            #expect(r.stderr == "synthctl: error: --label-format id: expected a generator with class labels, found the regression generator (a regression dataset has no class labels to write as ids; leave out --label-format)\n")
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/r.\(format)"))
        }
        let multilabel = try run(["gen", "--generator", "multilabel", "--rows", "50", "--format", "jsonl", "--label-format", "id", "--out", "m.jsonl"], in: dir)
        #expect(multilabel.code == 2)
        #expect(multilabel.stderr.contains("found the multilabel generator (a multilabel dataset has no class labels"))
        // Names (the default) are fine.
        #expect(try run(["gen", "--preset", "regression", "--rows", "50", "--format", "csv", "--label-format", "name", "--out", "ok.csv"], in: dir).code == 0)
        // A manifest that recorded ids for a regression table: passed over, not recorded again.
        let edited = try python("""
        import json; m = json.load(open('\(dir)/ok.csv.manifest.json')); m['files']['ok.csv']['label_format'] = 'id'
        json.dump(m, open('\(dir)/ids.json', 'w'))
        """)
        #expect(edited.code == 0, "\(edited.stderr)")
        let again = try run(["gen", "--spec", "ids.json", "--out", "again.csv"], in: dir)
        #expect(again.code == 0, "\(again.stderr)")
        #expect(contents(dir, "again.csv") == contents(dir, "ok.csv"))
        #expect(contents(dir, "again.csv.manifest.json").map { String(decoding: $0, as: UTF8.self).contains("label_format") } == false)
    }

    @Test func everyScoreReportRecordsTheSchemasOfWhatItRead() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--out", "n"], in: dir).code == 0)
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--format", "csv", "--directory", "--out", "d"], in: dir).code == 0)
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--format", "parquet", "--out", "c.parquet"], in: dir).code == 0)
        for k in 1...2 {
            #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--format", "parquet", "--shard", "\(k)/2", "--out", "s"], in: dir).code == 0)
        }
        for (name, args) in [("npy", ["n"]), ("table-directory", ["d"]), ("sharded", ["s"]),
                             ("annotator-columns", ["--answers", "c.parquet", "--annotator-columns"])] {
            let r = try run(["score"] + args + ["--json", "\(name).json"], in: dir)
            #expect(r.code == 0, "\(name): \(r.stderr)")
        }
        // The answers as annotator_<a> columns with their missing cells, the gold as true_label.
        let check = try python("""
        import json, pandas as pd
        names = ['npy', 'table-directory', 'sharded', 'annotator-columns']
        schemas = {name: json.load(open(f'\(dir)/{name}.json'))['schemas'] for name in names}
        table = pd.read_csv('\(dir)/d/data.csv')
        n = schemas['npy']
        answers = [(c['name'], c['type'], c['missing'], tuple(c['categories'])) for c in n['answers']['columns']]
        expected = [(c, 'categorical', int(table[c].isna().sum()), ('class_0', 'class_1', 'class_2', 'class_3'))
                    for c in table.columns if c.startswith('annotator_')]
        assert answers == expected, (answers, expected)
        assert [c['name'] for c in n['gold']['columns']] == ['true_label'] and n['gold']['columns'][0]['missing'] == 0
        assert sorted(n) == ['answers', 'gold', 'labels'], sorted(n)
        for name in ['table-directory', 'sharded']:
            assert schemas[name] == n, name
        columns = schemas['annotator-columns']
        assert sorted(columns) == ['answers', 'gold'] and columns['answers'] == n['answers'] and columns['gold'] == n['gold'], columns
        print('ok')
        """)
        #expect(check.stdout == "ok\n", "\(check.stderr)")
    }
}
