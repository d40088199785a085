import Testing
import Foundation

/// Options with a fixed set of values (``OptionChoice``), and flags that
/// have a preferred and an older spelling (issue 14, item 4).
extension CommandLineTests {
    /// The entry of `option` in `command --help`, its line wrapping undone.
    func helpEntry(_ command: String, _ option: String) throws -> String? {
        let r = try run([command, "--help"])
        #expect(r.code == 0, "\(r.stderr)")
        // Each entry starts on a line of its own, indented by two spaces.
        guard let at = r.stdout.range(of: "\n  \(option)") else { return nil }
        let rest = r.stdout[at.upperBound...]
        let entry = rest[..<(rest.range(of: "\n  -")?.lowerBound ?? rest.endIndex)]
        return entry.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test(arguments: [
        ("gen", "--format <format>", "(values: npy, csv, jsonl, parquet)"),  // default: npy, or what a --spec manifest records
        ("fit", "--model <model>", "(values: gaussian, mixture, copula; default: gaussian)"),
        ("fit", "--input-format <input-format>", "(values: csv, tsv, jsonl, parquet)"),
        ("collapse", "--model <model>", "(values: gaussian; default: gaussian)"),
        ("collapse", "--mode <mode>", "(values: replace, accumulate; default: replace)"),
        ("limits", "--learner <learner>", "(values: logistic, knn, memorize, gbdt; default: logistic)"),
        ("score", "--filter-by <filter-by>",
         "(values: prune_by_noise_rate, prune_by_class, both, confident_learning, predicted_neq_given, low_normalized_margin, low_self_confidence; default: prune_by_noise_rate)"),
        ("score", "--rank-by <rank-by>", "(values: self_confidence, normalized_margin, confidence_weighted_entropy; default: self_confidence)"),
        ("score", "--model <model>", "(values: logistic, knn, gbdt; default: logistic)"),
        ("score", "--tie-policy <tie-policy>", "(values: lowest, highest, random, abstain; default: lowest)"),
        ("score", "--alpha-level <alpha-level>", "(values: nominal, ordinal, interval, ratio; default: nominal)"),
        ("compare", "--input-format <input-format>", "(values: csv, tsv, jsonl, parquet)"),
    ])
    func helpListsTheValuesOfAChoiceOption(command: String, option: String, values: String) throws {
        let entry = try helpEntry(command, option)
        #expect(entry?.hasSuffix(values) == true, "\(command) \(option): \(entry ?? "no such entry")")
    }

    /// Shell completion offers a choice option's values.
    @Test func completionOffersTheValues() throws {
        let zsh = try run(["--generate-completion-script", "zsh"])
        #expect(zsh.code == 0, "\(zsh.stderr)")
        for values in ["('lowest' 'highest' 'random' 'abstain')", "('gaussian' 'mixture' 'copula')", "('logistic' 'knn' 'memorize' 'gbdt')",
                       "('replace' 'accumulate')", "('npy' 'csv' 'jsonl' 'parquet')", "('csv' 'tsv' 'jsonl' 'parquet')"] {
            #expect(zsh.stdout.contains(values), "\(values)")
        }
    }

    /// The refusal of each choice option, as it was when the value was a
    /// string checked by hand, and exit code 2.
    @Test(arguments: [
        (["gen", "--format", "xml"], "--format: expected one of npy, csv, jsonl, parquet, found \"xml\""),
        (["fit", "t.csv", "--out", "m.json", "--model", "vae"], "--model: expected gaussian, mixture or copula, found \"vae\""),
        (["fit", "t.csv", "--out", "m.json", "--input-format", "xml"], "--input-format: expected csv, tsv, jsonl or parquet, found \"xml\""),
        (["collapse", "--human", "t.csv", "--model", "copula"], "--model: expected gaussian, found \"copula\""),
        (["collapse", "--human", "t.csv", "--mode", "rewind"], "--mode: expected replace or accumulate, found \"rewind\""),
        (["limits", "--human", "t.csv", "--synthetic", "t.csv", "--learner", "tree"], "--learner: expected logistic, knn, memorize or gbdt, found \"tree\""),
        (["score", "--table", "t.csv", "--filter-by", "all"],
         "--filter-by: expected one of prune_by_noise_rate, prune_by_class, both, confident_learning, predicted_neq_given, low_normalized_margin, low_self_confidence, found all"),
        (["score", "--table", "t.csv", "--rank-by", "margin"],
         "--rank-by: expected one of self_confidence, normalized_margin, confidence_weighted_entropy, found margin"),
        (["score", "--table", "t.csv", "--model", "svm"], "--model: expected logistic, knn or gbdt, found svm"),
        (["score", "--table", "t.csv", "--tie-policy", "first"], "--tie-policy: expected lowest, highest, random or abstain, found first"),
        (["score", "--table", "t.csv", "--alpha-level", "ordinal2"], "--alpha-level: expected nominal, ordinal, interval or ratio, found ordinal2"),
        // A value with a space is shown as it always was: bare for score's options, quoted for the others.
        (["score", "--table", "t.csv", "--tie-policy", "a b"], "--tie-policy: expected lowest, highest, random or abstain, found a b"),
        (["limits", "--human", "t.csv", "--synthetic", "t.csv", "--learner", "a b"], "--learner: expected logistic, knn, memorize or gbdt, found \"a b\""),
    ])
    func aBadChoiceKeepsItsMessageAndExitsWithTwo(args: [String], message: String) throws {
        let dir = tempDir()
        try "a,b,label\n1,2,cat\n2,1,dog\n3,3,cat\n0,1,dog\n".write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        let r = try run(args, in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: \(message)\n", "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// A choice option's value reaches the run: `score --tie-policy abstain`
    /// is what the report records, and `gen --format csv` writes a table.
    @Test func aChoiceValueReachesTheRun() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--out", "c"], in: dir).code == 0)
        let r = try run(["score", "c", "--tie-policy", "abstain", "--json", "s.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(ties: abstain)"), "\(r.stdout)")
        let csv = try run(["gen", "--rows", "10", "--format", "csv", "--out", "t.csv"], in: dir)
        #expect(csv.code == 0 && FileManager.default.fileExists(atPath: "\(dir)/t.csv"), "\(csv.stderr)")
    }

    /// `collapse --labels` (its first name) and `--human-labels` (the name
    /// compare and limits use) are one option: the same run, the same bytes.
    @Test func collapseTakesHumanLabelsUnderBothNames() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "400", "--seed", "3", "--out", "d"], in: dir).code == 0)
        let runs = [("new", "--human-labels"), ("old", "--labels")].map { name, flag in
            (name, try? run(["collapse", "--human", "d/features.npy", flag, "d/labels.npy", "--generations", "2", "--json", "\(name).json"], in: dir))
        }
        for (name, r) in runs { #expect(r?.code == 0, "\(name): \(r?.stderr ?? "")") }
        #expect(runs[0].1?.stdout == runs[1].1?.stdout)
        let new = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/new.json"))
        let old = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/old.json"))
        #expect(!new.isEmpty && new == old)
        let entry = try helpEntry("collapse", "--human-labels, --labels <human-labels>")
        #expect(entry?.contains("--human-labels is preferred") == true, "\(entry ?? "no such entry")")
    }

    /// `compare --k` (its first name) and `--neighbors` (the name score and
    /// limits use) are one option; a bad value names the spelling given.
    @Test func compareTakesNeighboursUnderBothNames() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--seed", "1", "--out", "h"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--seed", "2", "--out", "s"], in: dir).code == 0)
        let base = ["compare", "--human", "h", "--synthetic", "s", "--kid-subsets", "1", "--no-baselines", "--no-per-class"]
        let new = try run(base + ["--neighbors", "3", "--json", "new.json"], in: dir)
        let old = try run(base + ["--k", "3", "--json", "old.json"], in: dir)
        #expect(new.code == 0 && old.code == 0, "\(new.stderr) \(old.stderr)")
        let a = try String(contentsOfFile: "\(dir)/new.json", encoding: .utf8)
        let b = try String(contentsOfFile: "\(dir)/old.json", encoding: .utf8)
        #expect(a.contains("\"k\": 3"), "\(a.prefix(400))")
        #expect(a == b && new.stdout == old.stdout)
        for flag in ["--neighbors", "--k"] {
            let bad = try run(base + [flag, "0"], in: dir)
            #expect(bad.code == 2 && bad.stderr == "synthctl: error: \(flag): expected an integer ≥ 1, found 0\n", "\(bad.stderr)")
        }
    }
}
