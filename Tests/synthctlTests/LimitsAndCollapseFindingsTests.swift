import Testing
import Foundation

/// limits and collapse on the inputs that used to give misleading answers:
/// one class, a constant column, a tiny test split, a flat curve.
extension CommandLineTests {
    /// Two Gaussian classes at ±`separation` on feature a (b is noise), rows
    /// alternating between them; `constant` adds a column k = 5.
    func writeBlobs(_ path: String, rows: Int, separation: Double = 1.5, seed: Int = 0, classes: [String] = ["cat", "dog"],
                    constant: Bool = false) throws {
        let made = try python("""
        import numpy as np
        rng = np.random.default_rng(\(seed))
        names = \(classes)
        with open('\(path)', 'w') as f:
            f.write('a,b,' + ('k,' if \(constant ? "True" : "False") else '') + 'label\\n')
            for i in range(\(rows)):
                c = i % len(names)
                a = rng.normal() + (\(separation) if c == 1 else -\(separation))
                f.write(f'{a:.6f},{rng.normal():.6f},' + ('5,' if \(constant ? "True" : "False") else '') + names[c] + '\\n')
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
    }

    /// A learner given one class can only predict it: every command that
    /// trains one refuses such an input with one line naming it and the
    /// class count. (fit does not train a classifier: a one-class model is
    /// the unconditional one, and it is accepted.)
    @Test func oneClassInputsAreRefusedWhereALearnerIsTrained() throws {
        let dir = tempDir()
        try writeBlobs("\(dir)/one.csv", rows: 120, classes: ["cat"])
        try writeBlobs("\(dir)/two.csv", rows: 120)
        let made = try python("""
        import numpy as np
        np.save('\(dir)/x.npy', np.random.default_rng(0).normal(size=(60, 2)).astype(np.float32))
        np.save('\(dir)/y.npy', np.ones(60, dtype=np.int32))
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let cases: [([String], String)] = [
            (["limits", "--human", "one.csv", "--synthetic", "two.csv"],
             "one.csv: expected at least 2 classes among the labels (the learning curves train a classifier on them), found 1 (\"cat\")"),
            (["collapse", "--human", "one.csv"],
             "one.csv: expected at least 2 classes among the labels (the downstream accuracy trains a classifier on each generation), found 1 (\"cat\")"),
            (["compare", "--human", "one.csv", "--synthetic", "two.csv"],
             "one.csv: expected at least 2 classes among the labels (the TSTR/TRTR utility trains a classifier on them), found 1 (\"cat\")"),
            (["score", "--table", "one.csv"], "one.csv: expected at least 2 classes among the labels, found 1"),
            // Labels 1 only: two class ids, one class present.
            (["score", "--features", "x.npy", "--labels", "y.npy"], "expected at least 2 classes among the labels, found 1"),
        ]
        for (args, message) in cases {
            let r = try run(args, in: dir)
            #expect(r.code == 2, "\(args): \(r.stdout)")
            #expect(r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        // One row per class leaves nothing to test on.
        try "a,b,label\n1,2,x\n3,4,y\n".write(toFile: "\(dir)/pair.csv", atomically: true, encoding: .utf8)
        let pair = try run(["limits", "--human", "pair.csv", "--synthetic", "two.csv"], in: dir)
        #expect(pair.code == 2 && pair.stderr == "synthctl: error: pair.csv: expected at least one held-out test row (holdout fraction 0.3 of each class), found none in 2 rows\n", "\(pair.stderr)")
        let fit = try run(["fit", "one.csv", "--out", "m.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
    }

    /// A constant human column: the mean drift and tail mass average over
    /// the other columns, the constant one is measured in its own units, and
    /// every coordinate the chart draws is finite and on the page. A set with
    /// no varying column is refused.
    @Test func collapseWithAConstantColumn() throws {
        let dir = tempDir()
        try writeBlobs("\(dir)/k.csv", rows: 300, constant: true)
        let r = try run(["collapse", "--human", "k.csv", "--generations", "4", "--json", "c.json", "--html", "c.html", "--markdown", "c.md"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("constant human columns (or varying by at most 4 float32 ulp at their magnitude; left out of mean drift and tail mass, reported in their own units): k"))
        let md = try String(contentsOfFile: "\(dir)/c.md", encoding: .utf8)
        #expect(md.contains("**Constant human columns** (1)"))
        let check = try python("""
        import json, math, re
        c = json.load(open('\(dir)/c.json'))['collapse']
        assert c['constant_columns'] == ['k'], c['constant_columns']
        for g in c['generations']:
            for key in ['mean_drift', 'variance_ratio', 'tail_mass', 'frechet', 'accuracy']:
                assert isinstance(g[key], float) and math.isfinite(g[key]), (key, g[key])
            # A constant column stays constant through every refit (its correlation is shrunk, its variance kept at 0).
            assert g['constant_column_drift'] == 0 and g['constant_column_spread'] == 0, g
            assert g['mean_drift'] < 1 and g['tail_mass'] < 0.2, g
        html = open('\(dir)/c.html').read()
        svgs = re.findall(r'<svg[^>]*width="(\\d+)" height="(\\d+)"[^>]*>(.*?)</svg>', html, re.S)
        assert len(svgs) == 3
        for width, height, body in svgs:
            numbers = re.findall(r'(?:x1|x2|y1|y2|cx|cy|x|y)="([^"]*)"', body)
            numbers += [v for p in re.findall(r'points="([^"]*)"', body) for v in re.split('[ ,]', p) if v]
            numbers += re.findall(r'[-0-9.e+]+', ' '.join(re.findall(r' d="([^"]*)"', body)))
            assert numbers
            for v in numbers:
                v = float(v)
                assert math.isfinite(v) and -1 <= v <= max(int(width), int(height)) + 1, v
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        try "a,b,label\n".appending((0..<60).map { "3,4,\($0 % 2 == 0 ? "x" : "y")" }.joined(separator: "\n")).appending("\n")
            .write(toFile: "\(dir)/flat.csv", atomically: true, encoding: .utf8)
        let flat = try run(["collapse", "--human", "flat.csv"], in: dir)
        #expect(flat.code == 2 && flat.stderr == "synthctl: error: flat.csv: expected a feature column whose values vary, found every one constant (a Gaussian fitted to it has no spread to sample)\n", "\(flat.stderr)")
    }

    /// 20 held-out rows: the binomial standard error of an error rate near
    /// 0.07 on them is about 0.06, so the report says it cannot tell instead
    /// of giving exchange rates; text, JSON, Markdown and HTML alike.
    @Test func limitsOnATinyTestSplitSaysItCannotTell() throws {
        let dir = tempDir()
        try writeBlobs("\(dir)/h.csv", rows: 200, seed: 1)
        try writeBlobs("\(dir)/s.csv", rows: 200, seed: 2)
        let r = try run(["limits", "--human", "h.csv", "--synthetic", "s.csv", "--holdout-fraction", "0.1", "--seeds", "3", "--points", "5",
                         "--json", "l.json", "--markdown", "l.md", "--html", "l.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("test split: 20 rows; an error rate near "))
        #expect(r.stdout.contains("the test split is too small to tell: "))
        #expect(!r.stdout.contains("per human row") && r.stdout.contains("cannot tell (the test split is too small)"))
        let md = try String(contentsOfFile: "\(dir)/l.md", encoding: .utf8), html = try String(contentsOfFile: "\(dir)/l.html", encoding: .utf8)
        #expect(md.contains("**Too small to tell:**") && html.contains("<b>Too small to tell:</b>"))
        let check = try python("""
        import json, math
        l = json.load(open('\(dir)/l.json'))['limits']
        t = l['test_split']
        assert t['rows'] == 20 and t['too_small_to_tell'] is True, t
        z = 1.959963984540054; m = 20 + z * z; p = (t['error_rate'] * 20 + z * z / 2) / m
        assert abs(t['binomial_standard_error'] - math.sqrt(p * (1 - p) / m)) < 1e-12
        assert all(e['status'] == 'cannot_tell' and e['synthetic_rows'] is None for e in l['exchange'])
        assert l['gap']['resolved'] is False and len(l['gap']['interval']) == 2
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// Classes 12 standard deviations apart: no error at any size. The curve
    /// is reported flat at 0 with its uncertainty, not "plateau 0.0000 (n/a)".
    @Test func limitsReportsAFlatCurveAsFlat() throws {
        let dir = tempDir()
        try writeBlobs("\(dir)/h.csv", rows: 1000, separation: 6, seed: 1)
        try writeBlobs("\(dir)/s.csv", rows: 1000, separation: 6, seed: 2)
        let r = try run(["limits", "--human", "h.csv", "--synthetic", "s.csv", "--seeds", "2", "--points", "4", "--json", "l.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  flat: error 0.0000 ± 0.0") && r.stdout.contains("no decrease beyond noise"))
        #expect(!r.stdout.contains("(n/a)"))
        let check = try python("""
        import json
        l = json.load(open('\(dir)/l.json'))['limits']
        human = l['curves'][0]['level']
        assert human['flat'] is True and human['value'] == 0 and human['interval'][0] == 0 and 0 < human['interval'][1] < 0.02, human
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// Labels drawn independently of the features (8000 rows, half held
    /// out: 4001 test rows, a resolution of about 0.022): the curves are at
    /// chance, which is the finding — not "the test split is too small to
    /// tell, use more held-out rows".
    @Test func limitsSaysWhenThereIsNothingToLearn() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np
        for name, seed in [('h', 1), ('s', 2)]:
            rng = np.random.default_rng(seed)
            x = rng.normal(size=(8000, 4)); y = rng.choice(['p', 'q', 'r'], 8000, p=[0.5, 0.3, 0.2])
            with open('\(dir)/%s.csv' % name, 'w') as f:
                f.write('a,b,c,d,label\\n')
                for row, label in zip(x, y): f.write(','.join('%.6f' % v for v in row) + ',' + label + '\\n')
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let r = try run(["limits", "--human", "h.csv", "--synthetic", "s.csv", "--holdout-fraction", "0.5", "--seeds", "2", "--points", "5",
                         "--json", "l.json", "--markdown", "l.md"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("test split: 4001 rows;"))
        #expect(r.stdout.contains("the human curve is at chance: ") && r.stdout.contains("(\"p\")")
                && r.stdout.contains("the features do not predict the label on these rows"), "\(r.stdout)")
        #expect(!r.stdout.contains("too small to tell") && !r.stdout.contains("per human row"))
        #expect(r.stdout.contains("none to exchange (the human curve is at chance)"))
        #expect(try String(contentsOfFile: "\(dir)/l.md", encoding: .utf8).contains("**At chance:**"))
        let check = try python("""
        import json
        l = json.load(open('\(dir)/l.json'))['limits']
        c, t = l['chance'], l['test_split']
        assert c['human_at_chance'] is True and c['synthetic_at_chance'] is True and c['majority_class'] == 'p', c
        assert abs(c['majority_class_error'] - 0.5) < 0.03 and 0.02 < t['resolution'] < 0.023 and t['too_small_to_tell'] is False, (c, t)
        assert all(e['status'] == 'human_at_chance' and e['synthetic_rows'] is None for e in l['exchange'])
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// Three classes, a few hundred rows, the synthetic rows sampled from a
    /// model fitted to them, k-NN: one curve's power law puts its plateau
    /// below zero. The test split's binomial term is at the error observed
    /// on it (not at a plateau of 0, which gave "an error rate near 0.0000
    /// has a binomial standard error of 0.0075" beside errors of 0.3), and
    /// the plateau held at zero has an interval bounded by the error
    /// observed at its largest n (not ± 318). (Seed 9: the model fitted
    /// with the correlation shrunk samples rows on which seed 4's table no
    /// longer puts a plateau below zero; seed 11: the holdout drawn with the
    /// classes numbered by first appearance no longer does on seed 9's.)
    @Test func limitsBoundsAPlateauHeldAtZero() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np
        rng = np.random.default_rng(11)
        label = rng.choice(['bird', 'cat', 'dog'], 300)
        x = rng.normal(size=(300, 3)) + np.array([{'bird': 0, 'cat': 1, 'dog': 2}[l] for l in label])[:, None] * 0.8
        with open('\(dir)/pets.csv', 'w') as f:
            f.write('a,b,c,label\\n')
            for row, l in zip(x, label): f.write(','.join(repr(float(v)) for v in row) + ',' + l + '\\n')
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        #expect(try run(["fit", "pets.csv", "--out", "pets.json"], in: dir).code == 0)
        let r = try run(["limits", "--human", "pets.csv", "--model", "pets.json", "--learner", "knn", "--json", "l.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("an error rate near 0.0000"), "\(r.stdout)")
        let check = try python("""
        import json, math
        l = json.load(open('\(dir)/l.json'))['limits']
        z, n = 1.959963984540054, l['test_split']['rows']
        def binomial(p):
            m = n + z * z; c = (p * n + z * z / 2) / m
            return math.sqrt(c * (1 - c) / m)
        held = 0
        for curve in l['curves']:
            level, last = curve['level'], curve['points'][-1]
            observed = level['value'] if level['flat'] else last['mean']
            assert level['standard_error'] < 0.5 and 0 <= level['interval'][0] <= level['interval'][1] <= 1, curve['name']
            if level['held_at_zero']:
                held += 1
                bound = last['mean'] + z * math.sqrt(last['standard_error'] ** 2 + binomial(last['mean']) ** 2)
                assert level['interval'] == [0, level['interval'][1]] and level['interval'][1] <= bound + 1e-12, (level, bound)
                assert abs(level['standard_error'] - level['interval'][1] / z) < 1e-12
            if curve['name'] == 'human':
                assert abs(l['test_split']['error_rate'] - observed) < 1e-15 and observed > 0.2, (l['test_split'], observed)
                assert abs(l['test_split']['binomial_standard_error'] - binomial(observed)) < 1e-12
        assert held >= 1, 'no plateau was held at zero: the case is not exercised'
        assert l['gap']['standard_error'] < 0.5 and l['gap']['interval'][1] - l['gap']['interval'][0] < 2, l['gap']
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// Near-constant columns (5 + 1e-6·N(0, 1), 1e-30·N(0, 1)) are constant
    /// for collapse: the mean drift stays in human standard deviations of
    /// the other columns (it read 6.5e27), the tail mass near 0.02 (it read
    /// 0.35). And the text table stays aligned whatever a value's width:
    /// features of size 1e9 give Fréchet distances of twenty digits.
    @Test func collapseTreatsNearConstantColumnsAsConstantAndAlignsItsTable() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np
        rng = np.random.default_rng(3)
        n = 600
        y = np.array(['u', 'v'] * (n // 2)); z = rng.normal(size=(n, 4))
        a = z[:, 0] + np.where(y == 'v', 1.0, -1.0)
        with open('\(dir)/near.csv', 'w') as f:
            f.write('a,b,tiny,off,label\\n')
            for i in range(n): f.write('%r,%r,%r,%r,%s\\n' % (float(a[i]), float(z[i, 1]), float(1e-30 * z[i, 2]), float(5 + 1e-6 * z[i, 3]), y[i]))
        with open('\(dir)/wide.csv', 'w') as f:
            f.write('a,b,label\\n')
            for i in range(n): f.write('%r,%r,%s\\n' % (float(1e9 * a[i]), float(1e9 * z[i, 1]), y[i]))
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let r = try run(["collapse", "--human", "near.csv", "--generations", "3", "--json", "c.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("reported in their own units): tiny, off"), "\(r.stdout)")
        let check = try python("""
        import json
        c = json.load(open('\(dir)/c.json'))['collapse']
        assert c['constant_columns'] == ['tiny', 'off'], c['constant_columns']
        for g in c['generations']:
            assert g['mean_drift'] < 1 and g['tail_mass'] < 0.1, g
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        for file in ["near.csv", "wide.csv"] {
            let t = try run(["collapse", "--human", file, "--generations", "3"], in: dir)
            #expect(t.code == 0, "\(t.stderr)")
            let lines = t.stdout.split(separator: "\n").map(String.init)
            let headerIndex = try #require(lines.firstIndex { $0.hasPrefix("generation  ") })
            let header = lines[headerIndex], rows = Array(lines[(headerIndex + 1)...])
            #expect(rows.count == 3)
            // Every row has its numbers ending at the same columns, and each
            // header name starts within its column.
            func tokens(_ line: String, separator: String) -> [(start: Int, end: Int)] {
                var out = [(Int, Int)](), start: Int? = nil, spaces = 0
                for (i, ch) in line.enumerated() {
                    if ch == " " {
                        spaces += 1
                        if let s = start, spaces >= separator.count { out.append((s, i - spaces + 1)); start = nil }
                    } else {
                        if start == nil { start = i }
                        spaces = 0
                    }
                }
                if let s = start { out.append((s, line.count)) }
                return out
            }
            let ends = rows.map { tokens($0, separator: " ").map(\.end) }
            #expect(Set(ends.map { $0.description }).count == 1, "\(file): \(rows)")
            let names = tokens(header, separator: "  ")
            #expect(names.count == ends[0].count, "\(header)")
            for (i, name) in names.enumerated() {
                let columnStart = i == 0 ? 0 : ends[0][i - 1] + 2
                #expect(name.start == columnStart && name.end <= ends[0][i], "\(file): column \(i) of \(header)\n\(rows[0])")
            }
            // The default widths make rows of 83 characters; twenty-digit distances widen the Fréchet column.
            if file == "wide.csv" { #expect(rows.allSatisfy { $0.count > 83 }, "\(rows)") }
        }
    }
}
