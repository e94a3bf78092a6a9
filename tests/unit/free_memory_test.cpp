#include "app/free_memory.hpp"

#include <gtest/gtest.h>

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace sas::app {
namespace {

// Under AddressSanitizer its own allocator serves, and its quarantine holds freed blocks for a
// while: what the kernel gets back is not this function's to decide there.
#if !defined(__SANITIZE_ADDRESS__)

long residentKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

TEST(FreeMemory, TheTestProgramsAllocateWithGlibc) {
  // tcmalloc is linked into `sas` alone (tests/system/transport.sh checks that side).
  EXPECT_STREQ(allocatorName(), "glibc");
}

// Measured in a child process: the thresholds set below, and the heap's shape, stay there
// rather than in the rest of the unit tests' process.
void keepFreedPagesThenRelease() {
  // As the server keeps them (http/allocator_policy): freed pages are not handed back on free.
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  constexpr std::size_t kBlocks = 16384, kBlock = 4096;  // 64 MB below the mapping threshold
  std::vector<char*> blocks;
  blocks.reserve(kBlocks);
  for (std::size_t i = 0; i < kBlocks; ++i) {
    blocks.push_back(static_cast<char*>(std::malloc(kBlock)));
    std::memset(blocks.back(), 1, kBlock);
  }
  char* pin = static_cast<char*>(std::malloc(64));  // above them: no trim of the heap's top
  for (char* b : blocks) std::free(b);
  const long kept = residentKb();
  releaseFreeMemory();
  const long after = residentKb();
  std::free(pin);
  std::fprintf(stderr, "kept %ld kB, after %ld kB\n", kept, after);
  std::_Exit(kept > 0 && kept - after > 32 * 1024 ? 0 : 1);
}

TEST(FreeMemory, FreedPagesKeptByTheAllocatorGoBackToTheKernel) {
  // The child runs this test alone (threadsafe style); the style is put back for the others.
  const std::string style = GTEST_FLAG_GET(death_test_style);
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(keepFreedPagesThenRelease(), ::testing::ExitedWithCode(0), "kept [0-9]+ kB");
  GTEST_FLAG_SET(death_test_style, style);
}

#endif

}  // namespace
}  // namespace sas::app
