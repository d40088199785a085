import Testing
import Foundation

/// Issue 16's detector: gradient-boosted trees are compare's default
/// detector and named in every report; `--detector logistic` gives the
/// reports the linear detector always gave; score and limits take the same
/// model.
extension CommandLineTests {
    @Test func compareNamesItsDetector() throws {
        let dir = tempDir()
        try expectSuccess(["gen", "--rows", "300", "--out", "h"], in: dir)
        try expectSuccess(["gen", "--rows", "200", "--seed", "5", "--out", "s"], in: dir)
        let trees = try expectSuccess(["compare", "--human", "h", "--synthetic", "s", "--no-per-class", "--kid-subsets", "2",
                                       "--json", "g.json", "--markdown", "g.md"], in: dir)
        #expect(trees.contains("\nDetection by gradient-boosted trees: cross-validated AUC "), "\(trees)")
        let linear = try expectSuccess(["compare", "--human", "h", "--synthetic", "s", "--no-per-class", "--kid-subsets", "2",
                                        "--detector", "logistic", "--json", "l.json", "--markdown", "l.md"], in: dir)
        #expect(linear.contains("\nDetection: cross-validated AUC "), "\(linear)")
        try expectPython(dir, """
        g = json.load(open('g.json'))['compare']; l = json.load(open('l.json'))['compare']
        assert g['definitions']['detection'].startswith('gradient-boosted trees'), g['definitions']['detection']
        assert l['definitions']['detection'].startswith('logistic regression'), l['definitions']['detection']
        assert g['synthetic']['detection']['auc'] != l['synthetic']['detection']['auc']
        assert 'Detection by gradient-boosted trees.' in open('g.md').read()
        assert 'Detection by' not in open('l.md').read()
        """)
    }

    @Test func scoreAndLimitsTrainGradientBoostedTrees() throws {
        let dir = tempDir()
        try expectSuccess(["gen", "--rows", "400", "--out", "h"], in: dir)
        try expectSuccess(["gen", "--rows", "200", "--seed", "5", "--out", "s"], in: dir)
        let score = try expectSuccess(["score", "h", "--model", "gbdt", "--json", "r.json"], in: dir)
        #expect(score.hasPrefix("labels: 400 rows, 3 classes, probabilities from 5-fold gradient-boosted trees\n"), "\(score)")
        let limits = try expectSuccess(["limits", "--human", "h", "--synthetic", "s", "--learner", "gbdt", "--json", "l.json"], in: dir)
        #expect(limits.hasPrefix("Learning curves (gbdt, "), "\(limits)")
        try expectPython(dir, "assert json.load(open('l.json'))['limits']['parameters']['learner'] == 'gbdt'")
    }
}
