#pragma once
// How glibc's malloc serves a server, where glibc is the allocator: the test programs and the
// sanitizer build. `sas` itself links tcmalloc, which ignores mallopt and needs none of it (its
// thread caches keep pages for reuse). See docs/benchmarks.md « Publishers' pull », « Idle and
// slow connections ». Process-wide, and to be called before the process starts its threads:
// glibc fixes its bound on arenas the first time it needs a ninth, and a later M_ARENA_MAX is
// then ignored (`sas serve` calls it first thing; the server's start again, for the servers
// tests start).

namespace sas::http {

/// Pages kept for reuse (up to 64 MB per arena, blocks above 1 MB mapped), and an arena of its
/// own for every thread.
void useServerAllocatorPolicy();

}  // namespace sas::http
