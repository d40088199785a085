/// How the pages of a written Parquet file are compressed
/// (parquet.thrift `CompressionCodec`), through the codec wrappers of
/// `IO/Compression` (``_UnsafeParquetPageCompressor``).
public enum ParquetCodec: String, Sendable, CaseIterable {
    /// Zstandard at level 1 (pyarrow's own default level for zstd): Polars'
    /// and DuckDB's default codec, smaller than Snappy and about as fast.
    case zstd
    /// Snappy: pyarrow's and Spark's default codec.
    case snappy
    /// Pages stored as they are.
    case none

    /// The codec's number in parquet.thrift.
    var thriftValue: Int32 {
        switch self {
        case .none: 0
        case .snappy: 1
        case .zstd: 6
        }
    }

    /// zstd's level for pages: 1, pyarrow's default.
    static let zstdLevel: Int32 = 1
}
