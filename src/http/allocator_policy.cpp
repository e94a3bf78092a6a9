#include "http/allocator_policy.hpp"

#include <malloc.h>

#include <algorithm>
#include <thread>

namespace sas::http {

void useServerAllocatorPolicy() {
#if defined(__GLIBC__)
  // Pages of a few dozen KB are built on workers and freed on the I/O thread once sent. With
  // glibc's defaults, each arena hands its free top back to the kernel at 128 KB and takes it
  // again at the next burst: under 256 connections a third of the CPU went to page faults on
  // fresh pages. Keeping up to 64 MB per arena, and a fixed threshold above which blocks (the
  // password hash's memory, uploads) are mapped and returned at once, ends that churn.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  // glibc makes at most 8 arenas per core, then lets new threads share them, the searching
  // threads' included. In the publishers' bench, threads past that bound shared the searching
  // thread's arena while a pull ran: questions took up to 7 times their CPU time on the arena's
  // lock and lists (p99 × 3.5). An arena is made only when a thread first allocates, so a bound
  // above any thread count we run (a few per core) costs nothing more.
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  mallopt(M_ARENA_MAX, 8 * cores + 512);
#endif
}

}  // namespace sas::http
