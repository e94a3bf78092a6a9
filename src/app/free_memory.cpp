#include "app/free_memory.hpp"

#include <gperftools/malloc_extension_c.h>

#include <cstddef>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Weak: defined only when the executable links tcmalloc; null otherwise, and glibc's malloc is
// the one to trim. One build of the libraries serves both kinds of programs.
#pragma weak MallocExtension_GetNumericProperty
#pragma weak MallocExtension_ReleaseToSystem

namespace sas::app {
namespace {

// Free pages tcmalloc keeps past a release, so that the next burst of requests finds the pages
// the last one used (a burst of 200 orientations uses a few MB) instead of faulting them in.
constexpr std::size_t kKeptForReuse = std::size_t{32} << 20;

bool tcmallocServes() {
  return &MallocExtension_GetNumericProperty != nullptr &&
         &MallocExtension_ReleaseToSystem != nullptr;
}

}  // namespace

void releaseFreeMemory() {
  if (tcmallocServes()) {
    std::size_t free = 0;
    if (MallocExtension_GetNumericProperty("tcmalloc.pageheap_free_bytes", &free) != 0 &&
        free > kKeptForReuse)
      MallocExtension_ReleaseToSystem(free - kKeptForReuse);
    return;
  }
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

const char* allocatorName() {
  return tcmallocServes() ? "tcmalloc" : "glibc";
}

}  // namespace sas::app
