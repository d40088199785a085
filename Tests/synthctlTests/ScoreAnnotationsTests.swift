import Testing
import Foundation

/// `synthctl score --answers` on the inputs of issue 13: numeric labels,
/// statistics that are 0/0, pairwise agreement, EM that needs more iterations.
extension CommandLineTests {
    static var agreementFixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EvalTests/Fixtures/agreement.json").path
    }

    func write(_ text: String, to path: String) {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    /// Labels 2.5, 5, 10 are ordered as numbers: ordinal α 0.7083 as the
    /// krippendorff package gives (sorted as text, 10 < 2.5 < 5, it was 0.1483).
    @Test func numericLabelsAreOrderedAsNumbersEverywhere() throws {
        let dir = tempDir()
        write("item,worker,label\n1,a,2.5\n1,b,5\n2,a,5\n2,b,10\n3,a,10\n3,b,10\n4,a,2.5\n4,b,2.5\n", to: "\(dir)/a.csv")
        let r = try run(["score", "--answers", "a.csv", "--alpha-level", "ordinal", "--json", "r.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Krippendorff α (ordinal) 0.7083"), "\(r.stdout)")
        for (level, value) in [("interval", "0.6847"), ("ratio", "0.6599"), ("nominal", "0.3333")] {
            let other = try run(["score", "--answers", "a.csv", "--alpha-level", level], in: dir)
            #expect(other.stdout.contains("Krippendorff α (\(level)) \(value)"), "\(level): \(other.stdout)")
        }
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))['annotations']
        assert r['input']['classes'] == ['2.5', '5', '10'], r['input']['classes']
        # the confusion matrices are indexed in that order: worker b never answers 2.5 for a 5
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        // A table's numeric labels are classes in numeric order too (the order of --pred-probs columns).
        write("x0,label\n0.1,10\n0.2,2.5\n0.3,5\n0.4,10\n", to: "\(dir)/t.csv")
        let made = try python("import numpy as np; np.save('\(dir)/p.npy', np.array([[.1, .1, .8], [.8, .1, .1], [.1, .8, .1], [.1, .1, .8]]))")
        #expect(made.code == 0, "\(made.stderr)")
        let table = try run(["score", "--table", "t.csv", "--pred-probs", "p.npy", "--json", "t.json"], in: dir)
        #expect(table.code == 0, "\(table.stderr)")
        #expect(table.stdout.contains("health 1.0000: about 0 labels"), "\(table.stdout)")
        let tcheck = try python("""
        import json
        r = json.load(open('\(dir)/t.json'))['label_issues']
        assert r['input']['classes'] == ['2.5', '5', '10'], r['input']['classes']
        print('ok')
        """)
        #expect(tcheck.code == 0, "\(tcheck.stderr)")
    }

    /// Every annotator gives the same label: α and κ are 0/0. The run still
    /// reports majority vote, Dawid–Skene and gold accuracy; the undefined
    /// values are null / n/a with the reason, and a gate on them fails.
    @Test func anUndefinedStatisticIsReportedNotFatal() throws {
        let dir = tempDir()
        write("item,worker,label\n1,a,x\n1,b,x\n2,a,x\n2,b,x\n3,a,x\n3,c,x\n", to: "\(dir)/a.csv")
        write("item,truth\n1,x\n2,x\n", to: "\(dir)/g.csv")
        let why = "every answer on items with two or more answers is the same label: no disagreement is expected (0/0)"
        let r = try run(["score", "--answers", "a.csv", "--gold", "g.csv", "--json", "r.json", "--markdown", "r.md", "--html", "r.html",
                         "--aggregators", "all"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.contains("agreement: 1.0000 observed, Fleiss κ n/a, Krippendorff α (nominal) n/a (undefined: \(why))"), "\(r.stdout)")
        #expect(r.stdout.contains("accuracy 1.0000 on 2 gold items"))
        #expect(r.stdout.contains("Dawid–Skene: 2 iterations, converged"), "\(r.stdout)")
        let md = try String(contentsOfFile: "\(dir)/r.md", encoding: .utf8)
        #expect(md.contains("| Krippendorff's α (nominal) | n/a |") && md.contains("| Fleiss' κ | n/a |") && md.contains("**n/a:** \(why)."))
        let html = try String(contentsOfFile: "\(dir)/r.html", encoding: .utf8)
        #expect(html.contains("<td>n/a</td>") || html.contains(">n/a<"), "the HTML tables show n/a")
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))['annotations']
        a = r['agreement']
        assert a['fleiss_kappa'] is None and a['krippendorff_alpha']['value'] is None and a['percent_agreement'] == 1, a
        assert a['undefined']['fleiss_kappa'] == '\(why)' and a['krippendorff_alpha']['undefined']['value'] == '\(why)'
        assert r['majority_vote']['accuracy'] == 1 and r['dawid_skene']['accuracy'] == 1
        assert all(m['accuracy'] == 1 for m in r['other_models'].values()), r['other_models']
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")

        // Gates on undefined values fail, saying why.
        let gated = try run(["score", "--answers", "a.csv", "--gold", "g.csv", "--min-agreement", "0.5", "--max-flagged-share", "0.5"], in: dir)
        #expect(gated.code == 1)
        #expect(gated.stderr == """
        synthctl: gate failed: --min-agreement: Krippendorff's α (nominal) is undefined: \(why)
        synthctl: gate failed: --max-flagged-share: the flagged share is undefined: no annotator has --min-labels 10 answers (0 of 0)

        """)

        // Gold that names no answered item is a wrong file, not an accuracy
        // over no items: refused, with the likely cause.
        write("item,truth\n9,x\n", to: "\(dir)/g9.csv")
        let noGold = try run(["score", "--answers", "a.csv", "--gold", "g9.csv", "--min-accuracy", "0.9", "--json", "n.json"], in: dir)
        #expect(noGold.code == 2)
        #expect(noGold.stderr.hasPrefix("synthctl: error: g9.csv: expected gold labels for items that have answers in a.csv, found none of its 1 items there"))

        // No item with two answers: no pairs at all.
        write("item,worker,label\n1,a,x\n2,b,y\n", to: "\(dir)/single.csv")
        let single = try run(["score", "--answers", "single.csv"], in: dir)
        #expect(single.code == 0, "\(single.stderr)")
        #expect(single.stdout.contains("agreement: n/a observed, Fleiss κ n/a, Krippendorff α (nominal) n/a (undefined: no item has two or more answers"), "\(single.stdout)")
    }

    /// Cohen's κ for every pair of annotators sharing enough items: in the
    /// JSON, equal to scikit-learn's (Tests/Oracles/agreement_oracle.py);
    /// the most and least agreeing `--top` pairs in the summary and Markdown.
    @Test func pairwiseKappaIsReported() throws {
        let dir = tempDir()
        let r = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--json", "dog.json", "--top", "3", "--markdown", "dog.md"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("annotator pairs (Cohen's κ, ≥ 20 shared items): 546, 2839 more share fewer items"), "\(r.stdout)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let most = try #require(lines.firstIndex { $0.hasPrefix("  most agreeing ") }), least = try #require(lines.firstIndex { $0.hasPrefix("  least agreeing ") })
        #expect(least == most + 4, "three pairs under each title")
        let md = try String(contentsOfFile: "\(dir)/dog.md", encoding: .utf8)
        #expect(md.contains("**Annotator pairs** (Cohen's κ, 546 pairs sharing ≥ 20 items)") && md.contains("| *least agreeing* |  |  |"))
        let check = try python("""
        import json
        r = json.load(open('\(dir)/dog.json'))['annotations']
        p = r['annotator_pairs']
        ref = [x for x in json.load(open('\(Self.agreementFixture)'))['pairwise'] if x['set'] == 'dog'][0]
        assert p['minimum_shared_items'] == 20 and p['pairs_below_minimum'] == ref['below_minimum']
        ours = {(int(q['a']), int(q['b'])): (q['shared_items'], q['kappa']) for q in p['pairs']}
        assert len(ours) == len(ref['pairs'])
        for a, b, n, k in ref['pairs']:
            assert ours[(a, b)][0] == n and abs(ours[(a, b)][1] - k) < 1e-12, (a, b, ours[(a, b)], n, k)
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        // The minimum is an option; a dataset directory's annotations get pairs too.
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--out", "pool"], in: dir).code == 0)
        let pool = try run(["score", "pool", "--min-shared-items", "5", "--json", "pool.json"], in: dir)
        #expect(pool.code == 0, "\(pool.stderr)")
        #expect(pool.stdout.contains("annotator pairs (Cohen's κ, ≥ 5 shared items): "))
        let pcheck = try python("""
        import json
        p = json.load(open('\(dir)/pool.json'))['annotations']['annotator_pairs']
        assert p['minimum_shared_items'] == 5 and len(p['pairs']) > 0 and all(q['shared_items'] >= 5 for q in p['pairs'])
        print('ok')
        """)
        #expect(pcheck.code == 0, "\(pcheck.stderr)")
        let bad = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--min-shared-items", "1"], in: dir)
        #expect(bad.code == 2)
        #expect(bad.stderr.contains("--min-shared-items: expected an integer ≥ 2, found 1"))
    }

    /// ms does not converge in Dawid–Skene's default 100 iterations: the
    /// summary warns; with --max-iterations 1000 it converges (104
    /// iterations) and the report says so.
    @Test func dawidSkeneGoesOnWhenAsked() throws {
        let dir = tempDir()
        let args = ["score", "--answers", "\(Self.crowd)/ms/label.csv", "--gold", "\(Self.crowd)/ms/truth.csv"]
        let capped = try run(args + ["--json", "capped.json"], in: dir)
        #expect(capped.code == 0, "\(capped.stderr)")
        #expect(capped.stdout.contains("Dawid–Skene: 100 iterations, not converged"))
        #expect(capped.stdout.contains("\nwarning: Dawid–Skene stopped at 100 iterations without converging (last relative change 1.6e-06, tolerance 1e-06): its labels may still change; raise --max-iterations"), "\(capped.stdout)")
        let longer = try run(args + ["--max-iterations", "1000", "--json", "longer.json", "--markdown", "longer.md"], in: dir)
        #expect(longer.code == 0, "\(longer.stderr)")
        #expect(longer.stdout.contains("Dawid–Skene: 104 iterations, converged"), "\(longer.stdout)")
        #expect(!longer.stdout.contains("warning:"))
        let md = try String(contentsOfFile: "\(dir)/longer.md", encoding: .utf8)
        #expect(md.contains("| Dawid–Skene iterations | 104, converged |"))
        let check = try python("""
        import json
        c = json.load(open('\(dir)/capped.json'))['annotations']
        l = json.load(open('\(dir)/longer.json'))['annotations']
        assert not c['dawid_skene']['converged'] and c['dawid_skene']['iterations'] == 100 and c['dawid_skene']['last_relative_change'] > 1e-6
        assert l['dawid_skene']['converged'] and l['dawid_skene']['iterations'] == 104 and l['dawid_skene']['last_relative_change'] < 1e-6
        assert l['parameters']['dawid_skene']['max_iterations'] == 1000 and l['parameters']['dawid_skene']['relative_tolerance'] == 1e-6
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        // The same options reach one-coin and GLAD; a looser tolerance stops Dawid–Skene sooner.
        let others = try run(args + ["--aggregators", "one-coin,glad", "--max-iterations", "3", "--tolerance", "1e-3", "--json", "others.json"], in: dir)
        #expect(others.code == 0, "\(others.stderr)")
        #expect(others.stdout.contains("warning: GLAD stopped at 3 iterations without converging"), "\(others.stdout)")
        let ocheck = try python("""
        import json
        m = json.load(open('\(dir)/others.json'))['annotations']
        g, o = m['other_models']['glad'], m['other_models']['one_coin_dawid_skene']
        assert g['max_iterations'] == 3 and g['relative_tolerance'] == 1e-3 and g['iterations'] <= 3
        assert o['max_iterations'] == 3 and o['relative_tolerance'] == 1e-3 and o['iterations'] <= 3
        assert m['dawid_skene']['iterations'] <= 3
        print('ok')
        """)
        #expect(ocheck.code == 0, "\(ocheck.stderr)")
        for (flag, value, message) in [("--max-iterations", "0", "--max-iterations: expected an integer in [1, 1000000], found 0"),
                                       ("--max-iterations", "2000000", "--max-iterations: expected an integer in [1, 1000000], found 2000000"),
                                       ("--tolerance", "0", "--tolerance: expected a number in (0, 1), found 0"),
                                       ("--tolerance", "1", "--tolerance: expected a number in (0, 1), found 1"),
                                       ("--tolerance", "nan", "--tolerance: expected a number in (0, 1), found nan")] {
            let bad = try run(args + [flag, value], in: dir)
            #expect(bad.code == 2, "\(flag) \(value)")
            #expect(bad.stderr.contains(message), "\(flag) \(value): \(bad.stderr)")
        }
    }
}
