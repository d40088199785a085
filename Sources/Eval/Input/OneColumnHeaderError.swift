import SynthctlCore

/// A column looked for in a text table whose header read as one column
/// holding tabs or semicolons: a tab-separated file read as CSV (standard
/// input, or a `.csv` name), or Excel's `;`-separated export. The message
/// is the library's (``error``, whose found side counts the one column);
/// ``separator`` lets the command line say which option reads the file,
/// since a library names no flag.
///
///     t.csv: expected a label column "label", found columns a;b;label (1 column)
public struct OneColumnHeaderError: SynthctlError, Equatable {
    /// The message, as it is without the suggestion.
    public var error: InputError
    /// The byte the header's one name holds: a tab (9) or `;`.
    public var separator: UInt8

    public init(_ error: InputError, separator: UInt8) {
        self.error = error
        self.separator = separator
    }

    public var description: String { error.description }

    /// `error`, or this error around it when `header` is one name holding a
    /// tab or a semicolon (a tab first: a tab-separated header rarely names
    /// a column with a semicolon, while the other way round is common).
    public static func refusing(_ error: InputError, header: [String]) -> any Error {
        guard header.count == 1 else { return error }
        for separator in [UInt8(9), UInt8(ascii: ";")] where header[0].utf8.contains(separator) {
            return OneColumnHeaderError(error, separator: separator)
        }
        return error
    }
}
