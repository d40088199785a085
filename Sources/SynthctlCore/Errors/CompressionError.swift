/// Compressed bytes that do not decode to what their container says: data
/// that is corrupt or cut short, a size other than the stated one, or more
/// output than stated (a decompression bomb).
///
/// The codec layer knows neither the file nor the part of it (a Parquet
/// column, a `.gz` file's line): the reader that called it completes this
/// into an ``InputError`` naming them, with ``expected`` and ``found`` as
/// its own. Rendered alone:
///
///     expected zstd data of 800 bytes, found corrupt data (Unknown frame descriptor)
public struct CompressionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The codec's name as people know it: "Snappy", "gzip", "zstd", …
    public var codec: String
    /// The size the container stated, in bytes; nil for a stream whose
    /// size nobody states (a `.gz` file).
    public var expectedSize: Int?
    /// What was found instead, in words ("799 bytes", "more than 800 bytes").
    public var found: String

    public init(codec: String, expectedSize: Int?, found: String) {
        self.codec = codec
        self.expectedSize = expectedSize
        self.found = found
    }

    /// "zstd data of 800 bytes" (or "gzip data" for a stream): what the
    /// reader expected, for its message.
    public var expected: String { expectedSize.map { "\(codec) data of \($0) bytes" } ?? "\(codec) data" }

    public var description: String { "expected \(expected), found \(found)" }
}
