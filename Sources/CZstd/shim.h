// Zstandard (Facebook's zstd, Debian's libzstd-dev): Polars' and DuckDB's
// default Parquet codec. One-shot and streaming compression and
// decompression.
#pragma once
#include <zstd.h>
