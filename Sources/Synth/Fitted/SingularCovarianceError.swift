import SynthctlCore

/// A class whose covariance (or, for a copula, normal-score correlation)
/// is not positive definite after shrinkage, so it has no Cholesky factor
/// to sample with.
///
/// The library says what it found and names no command-line option: a
/// command with an option that helps (`fit --shrinkage`) adds the hint
/// itself; one without (`collapse`, which fits with Ledoit–Wolf shrinkage)
/// does not offer it.
public struct SingularCovarianceError: Error, CustomStringConvertible, Equatable {
    public enum Cause: Sendable, Equatable {
        /// Every feature is constant within the class: the matrix is 0, and
        /// no shrinkage lifts it (a copula's target, its average variance,
        /// is 0; a Gaussian's correlation has no column that varies).
        case noVariance
        /// Some direction has no variance (fewer rows than features, or
        /// features that are linear combinations of others) and the
        /// shrinkage did not lift it: more shrinkage would.
        case singular
    }

    /// Where the rows came from (a file, or a file and a generation).
    public let source: String
    public let className: String
    public let rows: Int
    public let featureCount: Int
    /// The shrinkage λ that was applied.
    public let shrinkage: Double
    /// "covariance" or "normal-score correlation".
    public let matrix: String
    public let cause: Cause

    public var description: String {
        switch cause {
        case .noVariance:
            return "\(source): class \"\(className)\": expected a feature that varies within the class, found every one constant (\(rows) rows): its \(matrix) is 0, and no shrinkage makes it positive definite"
        case .singular:
            return "\(source): class \"\(className)\": expected a positive definite \(matrix), found a singular one (\(rows) rows in \(featureCount) dimensions, shrinkage \(displayNumber(shrinkage)))"
        }
    }
}
