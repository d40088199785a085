import Testing
import Foundation

/// Issue 13, third round of testers' findings (items 1 and 9), end to end:
/// the right shape and value, no empty tables, counts in the right number,
/// gates over nothing that fail saying why.
extension CommandLineTests {
    /// Human labels a/b by the sign of u + noise; synthetic rows the same
    /// with the labels swapped (the tester's sw_h.csv and sw_s.csv, smaller).
    func writeSwappedLabels(_ dir: String, rows: Int) throws {
        try makeInputs(dir, """
        import numpy as np
        rng = np.random.default_rng(0)
        for name, swap in (('sw_h.csv', False), ('sw_s.csv', True)):
            u = rng.normal(size=\(rows)); v = rng.normal(size=\(rows))
            label = np.where(u + 0.3 * rng.normal(size=\(rows)) > 0, 'a', 'b')
            if swap: label = np.where(label == 'a', 'b', 'a')
            with open(name, 'w') as f:
                f.write('u,v,label\\n' + ''.join(f'{a:.6f},{b:.6f},{c}\\n' for a, b, c in zip(u, v, label)))
        """)
    }

    /// Item 1: the human+synthetic curve rises from about 0.12 to 0.89. It
    /// is reported as rising, at its error at the largest n, with no power
    /// law; no fit with a scale or exponent ≤ 0 is printed (it was
    /// "error = 0.0000 + -2.68e+18·n^(−100595476458635280)", "falling
    /// (plateau held at 0)").
    @Test func limitsReportsARisingCurveAsRising() throws {
        let dir = tempDir()
        try writeSwappedLabels(dir, rows: 1000)
        let out = try expectSuccess(["limits", "--human", "sw_h.csv", "--synthetic", "sw_s.csv", "--points", "5", "--seeds", "3",
                                     "--json", "l.json", "--markdown", "l.md"], in: dir)
        let mixed = try #require(out.components(separatedBy: "human+synthetic (").last)
        #expect(mixed.contains("\n  rising: the error grows by ") && mixed.contains("no power law fitted; error at the largest n "), "\(out)")
        #expect(!mixed.contains("fit: error =") && !out.contains("n^(−-") && !out.contains("+ -"), "\(out)")
        let md = try String(contentsOfFile: "\(dir)/l.md", encoding: .utf8)
        #expect(md.contains("| human+synthetic | 1000 |") && md.contains("| rising (no power law; error at largest n) |"), "\(md)")
        #expect(!md.contains("held at 0"), "\(md)")
        try expectPython(dir, """
        l = json.load(open('l.json'))['limits']
        human, synthetic, mixed = l['curves']
        lv = mixed['level']; last = mixed['points'][-1]
        assert lv['shape'] == 'rising' and lv['power_law'] is False and not lv['flat'] and not lv['held_at_zero'], lv
        assert 'fit' not in mixed, mixed.get('fit')
        # The level is the error at the largest n; the fall is negative beyond 1.96 standard errors.
        assert lv['value'] == last['mean'] and lv['fall'] < -1.96 * lv['fall_standard_error'], (lv, last)
        assert mixed['points'][0]['mean'] < 0.2 and last['mean'] > 0.8, mixed['points']
        assert human['level']['shape'] == 'falling' and human['level']['power_law'] is True
        # Every fit given is a power law that falls.
        for c in l['curves']:
            if 'fit' in c: assert c['fit']['scale'] > 0 and c['fit']['exponent'] > 0, c
        assert 'rising' in l['definitions'] and 'synthetic_rising' in l['definitions']
        """)
    }

    /// Item 9: compare's Markdown has no empty "Worst classes by coverage"
    /// table without per-class metrics or with --top 0, and lists --top
    /// classes otherwise; the summary prints no empty header either.
    @Test func compareListsNoEmptyTables() throws {
        let dir = tempDir()
        try writeBlobs("\(dir)/h.csv", rows: 240, classes: ["cat", "dog", "eel"])
        try writeBlobs("\(dir)/s.csv", rows: 240, seed: 1, classes: ["cat", "dog", "eel"])
        let base = ["compare", "--human", "h.csv", "--synthetic", "s.csv", "--kid-subsets", "2", "--no-baselines"]
        let full = try expectSuccess(base + ["--markdown", "full.md", "--top", "2"], in: dir)
        #expect(full.contains("Worst classes by coverage:"), "\(full)")
        let fullMD = try String(contentsOfFile: "\(dir)/full.md", encoding: .utf8)
        let worst = try #require(fullMD.components(separatedBy: "**Worst classes by coverage**\n\n").last)
        // Header, rule and --top 2 rows.
        #expect(worst.components(separatedBy: "\n\n")[0].split(separator: "\n").count == 4, "\(fullMD)")
        for (extra, name) in [(["--no-per-class"], "none.md"), (["--top", "0"], "top0.md")] {
            let out = try expectSuccess(base + extra + ["--markdown", name], in: dir)
            #expect(!out.contains("Worst classes by coverage"), "\(extra): \(out)")
            let md = try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8)
            #expect(!md.contains("Worst classes by coverage") && !md.contains("| class |"), "\(extra): \(md)")
            #expect(md.contains("3 classes.") && md.hasSuffix("**Gates:** all passed.\n"), "\(md)")
        }
    }

    /// Item 9: score --top 0 prints the counts and no table headers; a
    /// count of one reads "1 annotator", "1 tied item", not "1 annotators".
    @Test func scoreTopZeroAndCountsOfOne() throws {
        let dir = tempDir()
        // Items 1–30: a, b and c answer; c is often wrong; item 30 is a tie (a: x, b: y, c absent).
        var answers = "item,worker,label\n"
        for t in 1...29 {
            answers += "\(t),a,\(t % 2 == 0 ? "x" : "y")\n\(t),b,\(t % 2 == 0 ? "x" : "y")\n\(t),c,\(t % 3 == 0 ? "x" : "y")\n"
        }
        answers += "30,a,x\n30,b,y\n"
        try answers.write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        let top0 = try expectSuccess(["score", "--answers", "a.csv", "--top", "0", "--markdown", "s.md"], in: dir)
        #expect(top0.contains("annotator pairs (Cohen's κ, ≥ 20 shared items): 3"), "\(top0)")
        #expect(!top0.contains("least reliable annotators") && !top0.contains("most agreeing") && !top0.contains("shared items  κ"), "\(top0)")
        #expect(top0.contains("majority vote: 1 tied item (ties: lowest)"), "\(top0)")
        let md = try String(contentsOfFile: "\(dir)/s.md", encoding: .utf8)
        #expect(!md.contains("annotator pair |") && !md.contains("**Annotator pairs**"), "\(md)")

        // One annotator, one item, one class.
        try "item,worker,label\n1,a,x\n".write(toFile: "\(dir)/one.csv", atomically: true, encoding: .utf8)
        let one = try expectSuccess(["score", "--answers", "one.csv"], in: dir)
        #expect(one.hasPrefix("answers: 1 from 1 annotator on 1 item, 1 class\n"), "\(one)")
        #expect(one.contains("majority vote: 0 tied items"), "\(one)")

        // Labels: --top 0 prints no "worst classes" or "most suspicious items" header.
        try makeInputs(dir, """
        import numpy as np
        y = np.array([0, 0, 1, 1]); np.save('y.npy', y)
        np.save('P.npy', np.array([[.1, .9], [.8, .2], [.7, .3], [.2, .8]]))
        """)
        let labels = try expectSuccess(["score", "--labels", "y.npy", "--pred-probs", "P.npy", "--top", "0"], in: dir)
        #expect(labels.hasPrefix("labels: 4 rows, 2 classes") && labels.contains("flagged"), "\(labels)")
        #expect(!labels.contains("worst classes") && !labels.contains("most suspicious items"), "\(labels)")
        // Row 2 (label 0, P(1) = 0.8) is the one issue: "about 1 label", not "1 labels".
        try makeInputs(dir, """
        import numpy as np
        np.save('y1.npy', np.array([0, 0, 0, 1, 1, 1]))
        np.save('P1.npy', np.array([[.9, .1], [.8, .2], [.2, .8], [.2, .8], [.3, .7], [.1, .9]]))
        """)
        let single = try expectSuccess(["score", "--labels", "y1.npy", "--pred-probs", "P1.npy", "--top", "1"], in: dir)
        #expect(single.contains("about 1 label (16.7%) estimated wrong; 1 flagged"), "\(single)")
        #expect(single.contains("worst classes:\n") && single.contains("most suspicious items:\n  row       given         predicted     self_confidence\n  2 "), "\(single)")
    }

    /// Item 9: --tie-policy abstain reports majority vote's accuracy over the
    /// decided gold items and how many were abstained on (an abstention
    /// counted as wrong before: 2/4 here, not 2/3).
    @Test func abstainingMajorityVoteIsScoredOnTheDecidedItems() throws {
        let dir = tempDir()
        try "item,worker,label\n1,a,x\n1,b,x\n2,a,x\n2,b,y\n3,a,y\n3,b,y\n4,a,x\n4,b,x\n"
            .write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        // Item 2 ties; of items 1, 3, 4 majority vote gets 1 and 3 right.
        try "item,truth\n1,x\n2,x\n3,y\n4,y\n".write(toFile: "\(dir)/g.csv", atomically: true, encoding: .utf8)
        let out = try expectSuccess(["score", "--answers", "a.csv", "--gold", "g.csv", "--tie-policy", "abstain", "--json", "r.json"], in: dir)
        #expect(out.contains("majority vote: 1 tied item (ties: abstain), accuracy 0.6667 on the 3 decided gold items (1 abstained)"), "\(out)")
        try expectPython(dir, """
        mv = json.load(open('r.json'))['annotations']['majority_vote']
        assert abs(mv['accuracy'] - 2 / 3) < 1e-15 and mv['abstained_items'] == 1 and mv['abstained_gold_items'] == 1, mv
        """)
        // Other tie policies are unchanged: the tie is decided and scored.
        let lowest = try expectSuccess(["score", "--answers", "a.csv", "--gold", "g.csv", "--json", "l.json"], in: dir)
        #expect(lowest.contains("majority vote: 1 tied item (ties: lowest), accuracy 0.7500 on 4 gold items"), "\(lowest)")
        try expectPython(dir, """
        mv = json.load(open('l.json'))['annotations']['majority_vote']
        assert mv['accuracy'] == 0.75 and 'abstained_items' not in mv, mv
        """)
    }

    /// Item 9: a gate over no qualifying annotator fails as undefined,
    /// saying why, --min-annotator-accuracy as --max-flagged-share (it
    /// passed silently).
    @Test func annotatorGatesOverNoQualifyingAnnotatorFail() throws {
        let dir = tempDir()
        try "item,worker,label\n1,a,x\n1,b,x\n2,a,y\n2,b,y\n".write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        let r = try run(["score", "--answers", "a.csv", "--min-annotator-accuracy", "0.5", "--max-flagged-share", "0.5"], in: dir)
        #expect(r.code == 1)
        #expect(r.stderr == """
        synthctl: gate failed: --min-annotator-accuracy: the least accurate annotator is undefined: no annotator has --min-labels 10 answers (0 of 2)
        synthctl: gate failed: --max-flagged-share: the flagged share is undefined: no annotator has --min-labels 10 answers (0 of 0)

        """, "\(r.stderr)")
        // With annotators that qualify, the gate measures them.
        let ok = try run(["score", "--answers", "a.csv", "--min-annotator-accuracy", "0.5", "--min-labels", "2"], in: dir)
        #expect(ok.code == 0, "\(ok.stderr)")
    }
}
