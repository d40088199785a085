import SynthctlCore

extension LimitsReport.HumanSplit {
    /// The human set given in two parts (``GivenHoldout``, `synthctl
    /// split`'s training part and holdout, checked and joined as `compare
    /// --human-train --human-holdout` joins them): the learners train on
    /// subsets of the training part and are tested on the holdout, so that
    /// a model fitted on the training part never saw a test row.
    ///
    /// A holdout row whose class the training part lacks is left out of the
    /// test rows, as `compare` leaves it out of utility: no learner trained
    /// on the training part can predict it (``holdoutOnlyClasses``,
    /// ``holdoutOnlyNote``). A category only the holdout has reaches the
    /// learners as all zeros (``LearnerFeatures``), as in a drawn split.
    ///
    /// Errors: ``SynthctlCore/InputError`` naming the holdout when no test
    /// row is left (an empty holdout, or one of classes the training part lacks).
    public init(given parts: GivenHoldout) throws {
        let h = parts.joined
        var inTraining = [Bool](repeating: false, count: h.classCount)
        for r in parts.train { inTraining[Int(h.labels[r])] = true }
        let test = parts.holdout.filter { inTraining[Int(h.labels[$0])] }
        guard !test.isEmpty else {
            throw InputError(file: parts.holdoutSource, expected: "at least one test row of a class the training part \(parts.trainSource) has",
                             found: "none in \(parts.holdout.count) rows")
        }
        let x = h.features!
        human = h
        source = parts.trainSource
        holdoutFraction = .nan
        seed = 0
        trainingFeatures = x.gatheringRows(parts.train)
        trainingLabels = parts.train.map { h.labels[$0] }
        testFeatures = x.gatheringRows(test)
        testLabels = test.map { h.labels[$0] }
        trainingRowIndices = parts.train
        testRowIndices = test
        holdoutSource = parts.holdoutSource
        let onlyHoldout = Set(parts.holdout.map { Int(h.labels[$0]) }.filter { !inTraining[$0] })
        holdoutOnlyClasses = onlyHoldout.sorted().map { h.classNames[$0] }
        holdoutOnlyClassRows = parts.holdout.count - test.count
    }

    /// The note on a given holdout's classes the training part lacks, nil without any.
    public var holdoutOnlyNote: String? {
        guard !holdoutOnlyClasses.isEmpty else { return nil }
        let one = holdoutOnlyClasses.count == 1
        return "the human holdout has \(one ? "a class" : "classes") the training part does not: \(NameList.describe(holdoutOnlyClasses, noun: "classes")); "
            + "\(one ? "its" : "their") \(holdoutOnlyClassRows) \(holdoutOnlyClassRows == 1 ? "row is" : "rows are") left out of the test rows: no learner trained on the training part can predict \(one ? "it" : "them")"
    }
}
