import Testing
import Foundation
import TestSupport

/// `limits` on the leak-free path (issue 16): `--human-train` and
/// `--human-holdout` (``GivenHoldout``, as compare joins them) give the
/// learners their training part and their test rows, and a fitted model
/// whose fingerprint holds test rows is warned about, on a drawn split and
/// on a given holdout alike. The table is typed (a categorical, a boolean
/// and an integer column beside a numeric one in thousands).
extension CommandLineTests {
    static let fastLimits = ["--points", "3", "--seeds", "2"]

    /// 300 rows of ``cityTable(rows:westRows:seed:)`` split (seed 0, 0.3:
    /// the rows `limits --human` holds out) and split again with seed 7.
    func splitCityTable() throws -> String {
        let dir = tempDir()
        try cityTable(rows: 300, seed: 16).write(toFile: "\(dir)/h.csv", atomically: true, encoding: .utf8)
        for args in [["split", "h.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"],
                     ["split", "h.csv", "--seed", "7", "--train-out", "train7.csv", "--holdout-out", "holdout7.csv", "--record", "split7.json"],
                     ["fit", "train.csv", "--out", "model.json"], ["fit", "train7.csv", "--out", "model7.json"],
                     ["fit", "h.csv", "--out", "leaky.json"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        return dir
    }

    /// split → fit on the training part → limits with both parts: the
    /// learners test on the 90 holdout rows (the report says so: `split`
    /// given, the holdout's file, no holdout fraction), the categorical
    /// column one-hot, and nothing is warned. The same parts with the model
    /// fitted on all 300 rows: all 90 test rows were fitted, warned on
    /// standard error and noted in the summary and `input_notes`.
    @Test func limitsOnTheLeakFreePathWarnsOnlyWhenTheModelSawTheTestRows() throws {
        let dir = try splitCityTable()
        let fair = try run(["limits", "--human-train", "train.csv", "--human-holdout", "holdout.csv", "--model", "model.json", "--json", "r.json"]
                           + Self.fastLimits, in: dir)
        #expect(fair.code == 0, "\(fair.stderr)")
        #expect(!fair.stderr.contains("warning") && !fair.stdout.contains("fitted on") && !fair.stdout.contains("fingerprint"), "\(fair.stdout)\(fair.stderr)")
        #expect(fair.stdout.contains("tested on 90 held-out human rows (the given holdout holdout.csv); 210 human training rows, 210 synthetic rows"), "\(fair.stdout)")
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))
        i = r['limits']['input']
        assert i['split'] == 'given' and i['human_holdout'] == 'holdout.csv' and i['human'] == 'train.csv', i
        assert i['test_rows'] == 90 and i['human_training_rows'] == 210, i
        assert r['limits']['parameters']['holdout_fraction'] is None, r['limits']['parameters']
        assert [c['column'] for c in r['limits']['feature_space']['one_hot']['columns']] == ['city'], r['limits']['feature_space']
        assert 'input_notes' not in r or 'synthetic' not in r['input_notes'], r.get('input_notes')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        let leaky = try run(["limits", "--human-train", "train.csv", "--human-holdout", "holdout.csv", "--model", "leaky.json", "--json", "l.json"]
                            + Self.fastLimits, in: dir)
        let note = "the synthetic set's model was fitted on 300 rows, 90 of them in the human test rows: the synthetic and human+synthetic curves' errors are optimistic; use synthctl split, fit on its training part, and give limits --human-train and --human-holdout"
        #expect(leaky.code == 0, "\(leaky.stderr)")
        #expect(leaky.stderr.contains("synthctl: warning: " + note + "\n"), "\(leaky.stderr)")
        #expect(leaky.stdout.contains("note: leaky.json: " + note), "\(leaky.stdout)")
        let leakyJSON = try python("""
        import json
        r = json.load(open('\(dir)/l.json'))
        assert r['input_notes']['synthetic'] == ["\(note)"], r['input_notes']
        """)
        #expect(leakyJSON.code == 0, "\(leakyJSON.stderr)")
    }

    /// `limits --human h.csv` draws the split `split` draws with seed 0: a
    /// model fitted on that training part overlaps none of its test rows;
    /// one fitted on seed 7's training part overlaps exactly the rows both
    /// records put there (counted here from the records' `source_rows`).
    /// A `gen --model` set given as `--synthetic` is checked through its
    /// manifest, as compare checks it.
    @Test func limitsOnItsOwnSplitWarnsAboutFittedTestRows() throws {
        let dir = try splitCityTable()
        let own = try run(["limits", "--human", "h.csv", "--model", "model.json"] + Self.fastLimits, in: dir)
        #expect(own.code == 0 && !own.stderr.contains("warning"), "\(own.stderr)")
        let expected = try python("""
        import json
        def rows(part, f):
            return {i for a, b in json.load(open('\(dir)/' + f))['split'][part]['source_rows'] for i in range(a, b + 1)}
        print(len(rows('holdout', 'split.json') & rows('train', 'split7.json')))
        """)
        #expect(expected.code == 0, "\(expected.stderr)")
        let overlapping = expected.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(overlapping).map { $0 > 0 && $0 < 90 } == true, "\(overlapping)")
        let warning = "synthctl: warning: the synthetic set's model was fitted on 210 rows, \(overlapping) of them in the human test rows: the synthetic and human+synthetic curves' errors are optimistic"
        let leaky = try run(["limits", "--human", "h.csv", "--model", "model7.json", "--json", "r.json"] + Self.fastLimits, in: dir)
        #expect(leaky.code == 0 && leaky.stderr.contains(warning), "\(leaky.stderr)")
        #expect(leaky.stdout.contains("note: model7.json: the synthetic set's model was fitted on 210 rows, \(overlapping) of them"), "\(leaky.stdout)")
        let gen = try run(["gen", "--model", "model7.json", "--rows", "210", "--out", "s7.csv"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        let synthetic = try run(["limits", "--human", "h.csv", "--synthetic", "s7.csv"] + Self.fastLimits, in: dir)
        #expect(synthetic.code == 0 && synthetic.stderr.contains(warning), "\(synthetic.stderr)")
    }

    /// Refused in one line, exit 2: `--human` with the parts, one part
    /// alone, `--human-labels` with the parts, and a holdout without a
    /// column of the training part (``GivenHoldout``'s check). A holdout
    /// class the training part lacks (8 rows of "c9") is left out of the
    /// test rows and noted; the report is the same for any `--threads`.
    @Test func limitsChecksTheGivenPartsAndIsDeterministic() throws {
        let dir = try splitCityTable()
        let refusals: [([String], String)] = [
            (["--human", "h.csv", "--human-train", "train.csv", "--human-holdout", "holdout.csv"],
             "give --human (limits holds out part of it) or --human-train with --human-holdout, not both"),
            (["--human-train", "train.csv"], "--human-train and --human-holdout go together: give both"),
            (["--human-train", "train.csv", "--human-holdout", "holdout.csv", "--human-labels", "y.npy"],
             "--human-labels goes with a --human features .npy (a --human-train or --human-holdout .npy takes --human-train-labels or --human-holdout-labels)"),
        ]
        for (args, message) in refusals {
            let r = try run(["limits"] + args + ["--model", "model.json"], in: dir)
            #expect(r.code == 2 && r.stderr.hasPrefix("synthctl: error: " + message + "\n"), "\(args): \(r.stderr)")
        }
        let lines = try String(contentsOfFile: "\(dir)/holdout.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        // Without visits (the second column); then 8 rows of a class the training part lacks.
        let noVisits = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != 1 }.map(\.element).joined(separator: ",") }
        try (noVisits.joined(separator: "\n") + "\n").write(toFile: "\(dir)/novisits.csv", atomically: true, encoding: .utf8)
        let extra = lines[1...8].map { $0.split(separator: ",").dropLast().joined(separator: ",") + ",c9" }
        try ((lines + extra).joined(separator: "\n") + "\n").write(toFile: "\(dir)/holdout9.csv", atomically: true, encoding: .utf8)
        let mismatched = try run(["limits", "--human-train", "train.csv", "--human-holdout", "novisits.csv", "--model", "model.json"], in: dir)
        #expect(mismatched.code == 2, "\(mismatched.stderr)")
        #expect(mismatched.stderr == "synthctl: error: novisits.csv: expected the columns of the training part train.csv (4), found 3 columns; no column \"visits\"\n", "\(mismatched.stderr)")
        var reports = [Data]()
        for threads in ["1", "2"] {
            let r = try run(["limits", "--human-train", "train.csv", "--human-holdout", "holdout9.csv", "--model", "model.json",
                             "--threads", threads, "--json", "r\(threads).json"] + Self.fastLimits, in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stdout.contains("note: holdout9.csv: the human holdout has a class the training part does not: c9; its 8 rows are left out of the test rows: no learner trained on the training part can predict it"), "\(r.stdout)")
            #expect(r.stdout.contains("tested on 90 held-out human rows (the given holdout holdout9.csv)"), "\(r.stdout)")
            reports.append(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/r\(threads).json")))
        }
        #expect(reports[0] == reports[1], "--threads changed the report")
    }
}
