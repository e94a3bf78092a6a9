#pragma once
// How glibc's malloc serves `sas serve` (docs/benchmarks.md « Publishers' pull »,
// « Idle and slow connections »). Process-wide: called once, before the threads start.

namespace sas::http {

/// Pages kept for reuse (up to 64 MB per arena, blocks above 1 MB mapped), and an arena of its
/// own for every thread.
void useServerAllocatorPolicy();

}  // namespace sas::http
