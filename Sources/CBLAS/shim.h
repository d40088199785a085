// The C interface synthctl uses: CBLAS for matrix products and LAPACKE for
// factorizations, both served by OpenBLAS (Debian's libopenblas-dev and
// liblapacke-dev).
#pragma once
#include <cblas.h>
#include <lapacke.h>

// OpenBLAS's thread control. Declared here because Debian's generic cblas.h
// (the netlib one when OpenBLAS is not the selected alternative) lacks them.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
// The kernel family OpenBLAS selected for this CPU ("SkylakeX", "Haswell", ...).
char *openblas_get_corename(void);
// Stops OpenBLAS's worker threads; the next multithreaded BLAS call starts
// them again.
int blas_thread_shutdown_(void);
