/// A statistic that has no value on the data it was given — not a bad
/// file, but a case the formula does not define (a covariance that is
/// singular, a 0/0): the statistic, what it needs, why, and what it found.
///
/// Rendered as `statistic: expected needs (why), found found`, e.g.
///
///     Fréchet distance: expected more rows than dimensions in the first set (its covariance is singular otherwise), found 3 rows in 5 dimensions
///
/// Reports that carry on without the statistic show this line in its
/// place; the command line prints it after `synthctl: error: ` otherwise.
public struct UndefinedStatisticError: SynthctlError, Equatable {
    /// The statistic by its usual name: "Fréchet distance".
    public var statistic: String
    /// What the data must have for the statistic to be defined.
    public var needs: String
    /// Why the statistic needs it, in words; shown in parentheses.
    public var why: String?
    /// What the data has instead.
    public var found: String

    public init(statistic: String, needs: String, why: String? = nil, found: String) {
        self.statistic = statistic
        self.needs = needs
        self.why = why
        self.found = found
    }

    public var description: String {
        "\(statistic): expected \(needs)" + (why.map { " (\($0))" } ?? "") + ", found \(found)"
    }
}
