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

    public init(file: String, columns: [String]) {
        self.file = file
        self.columns = columns
    }

    public var description: String {
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        return columns.count == 1
            ? "\(file): column \(names): expected a numeric feature column, found a categorical one"
            : "\(file): columns \(names): expected numeric feature columns, found categorical ones"
    }
}
