// glibc's allocator settings (mallopt), which Swift's Glibc module does not
// bring in; the command line sets them once at start (AllocatorSettings).
#pragma once
#include <malloc.h>
