#pragma once
// Giving the allocator's free pages back to the kernel, whichever allocator serves the process:
// `sas` links tcmalloc (CMakeLists.txt), the test programs use glibc's (AddressSanitizer's own
// in the sanitizer build, which the trim leaves alone).

namespace sas::app {

/// After a peak (an index rebuilt, a burst of connections): free memory the allocator keeps for
/// reuse returns to the kernel. Costs a walk of the allocator's free lists: not on a hot path.
void releaseFreeMemory();

/// The allocator serving this process: "tcmalloc" or "glibc" (logged at start).
const char* allocatorName();

}  // namespace sas::app
