// The server's allocator policy: every thread alive at once allocates from an arena of its own,
// however many more than glibc's default bound (8 per core) there are.
#include "http/allocator_policy.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <barrier>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <thread>
#include <vector>

namespace {

extern "C" char end;  // the end of the data segment, where the main arena's sbrk heap begins

TEST(AllocatorPolicyTest, EveryThreadAliveAtOnceHasAnArenaOfItsOwn) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's allocator has no glibc arenas: checked by the plain build";
#else
  sas::http::useServerAllocatorPolicy();
  // More threads than glibc's default bound, all alive together.
  const std::size_t threads = 8 * std::max(1u, std::thread::hardware_concurrency()) + 8;
  std::vector<std::uintptr_t> blocks(threads);
  std::barrier allocated(static_cast<std::ptrdiff_t>(threads));
  {
    std::vector<std::jthread> running;
    for (std::size_t i = 0; i < threads; ++i)
      running.emplace_back([&, i] {
        void* p = std::malloc(64);
        blocks[i] = reinterpret_cast<std::uintptr_t>(p);
        allocated.arrive_and_wait();  // none ends, giving its arena back, before all allocated
        std::free(p);
      });
  }
  // A thread's arena other than the main one is a heap of 64 MB aligned on its size: blocks of
  // two threads in one heap share an arena.
  const auto heapStart = reinterpret_cast<std::uintptr_t>(&end);
  const auto heapEnd = reinterpret_cast<std::uintptr_t>(sbrk(0));
  std::set<std::uintptr_t> heaps;
  for (auto b : blocks) {
    EXPECT_FALSE(b >= heapStart && b < heapEnd) << "a thread allocates from the main arena";
    heaps.insert(b & ~((std::uintptr_t{64} << 20) - 1));
  }
  EXPECT_EQ(heaps.size(), threads);
#endif
}

}  // namespace
