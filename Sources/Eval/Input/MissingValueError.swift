import SynthctlCore

/// A missing value (NaN, an empty cell, `NA`, a null …) where the input
/// needs a value: one line naming the file, the row or line, the column and
/// what was found.
///
/// A separate type so that a caller that can drop such rows (the command
/// line's `--drop-missing`) can say so; the library names no flag, and a
/// caller that cannot drop rows shows the message as it is.
/// Its fields are the ``InputError``'s (file, row or line, column, expected,
/// found); it renders as that error does.
public struct MissingValueError: SynthctlError, Equatable {
    /// Where the missing value is and what was expected there.
    public let input: InputError
    public init(_ input: InputError) { self.input = input }
    public var description: String { input.description }
}
