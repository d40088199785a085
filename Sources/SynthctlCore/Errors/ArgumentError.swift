/// A value a caller handed to a library that it cannot use: a preset's
/// name, a `path=value` override, a shard `k/n`.
///
/// The library does not know where the value came from, so ``argument``
/// says what it is in the library's words (`preset`, `override`, `shard`)
/// and the command line puts its flag there instead (``naming(_:)``):
///
///     override rows.x=1: expected x's parent to be an object, found 3
///     --set rows.x=1: expected x's parent to be an object, found 3
///
/// ``value`` is shown after the argument when the message needs the whole
/// value to be understood (an override's `path=value`), and left out when
/// ``found`` already shows it.
public struct ArgumentError: SynthctlError, Equatable {
    /// What the value is: the library's word, or the flag that gave it.
    public var argument: String
    /// The value as given, shown after the argument.
    public var value: String?
    /// What the argument takes, in words.
    public var expected: String
    /// What it was given instead.
    public var found: String

    public init(argument: String, value: String? = nil, expected: String, found: String) {
        self.argument = argument
        self.value = value
        self.expected = expected
        self.found = found
    }

    /// The same error, naming `name` (a command-line flag) as the argument.
    public func naming(_ name: String) -> ArgumentError {
        var named = self
        named.argument = name
        return named
    }

    public var description: String {
        "\(argument)\(value.map { " \($0)" } ?? ""): expected \(expected), found \(found)"
    }
}
