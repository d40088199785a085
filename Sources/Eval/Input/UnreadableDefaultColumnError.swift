/// A column the run would use only because no option chose the columns (a
/// default feature) and that synthctl cannot read (a Parquet TIMESTAMP, a
/// nested field): one line naming the file, the column and its type.
///
/// A separate type so that a caller that lets the user choose the columns
/// (the command line's `--feature-columns`) can say so; the library names
/// no flag.
public struct UnreadableDefaultColumnError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
