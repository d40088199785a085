import Testing
import Foundation

/// `synthctl compare` end to end on the built binary.
extension CommandLineTests {
    /// Two halves of one generated set: the same distribution, so the
    /// synthetic half must sit with the human-holdout baseline. Coverage is
    /// measured at the holdout's size (450 rows a side), where the human
    /// holdout itself covers 0.85: the gate is 0.8 (on all 1,500 rows the
    /// synthetic half covered 0.98, above even the copy baseline, by size).
    @Test func compareOfOneDistributionSitsWithItsBaseline() throws {
        let dir = tempDir()
        for shard in ["1/2", "2/2"] {
            let r = try run(["gen", "--rows", "3000", "--seed", "4", "--shard", shard, "--out", "half\(shard.first!)"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let r = try run(["compare", "--human", "half1", "--synthetic", "half2", "--kid-subsets", "5", "--json", "c.json", "--markdown", "c.md", "--html", "c.html",
                         "--max-detection-auc", "0.6", "--min-coverage", "0.8", "--min-tstr-ratio", "0.9", "--max-exact-copies", "0"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Verdict: indistinguishable at this size: held-out detection AUC "), "\(r.stdout)")
        #expect(r.stdout.contains("at 450 rows a side (the holdout's), the synthetic set subsampled over 5 seeded draws"))
        #expect(r.stdout.contains("Synthetic half2 (1500 rows) against human half1: 1050 training rows, 450 held out"))
        #expect(r.stdout.contains("human holdout"))
        #expect(r.stdout.contains("Worst classes by coverage:"))
        let md = try String(contentsOfFile: "\(dir)/c.md", encoding: .utf8)
        #expect(md.hasPrefix("## synthctl compare: half2 against half1\n\n**Verdict:** indistinguishable at this size"))
        #expect(md.contains("| metric | synthetic | human holdout | copy of training rows | independent marginals |\n| --- | ---: | ---: | ---: | ---: |"))
        #expect(md.hasSuffix("**Gates:** all passed.\n"))
        let html = try String(contentsOfFile: "\(dir)/c.html", encoding: .utf8)
        #expect(html.contains("<h2>Per-class fidelity</h2>") && html.contains("<th>detection AUC</th>") && !html.contains("<script"))
        let check = try python("""
        import json
        c = json.load(open('\(dir)/c.json'))['compare']
        assert c['metric_definitions_version'] == 8 and c['parameters']['k'] == 5
        assert c['verdict']['kind'] == 'indistinguishable' and c['matched_sizes'] == {'size': 450, 'draws': 5, 'subsampled': 'synthetic', 'metrics': c['matched_sizes']['metrics']}
        h0 = c['baselines']['human_holdout']['manifold']['coverage']
        assert abs(c['synthetic']['manifold']['coverage'] - h0) < 3 * c['synthetic']['manifold']['coverage_sd'] + 0.03, (c['synthetic']['manifold'], h0)
        s, h = c['synthetic'], c['baselines']['human_holdout']
        assert abs(s['manifold']['precision'] - h['manifold']['precision']) < 0.05, (s['manifold'], h['manifold'])
        assert s['privacy']['exact_copy_share'] == 0 and c['baselines']['copy_of_training_rows']['privacy']['exact_copy_share'] == 1
        d = s['detection']
        assert 0.4 < d['auc'] < 0.6 and 'auc_ci95' not in d and d['held_out_auc_ci95'][0] <= d['held_out_auc'] <= d['held_out_auc_ci95'][1]
        assert d['held_out_auc_ci95'][0] < 0.5 < d['held_out_auc_ci95'][1], d
        assert len(s['marginals']['per_feature']['ks']) == c['input']['features']
        assert 0.9 < s['utility']['macro_f1_ratio'] < 1.1
        assert len(c['per_class']) == len(c['input']['classes'])
        for e in c['per_class']:
            for k in ['manifold', 'mean_ks', 'mean_wasserstein', 'mmd2_unbiased', 'frechet', 'detection_auc', 'median_dcr_ratio', 'exact_copy_share', 'tstr_f1']:
                assert k in e, (k, e)
        assert sorted(c['baselines']) == ['copy_of_training_rows', 'human_holdout', 'independent_marginals']
        for k in ['ks', 'frechet', 'manifold', 'detection', 'privacy', 'baselines']:
            assert k in c['definitions'], k
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// A synthetic set that lost a class fails the per-class gate, and a
    /// set of copies fails the privacy gates; each failure is named.
    @Test func compareGatesExitWithOneAndNameWhatFailed() throws {
        let dir = tempDir()
        let make = try python("""
        import numpy as np
        r = np.random.default_rng(5)
        x = r.normal(size=(1200, 6)).astype(np.float32); y = (np.arange(1200) % 3).astype(np.int32); x[:, 0] += 3 * y
        np.save('\(dir)/hx.npy', x); np.save('\(dir)/hy.npy', y)
        keep = y != 2
        np.save('\(dir)/sx.npy', x[keep][:500]); np.save('\(dir)/sy.npy', y[keep][:500])
        print('ok')
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let r = try run(["compare", "--human", "hx.npy", "--human-labels", "hy.npy", "--synthetic", "sx.npy", "--synthetic-labels", "sy.npy",
                         "--kid-subsets", "3", "--markdown", "g.md", "--min-class-coverage", "0.5", "--max-exact-copies", "0.1", "--min-dcr-ratio", "0.5"], in: dir)
        #expect(r.code == 1, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("synthctl: gate failed: --min-class-coverage: 1 class below 0.5000; the worst, 2, has no coverage (missing from the synthetic set)") }, "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("synthctl: gate failed: --max-exact-copies: the exact-copy share is ") })
        #expect(lines.contains { $0.hasPrefix("synthctl: gate failed: --min-dcr-ratio: the median DCR ratio is 0.0000, below 0.5000") })
        #expect(r.stdout.contains("2: missing from the synthetic set"))
        let md = try String(contentsOfFile: "\(dir)/g.md", encoding: .utf8)
        #expect(md.contains("**Gates failed:**\n- --min-class-coverage: 1 class below 0.5000"))
        #expect(md.contains("| 2 | 280 | 0 | missing from the synthetic set |"))
    }

    @Test(arguments: [
        (["compare", "--human", "h.csv", "--synthetic", "wide.csv"], "wide.csv: expected the feature columns of h.csv (2), found 3 columns; not in h.csv: \"c\""),
        (["compare", "--human", "h.csv", "--synthetic", "dogs.csv"], "dogs.csv: expected labels that share classes with h.csv (cat), found none in common (dog)"),
        (["compare", "--human", "h.csv", "--synthetic", "nan.csv"], "nan.csv: line 3, column \"b\": expected a number, found a missing value (\"nan\"); --drop-missing drops such rows"),
        (["compare", "--human", "h.csv", "--synthetic", "tiny.csv"], "tiny.csv: expected more than k = 5 synthetic rows, found 3"),
        (["compare", "--human", "h.csv", "--synthetic", "missing.csv"], "missing.csv: no such file"),
        (["compare", "--human", "x.npy", "--synthetic", "h.csv"], "--human x.npy is a features .npy: give its labels with --human-labels FILE"),
        (["compare", "--human", "h.csv", "--synthetic", "h.csv", "--holdout-fraction", "1"], "--holdout-fraction: expected a number in (0, 1), found 1"),
        (["compare", "--human", "h.csv", "--synthetic", "h.csv", "--k", "0"], "--k: expected an integer ≥ 1, found 0"),
        (["compare", "--human", "h.csv", "--synthetic", "h.csv", "--no-per-class", "--min-class-coverage", "0.5"], "--min-class-coverage needs the per-class metrics: drop --no-per-class"),
    ])
    func compareBadInputExitsWithTwo(args: [String], message: String) throws {
        let dir = tempDir()
        func table(_ name: String, _ header: String, _ rows: [String]) throws {
            try ([header] + rows).joined(separator: "\n").appending("\n").write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        }
        let rows = (0..<40).map { "\(Double($0) / 7),\(Double($0 % 5)),cat" }
        try table("h.csv", "a,b,label", rows)
        try table("wide.csv", "a,b,c,label", (0..<40).map { "1,\($0),2,cat" })
        try table("dogs.csv", "a,b,label", (0..<40).map { "1,\($0),dog" })
        try table("nan.csv", "a,b,label", ["1,2,cat", "1,nan,cat"])
        try table("tiny.csv", "a,b,label", ["1,2,cat", "1,3,cat", "2,2,cat"])
        let r = try run(args, in: dir)
        #expect(r.code == 2, "\(r.stdout)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.hasPrefix("synthctl: error: "))
    }

    /// Statistics that are undefined on valid input — MMD² when most pooled
    /// rows coincide (the median distance, its bandwidth, is 0), the median
    /// DCR ratio when the holdout's median DCR is 0 (with the synthetic
    /// one above 0, and both 0 on repeated rows), correlations of constant
    /// columns, the Fréchet distance of a set no wider than its rows, KID's
    /// spread from one subset — are JSON null with the reason under
    /// "undefined", n/a in the summary and Markdown, and a gate on one fails
    /// (exit 1) saying why: never "nan", "-nan" or a gate that passes.
    @Test func compareUndefinedStatisticsAreNullWithAReasonAndFailTheirGates() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np
        rng = np.random.default_rng(0)
        def write(name, x, y):
            with open('\(dir)/' + name, 'w') as f:
                f.write(','.join('f%d' % j for j in range(x.shape[1])) + ',label\\n')
                for row, label in zip(x, y): f.write(','.join(repr(float(v)) for v in row) + ',' + label + '\\n')
        # 6000 identical rows of class A and 300 N(0, I) rows of B; synthetic rows of B only.
        write('h.csv', np.vstack([np.zeros((6000, 4)), rng.normal(size=(300, 4))]), ['A'] * 6000 + ['B'] * 300)
        write('s.csv', rng.normal(0.3, 1.1, size=(400, 4)), ['B'] * 400)
        # 60 distinct rows, each 20 times; the synthetic set copies 300 of them.
        base = rng.normal(size=(60, 3)); y = np.array(['u', 'v'] * 30)
        write('rh.csv', np.repeat(base, 20, axis=0), np.repeat(y, 20))
        pick = rng.integers(0, 60, 300)
        write('rs.csv', base[pick], y[pick])
        # 12 dimensions, 10 synthetic rows: a singular synthetic covariance.
        write('wh.csv', rng.normal(size=(400, 12)), ['u', 'v'] * 200)
        write('ws.csv', rng.normal(size=(10, 12)), ['u', 'v'] * 5)
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let runs: [(String, [String], [String])] = [
            ("a", ["--human", "h.csv", "--synthetic", "s.csv", "--holdout-fraction", "0.001", "--max-mmd", "0.1", "--min-dcr-ratio", "0.5"],
             ["--max-mmd: the unbiased MMD² is undefined (more than half the pairs of pooled rows are identical, so the median distance that sets the RBF kernel's bandwidth is 0)",
              "--min-dcr-ratio: the median DCR ratio is undefined (the holdout rows' median distance to the training rows is 0 (more than half of them repeat a training row): no scale to compare the synthetic rows' distance with)"]),
            ("r", ["--human", "rh.csv", "--synthetic", "rs.csv", "--min-dcr-ratio", "0.5"],
             ["--min-dcr-ratio: the median DCR ratio is undefined (the holdout rows' median distance to the training rows is 0 (more than half of them repeat a training row): no scale to compare the synthetic rows' distance with)"]),
            ("w", ["--human", "wh.csv", "--synthetic", "ws.csv", "--max-frechet", "100", "--kid-subsets", "1"],
             ["--max-frechet: the Fréchet distance is undefined (Fréchet distance: expected more rows than dimensions in the second set (its covariance is singular otherwise), found 10 rows in 12 dimensions)"]),
        ]
        for (name, args, failures) in runs {
            let r = try run(["compare"] + args + ["--json", "\(name).json", "--markdown", "\(name).md", "--html", "\(name).html"], in: dir)
            #expect(r.code == 1, "\(name): \(r.stderr)")
            #expect(r.stderr == failures.map { "synthctl: gate failed: \($0)\n" }.joined(), "\(name): \(r.stderr)")
            let md = try String(contentsOfFile: "\(dir)/\(name).md", encoding: .utf8), html = try String(contentsOfFile: "\(dir)/\(name).html", encoding: .utf8)
            for text in [r.stdout, r.stderr, md, html] { #expect(!text.lowercased().contains("nan"), "\(name): \(text)") }
            #expect(r.stdout.contains("n/a") && md.contains("n/a") && md.contains("**Undefined (n/a) for the synthetic set:**"), "\(name): \(r.stdout)")
        }
        #expect(try run(["compare", "--human", "h.csv", "--synthetic", "s.csv", "--holdout-fraction", "0.001"], in: dir).stdout
            .contains("n/a (undefined) for the synthetic set: MMD²: more than half the pairs of pooled rows are identical"))
        let check = try python("""
        import json
        # Every null number has its reason beside it, under "undefined".
        structural = {'max_pair', 'auc_ci95'}
        def reasons(o, path=''):
            found = 0
            if isinstance(o, dict):
                for k, v in o.items():
                    if v is None and k not in structural:
                        assert k in o.get('undefined', {}), path + '/' + k
                        found += 1
                    found += reasons(v, path + '/' + k)
            elif isinstance(o, list):
                for i, v in enumerate(o): found += reasons(v, path + '[%d]' % i)
            return found
        a = json.load(open('\(dir)/a.json'))['compare']
        assert reasons(a) >= 8
        s = a['synthetic']
        assert s['mmd']['mmd2_unbiased'] is None and 'bandwidth' in s['mmd']['undefined']['mmd2_unbiased'] and s['mmd']['mmd2_linear'] is None
        assert s['privacy']['median_dcr'] > 0 and s['privacy']['median_holdout_dcr'] == 0 and s['privacy']['median_dcr_ratio'] is None
        for b in a['baselines'].values():
            assert b['mmd']['mmd2_unbiased'] is None and b['marginals']['correlation']['mean_abs_difference'] is None
            assert 'constant' in b['marginals']['correlation']['undefined']['mean_abs_difference']
        assert a['baselines']['human_holdout']['privacy']['undefined']['closer_to_training_share'].startswith('not measured')
        b = [c for c in a['per_class'] if c['class'] == 'B'][0]
        assert b['mmd2_unbiased'] is None and b['undefined']['median_dcr_ratio'] == 'the class has no human holdout rows to compare distances with'
        r = json.load(open('\(dir)/r.json'))['compare']['synthetic']['privacy']
        assert r['median_dcr'] == 0 and r['median_holdout_dcr'] == 0 and r['median_dcr_ratio'] is None and 'median_dcr_ratio' in r['undefined']
        assert reasons(json.load(open('\(dir)/r.json'))) >= 1
        w = json.load(open('\(dir)/w.json'))['compare']['synthetic']
        assert w['frechet']['distance'] is None and w['frechet']['undefined']['distance'] == w['frechet']['problem']
        assert w['kid']['std'] is None and w['kid']['undefined']['std'] == 'one KID subset: no spread to measure'
        assert reasons(json.load(open('\(dir)/w.json'))) >= 2
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }
}
