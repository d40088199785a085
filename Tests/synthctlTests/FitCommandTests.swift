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
        assert m['format'] == 'synthctl-model' and m['format_version'] == 2 and len(m['classes']) == 3
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
        assert sorted(t) == sorted(f'classes.{c}.{n}' for c in range(3) for n in ('mean', 'cholesky'))
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
        (["gen", "--model", "bad.json"], "bad.json: format_version: expected 1 or 2 (this synthctl's model formats), found 7"),
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
            #expect(try run(["gen", "--rows", "4000", "--seed", "4", "--shard", shard, "--out", "half\(shard.first!)"], in: dir).code == 0)
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
        if m['type'] == 'copula_model':  # every sampled value lies within the fitted rows' range of its feature
            x = np.load('\(dir)/d/features.npy')
            assert (a.min(0) >= x.min(0) - 1e-6).all() and (a.max(0) <= x.max(0) + 1e-6).all()
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }
}
