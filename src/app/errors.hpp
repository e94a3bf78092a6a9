#pragma once
// One set of error codes, mapped to HTTP statuses in one place (http/errors).
#include <stdexcept>
#include <string>

namespace sas::app {

enum class ErrorCode { NotFound, Forbidden, Unauthenticated, BadRequest, Internal };

class AppError : public std::runtime_error {
 public:
  AppError(ErrorCode code, const std::string& detail) : std::runtime_error(detail), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace sas::app
