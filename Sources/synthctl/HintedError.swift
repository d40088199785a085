import SynthctlCore

/// A library's error with the command line's advice after it: the library
/// names no flag and knows no other command, so the command that caught the
/// error says which flag or command helps (`--drop-missing`, `--shrinkage`,
/// `gen --model`).
///
/// Rendered as `error; hint`, e.g. `t.csv: row 3: expected a label, found
/// a missing value; --drop-missing drops such rows`.
struct HintedError: SynthctlError {
    /// The library's error, rendered first as it renders itself.
    var error: any Error & CustomStringConvertible
    /// The advice, after a semicolon.
    var hint: String

    init(_ error: any Error & CustomStringConvertible, hint: String) {
        self.error = error
        self.hint = hint
    }

    var description: String { "\(error.description); \(hint)" }
}
