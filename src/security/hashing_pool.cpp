#include "security/hashing_pool.hpp"

#include <algorithm>

#include "app/errors.hpp"

namespace sas::security {

HashingPool::HashingPool(HashingLimits limits) : limits_(limits) {
  limits_.maxConcurrent = std::max(1, limits_.maxConcurrent);
  limits_.maxWaiting = std::max(0, limits_.maxWaiting);
}

void HashingPool::enter() {
  std::unique_lock lock(mutex_);
  if (running_ < limits_.maxConcurrent && waiting_ == 0) {
    ++running_;
    return;
  }
  if (waiting_ >= limits_.maxWaiting)
    throw app::AppError(app::ErrorCode::Unavailable, "password hashing: every place taken",
                        limits_.retryAfter);
  ++waiting_;
  freed_.wait(lock, [this] { return running_ < limits_.maxConcurrent; });
  --waiting_;
  ++running_;
}

void HashingPool::leave() {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  freed_.notify_one();
}

HashingPool::Load HashingPool::load() const {
  std::lock_guard lock(mutex_);
  return {running_, waiting_};
}

std::string PooledHasher::hash(std::string_view password) const {
  return pool_.run([&] { return inner_.hash(password); });
}

bool PooledHasher::verify(std::string_view storedHash, std::string_view password) const {
  return pool_.run([&] { return inner_.verify(storedHash, password); });
}

}  // namespace sas::security
