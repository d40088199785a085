import Testing
import Foundation

/// `synthctl score` when the model's probabilities have classes that no
/// given label uses (issue 13): no crash, cleanlab's flags in every mode,
/// and undefined per-class numbers reported as undefined.
extension CommandLineTests {
    /// The issue's own four rows: labels [0, 0, 1, 1], probabilities over
    /// three columns. cleanlab 2.9 flags rows 1 and 3.
    @Test func aClassNoLabelUsesIsScoredAsCleanlabScoresIt() throws {
        let dir = tempDir(), fixture = "\(Self.cleanlabFixtures)/issue13"
        let r = try run(["score", "--labels", "\(fixture)/labels.npy", "--pred-probs", "\(fixture)/pred_probs.npy",
                         "--json", "r.json", "--issues", "i.csv", "--markdown", "r.md", "--html", "r.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.contains("labels: 4 rows, 3 classes (1 never given: 2), probabilities from "))
        #expect(r.stdout.contains("\n  2                    n/a             0            n/a"), "\(r.stdout)")
        let issues = try String(contentsOfFile: "\(dir)/i.csv", encoding: .utf8)
        #expect(issues == "row,given_label,predicted_label,self_confidence\n1,0,1,0.1\n3,1,0,0.1\n")
        let md = try String(contentsOfFile: "\(dir)/r.md", encoding: .utf8)
        #expect(md.contains("| flagged items | 2 |") && md.contains("| classes never given | 1 |"))
        let html = try String(contentsOfFile: "\(dir)/r.html", encoding: .utf8)
        #expect(html.contains(">n/a</text>"), "the undefined noise-matrix row is drawn as n/a")
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))['label_issues']
        assert r['flagged'] == 2 and r['classes_never_given'] == ['2'], r
        assert r['thresholds'] == [0.1, 0.15000000000000002, None], r['thresholds']
        assert r['estimated_noise_matrix'] == [[0.5, 0.5, 0], [0.5, 0.5, 0], None], r['estimated_noise_matrix']
        c = {e['class']: e for e in r['classes']}
        assert c['2']['given_labels'] == 0 and c['2']['label_noise'] is None and c['2']['label_quality'] is None
        assert c['2']['undefined']['label_noise'] == 'no item was given this label', c['2']
        assert c['0']['label_noise'] == 0.5 and 'undefined' not in c['0']
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        // A gate still fails as a gate, naming the value.
        let gate = try run(["score", "--labels", "\(fixture)/labels.npy", "--pred-probs", "\(fixture)/pred_probs.npy",
                            "--min-health", "0.5"], in: dir)
        #expect(gate.code == 1)
        #expect(gate.stderr == "synthctl: gate failed: --min-health: label health is 0.0000, below 0.5000\n")
    }

    /// Every filter mode and every ranking flags and orders what cleanlab
    /// does on sets with a class predicted but never given, a class given
    /// but never predicted, and the first and last classes never given.
    @Test(arguments: ["issue13", "unused", "unused_first"])
    func everyModeAndRankingMatchesCleanlabWithEmptyClasses(fixtureName: String) throws {
        let dir = tempDir(), fixture = "\(Self.cleanlabFixtures)/\(fixtureName)"
        let modes = ["prune_by_noise_rate", "prune_by_class", "both", "confident_learning", "predicted_neq_given",
                     "low_normalized_margin", "low_self_confidence"]
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(fixture)/expected.json"))) as! [String: Any]
        let minimum = expected["min_examples_per_class"] as! Int
        func flaggedRows(_ args: [String], _ file: String) throws -> [Int] {
            let r = try run(["score", "--labels", "\(fixture)/labels.npy", "--pred-probs", "\(fixture)/pred_probs.npy",
                             "--min-examples-per-class", String(minimum), "--issues", file, "--json", file + ".json",
                             "--markdown", file + ".md", "--html", file + ".html"] + args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
            let text = try String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8)
            return text.split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[0])! }
        }
        let issues = expected["issues"] as! [String: [Int]]
        for mode in modes {
            #expect(try flaggedRows(["--filter-by", mode], "\(mode).csv").sorted() == issues[mode], "\(fixtureName) \(mode)")
        }
        let ranked = expected["ranked"] as! [String: [Int]]
        for score in ["self_confidence", "normalized_margin", "confidence_weighted_entropy"] {
            #expect(try flaggedRows(["--rank-by", score], "\(score).csv") == ranked[score], "\(fixtureName) ranked by \(score)")
        }
    }

    /// One given label, whatever the number of columns or class ids: nothing
    /// to confuse it with, so one line and exit 2 (cleanlab refuses too).
    @Test func oneGivenClassIsRefusedWhateverTheColumns() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np
        d = '\(dir)/'
        np.save(d + 'y0.npy', np.zeros(10, dtype=np.int64)); np.save(d + 'y1.npy', np.ones(10, dtype=np.int64))
        np.save(d + 'p.npy', np.random.default_rng(0).dirichlet([1, 1, 1], size=10))
        np.save(d + 'x.npy', np.random.default_rng(1).normal(size=(10, 2)).astype(np.float32))
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        for (args, source) in [(["--labels", "y0.npy", "--pred-probs", "p.npy"], "y0.npy"), (["--labels", "y1.npy", "--pred-probs", "p.npy"], "y1.npy"),
                               (["--labels", "y1.npy", "--features", "x.npy"], "y1.npy")] {
            let r = try run(["score"] + args, in: dir)
            #expect(r.code == 2, "\(args): \(r.stderr)")
            #expect(r.stderr == "synthctl: error: \(source): expected at least 2 classes among the labels, found 1\n", "\(args)")
        }
    }

    /// Annotations: a class only the gold file names (nobody answered it), and
    /// one class only, through every aggregator, table and report.
    @Test func answersWithAClassNobodyGave() throws {
        let dir = tempDir()
        FileManager.default.createFile(atPath: "\(dir)/a.csv", contents: Data("item,worker,label\n1,a,x\n1,b,y\n2,a,x\n2,b,x\n3,a,y\n3,c,y\n".utf8))
        FileManager.default.createFile(atPath: "\(dir)/g.csv", contents: Data("item,truth\n1,z\n2,x\n3,y\n".utf8))
        let r = try run(["score", "--answers", "a.csv", "--gold", "g.csv", "--aggregators", "all", "--min-shared-items", "2",
                         "--json", "r.json", "--markdown", "r.md", "--html", "r.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("answers: 6 from 3 annotators on 3 items, 3 classes"))
        #expect(r.stdout.contains("accuracy 0.6667 on 3 gold items"), "\(r.stdout)")
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))['annotations']
        assert r['input']['classes'] == ['x', 'y', 'z']
        assert all(len(a['estimated_confusion']) == 3 for a in r['annotators'])
        assert r['annotator_pairs']['pairs'] == [{'a': 'a', 'b': 'b', 'shared_items': 2, 'kappa': 0}], r['annotator_pairs']
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// Labels with a gap (classes 0 and 2, none 1) and a model trained by
    /// synthctl: the classes are the ids present (issue 13: never a class
    /// per id below the largest), so there is no class 1 to leave empty;
    /// with given probabilities of three columns, column 1 is a class no
    /// label uses.
    @Test func aGapInTheClassIDsIsAClassNeverGiven() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np
        rng = np.random.default_rng(0)
        y = np.array([0] * 30 + [2] * 30, dtype=np.int32)
        x = rng.normal(size=(60, 3)).astype(np.float32); x[y == 2] += 2
        p = np.full((60, 3), 0.1); p[y == 0, 0] = 0.8; p[y == 2, 2] = 0.8
        np.save('\(dir)/y.npy', y); np.save('\(dir)/x.npy', x); np.save('\(dir)/p.npy', p)
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        for model in ["logistic", "knn"] {
            let r = try run(["score", "--labels", "y.npy", "--features", "x.npy", "--model", model, "--json", "\(model).json"], in: dir)
            #expect(r.code == 0, "\(model): \(r.stderr)")
            #expect(r.stdout.contains("labels: 60 rows, 2 classes, "), "\(r.stdout)")
            let check = try python("""
            import json
            r = json.load(open('\(dir)/\(model).json'))['label_issues']
            assert r['classes_never_given'] == [] and [c['class'] for c in r['classes']] != [] , r['classes']
            assert sorted(c['class'] for c in r['classes']) == ['0', '2'], r['classes']
            print('ok')
            """)
            #expect(check.code == 0, "\(model): \(check.stderr)")
        }
        let given = try run(["score", "--labels", "y.npy", "--pred-probs", "p.npy", "--json", "given.json"], in: dir)
        #expect(given.code == 0, "\(given.stderr)")
        #expect(given.stdout.contains("labels: 60 rows, 3 classes (1 never given: 1), "), "\(given.stdout)")
        for model in ["given"] {
            let check = try python("""
            import json
            r = json.load(open('\(dir)/\(model).json'))['label_issues']
            assert r['classes_never_given'] == ['1'] and r['thresholds'][1] is None
            assert [c['label_noise'] for c in r['classes'] if c['class'] == '1'] == [None]
            print('ok')
            """)
            #expect(check.code == 0, "\(model): \(check.stderr)")
        }
    }
}
