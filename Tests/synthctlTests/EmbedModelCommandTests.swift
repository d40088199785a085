import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// The all-MiniLM-L6-v2 directory scripts/test.sh downloads (as EvalTests
/// find it): `SYNTHCTL_TEST_MINILM`, else its default place.
let miniLMDirectory: String = ProcessInfo.processInfo.environment["SYNTHCTL_TEST_MINILM"]
    ?? ((ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache") + "/synthctl-tests/all-MiniLM-L6-v2")
let miniLMIsPresent = FileManager.default.fileExists(atPath: miniLMDirectory + "/model.safetensors")

/// `synthctl embed --model` and `--text-model` end to end: the library's
/// vectors in the file, the Parquet form, the summary naming the model,
/// and one line with exit code 2 for each refusal.
extension CommandLineTests {
    static let modelTexts = ["The cat sat on the mat.", "A dog barked at the mailman!", "", "中文 text, with accents: café naïve",
                             "The cat sat on the mat.", String(repeating: "a long text of many words ", count: 60)]

    /// The .npy holds SentenceTransformer.embed's vectors, bit for bit
    /// (one block of texts, the same batches), from a text file and from
    /// standard output alike; the summary names the model and its settings.
    @Test(.enabled(if: miniLMIsPresent, "needs all-MiniLM-L6-v2 (scripts/test.sh downloads it)"))
    func embedWithAModelWritesTheLibrarysVectors() throws {
        let dir = tempDir()
        try (Self.modelTexts.joined(separator: "\n") + "\n").write(toFile: "\(dir)/t.txt", atomically: true, encoding: .utf8)
        let r = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "e.npy"], in: dir, environment: ["XDG_CACHE_HOME": "\(dir)/xdg"])
        #expect(r.code == 0, "\(r.stderr)")
        let name = URL(fileURLWithPath: miniLMDirectory).standardizedFileURL.lastPathComponent
        #expect(r.stderr == "synthctl: embedded 6 texts (lines of t.txt) as 6 × 384 float32 in e.npy; model \(name) "
            + "(BERT, 6 layers, 384 dimensions, mean pooling, L2-normalized, max_seq_length 256); 0 of 6 vectors from the cache in "
            + "\(dir)/xdg/synthctl/embeddings\n")
        // The library's bits, with the kernels this process runs: on a CPU that
        // OpenBLAS takes for a Prescott, synthctl re-executes itself with SkylakeX
        // or Haswell ones (as the runs here and below do), whose sums round differently.
        let same = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "same.npy", "--no-cache"], in: dir,
                           environment: ["OPENBLAS_CORETYPE": BLAS.kernelCore])
        #expect(same.code == 0, "\(same.stderr)")
        let got = try NpyArray(path: "\(dir)/same.npy")
        let want = try SentenceTransformer(directory: miniLMDirectory).embed(Self.modelTexts, threads: 2)
        #expect(got.shape == [6, 384] && got.values == want.map(Double.init))
        // Every thread count writes the same bytes, and so does standard output.
        let one = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "one.npy", "--threads", "1"], in: dir)
        #expect(one.code == 0, "\(one.stderr)")
        let piped = try launch("/bin/sh", ["-c", "'\(Self.binary)' embed t.txt --embedder sentence-transformer --model '\(miniLMDirectory)' --out - > piped.npy"], in: dir,
                                environment: ["XDG_CACHE_HOME": temporary.directory("xdg-cache")])
        #expect(piped.code == 0, "\(piped.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/e.npy"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/one.npy")) == bytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/piped.npy")) == bytes)
        // A Hugging Face cache snapshot is named by the repository it caches, not its commit.
        let snapshots = "\(dir)/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots"
        try FileManager.default.createDirectory(atPath: snapshots, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: snapshots + "/c9745ed1d9f207416be6d2e6f8de32d1f16199bf", withDestinationPath: miniLMDirectory)
        let cached = try run(["embed", "t.txt", "--model", snapshots + "/c9745ed1d9f207416be6d2e6f8de32d1f16199bf/", "--out", "cached.npy"], in: dir)
        #expect(cached.code == 0 && cached.stderr.contains("; model sentence-transformers/all-MiniLM-L6-v2 (BERT, 6 layers"), "\(cached.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/cached.npy")) == bytes)
    }

    /// A .parquet output holds the input's columns and the vectors as
    /// list<float> of 384, equal to the .npy's rows, as pyarrow reads them:
    /// from a CSV (its id column typed int64), from a text file (read a
    /// block at a time) and from a Parquet table written by pandas.
    @Test(.enabled(if: miniLMIsPresent && pythonHasParquetReaders, "needs all-MiniLM-L6-v2 and python3 with pyarrow"))
    func embedWithAModelWritesParquet() throws {
        let dir = tempDir()
        let made = try python("""
        import pandas as pd, os, json
        os.chdir('\(dir)')
        d = pd.DataFrame({'id': range(6), 'text': json.loads('''\(String(decoding: try JSONEncoder().encode(Self.modelTexts), as: UTF8.self))''')})
        d.to_csv('t.csv', index=False)
        d.to_parquet('t.parquet', index=False)
        open('t.txt', 'w', encoding='utf-8').write(''.join(t + '\\n' for t in d['text']))
        """)
        #expect(made.code == 0, "\(made.stderr)")
        for (input, out) in [("t.csv", "e.parquet"), ("t.csv", "e.npy"), ("t.txt", "l.parquet"), ("t.parquet", "p.parquet")] {
            let r = try run(["embed", input, "--model", miniLMDirectory, "--out", out], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let check = try python("""
        import numpy as np, pyarrow as pa, pyarrow.parquet as pq, os
        os.chdir('\(dir)')
        t = pq.read_table('e.parquet')
        assert t.column_names == ['id', 'text', 'embedding'], t.column_names
        assert t.schema.field('id').type == pa.int64()
        assert t.schema.field('embedding').type in (pa.list_(pa.float32()), pa.list_(pa.field('element', pa.float32()))), t.schema
        e = np.array(t.column('embedding').to_pylist(), dtype=np.float32)
        a = np.load('e.npy')
        assert e.shape == (6, 384) and a.shape == (6, 384) and (e == a).all()
        l, p = pq.read_table('l.parquet'), pq.read_table('p.parquet')
        assert l.column_names == ['text', 'embedding'] and p.column_names == ['id', 'text', 'embedding'], (l.column_names, p.column_names)
        assert l.column('text').to_pylist() == t.column('text').to_pylist() == p.column('text').to_pylist()
        assert p.column('id').to_pylist() == list(range(6))
        for other in (l, p):
            assert (np.array(other.column('embedding').to_pylist(), dtype=np.float32) == a).all()
        # The same text twice: one vector up to sgemm's rounding at two places of a batch.
        assert abs(np.linalg.norm(a[0]) - 1) < 1e-6 and np.abs(a[0] - a[4]).max() < 1e-6
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    /// Every refusal of --model is one line naming the directory or the
    /// options, with exit code 2, before any text is embedded.
    @Test func embedModelRefusalsAreOneLine() throws {
        let dir = tempDir()
        try "a text\n".write(toFile: "\(dir)/t.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(dir)/empty-model", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/torch-model", withIntermediateDirectories: true)
        try "PK".write(toFile: "\(dir)/torch-model/pytorch_model.bin", atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--model", "missing"], "missing: expected a sentence-transformers model directory, found nothing there"),
            (["--model", "t.txt"], "t.txt: expected a sentence-transformers model directory, found a file"),
            (["--model", "empty-model"], "empty-model: expected model.safetensors (the weights; synthctl does not read pickled PyTorch files), found no weights file"),
            (["--model", "torch-model"], "torch-model: expected model.safetensors (the weights; synthctl does not read pickled PyTorch files), found pytorch_model.bin only"),
            (["--model", "empty-model", "--tfidf"], "--model and --tfidf: give one (--tfidf sets the hashing embedder, --model embeds with a sentence-transformers model)"),
            (["--model", "empty-model", "--dimensions", "384"],
             "--model and --dimensions: give one (--dimensions sets the hashing embedder, --model embeds with a sentence-transformers model)"),
            (["--model", "empty-model", "--features", "16"], "--model and --features: give one"),
            (["--model", "empty-model", "--no-normalize"], "--model and --no-normalize: give one"),
            (["--model", "empty-model", "--seed", "0"], "--model and --seed: give one"),
            (["--model", "empty-model", "--embedder", "hashing"], "--embedder hashing and --model: give one (--model embeds with a sentence-transformers model)"),
            (["--embedder", "sentence-transformer"], "--embedder sentence-transformer needs --model DIR (a sentence-transformers model directory)"),
            (["--embedder", "bert"], "--embedder: expected hashing or sentence-transformer, found \"bert\""),
            (["--cache-dir", "c"], "--cache-dir goes with --model DIR (the cache keeps a model's embeddings; hashing needs none)"),
            (["--no-cache"], "--no-cache goes with --model DIR (the cache keeps a model's embeddings; hashing needs none)"),
            (["--model", "empty-model", "--cache-dir", "c", "--no-cache"], "--cache-dir and --no-cache: give one"),
            (["--model", "empty-model", "--cache-dir", ""], "--cache-dir: expected a directory, found an empty name"),
        ]
        for (args, line) in cases {
            let r = try run(["embed", "t.txt", "--out", "o.npy"] + args, in: dir)
            #expect(r.code == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("synthctl: error: " + line), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/o.npy"))
        // Hashing options keep their defaults without --model.
        let plain = try run(["embed", "t.txt", "--out", "o.npy", "--dimensions", "384", "--seed", "0", "--normalize"], in: dir)
        #expect(plain.code == 0 && plain.stderr.hasSuffix("hashing: word 1-grams, 1048576 buckets, signed, L2; projection: 8 nonzeros per bucket, seed 0\n"),
                "\(plain.stderr)")
    }

    /// --text-model in the commands that read a labeled set: score on the
    /// RTE hypotheses embedded by the model finds the label issues score
    /// finds on `embed --model`'s .npy of them, up to a few rows near the
    /// threshold: --text-columns embeds each distinct text once, `embed`
    /// every row, so their batches differ and the vectors differ in the
    /// last bits (``SentenceTransformer/embed(_:threads:)``). The hashing
    /// embedder's features, which --text-model replaces, are far off.
    @Test(.enabled(if: miniLMIsPresent, "needs all-MiniLM-L6-v2 (scripts/test.sh downloads it)"))
    func textColumnsEmbeddedByAModel() throws {
        let dir = tempDir()
        let embedded = try run(["embed", Self.rte, "--text-column", "hypothesis", "--model", miniLMDirectory, "--out", "h.npy"], in: dir)
        #expect(embedded.code == 0, "\(embedded.stderr)")
        let labels = try python("""
        import numpy as np, pandas as pd
        gold = pd.read_csv('\(Self.rte)').gold
        np.save('\(dir)/gold.npy', (gold == 'not_entailment').astype(np.int64).to_numpy())
        """)
        #expect(labels.code == 0, "\(labels.stderr)")
        let fromText = try run(["score", "--table", Self.rte, "--label-column", "gold", "--text-columns", "hypothesis", "--feature-columns", "hypothesis",
                                "--text-model", miniLMDirectory, "--json", "from-text.json"], in: dir)
        let fromNpy = try run(["score", "--features", "h.npy", "--labels", "gold.npy", "--json", "from-npy.json"], in: dir)
        let hashed = try run(["score", "--table", Self.rte, "--label-column", "gold", "--text-columns", "hypothesis", "--feature-columns", "hypothesis",
                              "--json", "hashed.json"], in: dir)
        #expect(fromText.code == 0 && fromNpy.code == 0 && hashed.code == 0, "\(fromText.stderr)\(fromNpy.stderr)\(hashed.stderr)")
        let check = try python("""
        import json, os
        os.chdir('\(dir)')
        a, b, h = (json.load(open(f + '.json'))['label_issues'] for f in ['from-text', 'from-npy', 'hashed'])
        assert a['input']['features'] == 384 and a['input']['rows'] == 800, a['input']
        def apart(x, y): return sum(abs(p - q) for r, s in zip(x['confident_joint'], y['confident_joint']) for p, q in zip(r, s))
        assert apart(a, b) <= 4, (a['confident_joint'], b['confident_joint'])
        assert apart(h, b) > 12, (h['confident_joint'], b['confident_joint'])  # 24 on an AMD EPYC
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    /// The RTE texts end to end with the model, as the README's text
    /// example runs them: the crowd's answers scored against gold; label
    /// issues on the pairs embedded by the model; a made-up synthetic set
    /// (every third word of each text and hypothesis dropped) compared with
    /// the human pairs and its learning curves drawn. One cache serves the
    /// three commands, so each later one finds the texts an earlier one
    /// embedded; each names the model and the cache's share in its summary,
    /// and the model alone in its JSON report (which a warm cache leaves
    /// the same bytes).
    @Test(.enabled(if: miniLMIsPresent, "needs all-MiniLM-L6-v2 (scripts/test.sh downloads it)"))
    func rteTextsEndToEndWithTheModel() throws {
        let dir = tempDir()
        let answers = URL(fileURLWithPath: Self.rte).deletingLastPathComponent().appendingPathComponent("answers.csv").path
        let made = try python(Self.writingDroppedWordsSet(in: dir) + """
        t, h, st, sh = set(d.text), set(d.hypothesis), set(s.text), set(s.hypothesis)
        # limits finds in the cache the shortened hypotheses that score or compare embedded as some text.
        print(len(t), len(h), len(t & h), len(st), len(sh), len(st) + len(sh & (t | h | st)), len(st & (t | h)))
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let counts = made.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(counts.count == 7)
        let (texts, hypotheses, shared, droppedTexts, droppedHypotheses) = (counts[0], counts[1], counts[2], counts[3], counts[4])
        let (droppedHits, droppedTextHits) = (counts[5], counts[6])
        let model = ["--text-model", miniLMDirectory, "--cache-dir", "cache"]
        let pair = ["--label-column", "gold", "--text-columns", "text,hypothesis", "--feature-columns", "text,hypothesis"]
        let described = "embedded by model \(URL(fileURLWithPath: miniLMDirectory).standardizedFileURL.lastPathComponent) "
            + "(BERT, 6 layers, 384 dimensions, mean pooling, L2-normalized, max_seq_length 256)"

        let crowd = try run(["score", "--answers", answers, "--gold", Self.rte, "--json", "crowd.json"], in: dir)
        #expect(crowd.code == 0, "\(crowd.stdout)\(crowd.stderr)")
        // A text in both columns is embedded once: the second column finds it.
        let score = try run(["score", "--table", Self.rte, "--json", "score.json"] + pair + model, in: dir)
        #expect(score.code == 0, "\(score.stdout)\(score.stderr)")
        #expect(score.stdout.contains("note: \(Self.rte): columns \"text\", \"hypothesis\" \(described); \(shared) of \(texts + hypotheses) vectors from the cache in cache\n"),
                "\(score.stdout)")
        // The human texts come from the cache; the synthetic ones are embedded.
        let lean = ["--label-column", "gold", "--text-columns", "text", "--feature-columns", "text", "--detector", "logistic",
                    "--no-per-class", "--size-draws", "0", "--kid-subsets", "2"]
        let compare = try run(["compare", "--human", Self.rte, "--synthetic", "dropped.jsonl", "--json", "compare.json"] + lean + model, in: dir)
        #expect(compare.code == 0, "\(compare.stdout)\(compare.stderr)")
        #expect(compare.stdout.contains("note: \(Self.rte): column \"text\" \(described); \(texts) of \(texts) vectors from the cache in cache\n"),
                "\(compare.stdout)")
        #expect(compare.stdout.contains("note: dropped.jsonl: column \"text\" \(described); \(droppedTextHits) of \(droppedTexts) vectors from the cache in cache\n"),
                "\(compare.stdout)")
        #expect(compare.stdout.contains("\nVerdict: distinguishable: held-out detection AUC "), "\(compare.stdout)")
        let limits = try run(["limits", "--human", Self.rte, "--synthetic", "dropped.jsonl", "--json", "limits.json"] + pair + model, in: dir)
        #expect(limits.code == 0 && limits.stdout.contains("560 human training rows, 800 synthetic rows"), "\(limits.stdout)\(limits.stderr)")
        #expect(limits.stdout.contains("note: \(Self.rte): columns \"text\", \"hypothesis\" \(described); "
                                       + "\(texts + hypotheses) of \(texts + hypotheses) vectors from the cache in cache\n"), "\(limits.stdout)")
        #expect(limits.stdout.contains("note: dropped.jsonl: columns \"text\", \"hypothesis\" \(described); \(droppedHits) of \(droppedTexts + droppedHypotheses) vectors"),
                "\(limits.stdout)")
        // Again with the cache warm: the same report, byte for byte.
        let again = try run(["compare", "--human", Self.rte, "--synthetic", "dropped.jsonl", "--json", "again.json"] + lean + model, in: dir)
        #expect(again.code == 0 && again.stdout.contains("\(droppedTexts) of \(droppedTexts) vectors from the cache"), "\(again.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/compare.json")) == Data(contentsOf: URL(fileURLWithPath: "\(dir)/again.json")))
        let check = try python("""
        import json, os
        os.chdir('\(dir)')
        a = json.load(open('crowd.json'))['annotations']
        assert a['majority_vote']['accuracy'] > 0.85 and a['dawid_skene']['accuracy'] > 0.9, (a['majority_vote'], a['dawid_skene'])
        s = json.load(open('score.json'))
        assert s['label_issues']['input']['features'] == 768 and s['label_issues']['input']['rows'] == 800, s['label_issues']['input']
        c = json.load(open('compare.json'))
        assert c['input_notes'] == {'human': ['column "text" \(described)'], 'synthetic': ['column "text" \(described)']}, c['input_notes']
        assert c['compare']['input']['features'] == 384, c['compare']['input']
        assert c['compare']['synthetic']['privacy']['exact_copy_share'] == 0, c['compare']['synthetic']['privacy']
        l = json.load(open('limits.json'))
        assert l['input_notes']['human'] == ['columns "text", "hypothesis" \(described)'], l['input_notes']
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stdout)\(check.stderr)")
    }

    /// --text-model's refusals: without --text-columns, and a directory
    /// that holds no model; one line each, exit 2.
    @Test func textModelRefusalsAreOneLine() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: "\(dir)/empty-model", withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            (["score", "--table", Self.rte, "--label-column", "gold", "--text-model", "empty-model"],
             "--text-model goes with --text-columns NAMES (it embeds those columns)"),
            (["score", "--table", Self.rte, "--label-column", "gold", "--text-columns", "hypothesis", "--feature-columns", "hypothesis", "--text-model", "empty-model"],
             "empty-model: expected model.safetensors (the weights; synthctl does not read pickled PyTorch files), found no weights file"),
            (["limits", "--human", Self.rte, "--synthetic", Self.rte, "--label-column", "gold", "--text-columns", "text", "--feature-columns", "text",
              "--text-model", "nowhere"], "nowhere: expected a sentence-transformers model directory, found nothing there"),
            (["compare", "--human", Self.rte, "--synthetic", Self.rte, "--label-column", "gold", "--text-columns", "text", "--feature-columns", "text",
              "--cache-dir", "c"], "--cache-dir goes with --text-model DIR (the cache keeps a model's embeddings; hashing needs none)"),
        ]
        for (args, line) in cases {
            let r = try run(args, in: dir)
            #expect(r.code == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("synthctl: error: " + line), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }

    /// A cache of more shards than the soft limit on open files (24 here,
    /// 41 shards, each as the format says: one vector of a known text) is
    /// read whole: `embed` raises the soft limit to the hard one, and the
    /// .npy holds the shards' vectors.
    @Test(.enabled(if: miniLMIsPresent, "needs all-MiniLM-L6-v2 (scripts/test.sh downloads it)"))
    func aCacheOfManyShardsIsReadPastTheSoftFileLimit() throws {
        let dir = tempDir()
        try (0..<40).map { "text number \($0)\n" }.joined().write(toFile: "\(dir)/t.txt", atomically: true, encoding: .utf8)
        try "seed\n".write(toFile: "\(dir)/seed.txt", atomically: true, encoding: .utf8)
        // A first run makes the model's directory in the cache.
        let first = try run(["embed", "seed.txt", "--model", miniLMDirectory, "--cache-dir", "cache", "--out", "s.npy"], in: dir)
        #expect(first.code == 0, "\(first.stderr)")
        let made = try python("""
        import hashlib, os, struct, zlib, numpy as np
        os.chdir('\(dir)')
        (model,) = os.listdir('cache')
        for k in range(40):
            v = (np.arange(384, dtype=np.float32) + k).tobytes()
            key = hashlib.sha256(f'text number {k}'.encode()).digest()
            shard = b'SYNTHCTL-EMB-1\\n\\0' + struct.pack('<II', 384, 1) + key + struct.pack('<I', zlib.crc32(v)) + v
            open(f'cache/{model}/made{k:02d}.embeddings', 'wb').write(shard)
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let r = try launch("/bin/sh", ["-c", "ulimit -Sn 24 && exec \"$0\" \"$@\"", Self.binary, "embed", "t.txt", "--model", miniLMDirectory,
                                       "--cache-dir", "cache", "--out", "e.npy"], in: dir)
        #expect(r.code == 0 && r.stderr.contains("40 of 40 vectors from the cache"), "\(r.stderr)")
        let check = try python("""
        import numpy as np, os
        os.chdir('\(dir)')
        e = np.load('e.npy')
        assert (e == np.arange(384, dtype=np.float32)[None, :] + np.arange(40, dtype=np.float32)[:, None]).all()
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    /// The embedding cache end to end: a second `embed` takes every vector
    /// from `--cache-dir` and writes the same bytes; `--no-cache` embeds
    /// afresh and keeps nothing; the default directory is under
    /// $XDG_CACHE_HOME; a --cache-dir that cannot be made is one line, and
    /// the default one that cannot is a note, the run going on.
    @Test(.enabled(if: miniLMIsPresent, "needs all-MiniLM-L6-v2 (scripts/test.sh downloads it)"))
    func aSecondEmbedTakesItsVectorsFromTheCache() throws {
        let dir = tempDir()
        // Distinct texts: a text twice in one run is kept once, with the
        // vector of its first place, which may differ in the last bits
        // from its second place's (SentenceTransformer.embed).
        let texts = Self.modelTexts.enumerated().filter { Self.modelTexts.firstIndex(of: $0.element) == $0.offset }.map(\.element)
        try texts.joined(separator: "\n").appending("\n").write(toFile: "\(dir)/t.txt", atomically: true, encoding: .utf8)
        let n = texts.count
        let cold = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "a.npy", "--cache-dir", "c"], in: dir)
        #expect(cold.code == 0 && cold.stderr.hasSuffix("; 0 of \(n) vectors from the cache in c\n"), "\(cold.stderr)")
        let warm = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "b.npy", "--cache-dir", "c"], in: dir)
        #expect(warm.code == 0 && warm.stderr.hasSuffix("; \(n) of \(n) vectors from the cache in c\n"), "\(warm.stderr)")
        #expect(FileManager.default.contents(atPath: "\(dir)/a.npy") == FileManager.default.contents(atPath: "\(dir)/b.npy"))
        let none = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "n.npy", "--no-cache"], in: dir,
                           environment: ["XDG_CACHE_HOME": "\(dir)/xdg"])
        #expect(none.code == 0 && !none.stderr.contains("cache") && !FileManager.default.fileExists(atPath: "\(dir)/xdg"), "\(none.stderr)")
        let byDefault = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "d.npy"], in: dir, environment: ["XDG_CACHE_HOME": "\(dir)/xdg"])
        #expect(byDefault.stderr.hasSuffix("; 0 of \(n) vectors from the cache in \(dir)/xdg/synthctl/embeddings\n"), "\(byDefault.stderr)")
        let blocked = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "e.npy", "--cache-dir", "t.txt/cache"], in: dir)
        #expect(blocked.code == 2 && blocked.stderr == "synthctl: error: t.txt/cache: expected a directory the embedding cache can be kept in, found a path where none can be created\n",
                "\(blocked.stderr)")
        let noted = try run(["embed", "t.txt", "--model", miniLMDirectory, "--out", "e.npy"], in: dir, environment: ["XDG_CACHE_HOME": "\(dir)/t.txt"])
        #expect(noted.code == 0 && noted.stderr.hasPrefix("synthctl: note: embedding without a cache: \(dir)/t.txt/synthctl/embeddings: expected a directory"),
                "\(noted.stderr)")
        #expect(FileManager.default.contents(atPath: "\(dir)/e.npy") == FileManager.default.contents(atPath: "\(dir)/a.npy"))
    }
}
