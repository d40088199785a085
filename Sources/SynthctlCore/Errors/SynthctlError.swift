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
/// ``SynthError`` (a pre-built message) conforms too, for the sites not yet
/// converted to a typed error.
public protocol SynthctlError: Error, CustomStringConvertible, Sendable {}

extension SynthctlError {
    /// The one-line message: ``description``.
    public var message: String { description }
}
