// LZ4 (Debian's liblz4-dev): the raw block format, which Parquet's LZ4_RAW
// codec holds and Hadoop's framing wraps (Parquet's older LZ4 codec).
#pragma once
#include <lz4.h>
#include <lz4hc.h>
