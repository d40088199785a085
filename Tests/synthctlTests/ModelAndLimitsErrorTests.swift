import Testing
import Foundation

/// The usage and input errors of compare, bench, fit, gen --model, limits and
/// collapse that the other tests do not reach: each exits 2 with one line.
extension CommandLineTests {
    @Test(arguments: [
        (["compare", "--human", "t.csv", "--synthetic", "t.csv", "--human-labels", "y.npy"], "--human-labels goes with a features .npy (a table or a dataset directory brings its own labels)"),
        (["compare", "--human", "t.csv", "--synthetic", "labels-only.csv"], "labels-only.csv: expected feature columns, found labels only"),
        (["compare", "--human", "few.csv", "--synthetic", "t.csv"], "few.csv: expected enough human rows for a training part and a holdout of more than k = 5 rows each (holdout fraction 0.3), found 8 rows"),
        (["compare", "--human", "t.csv", "--synthetic", "t.csv", "--mmd-rows", "1"], "--mmd-rows: expected an integer ≥ 2, found 1"),
        (["compare", "--human", "t.csv", "--synthetic", "t.csv", "--kid-subsets", "0"], "--kid-subsets: expected an integer in [1, 100000], found 0"),
        (["compare", "--human", "t.csv", "--synthetic", "t.csv", "--detection-folds", "1"], "--detection-folds: expected an integer ≥ 2, found 1"),
        (["bench", "--real", "a.npy"], "--real and --synthetic go together"),
        (["bench", "--real", "a.npy", "--synthetic", "b.npy", "--k", "0"], "--k: expected an integer ≥ 1, found 0"),
        (["bench", "--real", "a.npy", "--synthetic", "b.npy"], "b.npy: expected 2 columns (as in a.npy), found 3"),
        (["fit", "t.csv", "--out", "m.json", "--model", "mixture", "--components", "0"], "--components: expected an integer ≥ 1, found 0"),
        (["fit", "one.csv", "--out", "m.json", "--model", "copula"], "one.csv: class \"dog\": expected at least 2 rows to fit a copula, found 1"),
        (["fit", "t.csv", "--out", "m.json", "--model", "mixture", "--components", "5"], "t.csv: class \"cat\": expected at least 10 rows for 5 components, found 8"),
        (["gen", "--model", "array.json"], "array.json: expected a model object (synthctl fit --out), found another JSON value"),
        (["gen", "--model", "badcopula.json"], "badcopula.json: classes: expected a non-empty list, found []"),
        (["gen", "--model", "badmixture.json"], "badmixture.json: classes[0].components: expected a non-empty list, found []"),
        (["limits", "--human", "t.csv", "--model", "array.json"], "array.json: expected a model object (synthctl fit --out), found another JSON value"),
        (["limits", "--human", "t.csv", "--synthetic", "t.csv", "--learner", "svm"], "--learner: expected logistic, knn, memorize or gbdt, found \"svm\""),
        (["limits", "--human", "t.csv", "--synthetic", "t.csv", "--seeds", "0"], "--seeds: expected an integer in [1, 1000], found 0"),
        (["limits", "--human", "t.csv", "--synthetic", "t.csv", "--neighbors", "0"], "--neighbors: expected an integer ≥ 1, found 0"),
        (["limits", "--human", "t.csv", "--synthetic", "t.csv", "--holdout-fraction", "0"], "--holdout-fraction: expected a number in (0, 1), found 0"),
        (["limits", "--human", "t.csv", "--model", "array.json", "--synthetic-rows", "1"], "--synthetic-rows: expected an integer in [2, 1099511627776], found 1"),
        (["collapse", "--human", "t.csv", "--generations", "0"], "--generations: expected an integer in [1, 100000], found 0"),
        (["collapse", "--human", "t.csv", "--model", "copula"], "--model: expected gaussian, found \"copula\""),
        (["collapse", "--human", "t.csv", "--holdout-fraction", "1.5"], "--holdout-fraction: expected a number in (0, 1), found 1.5"),
    ])
    func modelAndLimitsBadInputExitsWithTwo(args: [String], message: String) throws {
        let dir = tempDir()
        func write(_ name: String, _ text: String) throws { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        try write("t.csv", "a,b,label\n" + (0..<8).map { "\(Double($0) * 0.7),\(Double($0 % 3)),cat" }.joined(separator: "\n") + "\n")
        try write("few.csv", "a,b,label\n" + (0..<8).map { "\($0),\($0 % 3),cat" }.joined(separator: "\n") + "\n")
        try write("one.csv", "a,b,label\n1,2,cat\n2,1,cat\n3,3,cat\n0,1,dog\n")
        try write("labels-only.csv", "label\ncat\ncat\n")
        try write("array.json", "[1, 2]")
        let header = #""format": "synthctl-model", "format_version": 1, "feature_names": ["a"]"#
        try write("badcopula.json", #"{"# + header + #", "model": "gaussian_copula", "shrinkage": "ledoit-wolf", "classes": []}"#)
        try write("badmixture.json", #"{"# + header + #", "model": "gaussian_mixture", "classes": [{"name": "cat", "weight": 1, "components": []}]}"#)
        let made = try python("""
        import numpy as np
        np.save('\(dir)/a.npy', np.zeros((4, 2), dtype=np.float32)); np.save('\(dir)/b.npy', np.zeros((4, 3), dtype=np.float32))
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let r = try run(args, in: dir)
        #expect(r.code == 2, "\(r.stdout)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.hasPrefix("synthctl: error: "))
    }

    /// `limits --model` samples any fitted model, as `gen --model` does.
    @Test(arguments: ["copula", "mixture"])
    func limitsSamplesEveryModelKind(model: String) throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "1500", "--out", "d"], in: dir).code == 0)
        #expect(try run(["fit", "d", "--model", model, "--components", "2", "--out", "m.json"], in: dir).code == 0)
        let r = try run(["limits", "--human", "d", "--model", "m.json", "--seeds", "2", "--points", "4"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("plateau gap (synthetic − human): "))
    }
}

extension CommandLineTests {
    /// A class whose every feature is constant has a covariance of 0, which
    /// no shrinkage lifts: `fit` (with or without --shrinkage) and `collapse`
    /// (which has no such option, and fits the file's rows first) say so,
    /// naming the file and the class, with no hint about a shrinkage. A
    /// singular covariance that more shrinkage would fix gets the hint from
    /// `fit`, which has the option. The libraries name no flags.
    @Test func singularCovariancesAreExplainedWhereTheyCanBeFixed() throws {
        let dir = tempDir()
        // Feature k is 1 in every "u" row and 2 in every "v" row.
        try ("k,label\n" + (0..<40).map { "\($0 % 2 == 0 ? 1 : 2),\($0 % 2 == 0 ? "u" : "v")" }.joined(separator: "\n") + "\n")
            .write(toFile: "\(dir)/perclass.csv", atomically: true, encoding: .utf8)
        // k is 7 in every "x" row: a constant column, which stays constant (its row of the factor is 0), whatever the shrinkage.
        try ("a,k,label\n" + (0..<12).map { i in "\(i % 4),\(i < 6 ? 7 : i),\(i < 6 ? "x" : "y")" }.joined(separator: "\n") + "\n")
            .write(toFile: "\(dir)/constant.csv", atomically: true, encoding: .utf8)
        #expect(try run(["fit", "constant.csv", "--out", "constant.json", "--shrinkage", "0"], in: dir).code == 0)
        // k is 2·a in every "x" row: that class's correlation is singular unless shrunk (a power of two, so exactly).
        try ("a,k,label\n" + (0..<12).map { i in "\(i % 4),\(i < 6 ? 2 * (i % 4) : i),\(i < 6 ? "x" : "y")" }.joined(separator: "\n") + "\n")
            .write(toFile: "\(dir)/partial.csv", atomically: true, encoding: .utf8)
        let constant = ": class \"u\": expected a feature that varies within the class, found every one constant (%d rows): its covariance is 0, and no shrinkage makes it positive definite"
        for (args, source, rows) in [(["fit", "perclass.csv", "--out", "m.json"], "perclass.csv", 20),
                                     (["fit", "perclass.csv", "--out", "m.json", "--shrinkage", "0.1"], "perclass.csv", 20),
                                     (["collapse", "--human", "perclass.csv"], "perclass.csv, training rows", 14)] {
            let r = try run(args, in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(source)" + String(format: constant, rows) + "\n", "\(args): \(r.stderr)")
        }
        let singular = try run(["fit", "partial.csv", "--out", "m.json", "--shrinkage", "0"], in: dir)
        #expect(singular.code == 2 && singular.stderr == "synthctl: error: partial.csv: class \"x\": expected a positive definite covariance, found a singular one (6 rows in 2 dimensions, shrinkage 0); give --shrinkage a value above 0 (at most 1)\n", "\(singular.stderr)")
        #expect(try run(["fit", "partial.csv", "--out", "m.json", "--shrinkage", "0.1"], in: dir).code == 0)
    }

    /// --c is scikit-learn's C within [1e-8, 1e16]: 1e-320 (whose penalty
    /// 1/(C·n) is infinite) and 1e-15 (where L-BFGS stopped after one
    /// iteration per fold: health 1.0000, nothing flagged) are refused at
    /// parse time, and the bounds themselves run.
    @Test func theInverseRegularizationIsBounded() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--out", "d"], in: dir).code == 0)
        for value in ["1e-320", "1e-15", "0", "2e16", "inf"] {
            let r = try run(["score", "d", "--c", value], in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: --c: expected a number in [1e-08, 1e+16], found \(value)\n", "\(value): \(r.stderr)")
        }
        for value in ["1e-8", "1e16"] {
            let r = try run(["score", "d", "--c", value, "--json", "s-\(value).json"], in: dir)
            #expect(r.code == 0, "\(value): \(r.stderr)")
            let check = try python("""
            import json
            lr = json.load(open('\(dir)/s-\(value).json'))['label_issues']['parameters']['logistic_regression']
            assert all(i >= 3 for i in lr['iterations_per_fold']), lr
            print('ok')
            """)
            #expect(check.code == 0, "\(value): \(check.stderr)")
        }
    }
}
