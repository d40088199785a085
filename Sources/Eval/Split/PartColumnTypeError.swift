import SynthctlCore

/// A human set given as two parts (``GivenHoldout``) whose column of one
/// name is categorical in one part and numeric in the other — typically a
/// categorical column written as codes (0, 1, 2) in one file and as names
/// in the other, or codes in both but read as categorical only where a
/// schema said so. The parts cannot be joined; the command line says how
/// to read the column as categorical in both.
///
///     holdout.csv: column "region": expected a categorical column, as in the training part train.csv, found a numeric one
public struct PartColumnTypeError: SynthctlError, Equatable {
    /// The holdout's file.
    public var file: String
    /// The training part's file.
    public var trainingPart: String
    /// Columns categorical in the training part and numeric in the holdout.
    public var categoricalInTraining: [String]
    /// Columns numeric in the training part and categorical in the holdout.
    public var numericInTraining: [String]

    public init(file: String, trainingPart: String, categoricalInTraining: [String], numericInTraining: [String]) {
        self.file = file
        self.trainingPart = trainingPart
        self.categoricalInTraining = categoricalInTraining
        self.numericInTraining = numericInTraining
    }

    /// Every column whose type differs, training part's categorical ones first.
    public var columns: [String] { categoricalInTraining + numericInTraining }

    public var description: String {
        func part(_ names: [String], _ expected: String, _ found: String) -> String? {
            guard !names.isEmpty else { return nil }
            let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
            return names.count == 1
                ? "column \(list): expected a \(expected) column, as in the training part \(trainingPart), found a \(found) one"
                : "columns \(list): expected \(expected) columns, as in the training part \(trainingPart), found \(found) ones"
        }
        let parts = [part(categoricalInTraining, "categorical", "numeric"), part(numericInTraining, "numeric", "categorical")].compactMap { $0 }
        return "\(file): " + parts.joined(separator: "; ")
    }
}
