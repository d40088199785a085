import SynthctlCore

extension ArgumentError {
    /// `body`, with an ``ArgumentError`` it throws naming `flag`, the
    /// option that gave the value: the libraries say `shard` or `override`,
    /// the command line says `--shard` or `--set`.
    static func naming<T>(_ flag: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ArgumentError { throw e.naming(flag) }
    }
}
