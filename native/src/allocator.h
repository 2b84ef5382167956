// Tuning of the C allocator for a process that allocates and frees many tensor-sized arrays.
#pragma once

namespace curvelab {

// Asks glibc's malloc to keep freed memory for reuse instead of handing it back to the system at once.
// TF.js allocates a fresh array for every kernel output; by default glibc serves arrays over 128 KB with
// fresh mappings (or trims them back) and every new page then costs a page fault on first write — for a
// CNN's activations that is most of an elementwise kernel's time. Returns false where it does not apply.
bool reuseFreedMemory();

}  // namespace curvelab
