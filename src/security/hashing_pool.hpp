#pragma once
// Password hashing under load (issue 12, item 3). An Argon2id hash at libsodium's moderate
// limits holds 256 MiB and a core for a good part of a second: run unbounded, 16 logins at
// once took 2.8 GB and every page waited. The pool lets at most `maxConcurrent` hashes run,
// `maxWaiting` more wait for a place, and turns away at once anything beyond (503 with
// Retry-After), so that memory stays bounded and the server's workers stay free for pages.
// The hash runs on the caller's thread: a place is a permit, not a thread.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

#include "app/ports/security.hpp"

namespace sas::security {

struct HashingLimits {
  int maxConcurrent = 2;  // security.max_concurrent_hashes (default: cores − 1, at least 1)
  int maxWaiting = 1;     // security.max_waiting_hashes
  std::chrono::seconds retryAfter{1};
};

class HashingPool {
 public:
  explicit HashingPool(HashingLimits limits);

  /// Runs `work` once a place is free. Throws app::AppError(Unavailable, …, retryAfter) at
  /// once when every place is taken and `maxWaiting` callers already wait.
  template <class Work>
  auto run(Work&& work) -> decltype(work()) {
    Place place(*this);
    return work();
  }

  struct Load {
    int running = 0;
    int waiting = 0;
  };
  Load load() const;
  const HashingLimits& limits() const { return limits_; }

 private:
  class Place {
   public:
    explicit Place(HashingPool& pool) : pool_(pool) { pool_.enter(); }
    ~Place() { pool_.leave(); }
    Place(const Place&) = delete;
    Place& operator=(const Place&) = delete;

   private:
    HashingPool& pool_;
  };
  void enter();
  void leave();

  HashingLimits limits_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int running_ = 0;
  int waiting_ = 0;
};

/// A hasher whose every hash and verification takes a place in the pool.
class PooledHasher final : public app::PasswordHasher {
 public:
  PooledHasher(const app::PasswordHasher& inner, HashingPool& pool) : inner_(inner), pool_(pool) {}
  std::string hash(std::string_view password) const override;
  bool verify(std::string_view storedHash, std::string_view password) const override;

 private:
  const app::PasswordHasher& inner_;
  HashingPool& pool_;
};

}  // namespace sas::security
