import Testing
import Foundation

/// `--text-columns` on real human texts (the RTE pairs, `Fixtures/rte`):
/// score, compare and limits read a text classification set, both sides
/// of a compare embedded alike, and each refusal is one line with exit 2.
extension CommandLineTests {
    static var rte: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EvalTests/Fixtures/rte/pairs.csv").path
    }

    /// Python that reads the RTE pairs as `d` and writes `dir/dropped.jsonl`,
    /// a made-up synthetic set `s`: the pairs with every third word of each
    /// text and hypothesis dropped (the working directory is then `dir`).
    static func writingDroppedWordsSet(in dir: String) -> String {
        """
        import pandas as pd, os
        os.chdir('\(dir)')
        d = pd.read_csv('\(rte)')
        drop = lambda t: ' '.join(w for i, w in enumerate(t.split()) if i % 3 != 2)
        s = d.assign(text=d.text.map(drop), hypothesis=d.hypothesis.map(drop))
        s.to_json('dropped.jsonl', orient='records', lines=True, force_ascii=False)

        """
    }

    /// Two made-up synthetic sets beside the 800 RTE pairs: every third
    /// word of each text and hypothesis dropped, and the pairs copied
    /// unchanged. The copy reads closer than human data, its exact copies
    /// the 560 training rows' and the holdout rows' that repeat a training
    /// text; the word-dropped set copies nothing and is told from the human
    /// texts. score and limits see 768 features (384 per text column),
    /// compare the texts' 384 (a debug build's compare of 768 columns
    /// takes minutes: every pair of columns is compared). A text column's
    /// features are `embed`'s vectors of its texts: score on them, given as
    /// a features `.npy`, finds the same label issues.
    @Test func scoreCompareAndLimitsReadTextColumns() throws {
        let dir = tempDir()
        let made = try python(Self.writingDroppedWordsSet(in: dir) + """
        d.to_parquet('copy.parquet')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let text = ["--label-column", "gold", "--text-columns", "text,hypothesis", "--feature-columns", "text,hypothesis"]
        let score = try run(["score", "--table", Self.rte, "--json", "score.json"] + text, in: dir)
        #expect(score.code == 0 && score.stdout.hasPrefix("labels: 800 rows, 2 classes, probabilities from 5-fold logistic regression"), "\(score.stdout)\(score.stderr)")
        let lean = ["--label-column", "gold", "--text-columns", "text", "--feature-columns", "text", "--no-per-class", "--size-draws", "0", "--kid-subsets", "2"]
        // The copy is told by its privacy numbers, so the cheap detector does
        // (gradient-boosted trees over 384 columns take half a minute here).
        let copy = try run(["compare", "--human", Self.rte, "--synthetic", "copy.parquet", "--json", "copy.json", "--detector", "logistic"] + lean, in: dir)
        #expect(copy.code == 0 && copy.stdout.hasPrefix("Verdict: closer than human data: held-out detection AUC "), "\(copy.stdout)\(copy.stderr)")
        let dropped = try run(["compare", "--human", Self.rte, "--synthetic", "dropped.jsonl", "--json", "dropped.json"] + lean, in: dir)
        #expect(dropped.code == 0 && dropped.stdout.hasPrefix("Verdict: distinguishable: held-out detection AUC "), "\(dropped.stdout)\(dropped.stderr)")
        let limits = try run(["limits", "--human", Self.rte, "--synthetic", "dropped.jsonl", "--json", "limits.json"] + text, in: dir)
        #expect(limits.code == 0 && limits.stdout.contains("560 human training rows, 800 synthetic rows"), "\(limits.stdout)\(limits.stderr)")
        // One text column's features are embed's vectors: score finds the same issues from either.
        let embedded = try run(["embed", Self.rte, "--text-column", "text", "--out", "text.npy"], in: dir)
        #expect(embedded.code == 0, "\(embedded.stderr)")
        let labels = try python("""
        import numpy as np, pandas as pd
        gold = pd.read_csv('\(Self.rte)').gold
        np.save('\(dir)/gold.npy', (gold == 'not_entailment').astype(np.int64).to_numpy())
        """)
        #expect(labels.code == 0, "\(labels.stderr)")
        let fromText = try run(["score", "--table", Self.rte, "--label-column", "gold", "--text-columns", "text", "--feature-columns", "text",
                                "--json", "from-text.json"], in: dir)
        let fromNpy = try run(["score", "--features", "text.npy", "--labels", "gold.npy", "--json", "from-npy.json"], in: dir)
        #expect(fromText.code == 0 && fromNpy.code == 0, "\(fromText.stderr)\(fromNpy.stderr)")
        let check = try python("""
        import json, os
        os.chdir('\(dir)')
        for name in ['copy', 'dropped']:
            c = json.load(open(name + '.json'))['compare']
            assert c['input']['features'] == 384, c['input']
            assert c['verdict']['kind'] == ('closer_than_human' if name == 'copy' else 'distinguishable'), c['verdict']
        c = json.load(open('copy.json'))['compare']
        # The 560 training rows' copies, and the held-out rows that repeat a training text (RTE has several hypotheses per text).
        repeats = c['baselines']['human_holdout']['privacy']['exact_copy_share'] * 240
        assert abs(repeats - round(repeats)) < 1e-9 and round(repeats) > 0, repeats
        assert c['synthetic']['privacy']['exact_copy_share'] == (560 + round(repeats)) / 800, (c['synthetic']['privacy'], repeats)
        assert json.load(open('dropped.json'))['compare']['synthetic']['privacy']['exact_copy_share'] == 0
        s = json.load(open('score.json'))['label_issues']['input']
        assert s['features'] == 768 and s['rows'] == 800 and s['classes'] == ['entailment', 'not_entailment'], s
        a, b = json.load(open('from-text.json'))['label_issues'], json.load(open('from-npy.json'))['label_issues']
        assert a['input']['features'] == 384
        for key in ['confident_joint', 'estimated_noise_matrix', 'flagged', 'health_score', 'estimated_label_issues']:
            assert a[key] == b[key], (key, a[key], b[key])
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// A number column, a column the table lacks, a missing text, a name
    /// list that is no list: one line each, exit 2.
    @Test func textColumnsThatCannotBeEmbeddedAreRefused() throws {
        let dir = tempDir()
        let made = try python("""
        import pandas as pd
        d = pd.read_csv('\(Self.rte)')
        d.loc[[3, 7], 'text'] = None
        d.to_csv('\(dir)/gap.csv', index=False)
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let cases: [([String], String)] = [
            (["--table", Self.rte, "--text-columns", "item", "--feature-columns", "text"],
             "synthctl: error: \(Self.rte): column \"item\": expected a text column (strings) to embed, found numbers\n"),
            (["--table", Self.rte, "--text-columns", "body"],
             "synthctl: error: \(Self.rte): expected a text column \"body\" among the feature columns, found columns item, text, hypothesis\n"),
            (["--table", "gap.csv", "--text-columns", "text", "--feature-columns", "text"],
             "synthctl: error: gap.csv: line 5, column \"text\": expected a value, found a missing value (an empty field); --drop-missing drops such rows\n"),
            (["--table", Self.rte, "--text-columns", "text,"],
             "synthctl: error: --text-columns: expected column names separated by commas, found an empty column name in \"text,\"\n"),
        ]
        for (args, message) in cases {
            let r = try run(["score", "--label-column", "gold"] + args, in: dir)
            #expect(r.code == 2 && r.stderr.hasPrefix(message.components(separatedBy: "\n")[0]), "\(args): \(r.stderr)")
        }
        // split copies texts as they are: the option would do nothing there, so it is refused.
        let split = try run(["split", Self.rte, "--label-column", "gold", "--text-columns", "text", "--train-out", "t.csv", "--holdout-out", "h.csv",
                             "--record", "r.json"], in: dir)
        #expect(split.code == 2 && split.stderr.hasPrefix("synthctl: error: --text-columns: split writes every column as it is, texts too; give it to the commands that read the parts"), "\(split.stderr)")
        let kept = try run(["score", "--table", "gap.csv", "--label-column", "gold", "--text-columns", "text", "--feature-columns", "text", "--drop-missing"], in: dir)
        #expect(kept.code == 0 && (kept.stdout + kept.stderr).contains("2 of 800 rows dropped"), "\(kept.stdout)\(kept.stderr)")
    }
}
