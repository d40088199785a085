import Testing
import Foundation

/// The leak-free path on a table with typed columns (issue 16, a fresh
/// tester's findings): a boolean and a categorical column beside numeric
/// ones in different units, three classes, one small. The fingerprint
/// hashes rows as they were read, so the overlap warning fires on the
/// leaky path whatever the column types; a model without a fingerprint is
/// said; a holdout with a class or a category the training part lacks is
/// noted; counts agree between fit and compare; validity flags reach the summary.
extension CommandLineTests {
    /// 240 rows (120 alpha, 90 beta, 30 gamma): age and visits whole
    /// numbers, income in thousands (2 decimals), rate in hundredths,
    /// member boolean, region categorical.
    func typedTableDir() throws -> String {
        let dir = tempDir()
        let r = try python("""
        import numpy as np, pandas as pd
        rng = np.random.default_rng(16)
        parts = []
        for cls, m, s in [('alpha', 120, 0), ('beta', 90, 1), ('gamma', 30, 2)]:
            parts.append(pd.DataFrame(dict(
                age=rng.normal(35 + 5 * s, 8, m).round(0), income=np.exp(rng.normal(10.5 + 0.2 * s, 0.5, m)).round(2),
                rate=np.clip(rng.normal(0.05 + 0.02 * s, 0.015, m), 0.001, None).round(4), visits=rng.poisson(3 + 2 * s, m).clip(0, 16),
                member=rng.random(m) < 0.3 + 0.25 * s, region=rng.choice(['north', 'south', 'east', 'west'], m), label=cls)))
        pd.concat(parts).sample(frac=1, random_state=1).reset_index(drop=True).to_csv('\(dir)/h.csv', index=False)
        """)
        #expect(r.code == 0, "\(r.stderr)")
        return dir
    }

    static let fastCompare = ["--no-per-class", "--no-baselines", "--kid-subsets", "5", "--detector", "logistic"]

    /// The model fitted on all 240 rows: compare's own holdout (36 + 27 + 9
    /// = 72 rows) and split's holdout (72 rows) are all among its fitted
    /// rows; the model fitted on split's training part overlaps neither.
    /// Before, the fingerprint hashed the encoded categories (random
    /// draws) and matched nothing. fit and compare count the features alike.
    @Test func overlapWarningWithBooleanAndCategoricalColumns() throws {
        let dir = try typedTableDir()
        let fit = try run(["fit", "h.csv", "--out", "leaky.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("240 rows of h.csv: 3 classes, 6 features (4 numeric, 1 boolean, 1 categorical)"), "\(fit.stdout)")
        for args in [["gen", "--model", "leaky.json", "--rows", "240", "--out", "leaky.csv"],
                     ["split", "h.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"],
                     ["fit", "train.csv", "--out", "model.json"], ["gen", "--model", "model.json", "--rows", "240", "--out", "fair.csv"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        let warning = "synthctl: warning: the synthetic set's model was fitted on 240 rows, 72 of them in the human holdout: train-on-synthetic and privacy numbers are optimistic; use synthctl split"
        let leaky = try run(["compare", "--human", "h.csv", "--synthetic", "leaky.csv"] + Self.fastCompare, in: dir)
        #expect(leaky.code == 0 && leaky.stderr.contains(warning), "\(leaky.stderr)")
        #expect(leaky.stdout.contains("168 training rows, 72 held out; 6 features (4 numeric, 1 boolean, 1 categorical), 3 classes"), "\(leaky.stdout)")
        let leakyParts = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout.csv", "--synthetic", "leaky.csv"] + Self.fastCompare, in: dir)
        #expect(leakyParts.code == 0 && leakyParts.stderr.contains(warning), "\(leakyParts.stderr)")
        let fair = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout.csv", "--synthetic", "fair.csv"] + Self.fastCompare, in: dir)
        #expect(fair.code == 0, "\(fair.stderr)")
        #expect(!fair.stderr.contains("warning") && !fair.stdout.contains("fitted on") && !fair.stdout.contains("fingerprint"), "\(fair.stdout)")
    }

    /// A model written to standard output (one JSON, no tensors, inline in
    /// the set's manifest) carries no fingerprint, and a model whose columns
    /// have other types than compare reads cannot be matched: compare says
    /// the overlap cannot be checked rather than nothing.
    @Test func modelWithoutFingerprintIsNoted() throws {
        let dir = try typedTableDir()
        let fit = try run(["fit", "h.csv", "--out", "-"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        try Data(fit.stdout.utf8).write(to: URL(fileURLWithPath: "\(dir)/inline.json"))
        let gen = try run(["gen", "--model", "inline.json", "--rows", "240", "--out", "s.csv"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        let r = try run(["compare", "--human", "h.csv", "--synthetic", "s.csv", "--json", "r.json"] + Self.fastCompare, in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let note = "the synthetic set's model carries no fingerprint of its fitted rows: overlap with the holdout cannot be checked"
        #expect(r.stdout.contains("note: s.csv: " + note), "\(r.stdout)")
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))
        assert r['input_notes']['synthetic'] == ["\(note)"], r['input_notes']
        """)
        #expect(check.code == 0, "\(check.stderr)")
        // Fitted with region as codes (an integer column), compared with region read as categorical: the columns cannot be matched.
        let codes = try python("""
        import pandas as pd
        h = pd.read_csv('\(dir)/h.csv'); h['region'] = h['region'].map({'north': 0, 'south': 1, 'east': 2, 'west': 3}); h.to_csv('\(dir)/hc.csv', index=False)
        """)
        #expect(codes.code == 0, "\(codes.stderr)")
        for args in [["fit", "hc.csv", "--out", "mc.json"], ["gen", "--model", "mc.json", "--rows", "240", "--out", "sc.csv"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        let retyped = try run(["compare", "--human", "hc.csv", "--categorical", "region", "--synthetic", "sc.csv"] + Self.fastCompare, in: dir)
        #expect(retyped.code == 0, "\(retyped.stderr)")
        #expect(retyped.stdout.contains("note: sc.csv: the synthetic set's model's fingerprint cannot be matched with the human rows (column region: categorical in one, numeric in the other): overlap with the holdout cannot be checked"), "\(retyped.stdout)")
    }

    /// A holdout with a class (delta, 6 rows) and a category (central, in
    /// 4 rows) the training part lacks: both noted, in the summary and in
    /// `input_notes`; utility leaves the 6 delta rows out (72 test rows of
    /// 78); the one-hot record counts 5 human categories, 4 in the training
    /// rows. A holdout whose region is written as codes says the type differs.
    @Test func holdoutOnlyClassesAndCategoriesAreNoted() throws {
        let dir = try typedTableDir()
        for args in [["split", "h.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"],
                     ["fit", "train.csv", "--out", "model.json"], ["gen", "--model", "model.json", "--rows", "240", "--out", "fair.csv"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        let make = try python("""
        import pandas as pd
        h = pd.read_csv('\(dir)/holdout.csv')
        extra = h.head(6).copy(); extra['label'] = 'delta'
        more = pd.concat([h, extra], ignore_index=True)
        more.loc[more.index[:4], 'region'] = 'central'
        more.to_csv('\(dir)/holdout_new.csv', index=False)
        codes = h.copy(); codes['region'] = codes['region'].map({'north': 0, 'south': 1, 'east': 2, 'west': 3})
        codes.to_csv('\(dir)/holdout_codes.csv', index=False)
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let r = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout_new.csv", "--synthetic", "fair.csv", "--json", "r.json"]
                        + Self.fastCompare, in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let classNote = "the human holdout has a class the training rows do not: delta; its rows are left out of utility (TSTR/TRTR): no model trained on the training rows can predict it"
        let categoryNote = "the human holdout has a category the training rows do not: region: central; category coverage and unseen categories count against the training rows' categories"
        #expect(r.stdout.contains("note: holdout_new.csv: " + classNote), "\(r.stdout)")
        #expect(r.stdout.contains("note: holdout_new.csv: " + categoryNote), "\(r.stdout)")
        #expect(r.stdout.contains("Utility on 72 held-out human rows"), "\(r.stdout)")
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))
        assert r['input_notes']['human_holdout'] == ["\(classNote)", "\(categoryNote)"], r['input_notes']
        c = r['compare']
        assert c['synthetic']['utility']['test_rows'] == 72, c['synthetic']['utility']
        [region] = c['feature_space']['one_hot']['columns']
        assert region['human_categories'] == 5 and region['training_categories'] == 4, region
        assert 'training rows' in r['compare']['definitions']['category_coverage']
        """)
        #expect(check.code == 0, "\(check.stderr)")
        let codes = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout_codes.csv", "--synthetic", "fair.csv"] + Self.fastCompare, in: dir)
        #expect(codes.code == 2)
        #expect(codes.stderr == "synthctl: error: holdout_codes.csv: column \"region\": expected a categorical column, as in the training part train.csv, found a numeric one; read it as categorical in both parts with --categorical region\n")
    }

    /// A synthetic set whose visits are fractional in half its rows (120 of
    /// 240) and whose region is "central" (unseen) in 24: the summary and the
    /// Markdown show integrality 0.75 (age 1, visits 0.5; member, boolean, is
    /// no integer column) and the unseen share 0.1; a clean set shows no such line.
    /// A holdout without a categorical column the training part has is
    /// refused in one line naming it (``GivenHoldout``), exit 2.
    @Test func aHoldoutWithoutATrainingCategoricalColumnIsRefused() throws {
        let dir = try typedTableDir()
        let split = try run(["split", "h.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"], in: dir)
        #expect(split.code == 0, "\(split.stderr)")
        let make = try python("""
        import pandas as pd
        pd.read_csv('\(dir)/holdout.csv').drop(columns=['region']).to_csv('\(dir)/holdout_noregion.csv', index=False)
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let r = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout_noregion.csv", "--synthetic", "train.csv"]
                        + Self.fastCompare, in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: holdout_noregion.csv: expected the columns of the training part train.csv (6), found 5 columns; no column \"region\"\n",
                "\(r.stderr)")
    }

    @Test func validityFlagsReachTheSummary() throws {
        let dir = try typedTableDir()
        let make = try python("""
        import pandas as pd
        h = pd.read_csv('\(dir)/h.csv')
        s = h.copy(); s['visits'] = s['visits'].astype(float)
        s.loc[s.index % 2 == 0, 'visits'] += 0.5
        s.loc[s.index % 10 == 0, 'region'] = 'central'
        s.to_csv('\(dir)/s.csv', index=False)
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let r = try run(["compare", "--human", "h.csv", "--synthetic", "s.csv", "--json", "r.json", "--markdown", "r.md"] + Self.fastCompare, in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let line = "integrality 0.7500 (lowest visits 0.5000); unseen category share 0.1000 (highest region 0.1000)"
        #expect(r.stdout.contains("\nValidity: " + line + "\n"), "\(r.stdout)")
        #expect(try String(contentsOfFile: "\(dir)/r.md", encoding: .utf8).contains("**Validity:** " + line + "."))
        let check = try python("""
        import json
        v = json.load(open('\(dir)/r.json'))['compare']['synthetic']['validity']
        assert v['integer_columns'] == 2 and v['integrality'] == 0.75 and v['min_integrality_column'] == 'visits', v
        """)
        #expect(check.code == 0, "\(check.stderr)")
        let clean = try run(["compare", "--human", "h.csv", "--synthetic", "h.csv"] + Self.fastCompare, in: dir)
        #expect(clean.code == 0 && !clean.stdout.contains("Validity:"), "\(clean.stdout)")
    }
}
