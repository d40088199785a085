import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The fourth round of testers' findings on issue 13, end to end.
extension CommandLineTests {
    /// Runs synthctl under `sh`, which first runs `plant` with `$$` — the
    /// PID synthctl then has (`exec`) — so a test can put something at the
    /// temporary name the run will use.
    func runPlanting(_ plant: String, _ args: [String], in dir: String) throws -> Result {
        let quoted = args.map { "'\($0)'" }.joined(separator: " ")
        return try launch("/bin/sh", ["-c", "\(plant); exec '\(Self.binary)' \(quoted)"], in: dir)
    }

    /// A file or link planted at a run's temporary name is neither removed
    /// nor followed; the message names the path that exists, not the
    /// output (which does not exist). For a dataset directory, a table, its
    /// manifest, a report and a model.
    @Test func aPlantedTemporaryNameIsRefusedAndLeftAlone() throws {
        let dir = tempDir()
        try "victim".write(toFile: "\(dir)/victim.txt", atomically: true, encoding: .utf8)
        #expect(try run(["gen", "--rows", "60", "--format", "csv", "--out", "in.csv"], in: dir).code == 0)
        let cases: [(planted: String, args: [String])] = [
            ("s4.csv.manifest.json", ["gen", "--rows", "10", "--format", "csv", "--out", "s4.csv"]),
            ("s5.csv", ["gen", "--rows", "10", "--format", "csv", "--out", "s5.csv"]),
            ("d6", ["gen", "--rows", "10", "--out", "d6"]),
            ("r.json", ["score", "--table", "in.csv", "--json", "r.json"]),
            ("r.md", ["score", "--table", "in.csv", "--markdown", "r.md"]),
            ("r.html", ["score", "--table", "in.csv", "--html", "r.html"]),
            ("m.json", ["fit", "in.csv", "--out", "m.json"]),
        ]
        for (planted, args) in cases {
            for link in [true, false] {
                let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                let plant = link ? "ln -s \"$PWD/victim.txt\" \(planted).synthctl-partial-$$" : "echo mine > \(planted).synthctl-partial-$$"
                let r = try runPlanting(plant, args, in: dir)
                let pid = r.stderr.split(separator: "-").last.map { $0.prefix { $0.isNumber } } ?? ""
                let temp = "\(planted).synthctl-partial-\(pid)"
                #expect(r.code == 2, "\(args) \(r.stderr)")
                #expect(r.stderr == "synthctl: error: \(temp): exists and was not created by this run; remove it or choose another output\n", "\(args)")
                #expect(FileKind(dir, temp) == (link ? "link" : "file"), "\(args)")
                #expect(try String(contentsOfFile: "\(dir)/\(temp)", encoding: .utf8) == (link ? "victim" : "mine\n"))
                let after = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                #expect(after == (before + [temp]).sorted(), "\(args): \(after)")
                unlink("\(dir)/\(temp)")
            }
        }
        #expect(try String(contentsOfFile: "\(dir)/victim.txt", encoding: .utf8) == "victim")
    }

    private func FileKind(_ dir: String, _ name: String) -> String {
        var s = stat()
        guard lstat("\(dir)/\(name)", &s) == 0 else { return "none" }
        return s.st_mode & S_IFMT == S_IFLNK ? "link" : s.st_mode & S_IFMT == S_IFREG ? "file" : "other"
    }

    /// The sweep of dead runs' partials removes only the shapes this
    /// version leaves: a regular file, or a dataset directory that is empty
    /// or holds a dataset's .npy files among dataset files only. A directory
    /// with a user's README.md alone, or features.npy beside a foreign file,
    /// is kept.
    @Test func theStalePartialSweepKeepsDirectoriesThatAreNotPartialDatasets() throws {
        let dir = tempDir(), fm = FileManager.default
        let dead = try OutputSafetyProbe.deadPID()
        for d in ["c", "e", "f", "g"] { try fm.createDirectory(atPath: "\(dir)/\(d).synthctl-partial-\(dead)", withIntermediateDirectories: false) }
        try "my notes".write(toFile: "\(dir)/c.synthctl-partial-\(dead)/README.md", atomically: true, encoding: .utf8)
        try Data(count: 128).write(to: URL(fileURLWithPath: "\(dir)/f.synthctl-partial-\(dead)/features.npy"))
        try Data(count: 128).write(to: URL(fileURLWithPath: "\(dir)/f.synthctl-partial-\(dead)/README.md"))
        try Data(count: 128).write(to: URL(fileURLWithPath: "\(dir)/g.synthctl-partial-\(dead)/features.npy"))
        try "x".write(toFile: "\(dir)/g.synthctl-partial-\(dead)/notes.txt", atomically: true, encoding: .utf8)
        try "x".write(toFile: "\(dir)/t.csv.synthctl-partial-\(dead)", atomically: true, encoding: .utf8)
        #expect(try run(["gen", "--rows", "10", "--out", "out"], in: dir).code == 0)
        // e (empty: killed right after mkdir), f (features.npy and README.md) and the file partial go;
        // c (a README.md alone) and g (a file synthctl does not write) stay.
        #expect(try fm.contentsOfDirectory(atPath: dir).sorted() == ["c.synthctl-partial-\(dead)", "g.synthctl-partial-\(dead)", "out"])
        #expect(try String(contentsOfFile: "\(dir)/c.synthctl-partial-\(dead)/README.md", encoding: .utf8) == "my notes")
    }

    /// A dataset directory's manifest.json that is there is read within
    /// --max-memory and must be synthctl's: garbage, gzip, another tool's
    /// JSON each get one line naming it; a good one still names the classes.
    @Test func aDatasetManifestIsCheckedAndBudgeted() throws {
        let dir = tempDir()
        for d in ["og", "gz", "other", "ok"] { #expect(try run(["gen", "--rows", "200", "--out", d], in: dir).code == 0) }
        try "garbage{\n".write(toFile: "\(dir)/og/manifest.json", atomically: true, encoding: .utf8)
        let good = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/gz/manifest.json"))
        #expect(try python("import gzip; open('\(dir)/gz/manifest.json', 'wb').write(gzip.compress(open('\(dir)/ok/manifest.json', 'rb').read()))").code == 0)
        #expect(good.count > 1000)
        try #"{"name": "My PWA", "icons": []}"#.write(toFile: "\(dir)/other/manifest.json", atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            ("og", "og/manifest.json: expected a synthctl dataset manifest (a JSON object with a format_version), found a JSON syntax error (line 1, column 1: "),
            ("gz", "gz/manifest.json: expected UTF-8 text, found a gzip-compressed file"),
            ("other", "other/manifest.json: expected a synthctl dataset manifest (a JSON object with a format_version), found a JSON object without one (another tool's manifest?)"),
        ]
        for (d, prefix) in cases {
            for args in [["score", d], ["fit", d, "--out", "m.json"], ["compare", "--human", "ok", "--synthetic", d]] {
                let r = try run(args, in: dir)
                #expect(r.code == 2 && r.stderr.hasPrefix("synthctl: error: \(prefix)") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            }
        }
        let budget = try run(["score", "ok", "--max-memory", "1K"], in: dir)
        #expect(budget.code == 2 && budget.stderr.hasPrefix("synthctl: error: ok/manifest.json: expected a run within the memory limit of 1.0 KiB, found an estimate of "), "\(budget.stderr)")
        let fine = try run(["score", "ok"], in: dir)
        #expect(fine.code == 0 && fine.stdout.contains("class_0"), "\(fine.stderr)")
    }

    /// Three annotators who agree on all 40 items (39 x, 1 y): κ = α = 1,
    /// yet z = 1.43 against chance 0.951 at perfect agreement. Not spam:
    /// the test cannot tell, said so in the summary and the JSON. One class:
    /// no variation. A real spammer (random answers over 4 balanced
    /// classes, 200 items) is still flagged.
    @Test func perfectAnnotatorsAreNotSpammers() throws {
        let dir = tempDir()
        var skewed = "item,worker,label\n", single = "item,worker,label\n", mixed = "item,worker,label\n"
        for i in 0..<40 { for w in ["a", "b", "c"] { skewed += "\(i),\(w),\(i == 0 ? "y" : "x")\n"; single += "\(i),\(w),x\n" } }
        for i in 0..<200 {
            let truth = i % 4
            for w in ["a", "b", "c"] { mixed += "\(i),\(w),\(truth)\n" }
            mixed += "\(i),s,\((i * 7 + i / 4 * 3) % 4)\n"  // independent of the truth: agreement near 1/4
        }
        for (name, text) in [("skewed.csv", skewed), ("single.csv", single), ("mixed.csv", mixed)] {
            try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        }
        for (file, reason) in [("skewed.csv", "too little evidence: agreement 1.000 over 40 answers is neither significantly above chance 0.951 nor significantly nearer to it than to perfect"),
                               ("single.csv", "no variation: the annotator's answers and the consensus are all one class")] {
            let r = try run(["score", "--answers", file, "--json", "r.json", "--force"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stdout.contains("flagged: 0 likely spammers, 0 adversarial; 3 of 3 annotators with enough answers: can't tell"), "\(r.stdout)")
            let check = try python("""
            import json
            a = json.load(open('\(dir)/r.json'))['annotations']['annotators']
            assert [x['flag'] for x in a] == [None] * 3, a
            assert [x['flag_undecided'] for x in a] == [\(String(reflecting: reason))] * 3, a
            print('ok')
            """)
            #expect(check.stdout == "ok\n", "\(file): \(check.stderr)")
            let gate = try run(["score", "--answers", file, "--max-flagged-share", "0"], in: dir)
            #expect(gate.code == 0, "\(gate.stdout)")
        }
        let r = try run(["score", "--answers", "mixed.csv", "--json", "m.json"], in: dir)
        #expect(r.code == 0 && r.stdout.contains("flagged: 1 likely spammer, 0 adversarial\n"), "\(r.stdout)")
        let check = try python("""
        import json
        a = {x['id']: x for x in json.load(open('\(dir)/m.json'))['annotations']['annotators']}
        assert a['s']['flag'] == 'spammer' and 'flag_undecided' not in a['s'], a['s']
        assert all(a[w]['flag'] is None and 'flag_undecided' not in a[w] for w in 'abc')
        print('ok')
        """)
        #expect(check.stdout == "ok\n", "\(check.stderr)")
    }

    /// knn with more neighbours than a point's training rows says what it
    /// used, per point and in the JSON; a flat curve carries no fit.
    @Test func limitsStatesTheNeighboursUsedAndFlatCurvesHaveNoFit() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "400", "--format", "csv", "--out", "h.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "400", "--seed", "3", "--format", "csv", "--out", "s.csv"], in: dir).code == 0)
        let r = try run(["limits", "--human", "h.csv", "--synthetic", "s.csv", "--learner", "knn", "--neighbors", "300",
                         "--points", "4", "--seeds", "2", "--json", "l.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Learning curves (knn, 300 neighbours (capped at a point's training rows: as few as 20; k per point below), 2 seeds per point)"), "\(r.stdout)")
        #expect(r.stdout.contains("  n=20 error ") && r.stdout.contains(" (k = 20)\n"))
        let check = try python("""
        import json
        l = json.load(open('\(dir)/l.json'))['limits']
        p = l['parameters']
        assert p['neighbors'] == 300 and p['fewest_neighbors_used'] == 20, p
        mix = p['mix_human_rows']
        for c in l['curves']:
            extra = mix if c['name'] == 'human+synthetic' else 0
            assert [q['neighbors'] for q in c['points']] == [min(300, q['rows'] + extra) for q in c['points']], c
            assert not (c['level']['flat'] and 'fit' in c), c['name']
        assert any(c['level']['flat'] for c in l['curves'])
        print('ok')
        """)
        #expect(check.stdout == "ok\n", "\(check.stderr)")
        let logistic = try run(["limits", "--human", "h.csv", "--synthetic", "s.csv", "--points", "3", "--seeds", "2", "--json", "g.json"], in: dir)
        #expect(logistic.code == 0 && logistic.stdout.hasPrefix("Learning curves (logistic, 2 seeds per point)") && !logistic.stdout.contains("(k = "))
        #expect(try python("import json; p = json.load(open('\(dir)/g.json'))['limits']['parameters']; assert 'neighbors' not in p, p; print('ok')").stdout == "ok\n")
    }

    /// A repeated feature name in a gaussian, copula or mixture model file
    /// is refused at load, by gen --model and limits --model alike; a model
    /// given where a table goes gets a hint.
    @Test func modelFilesWithRepeatedFeatureNamesAndModelsGivenAsTables() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "h.csv"], in: dir).code == 0)
        for model in ["gaussian", "copula", "mixture"] {
            let fit = try run(["fit", "h.csv", "--model", model, "--out", "m_\(model).json"], in: dir)
            #expect(fit.code == 0, "\(fit.stderr)")
            #expect(try python("""
            import json
            d = json.load(open('\(dir)/m_\(model).json')); d['feature_names'][1] = d['feature_names'][0]
            json.dump(d, open('\(dir)/dupf_\(model).json', 'w')); print('ok')
            """).stdout == "ok\n")
            for args in [["gen", "--model", "dupf_\(model).json", "--out", "o"], ["limits", "--human", "h.csv", "--model", "dupf_\(model).json"]] {
                let r = try run(args, in: dir)
                #expect(r.code == 2 && r.stderr == "synthctl: error: dupf_\(model).json: feature_names[1]: expected a name not used before, found \"x0\", the name of feature_names[0]\n", "\(args): \(r.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/o"))
        }
        let hint = "m_gaussian.json is a fitted model: sample it with gen --model m_gaussian.json, or pass it as limits --model m_gaussian.json\n"
        for args in [["score", "--table", "m_gaussian.json"], ["compare", "--human", "h.csv", "--synthetic", "m_gaussian.json"],
                     ["limits", "--human", "h.csv", "--synthetic", "m_gaussian.json"], ["fit", "m_gaussian.json", "--out", "x.json"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 2 && r.stderr.hasPrefix("synthctl: error: m_gaussian.json: ") && r.stderr.hasSuffix("; " + hint), "\(args): \(r.stderr)")
        }
        // A JSON table that only mentions the format is not a model.
        try #"{"format": "other", "x0": 1}"#.write(toFile: "\(dir)/t.jsonl", atomically: true, encoding: .utf8)
        let plain = try run(["score", "--table", "t.jsonl"], in: dir)
        #expect(plain.code == 2 && !plain.stderr.contains("fitted model"), "\(plain.stderr)")
    }

    /// Values and rules stated as written: an integer beyond Int64, a number
    /// beyond the largest double, an int64 label, a YAML spec of comments, no
    /// annotator pair.
    @Test func messagesStateTheValueAndTheRule() throws {
        let dir = tempDir()
        try "seed: 9223372036854775808\n".write(toFile: "\(dir)/s1.yaml", atomically: true, encoding: .utf8)
        try #"{"seed": 9223372036854775808}"#.write(toFile: "\(dir)/s1.json", atomically: true, encoding: .utf8)
        try "generator:\n  class_sep: 1e400\n".write(toFile: "\(dir)/s2.yaml", atomically: true, encoding: .utf8)
        try "# only a comment\n\n".write(toFile: "\(dir)/s3.yaml", atomically: true, encoding: .utf8)
        let range = "seed: expected an integer in [0, 9223372036854775807], found 9223372036854775808"
        let beyond = "expected a number within float64's range (magnitude at most 1.8e308), found 1e400, beyond the largest double"
        let cases: [([String], String)] = [
            (["gen", "--spec", "s1.yaml", "--out", "z"], "s1.yaml: \(range)"),
            (["gen", "--spec", "s1.json", "--out", "z"], "s1.json: \(range)"),
            (["gen", "--set", "seed=9223372036854775808", "--out", "z"], "preset default (with overrides): \(range)"),
            (["gen", "--set", "generator.class_sep=1e400", "--out", "z"], "--set generator.class_sep=1e400: \(beyond)"),
            (["gen", "--spec", "s2.yaml", "--out", "z"], "s2.yaml: line 2, column 14: \(beyond)"),
            (["gen", "--spec", "s3.yaml", "--out", "z"], "s3.yaml: expected a spec object, found an empty document (only comments or blank lines)"),
        ]
        for (args, message) in cases {
            let r = try run(args, in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(message)\n", "\(args): \(r.stderr)")
        }
        #expect(try run(["gen", "--set", "seed=9223372036854775807", "--rows", "5", "--out", "z"], in: dir).code == 0)
        #expect(try python("""
        import numpy as np
        np.save('\(dir)/l64.npy', np.array([0, 1, -2**63], dtype=np.int64)); np.save('\(dir)/f.npy', np.zeros((3, 2), dtype=np.float32)); print('ok')
        """).stdout == "ok\n")
        let label = try run(["score", "--labels", "l64.npy", "--features", "f.npy"], in: dir)
        #expect(label.code == 2 && label.stderr == "synthctl: error: l64.npy: row 2: expected a class id (an integer ≥ 0), found -9223372036854775808\n", "\(label.stderr)")
        var answers = "item,worker,label\n"
        for i in 0..<5 { answers += "\(i),a,x\n\(i),b,\(i % 2 == 0 ? "y" : "x")\n" }
        try answers.write(toFile: "\(dir)/few.csv", atomically: true, encoding: .utf8)
        let pairs = try run(["score", "--answers", "few.csv"], in: dir)
        #expect(pairs.code == 0 && pairs.stdout.contains("annotator pairs (Cohen's κ, ≥ 20 shared items): no pair; 1 pair shares fewer items\n"), "\(pairs.stdout)")
    }
}
