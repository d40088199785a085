import SynthctlCore

/// A labeled set whose features include categorical columns, given to a
/// computation that needs numbers: the columns are carried by reading
/// (``LabeledFeatures/categoricalColumns``) and refused here, naming them,
/// so that the user chooses rather than synthctl guessing an encoding.
///
///     t.csv: columns "city", "plan": expected numeric feature columns, found categorical ones
public struct CategoricalFeaturesError: SynthctlError, Equatable {
    public var file: String
    public var columns: [String]
    /// Whether every value of the columns is a number (codes such as 0, 1,
    /// 2 typed as categorical): only then can they be read as numbers
    /// instead; text categories cannot.
    public var valuesAreNumbers: Bool

    public init(file: String, columns: [String], valuesAreNumbers: Bool = false) {
        self.file = file
        self.columns = columns
        self.valuesAreNumbers = valuesAreNumbers
    }

    public var description: String {
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        return columns.count == 1
            ? "\(file): column \(names): expected a numeric feature column, found a categorical one"
            : "\(file): columns \(names): expected numeric feature columns, found categorical ones"
    }
}
