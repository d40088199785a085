import Synth

/// The human and synthetic sets on one class numbering: classes are matched
/// by name, numbered in the human set's order, then any class only the
/// synthetic set has. Features must have the same width.
public struct ClassAlignment: Sendable {
    public let classNames: [String]
    public let humanLabels: [Int32]
    public let syntheticLabels: [Int32]
    public let humanFeatures: Matrix
    public let syntheticFeatures: Matrix

    public init(human: LabeledFeatures, synthetic: LabeledFeatures) throws {
        guard let h = human.features else {
            throw SynthError("\(human.source): expected feature columns to compare, found labels only")
        }
        guard let s = synthetic.features else {
            throw SynthError("\(synthetic.source): expected feature columns to compare, found labels only")
        }
        guard h.columns == s.columns else {
            throw SynthError("\(synthetic.source): expected \(h.columns) features (as in \(human.source)), found \(s.columns)")
        }
        if human.featureNames != synthetic.featureNames, Set(human.featureNames) == Set(synthetic.featureNames) {
            throw SynthError("\(synthetic.source): expected the feature columns in the order of \(human.source) (\(human.featureNames.prefix(5).joined(separator: ", "))…), found \(synthetic.featureNames.prefix(5).joined(separator: ", "))…")
        }
        var names = human.classNames
        var index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        for name in synthetic.classNames where index[name] == nil {
            index[name] = Int32(names.count)
            names.append(name)
        }
        let humanUsed = Set(human.labels.map { human.classNames[Int($0)] })
        let syntheticUsed = Set(synthetic.labels.map { synthetic.classNames[Int($0)] })
        guard !humanUsed.isDisjoint(with: syntheticUsed) else {
            throw SynthError("\(synthetic.source): expected labels that share classes with \(human.source) (\(humanUsed.sorted().prefix(5).joined(separator: ", "))), found none in common (\(syntheticUsed.sorted().prefix(5).joined(separator: ", ")))")
        }
        classNames = names
        humanLabels = human.labels
        syntheticLabels = synthetic.labels.map { index[synthetic.classNames[Int($0)]]! }
        humanFeatures = h
        syntheticFeatures = s
    }
}
