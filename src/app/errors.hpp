#pragma once
// One set of error codes, mapped to HTTP statuses in one place (src/http/errors.cpp).
#include <chrono>
#include <stdexcept>
#include <string>

namespace sas::app {

enum class ErrorCode {
  NotFound,
  Forbidden,
  Unauthenticated,
  BadRequest,
  MethodNotAllowed,  // a known path asked with a method it does not take
  Conflict,
  Gone,
  PayloadTooLarge,
  HeadersTooLarge,  // the request's head beyond the server's cap (cookies piled up)
  TooManyRequests,
  Unavailable,
  Internal,
};

/// Every code, for the test that each one is mapped.
inline constexpr ErrorCode kAllErrorCodes[] = {ErrorCode::NotFound,
                                               ErrorCode::Forbidden,
                                               ErrorCode::Unauthenticated,
                                               ErrorCode::BadRequest,
                                               ErrorCode::MethodNotAllowed,
                                               ErrorCode::Conflict,
                                               ErrorCode::Gone,
                                               ErrorCode::PayloadTooLarge,
                                               ErrorCode::HeadersTooLarge,
                                               ErrorCode::TooManyRequests,
                                               ErrorCode::Unavailable,
                                               ErrorCode::Internal};

class AppError : public std::runtime_error {
 public:
  AppError(ErrorCode code, const std::string& detail) : std::runtime_error(detail), code_(code) {}
  /// TooManyRequests and Unavailable: how long the client should wait (Retry-After).
  AppError(ErrorCode code, const std::string& detail, std::chrono::seconds retryAfter)
      : std::runtime_error(detail), code_(code), retryAfter_(retryAfter) {}
  ErrorCode code() const { return code_; }
  std::chrono::seconds retryAfter() const { return retryAfter_; }

 private:
  ErrorCode code_;
  std::chrono::seconds retryAfter_{0};
};

}  // namespace sas::app
