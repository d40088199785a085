import ArgumentParser
import Eval
import Synth
import SynthctlCore

// The options whose value is one name from a fixed list (``OptionChoice``):
// the libraries' own enums where one exists, declared here as option values
// (the libraries know no command line), and small enums of the command line
// where the library takes something else. Each `expected` is the wording the
// option's refusal has always had.

extension OptionChoice {
    /// The values as a refusal lists them: "logistic, knn or memorize".
    static var alternatives: String {
        let names = allCases.map(\.rawValue)
        guard names.count > 1, let last = names.last else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }

    static var expected: String { alternatives }
}

/// `gen --format`.
extension OutputFormat: ExpressibleByArgument, OptionChoice {
    static var expected: String { "one of \(valueList)" }
}

/// `gen --label-format`.
extension LabelFormat: ExpressibleByArgument, OptionChoice {
    static var expected: String { "one of \(valueList)" }
}

/// `gen --compression`.
extension ParquetCodec: ExpressibleByArgument, OptionChoice {
    static var expected: String { "one of \(valueList)" }
}

/// `--input-format`.
extension TableFormat: ExpressibleByArgument, OptionChoice {}

/// `collapse --mode`.
extension ModelCollapse.Mode: ExpressibleByArgument, OptionChoice {}

/// `compare --detector`.
extension DetectionTest.Detector: ExpressibleByArgument, OptionChoice {}

/// `limits --learner`.
extension LearningCurves.Learner: ExpressibleByArgument, OptionChoice {}

/// `compare --space`.
extension FeatureSpace.Kind: ExpressibleByArgument, OptionChoice {
    static var expected: String { "one of \(valueList)" }
}

/// `score --filter-by`.
extension LabelIssueFilter: ExpressibleByArgument, OptionChoice {
    static var expected: String { "one of \(valueList)" }
    static var quotesRefusedValue: Bool { false }
}

/// `score --rank-by`.
extension LabelQualityScore: ExpressibleByArgument, OptionChoice {
    static var expected: String { "one of \(valueList)" }
    static var quotesRefusedValue: Bool { false }
}

/// `score --model`: the out-of-sample classifier.
extension LabelIssueReport.Model: ExpressibleByArgument, OptionChoice {
    static var quotesRefusedValue: Bool { false }
}

/// `score --alpha-level`.
extension KrippendorffAlpha.Level: ExpressibleByArgument, OptionChoice {
    static var quotesRefusedValue: Bool { false }
}

/// `fit --model`: which generative model is fitted.
enum FitModel: String, ExpressibleByArgument, CaseIterable, OptionChoice {
    /// ``GaussianClassModel``.
    case gaussian
    /// ``GaussianMixtureModel``.
    case mixture
    /// ``GaussianCopulaModel``.
    case copula
}

/// `collapse --model`: the model refitted each generation (``ModelCollapse``
/// fits a class-conditional Gaussian; the option names it for the reports).
enum CollapseModel: String, ExpressibleByArgument, CaseIterable, OptionChoice {
    case gaussian
}

/// `score --tie-policy`: the names of ``TiePolicy``, whose `random` case
/// takes the run's seed.
enum TiePolicyChoice: String, ExpressibleByArgument, CaseIterable, OptionChoice {
    case lowest, highest, random, abstain

    static var quotesRefusedValue: Bool { false }

    func policy(seed: UInt64) -> TiePolicy {
        switch self {
        case .lowest: .lowest
        case .highest: .highest
        case .random: .random(seed: seed)
        case .abstain: .abstain
        }
    }
}
