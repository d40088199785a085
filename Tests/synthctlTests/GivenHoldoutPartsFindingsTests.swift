import Testing
import Foundation

/// A fresh QA pass on issue 16's leak-free path: the two parts given to
/// `compare --human-train … --human-holdout …` are checked as `--human`
/// is, and a holdout that is the training part (the same file given twice,
/// a copy of it, or the whole human set beside its own training part) is
/// caught rather than read as unseen rows.
extension CommandLineTests {
    /// `compare --human one.csv` is refused for its one class; the same
    /// class as a training part beside a two-class holdout was compared
    /// (exit 0, TRTR trained on one class). The training part is what the
    /// utility trains on, so it is what must hold two classes, as `limits`
    /// checks it.
    @Test func aOneClassTrainingPartIsRefusedByCompare() throws {
        let dir = tempDir()
        try writeBlobs("\(dir)/one.csv", rows: 120, classes: ["cat"])
        try writeBlobs("\(dir)/two.csv", rows: 120)
        let message = "synthctl: error: one.csv: expected at least 2 classes among the labels (the TSTR/TRTR utility trains a classifier on them), found 1 (\"cat\")\n"
        let r = try run(["compare", "--human-train", "one.csv", "--human-holdout", "two.csv", "--synthetic", "two.csv"] + Self.fastCompare, in: dir)
        #expect(r.code == 2 && r.stderr == message, "\(r.code): \(r.stderr)")
        // limits says the same of the same parts.
        let limits = try run(["limits", "--human-train", "one.csv", "--human-holdout", "two.csv", "--synthetic", "two.csv"], in: dir)
        #expect(limits.code == 2 && limits.stderr.contains("one.csv: expected at least 2 classes among the labels"), "\(limits.stderr)")
        // A one-class holdout beside a two-class training part is a test set, not a training set: compared.
        let holdout = try run(["compare", "--human-train", "two.csv", "--human-holdout", "one.csv", "--synthetic", "two.csv"] + Self.fastCompare, in: dir)
        #expect(holdout.code == 0, "\(holdout.stderr)")
    }

    /// The same file given as both parts (or a copy of it) made every
    /// "held-out" row a training row: the holdout baseline then scored
    /// coverage 0.96 and a median DCR of 0, and the verdict and privacy
    /// numbers were measured against copies, with exit 0 and no word. Every
    /// holdout row (features, categories and class) repeating a training
    /// row is refused in one line (compare and limits); some of them
    /// repeating one (the whole human set given as the holdout of its own
    /// training part) is said in a note with the count.
    @Test func aHoldoutThatIsTheTrainingPartIsCaught() throws {
        let dir = tempDir()
        try writeBlobs("\(dir)/two.csv", rows: 120)
        try FileManager.default.copyItem(atPath: "\(dir)/two.csv", toPath: "\(dir)/copy.csv")
        for holdout in ["two.csv", "copy.csv"] {
            let r = try run(["compare", "--human-train", "two.csv", "--human-holdout", holdout, "--synthetic", "two.csv"] + Self.fastCompare, in: dir)
            let expected = "\(holdout): expected a holdout of rows the training part two.csv does not hold, found all 120 of its rows in it (synthctl split's parts share none)"
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(expected)\n", "\(holdout): \(r.code) \(r.stderr)")
            let limits = try run(["limits", "--human-train", "two.csv", "--human-holdout", holdout, "--synthetic", "two.csv"], in: dir)
            #expect(limits.code == 2 && limits.stderr == "synthctl: error: \(expected)\n", "\(holdout): \(limits.stderr)")
        }
        // The whole set as the holdout of its own training part: 84 of its 120 rows are training rows.
        let split = try run(["split", "two.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "r.json"], in: dir)
        #expect(split.code == 0, "\(split.stderr)")
        let whole = try run(["compare", "--human-train", "train.csv", "--human-holdout", "two.csv", "--synthetic", "holdout.csv",
                             "--json", "c.json"] + Self.fastCompare, in: dir)
        #expect(whole.code == 0, "\(whole.stderr)")
        let note = "84 of the human holdout's 120 rows repeat a training row (features and class): if they are the same rows, train-on-synthetic, privacy and the holdout baseline are optimistic; synthctl split's parts share none"
        #expect(whole.stdout.contains("note: two.csv: \(note)\n"), "\(whole.stdout)")
        let json = try String(contentsOfFile: "\(dir)/c.json", encoding: .utf8)
        #expect(json.contains(note), "the note is in input_notes")
        // synthctl split's own parts share no row: no note.
        let fair = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout.csv", "--synthetic", "two.csv"] + Self.fastCompare, in: dir)
        #expect(fair.code == 0 && !fair.stdout.contains("repeat a training row"), "\(fair.stdout)")
    }
}
