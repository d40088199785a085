import ArgumentParser

/// The values of an option that takes one name from a fixed list, declared
/// once as an enum (swift-argument-parser's `enum …: String,
/// ExpressibleByArgument, CaseIterable` pattern):
///
///     @Option(help: "The learner.", oneOf: LearningCurves.Learner.self)
///     var learner: LearningCurves.Learner = .logistic
///
/// Such an option
/// - is checked while the command line is parsed, so a command reads a
///   typed value and never re-checks or force-unwraps a string;
/// - lists its values (and its default) in `--help`, and offers them to
///   shell completion;
/// - refuses any other value in one line, in the words each option has
///   always used (`--learner: expected logistic, knn or memorize, found
///   "tree"`; ``ErrorLine`` turns argument-parser's sentence into it).
protocol OptionChoice: ExpressibleByArgument, CaseIterable, RawRepresentable, Sendable where RawValue == String {
    /// What a refusal says is expected: "logistic, knn or memorize".
    static var expected: String { get }
    /// Whether a refusal shows the refused value in quotes (`found "x"`)
    /// or bare (`found x`): each option keeps the message it had when its
    /// value was a string checked by hand, byte for byte.
    static var quotesRefusedValue: Bool { get }
}

extension OptionChoice {
    static var quotesRefusedValue: Bool { true }

    /// The case named `text`, or ``OptionValueError`` saying what was expected and found.
    static func value(parsing text: String) throws -> Self {
        guard let value = Self(rawValue: text) else {
            throw OptionValueError(expected: expected, found: quotesRefusedValue ? "\"\(text)\"" : text)
        }
        return value
    }

    /// The values as `--help` lists them: "logistic, knn, memorize".
    static var valueList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension Option where Value: OptionChoice {
    /// An option with a default, whose values are the cases of `Value`.
    /// (argument-parser's own initializer would refuse a value in its own
    /// words; the transform keeps synthctl's.)
    init(wrappedValue: Value, name: NameSpecification = .long, help: String, oneOf _: Value.Type) {
        self.init(wrappedValue: wrappedValue, name: name,
                  help: ArgumentHelp("\(help) (values: \(Value.valueList); default: \(wrappedValue.rawValue))"),
                  completion: .list(Value.allCases.map(\.rawValue)),
                  transform: { try Value.value(parsing: $0) })
    }
}

extension Option {
    /// An optional option whose values are the cases of `C`.
    init<C: OptionChoice>(name: NameSpecification = .long, help: String, oneOf _: C.Type) where Value == C? {
        self.init(name: name, help: ArgumentHelp("\(help) (values: \(C.valueList))"),
                  completion: .list(C.allCases.map(\.rawValue)),
                  transform: { try C.value(parsing: $0) })
    }
}
