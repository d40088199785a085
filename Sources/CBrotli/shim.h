// Brotli (Google's, Debian's libbrotli-dev): Parquet's BROTLI codec.
#pragma once
#include <brotli/decode.h>
#include <brotli/encode.h>
