/// What every synthctl error is: a value with fields (the file, row, spec
/// path, expected and found, …) that renders itself as the one line the
/// command line prints after `synthctl: error: ` (``description``).
///
/// Libraries throw these and print nothing; they never name a command-line
/// flag. Where a flag is the remedy ("pass --force"), the command line
/// reads the error's fields and adds the hint itself (see `ErrorLine` in
/// the `synthctl` target). The exit code for any of them is 2: bad input or
/// usage.
///
/// There is no error built from a bare string: each kind of problem has a
/// type whose fields say where and what, so a caller (a test, the command
/// line adding a hint) reads the fields instead of parsing the message.
public protocol SynthctlError: Error, CustomStringConvertible, Sendable {}

extension SynthctlError {
    /// The one-line message: ``description``.
    public var message: String { description }
}
