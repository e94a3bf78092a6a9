// The bound on password hashing (issue 12, item 3): at most N hashes at once, M more waiting,
// the next one turned away at once with Retry-After. Hashes are held open by latches, not by
// sleeping.
#include "security/hashing_pool.hpp"

#include <gtest/gtest.h>

#include <future>
#include <latch>
#include <thread>
#include <vector>

#include "app/errors.hpp"

namespace sas::security {
namespace {

/// Spins (yielding) until the pool's load is as expected; false after a generous deadline.
bool reaches(const HashingPool& pool, int running, int waiting) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  while (std::chrono::steady_clock::now() < deadline) {
    const auto load = pool.load();
    if (load.running == running && load.waiting == waiting) return true;
    std::this_thread::yield();
  }
  return false;
}

TEST(HashingPool, RunsAtMostNAtOnceLetsMWaitAndTurnsAwayTheNext) {
  HashingPool pool({2, 1, std::chrono::seconds{3}});
  std::latch release(1);
  std::vector<std::future<int>> held;
  for (int i = 0; i < 3; ++i)  // two run, the third waits
    held.push_back(std::async(std::launch::async, [&pool, &release, i] {
      return pool.run([&] {
        release.wait();
        return i;
      });
    }));
  ASSERT_TRUE(reaches(pool, 2, 1));
  try {
    pool.run([] { return 0; });
    FAIL() << "a fourth hash was let in";
  } catch (const app::AppError& e) {
    EXPECT_EQ(e.code(), app::ErrorCode::Unavailable);
    EXPECT_EQ(e.retryAfter(), std::chrono::seconds{3});
  }
  release.count_down();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(held[static_cast<std::size_t>(i)].get(), i);
  EXPECT_TRUE(reaches(pool, 0, 0));
  EXPECT_EQ(pool.run([] { return 7; }), 7);  // free again
}

TEST(HashingPool, WithoutAQueueTheFirstBeyondTheLimitIsTurnedAway) {
  HashingPool pool({1, 0, std::chrono::seconds{1}});
  std::latch release(1);
  auto held = std::async(std::launch::async, [&] { pool.run([&] { release.wait(); }); });
  ASSERT_TRUE(reaches(pool, 1, 0));
  EXPECT_THROW(pool.run([] {}), app::AppError);
  release.count_down();
  held.get();
  EXPECT_NO_THROW(pool.run([] {}));
}

TEST(HashingPool, APlaceIsGivenBackWhenTheHashThrows) {
  HashingPool pool({1, 0, std::chrono::seconds{1}});
  EXPECT_THROW(pool.run([]() -> int { throw std::runtime_error("out of memory"); }),
               std::runtime_error);
  EXPECT_EQ(pool.load().running, 0);
  EXPECT_NO_THROW(pool.run([] {}));
}

}  // namespace
}  // namespace sas::security
