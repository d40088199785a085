/// How the pages of a written Parquet file are compressed
/// (parquet.thrift `CompressionCodec`), through the codec wrappers of
/// `IO/Compression` (``_UnsafeParquetPageCompressor``).
///
/// `gen` writes Snappy unless told otherwise, as pyarrow, pandas, DuckDB and
/// Spark do by default: a generated table is mostly float32 features, which
/// no general-purpose codec shrinks much (zstd level 1 saves about 7 % of a
/// 1M × 128 table), and zstd costs about twice Snappy's CPU time
/// (README, "Parquet output" benchmark).
public enum ParquetCodec: String, Sendable, CaseIterable {
    /// Snappy: the default codec of pyarrow, pandas, DuckDB and Spark, and
    /// of `gen`.
    case snappy
    /// Zstandard at level 1 (pyarrow's own default level for zstd): Polars'
    /// default codec, smaller than Snappy on strings and ids, about twice
    /// its CPU time.
    case zstd
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
