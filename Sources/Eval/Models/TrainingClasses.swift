import Synth
import SynthctlCore

/// A classifier needs two classes to tell apart. Trained on one, it can only
/// predict that class: its accuracy is 1 on any test set of that class and
/// every ratio built on it is 1, numbers that look like findings and are
/// not. The commands that train a learner on a labeled input (score's
/// cross-validated model, compare's TSTR/TRTR utility, limits' learning
/// curves, collapse's downstream accuracy) check their reference input with
/// this first, so that such an input is refused as bad input.
///
/// A training *subset* with one class (a learning-curve point, a generation
/// that lost a class, a synthetic set missing classes) is not refused: the
/// learner then predicts that class (``LogisticRegression``), which is the
/// answer those measurements are after.
public enum TrainingClasses {
    /// The number of distinct labels (the classes present, whatever the
    /// number of class names).
    public static func count(_ labels: [Int32]) -> Int { Set(labels).count }

    /// Throws "<source>: expected at least 2 classes among the labels
    /// (<purpose>), found 1 ("cat")" unless the labels hold two or more.
    ///
    /// - Parameters:
    ///   - classNames: names by class id, for the message.
    ///   - purpose: why two are needed, e.g. "the learning curves train a classifier on them".
    public static func requireTwo(_ labels: [Int32], classNames: [String], source: String, purpose: String) throws {
        let present = Set(labels).sorted()
        guard present.count < 2 else { return }
        let names = present.map { Int($0) < classNames.count ? "\"\(classNames[Int($0)])\"" : "\($0)" }
        throw InputError(file: source, expected: "at least 2 classes among the labels (\(purpose))",
                         found: "\(present.count)" + (names.isEmpty ? "" : " (\(names.joined()))"))
    }
}
