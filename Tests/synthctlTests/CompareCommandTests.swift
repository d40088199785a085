import Testing
import Foundation

/// `synthctl compare` end to end on the built binary.
extension CommandLineTests {
    /// Two halves of one generated set: the same distribution, so the
    /// synthetic half must sit with the human-holdout baseline.
    @Test func compareOfOneDistributionSitsWithItsBaseline() throws {
        let dir = tempDir()
        for shard in ["1/2", "2/2"] {
            let r = try run(["gen", "--rows", "3000", "--seed", "4", "--shard", shard, "--out", "half\(shard.first!)"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let r = try run(["compare", "--human", "half1", "--synthetic", "half2", "--kid-subsets", "5", "--json", "c.json", "--markdown", "c.md", "--html", "c.html",
                         "--max-detection-auc", "0.6", "--min-coverage", "0.9", "--min-tstr-ratio", "0.9", "--max-exact-copies", "0"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Synthetic half2 (1500 rows) against human half1: 1050 training rows, 450 held out"))
        #expect(r.stdout.contains("human holdout"))
        #expect(r.stdout.contains("Worst classes by coverage:"))
        let md = try String(contentsOfFile: "\(dir)/c.md", encoding: .utf8)
        #expect(md.hasPrefix("## synthctl compare: half2 against half1\n"))
        #expect(md.contains("| metric | synthetic | human holdout | copy of training rows | independent marginals |\n| --- | ---: | ---: | ---: | ---: |"))
        #expect(md.hasSuffix("**Gates:** all passed.\n"))
        let html = try String(contentsOfFile: "\(dir)/c.html", encoding: .utf8)
        #expect(html.contains("<h2>Per-class fidelity</h2>") && html.contains("<th>detection AUC</th>") && !html.contains("<script"))
        let check = try python("""
        import json
        c = json.load(open('\(dir)/c.json'))['compare']
        assert c['metric_definitions_version'] == 2 and c['parameters']['k'] == 5
        s, h = c['synthetic'], c['baselines']['human_holdout']
        assert abs(s['manifold']['precision'] - h['manifold']['precision']) < 0.05, (s['manifold'], h['manifold'])
        assert s['privacy']['exact_copy_share'] == 0 and c['baselines']['copy_of_training_rows']['privacy']['exact_copy_share'] == 1
        assert 0.4 < s['detection']['auc'] < 0.6 and s['detection']['auc_ci95'][0] <= s['detection']['auc'] <= s['detection']['auc_ci95'][1]
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
        #expect(lines.contains { $0.hasPrefix("synthctl: gate failed: --min-class-coverage: 1 class(es) below 0.5000; the worst, 2, has no coverage (missing from the synthetic set)") }, "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("synthctl: gate failed: --max-exact-copies: the exact-copy share is ") })
        #expect(lines.contains { $0.hasPrefix("synthctl: gate failed: --min-dcr-ratio: the median DCR ratio is 0.0000, below 0.5000") })
        #expect(r.stdout.contains("2: missing from the synthetic set"))
        let md = try String(contentsOfFile: "\(dir)/g.md", encoding: .utf8)
        #expect(md.contains("**Gates failed:**\n- --min-class-coverage: 1 class(es) below 0.5000"))
        #expect(md.contains("| 2 | 280 | 0 | missing from the synthetic set |"))
    }

    @Test(arguments: [
        (["compare", "--human", "h.csv", "--synthetic", "wide.csv"], "wide.csv: expected 2 features (as in h.csv), found 3"),
        (["compare", "--human", "h.csv", "--synthetic", "dogs.csv"], "dogs.csv: expected labels that share classes with h.csv (cat), found none in common (dog)"),
        (["compare", "--human", "h.csv", "--synthetic", "nan.csv"], "nan.csv: line 3, column \"b\": expected a number, found a missing value (\"nan\"); --drop-missing drops such rows"),
        (["compare", "--human", "h.csv", "--synthetic", "tiny.csv"], "tiny.csv: expected more than k = 5 synthetic rows, found 3"),
        (["compare", "--human", "h.csv", "--synthetic", "missing.csv"], "missing.csv: no such file"),
        (["compare", "--human", "x.npy", "--synthetic", "h.csv"], "--human x.npy is a features .npy: give its labels with --human-labels FILE"),
        (["compare", "--human", "h.csv", "--synthetic", "h.csv", "--holdout-fraction", "1"], "--holdout-fraction: expected a number in (0, 1), found 1"),
        (["compare", "--human", "h.csv", "--synthetic", "h.csv", "--k", "0"], "--k: expected an integer ≥ 1, found 0"),
        (["compare", "--human", "h.csv", "--synthetic", "h.csv", "--no-per-class", "--min-class-coverage", "0.5"], "--min-class-coverage needs the per-class metrics: drop --no-per-class"),
        (["compare", "--human", "h.csv", "--synthetic", "h.csv", "--max-frechet", "1"], "--max-frechet: Fréchet distance: expected more rows than dimensions"),
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
        // --max-frechet on a set whose per-side rows do not exceed its width
        if args.contains("--max-frechet") {
            // 20 rows: 14 training rows in 14 dimensions, a singular covariance.
            let header = (0..<14).map { "f\($0)" }.joined(separator: ",") + ",label"
            // Two classes: a one-class human set is refused before any metric.
            try table("h.csv", header, (0..<20).map { i in (0..<14).map { "\(Double((i * 7 + $0 * 3) % 11) + Double($0 * i) / 10)" }.joined(separator: ",") + (i % 2 == 0 ? ",cat" : ",dog") })
        }
        let r = try run(args, in: dir)
        #expect(r.code == 2, "\(r.stdout)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.hasPrefix("synthctl: error: "))
    }
}
