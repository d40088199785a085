import Foundation

/// Bad input: a spec, a flag or a file that synthctl cannot use. The message is
/// one line naming where (file, field or row), what was expected and what was
/// found; the command line prints it and exits with code 2.
///
/// A pre-built message, kept for the sites not yet converted to a typed
/// error with fields (``InputError``, ``SpecError``, ``OutputError``,
/// ``FileAccessError``, ``ResourceLimitError``); new code throws those.
public struct SynthError: SynthctlError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A computed number as an error message shows it: six significant digits,
/// so a sum of 0.1 + 0.2 reads 0.3, not 0.30000000000000004.
package func displayNumber(_ x: Double) -> String {
    JSONValue.format(Double(String(format: "%.6g", x)) ?? x)
}
