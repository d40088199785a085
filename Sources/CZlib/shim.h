// zlib (Debian's zlib1g-dev): DEFLATE in its gzip (RFC 1952) and zlib
// (RFC 1950) wrappers; Parquet's GZIP codec and .gz files.
#pragma once
#include <zlib.h>
