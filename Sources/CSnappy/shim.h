// Snappy (Google's, Debian's libsnappy-dev) through its C interface:
// pyarrow's and Spark's default Parquet codec.
#pragma once
#include <snappy-c.h>
