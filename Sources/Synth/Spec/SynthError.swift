/// Bad input: a spec, a flag or a file that synthctl cannot use. The message is
/// one line naming where (file, field or row), what was expected and what was
/// found; the command line prints it and exits with code 2.
public struct SynthError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
