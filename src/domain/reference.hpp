#pragma once
// The codes a person quotes to the support (a support request, a failed sign-in, an error
// page): one generator, fed with random bytes by the caller, so that it stays pure.
#include <string>
#include <string_view>

namespace sas::domain {

/// Capitals and digits without look-alikes (no 0/O, no 1/I): a code read over the phone or
/// copied by hand is not mistaken. 32 characters, so that each byte picks one evenly.
inline constexpr std::string_view kReadableAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// One character of kReadableAlphabet per byte of `randomBytes` (its value modulo 32): the code
/// is as long as the bytes given, and the same bytes give the same code.
std::string readableCode(std::string_view randomBytes);

}  // namespace sas::domain
