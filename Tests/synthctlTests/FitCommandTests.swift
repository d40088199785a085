import Testing
import Foundation

/// `synthctl fit` and `synthctl gen --model` end to end.
extension CommandLineTests {
    /// A model fitted to a generated set samples the same bytes for any
    /// thread count and any sharding; its manifest names the model's copies
    /// in the dataset directory by SHA-256, and its tensors are what
    /// Python's `safetensors` reads.
    @Test func fittedModelSamplesDeterministically() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "2000", "--out", "d"], in: dir).code == 0)
        let fit = try run(["fit", "d", "--out", "m.json", "--json", "fit.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        #expect(fit.stdout.hasPrefix("fitted a class-conditional Gaussian to 2000 rows of d: 3 classes, 20 features; shrinkage λ "))
        #expect(try run(["gen", "--model", "m.json", "--rows", "3000", "--out", "one", "--threads", "1"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "m.json", "--rows", "3000", "--out", "two", "--threads", "2"], in: dir).code == 0)
        for k in 1...3 {
            #expect(try run(["gen", "--model", "m.json", "--rows", "3000", "--shard", "\(k)/3", "--out", "s\(k)"], in: dir).code == 0)
        }
        let check = try python("""
        import hashlib, json, numpy as np, safetensors.numpy
        a, b = np.load('\(dir)/one/features.npy'), np.load('\(dir)/two/features.npy')
        assert a.shape == (3000, 20) and (a == b).all()
        shards = np.concatenate([np.load(f'\(dir)/s{k}/features.npy') for k in (1, 2, 3)])
        assert (shards == a).all()
        labels = np.load('\(dir)/one/labels.npy')
        m = json.load(open('\(dir)/m.json'))
        f = json.load(open('\(dir)/fit.json'))['fit']
        assert f['model'] == 'gaussian' and f['rows'] == 2000 and len(f['classes']) == 3 and all(0 <= c['shrinkage'] <= 1 for c in f['classes'])
        assert m['format'] == 'synthctl-model' and m['format_version'] == 3 and len(m['classes']) == 3
        assert m['tensors']['file'] == 'm.safetensors' and 'mean' not in m['classes'][0]
        manifest = json.load(open('\(dir)/one/manifest.json'))
        g = manifest['spec']['generator']
        assert g['type'] == 'gaussian_model' and g['model_file'] == 'model.json' and 'classes' not in g
        assert g['model_sha256'] == manifest['files']['model.json']['sha256'] == hashlib.sha256(open('\(dir)/one/model.json', 'rb').read()).hexdigest()
        assert g['tensors_sha256'] == manifest['files']['model.safetensors']['sha256'] == m['tensors']['sha256']
        copy = json.load(open('\(dir)/one/model.json'))
        assert copy['classes'] == m['classes'] and copy['tensors']['file'] == 'model.safetensors'
        assert open('\(dir)/one/model.safetensors', 'rb').read() == open('\(dir)/m.safetensors', 'rb').read()
        # The tensors as Python's safetensors reads them: float64, the shapes stated, a lower-triangular factor.
        t = safetensors.numpy.load_file('\(dir)/m.safetensors')
        # and the fingerprint of the 2000 fitted rows (issue 16): distinct 52-bit hashes, ascending.
        assert sorted(t) == sorted([f'classes.{c}.{n}' for c in range(3) for n in ('mean', 'cholesky')] + ['fitted_rows.hashes'])
        h = t['fitted_rows.hashes']
        assert m['fitted_rows']['rows'] == 2000 and h.shape == (m['fitted_rows']['distinct'],) and (np.diff(h) > 0).all() and h.max() < 2**52
        assert t['classes.0.mean'].dtype == np.float64 and t['classes.0.mean'].shape == (20,) and t['classes.2.cholesky'].shape == (20, 20)
        assert (np.triu(t['classes.1.cholesky'], 1) == 0).all() and (np.diag(t['classes.1.cholesky']) > 0).all()
        # Their values are the model's: each class's mean and covariance as numpy computes them from the fitted rows.
        x, y = np.load('\(dir)/d/features.npy').astype(np.float64), np.load('\(dir)/d/labels.npy')
        for c in range(3):
            assert np.allclose(t[f'classes.{c}.mean'], x[y == c].mean(0), atol=1e-9)
        # class shares follow the fitted weights exactly (largest remainder)
        counts = np.bincount(labels, minlength=3) / 3000
        assert np.abs(counts - [c['weight'] for c in m['classes']]).max() < 1 / 3000 + 1e-12, counts
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        // Without --rows the model's own fit size is sampled.
        let own = try run(["gen", "--model", "m.json", "--out", "own"], in: dir)
        #expect(own.stdout.hasPrefix("wrote own: 2000 rows"), "\(own.stdout)")
    }

    @Test(arguments: [
        (["fit", "x.npy", "--out", "m.json"], "x.npy is a features .npy: give its labels with --labels FILE"),
        (["fit", "t.csv", "--out", "m.json", "--shrinkage", "2"], "--shrinkage: expected ledoit-wolf or a number in [0, 1], found \"2\""),
        (["fit", "t.csv", "--out", "m.json", "--model", "vae"], "--model: expected gaussian, mixture or copula, found \"vae\""),
        (["fit", "one.csv", "--out", "m.json"], "one.csv: class \"dog\": expected at least 2 rows to fit a covariance, found 1"),
        (["fit", "t.csv", "--out", "exists.json"], "exists.json: already exists (pass --force to replace it)"),
        (["gen", "--model", "bad.json"], "bad.json: format_version: expected 1, 2 or 3 (this synthctl's model formats), found 7"),
        (["gen", "--model", "bad.json", "--preset", "crowd"], "--preset, --spec and --model are alternatives: give one of them"),
    ])
    func fitBadInputExitsWithTwo(args: [String], message: String) throws {
        let dir = tempDir()
        try "a,b,label\n1,2,cat\n2,1,cat\n3,3,cat\n0,1,cat\n".write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        try "a,b,label\n1,2,cat\n2,1,cat\n3,3,cat\n0,1,dog\n".write(toFile: "\(dir)/one.csv", atomically: true, encoding: .utf8)
        try "{}".write(toFile: "\(dir)/exists.json", atomically: true, encoding: .utf8)
        try #"{"format": "synthctl-model", "format_version": 7}"#.write(toFile: "\(dir)/bad.json", atomically: true, encoding: .utf8)
        let r = try run(args, in: dir)
        #expect(r.code == 2, "\(r.stdout)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}

/// `synthctl collapse` end to end.
extension CommandLineTests {
    @Test func collapseReportsEveryGeneration() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "1000", "--out", "d"], in: dir).code == 0)
        for mode in ["replace", "accumulate"] {
            let r = try run(["collapse", "--human", "d", "--generations", "8", "--rows", "40", "--mode", mode, "--json", "\(mode).json",
                             "--markdown", "\(mode).md", "--html", "\(mode).html"], in: dir)
            let html = try String(contentsOfFile: "\(dir)/\(mode).html", encoding: .utf8)
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>") && html.components(separatedBy: "<svg").count == 4)
            #expect(!html.contains("<script") && html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "http") == nil)
            #expect(r.code == 0, "\(r.stderr)")
            let md = try String(contentsOfFile: "\(dir)/\(mode).md", encoding: .utf8)
            #expect(md.hasPrefix("## synthctl collapse (\(mode)): d\n") && md.split(separator: "\n").filter { $0.hasPrefix("| ") }.count == 10)
            #expect(r.stdout.hasPrefix("\(mode): 8 generations of 40 rows from a class-conditional Gaussian; human: 700 training rows, 300 held out"))
        }
        let check = try python("""
        import json
        rep = json.load(open('\(dir)/replace.json'))['collapse']['generations']
        acc = json.load(open('\(dir)/accumulate.json'))['collapse']['generations']
        assert [g['generation'] for g in rep] == list(range(1, 9))
        assert [g['trained_on_rows'] for g in rep] == [700] + [40] * 7
        assert [g['trained_on_rows'] for g in acc] == [700 + 40 * i for i in range(8)]
        assert rep[0] == acc[0]  # the first generation is fitted to the human rows either way
        assert all(0 <= g['accuracy'] <= 1 and g['frechet'] >= 0 for g in rep + acc)
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        let bad = try run(["collapse", "--human", "d", "--mode", "rewind"], in: dir)
        #expect(bad.code == 2 && bad.stderr.contains("--mode: expected replace or accumulate, found \"rewind\""))
        let few = try run(["collapse", "--human", "d", "--rows", "1"], in: dir)
        #expect(few.code == 2 && few.stderr.contains("--rows: expected an integer in [2, 1099511627776], found 1"))
    }
}

/// `synthctl limits` end to end.
extension CommandLineTests {
    @Test func limitsFitsThreeCurvesAndReportsTheExchangeRate() throws {
        let dir = tempDir()
        for shard in ["1/2", "2/2"] {
            #expect(try run(["gen", "--rows", "4000", "--seed", "5", "--shard", shard, "--out", "half\(shard.first!)"], in: dir).code == 0)
        }
        let r = try run(["limits", "--human", "half1", "--synthetic", "half2", "--seeds", "3", "--points", "6", "--json", "l.json",
                         "--markdown", "l.md", "--html", "l.html"], in: dir)
        let html = try String(contentsOfFile: "\(dir)/l.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("training rows n (log scale)") && html.contains("plateau c") && !html.contains("<script"))
        // Self-contained: the only URL is the SVG namespace.
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "http") == nil)
        #expect(r.code == 0, "\(r.stderr)")
        let md = try String(contentsOfFile: "\(dir)/l.md", encoding: .utf8)
        #expect(md.hasPrefix("## synthctl limits: half2 against half1\n") && md.contains("| human rows | human error | synthetic rows for the same error | 95% interval | per human row |"))
        #expect(r.stdout.contains("plateau gap (synthetic − human): "))
        #expect(r.stdout.contains("human+synthetic (140 human + n synthetic):"))
        let check = try python("""
        import json
        l = json.load(open('\(dir)/l.json'))['limits']
        names = [c['name'] for c in l['curves']]
        assert names == ['human', 'synthetic', 'human+synthetic'], names
        for c in l['curves']:
            assert len(c['points']) == 6 and all(len(p['errors']) == 3 for p in c['points'])
            assert 'fit' in c and c['fit']['plateau'] >= 0
        assert l['input']['human_training_rows'] == 1400 and l['input']['test_rows'] == 600
        assert len(l['exchange']) == 6
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        // From a fitted model instead of a synthetic set.
        #expect(try run(["fit", "half1", "--out", "m.json"], in: dir).code == 0)
        let m = try run(["limits", "--human", "half1", "--model", "m.json", "--seeds", "2", "--points", "4", "--learner", "knn"], in: dir)
        #expect(m.code == 0, "\(m.stderr)")
        let neither = try run(["limits", "--human", "half1"], in: dir)
        #expect(neither.code == 2 && neither.stderr.contains("give the synthetic rows: --synthetic FILE or --model FILE"))
        let points = try run(["limits", "--human", "half1", "--synthetic", "half2", "--points", "2"], in: dir)
        #expect(points.code == 2 && points.stderr.contains("--points: expected an integer in [3, 1000], found 2"))
    }
}

extension CommandLineTests {
    @Test(arguments: ["copula", "mixture"])
    func copulaAndMixtureModelsSampleDeterministically(model: String) throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "1500", "--out", "d"], in: dir).code == 0)
        let fit = try run(["fit", "d", "--model", model, "--components", "2", "--out", "c.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        #expect(fit.stdout.hasPrefix(model == "copula" ? "fitted a class-conditional Gaussian copula to 1500 rows of d: 3 classes, 20 features"
                                                       : "fitted a class-conditional Gaussian mixture (2 components per class) to 1500 rows of d: 3 classes, 20 features"))
        #expect(try run(["gen", "--model", "c.json", "--rows", "2000", "--out", "one", "--threads", "1"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "c.json", "--rows", "2000", "--out", "two", "--threads", "2"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "c.json", "--rows", "2000", "--shard", "2/2", "--out", "s2"], in: dir).code == 0)
        let check = try python("""
        import json, numpy as np, safetensors.numpy
        a, b, s = (np.load(f'\(dir)/{d}/features.npy') for d in ('one', 'two', 's2'))
        assert (a == b).all() and (s == a[1000:]).all()
        m = json.load(open('\(dir)/one/manifest.json'))['spec']['generator']
        m['model'] = json.load(open('\(dir)/one/' + m['model_file']))['model']
        assert (m['type'], m['model']) in [('copula_model', 'gaussian_copula'), ('mixture_model', 'gaussian_mixture')]
        # Every tensor as Python's safetensors reads it equals the file's bytes read as little-endian float64.
        raw = open('\(dir)/c.safetensors', 'rb').read()
        n = int.from_bytes(raw[:8], 'little'); header = json.loads(raw[8:8 + n])
        assert (8 + n) % 8 == 0
        for name, t in safetensors.numpy.load_file('\(dir)/c.safetensors').items():
            b0, b1 = header[name]['data_offsets']
            assert t.dtype == np.float64 and (t.ravel() == np.frombuffer(raw[8 + n + b0:8 + n + b1], '<f8')).all()
        if m['type'] == 'copula_model':  # the fitted tails reach beyond the fitted rows' range (issue 16; until then they stopped at it)
            x = np.load('\(dir)/d/features.npy')
            assert ((a < x.min(0)) | (a > x.max(0))).any(0).sum() >= 10, ((a < x.min(0)) | (a > x.max(0))).any(0)
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }
}

extension CommandLineTests {
    /// A dataset sampled from a model holds copies of the model's two files,
    /// listed in its manifest with their SHA-256, and regenerates itself:
    /// `gen --spec DIR/manifest.json`, from any working directory, writes
    /// the same bytes (the model read beside the manifest); a table and a
    /// sharded run too. The manifest names the model; it does not hold it.
    @Test func aDatasetSampledFromAModelRegeneratesItselfFromItsCopies() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "900", "--out", "h"], in: dir).code == 0)
        #expect(try run(["fit", "h", "--model", "copula", "--out", "m.json"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "m.json", "--rows", "700", "--out", "ds"], in: dir).code == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/ds").sorted()
        #expect(files == ["README.md", "croissant.json", "features.npy", "labels.npy", "manifest.json", "model.json", "model.safetensors", "noise_mask.npy", "true_labels.npy"])
        let manifest = try String(contentsOfFile: "\(dir)/ds/manifest.json", encoding: .utf8)
        #expect(!manifest.contains("cholesky") && !manifest.contains("quantiles") && manifest.utf8.count < 10_000)
        // From elsewhere: the spec's model_file is taken relative to the manifest.
        let elsewhere = tempDir()
        #expect(try run(["gen", "--spec", "\(dir)/ds/manifest.json", "--out", "again"], in: elsewhere).code == 0)
        for name in files {
            #expect(contents(dir, "ds/\(name)") == contents(elsewhere, "again/\(name)"), "\(name)")
        }
        // A table: the copies beside it, named after it.
        #expect(try run(["gen", "--model", "m.json", "--rows", "300", "--format", "jsonl", "--out", "t.jsonl"], in: dir).code == 0)
        #expect(try run(["gen", "--spec", "\(dir)/t.jsonl.manifest.json", "--format", "jsonl", "--out", "t.jsonl"], in: elsewhere).code == 0)
        for name in ["t.jsonl", "t.jsonl.manifest.json", "t.jsonl.model.json", "t.jsonl.model.safetensors"] {
            #expect(contents(dir, name) == contents(elsewhere, name) && (contents(dir, name)?.count ?? 0) > 0, "\(name)")
        }
        // A shard: its manifest writes that shard again.
        #expect(try run(["gen", "--model", "m.json", "--rows", "700", "--shard", "2/3", "--out", "s2"], in: dir).code == 0)
        #expect(try run(["gen", "--spec", "s2/manifest.json", "--out", "s2again"], in: dir).code == 0)
        #expect(contents(dir, "s2/manifest.json") == contents(dir, "s2again/manifest.json")
                && contents(dir, "s2/features.npy") == contents(dir, "s2again/features.npy"))
        let check = try python("""
        import json, hashlib, numpy as np
        m = json.load(open('\(dir)/ds/manifest.json'))
        for name in ('model.json', 'model.safetensors'):
            assert m['files'][name]['sha256'] == hashlib.sha256(open('\(dir)/ds/' + name, 'rb').read()).hexdigest(), name
        s = json.load(open('\(dir)/s2/manifest.json')); o, n = s['row_offset'], s['rows']
        assert n > 200 and np.array_equal(np.load('\(dir)/s2/features.npy'), np.load('\(dir)/ds/features.npy')[o:o + n])
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
        // score reads the dataset without the model.
        let score = try run(["score", "ds", "--folds", "2", "--json", "r.json"], in: dir)
        #expect(score.code == 0, "\(score.stderr)")
    }

    /// The tensors a model's JSON names, changed, cut short or gone, and a
    /// dataset's copy edited: one line naming the file, exit 2, no output.
    @Test func damagedModelTensorsAreOneLine() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "600", "--out", "h"], in: dir).code == 0)
        #expect(try run(["fit", "h", "--out", "m.json"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "m.json", "--rows", "100", "--out", "ds"], in: dir).code == 0)
        let good = try #require(contents(dir, "m.safetensors"))
        func refused(_ args: [String], _ message: String) throws {
            let r = try run(args, in: dir)
            #expect(r.code == 2 && r.stderr.hasPrefix("synthctl: error: \(message)") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/o"))
        }
        // Standard input has no directory for the tensors (and cannot be read twice).
        // The message names the file's own version (3: fit writes column types), not the oldest two-file one.
        let piped = try run(["gen", "--model", "-", "--out", "o"], input: contents(dir, "m.json"), in: dir)
        #expect(piped.code == 2 && piped.stderr == "synthctl: error: -: format_version: expected 1 (a model with every number inline) on standard input, found 3, a model whose tensors are a file: give the model's path\n", "\(piped.stderr)")
        var changed = good
        changed[changed.count - 3] ^= 0x10
        try changed.write(to: URL(fileURLWithPath: "\(dir)/m.safetensors"))
        try refused(["gen", "--model", "m.json", "--out", "o"], "m.safetensors: expected SHA-256 ")
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: "\(dir)/m.safetensors"))
        try refused(["limits", "--human", "h", "--model", "m.json"], "m.safetensors: expected SHA-256 ")
        try FileManager.default.removeItem(atPath: "\(dir)/m.safetensors")
        try refused(["gen", "--model", "m.json", "--out", "o"], "m.safetensors: cannot read the tensors that m.json names (no such file)")
        // A dataset's copy, edited: its digest no longer the manifest's.
        var json = try String(contentsOfFile: "\(dir)/ds/model.json", encoding: .utf8)
        json = json.replacingOccurrences(of: "\"rows\": ", with: "\"rows\": 1")
        try json.write(toFile: "\(dir)/ds/model.json", atomically: true, encoding: .utf8)
        try refused(["gen", "--spec", "ds/manifest.json", "--out", "o"], "ds/model.json: expected SHA-256 ")
    }
}
