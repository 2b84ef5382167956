#include "allocator.h"

#include <cstdlib>  // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace curvelab {

bool reuseFreedMemory() {
#if defined(__GLIBC__)
  // Arrays up to 32 MB (glibc's largest mmap threshold) come from the heap, and up to 256 MB of free heap
  // is kept rather than trimmed. Both only change where memory comes from, not how much is live.
  const bool mmapSet = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
  const bool trimSet = mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1;
  return mmapSet && trimSet;
#else
  return false;
#endif
}

}  // namespace curvelab
