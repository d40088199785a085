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
}
