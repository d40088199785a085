import SynthctlCore

/// A column the run would use only because no option chose the columns (a
/// default feature) and that synthctl cannot read (a Parquet TIMESTAMP, a
/// nested field): one line naming the file, the column and its type.
///
/// A separate type so that a caller that lets the user choose the columns
/// (the command line's `--feature-columns`) can say so; the library names
/// no flag.
/// Its fields are the ``InputError``'s that says why the column cannot be
/// read; it renders as that error does.
public struct UnreadableDefaultColumnError: SynthctlError, Equatable {
    /// The column, and why it cannot be read.
    public let input: InputError
    public init(_ input: InputError) { self.input = input }
    public var description: String { input.description }
}
