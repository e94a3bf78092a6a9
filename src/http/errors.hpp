#pragma once
// The one mapping from app::ErrorCode to an HTTP status and the French words shown for it, and
// the one generator of the references that tie a page the user saw to a log line.
#include <string>

#include "app/errors.hpp"

namespace sas::http {

struct ErrorText {
  int status;
  const char* title;
  const char* message;
};

ErrorText errorText(app::ErrorCode code);

/// 8 characters from an alphabet without look-alikes (no 0/O, 1/I): read over the phone.
std::string newReference();

}  // namespace sas::http
