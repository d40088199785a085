import Synth
import SynthctlCore

/// The human and synthetic sets on one class numbering: classes are matched
/// by name, numbered in the human set's order, then any class only the
/// synthetic set has; a set of bare ids beside a set of names is refused
/// (``ClassNaming/requireAgreement(_:_:)``). Features must have the same width; when both sets
/// name their columns (tables, and dataset directories, whose manifest
/// names them), columns are matched by name — the synthetic set's taken in
/// the human set's order — and different names or types are refused
/// (``requireSameColumns(human:synthetic:)``); `.npy`
/// matrices, whose columns have only positions, are matched by position
/// (``positionalMatchNote(human:synthetic:)`` says so when the other set
/// has names).
public struct ClassAlignment: Sendable {
    public let classNames: [String]
    public let humanLabels: [Int32]
    public let syntheticLabels: [Int32]
    public let humanFeatures: Matrix
    public let syntheticFeatures: Matrix

    public init(human: LabeledFeatures, synthetic: LabeledFeatures) throws {
        guard let h = human.features else {
            throw InputError(file: human.source, expected: "feature columns to compare", found: "labels only")
        }
        guard var s = synthetic.features else {
            throw InputError(file: synthetic.source, expected: "feature columns to compare", found: "labels only")
        }
        if !human.featureNamesArePositions, !synthetic.featureNamesArePositions {
            try Self.requireSameColumns(human: human, synthetic: synthetic)
        }
        guard h.columns == s.columns else {
            throw InputError(file: synthetic.source, expected: "\(h.columns) features (as in \(human.source))", found: "\(s.columns)")
        }
        if human.featureNames != synthetic.featureNames, !human.featureNamesArePositions, !synthetic.featureNamesArePositions {
            // Names match by their bytes (``ExactText``), as in pandas.
            let position = Dictionary(synthetic.featureNames.enumerated().map { (ExactText($1), $0) }) { first, _ in first }
            let humanNames = Set(human.featureNames.map(ExactText.init))
            let onlyHuman = human.featureNames.filter { position[ExactText($0)] == nil }
            let onlySynthetic = synthetic.featureNames.filter { !humanNames.contains(ExactText($0)) }
            guard onlyHuman.isEmpty, onlySynthetic.isEmpty, position.count == s.columns else {
                func list(_ names: [String]) -> String { names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", … (\(names.count))" : "") }
                throw InputError(file: synthetic.source, expected: "the feature columns of \(human.source) (matched by name)",
                                 found: "other names: only in \(human.source): \(list(onlyHuman)); only in \(synthetic.source): \(list(onlySynthetic))")
            }
            let order = human.featureNames.map { position[ExactText($0)]! }
            var storage = [Float](repeating: 0, count: s.rows * s.columns)
            for r in 0..<s.rows {
                for (j, c) in order.enumerated() { storage[r * s.columns + j] = s.storage[r * s.columns + c] }
            }
            s = Matrix(rows: s.rows, columns: s.columns, storage: storage)
        }
        // Bare ids meeting names share no class by name, and nothing says which id is which name.
        try ClassNaming.requireAgreement((human.source, human.labelsAreBareIDs, human.classNames),
                                         (synthetic.source, synthetic.labelsAreBareIDs, synthetic.classNames))
        var names = human.classNames
        // Class names match by their bytes: "café" in NFC and in NFD are two classes.
        var index = Dictionary(names.enumerated().map { (ExactText($1), Int32($0)) }) { first, _ in first }
        for name in synthetic.classNames where index[ExactText(name)] == nil {
            index[ExactText(name)] = Int32(names.count)
            names.append(name)
        }
        let humanUsed = Set(human.labels.map { ExactText(human.classNames[Int($0)]) })
        let syntheticUsed = Set(synthetic.labels.map { ExactText(synthetic.classNames[Int($0)]) })
        guard !humanUsed.isDisjoint(with: syntheticUsed) else {
            throw InputError(file: synthetic.source,
                             expected: "labels that share classes with \(human.source) (\(humanUsed.map(\.text).sorted().prefix(5).joined(separator: ", ")))",
                             found: "none in common (\(syntheticUsed.map(\.text).sorted().prefix(5).joined(separator: ", ")))")
        }
        classNames = names
        humanLabels = human.labels
        syntheticLabels = synthetic.labels.map { index[ExactText(synthetic.classNames[Int($0)])]! }
        humanFeatures = h
        syntheticFeatures = s
    }

    /// Refuses two named sets whose feature columns — numeric and
    /// categorical alike, every column the user sees — differ, in one line
    /// that counts them all and names what only one set has, as a given
    /// holdout's parts are refused (``GivenHoldout``):
    ///
    ///     s.csv: expected the feature columns of h.csv (5), found 4 columns; no column "ratio"
    ///     s.csv: expected the feature columns of h.csv (2), found 2 columns; no column "b"; not in h.csv: "z"
    ///
    /// A column of one name that is categorical in one set and numeric in
    /// the other (codes in one file, names in the other) is refused first,
    /// naming it (``SetColumnTypeError``), so that the command line can say
    /// how to read it alike; so is a column of times in one set and of
    /// another kind of number in the other (``TimeColumnMismatch``). Names
    /// match by their bytes (``ExactText``).
    public static func requireSameColumns(human: LabeledFeatures, synthetic: LabeledFeatures) throws {
        for (categoricalIn, numericIn, humanIsCategorical) in [(human, synthetic, true), (synthetic, human, false)] {
            let numeric = Set(numericIn.featureNames.map(ExactText.init))
            if let column = categoricalIn.categoricalColumns.first(where: { numeric.contains(ExactText($0.name)) }) {
                let (expected, found) = humanIsCategorical ? ("categorical", "numeric") : ("numeric", "categorical")
                throw SetColumnTypeError(InputError(file: synthetic.source, columnName: .named(column.name),
                                                    expected: "a \(expected) feature column (as in \(human.source))", found: "a \(found) one"),
                                         column: column.name)
            }
        }
        if let refusal = TimeColumnMismatch.refusal(reference: human, other: synthetic, role: "the human set") { throw refusal }
        let humanColumns = human.featureNames + human.categoricalColumns.map(\.name)
        let syntheticColumns = synthetic.featureNames + synthetic.categoricalColumns.map(\.name)
        let inHuman = Set(humanColumns.map(ExactText.init)), inSynthetic = Set(syntheticColumns.map(ExactText.init))
        let missing = humanColumns.filter { !inSynthetic.contains(ExactText($0)) }
        let extra = syntheticColumns.filter { !inHuman.contains(ExactText($0)) }
        guard missing.isEmpty, extra.isEmpty else {
            throw InputError(file: synthetic.source, expected: "the feature columns of \(human.source) (\(humanColumns.count))",
                             found: "\(syntheticColumns.count) column\(syntheticColumns.count == 1 ? "" : "s")" + (missing.isEmpty ? "" : "; \(GivenHoldout.noColumn(missing))")
                                + (extra.isEmpty ? "" : "; not in \(human.source): \(GivenHoldout.quoted(extra))"))
        }
    }

    /// When one set's feature columns have only positions (a `.npy` file)
    /// and the other's have names that are not those positions (`x0`, `x1`,
    /// …), the columns are matched by position, which nothing checks: the
    /// set without names and a note saying so, for the report. Nil when
    /// both are named (matched by name), both are positions, or the widths
    /// differ (refused).
    public static func positionalMatchNote(human: LabeledFeatures, synthetic: LabeledFeatures) -> (source: String, note: String)? {
        guard human.featureNamesArePositions != synthetic.featureNamesArePositions,
              human.featureNames.count == synthetic.featureNames.count else { return nil }
        let (unnamed, named) = human.featureNamesArePositions ? (human, synthetic) : (synthetic, human)
        guard !named.featureNames.elementsEqual(unnamed.featureNames, by: { $0.utf8.elementsEqual($1.utf8) }) else { return nil }
        return (unnamed.source, "its feature columns have no names (a .npy file): matched by position with the named columns of \(named.source) (\(NameList.describe(named.featureNames)))")
    }

    /// When the classes the two sets' labels use overlap only in part (human
    /// 1, 2, 3 and synthetic 0, 1, 2), the classes only one set has, as a
    /// note: a class the synthetic set lacks is one a model trained on it
    /// (TSTR) never predicts, and one the human set lacks is tested on no
    /// human row, which the scores alone do not show. Nil when both sets use
    /// the same classes (or none in common: refused by ``init(human:synthetic:)``).
    /// Classes match by their bytes, each list in its set's class order.
    public static func partialClassOverlapNote(human: LabeledFeatures, synthetic: LabeledFeatures) -> String? {
        func used(_ set: LabeledFeatures) -> [String] {
            var present = [Bool](repeating: false, count: set.classNames.count)
            for label in set.labels { present[Int(label)] = true }
            return set.classNames.indices.filter { present[$0] }.map { set.classNames[$0] }
        }
        let (h, s) = (used(human), used(synthetic))
        let (hSet, sSet) = (Set(h.map(ExactText.init)), Set(s.map(ExactText.init)))
        let onlyHuman = h.filter { !sSet.contains(ExactText($0)) }, onlySynthetic = s.filter { !hSet.contains(ExactText($0)) }
        guard !(onlyHuman.isEmpty && onlySynthetic.isEmpty), onlyHuman.count < h.count else { return nil }
        func list(_ names: [String]) -> String { names.isEmpty ? "none" : NameList.describe(names, noun: "classes") }
        return "classes only in the human set (\(human.source)): \(list(onlyHuman)); only in the synthetic set: \(list(onlySynthetic))"
    }
}
