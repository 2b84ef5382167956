// The one place that includes the platform's BLAS: Accelerate on macOS, OpenBLAS elsewhere.
#pragma once

#include <string>

#if defined(__APPLE__)
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
// Declared here as well: <cblas.h> may come from another CBLAS than OpenBLAS's (the build links OpenBLAS).
extern "C" {
char* openblas_get_config(void);
char* openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);
}
#endif

namespace curvelab {

// "OpenBLAS 0.3.21" or "Accelerate".
std::string blasName();

// The kernel set OpenBLAS chose for this CPU at run time (e.g. "Haswell"); empty for Accelerate.
std::string blasCore();

// Threads the BLAS uses for one product.
int blasThreadCount();

// Sets them (OpenBLAS; a no-op for Accelerate, which manages its own).
void setBlasThreadCount(int threads);

}  // namespace curvelab
