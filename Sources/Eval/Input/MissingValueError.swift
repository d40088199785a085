/// A missing value (NaN, an empty cell, `NA`, a null …) where the input
/// needs a value: one line naming the file, the row or line, the column and
/// what was found.
///
/// A separate type so that a caller that can drop such rows (the command
/// line's `--drop-missing`) can say so; the library names no flag, and a
/// caller that cannot drop rows shows the message as it is.
public struct MissingValueError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
