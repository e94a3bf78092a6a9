#pragma once
// Rules of accounts over time (docs/rules.md#accounts-and-passwords, docs/rules.md#sessions):
// password expiry in calendar months, link lifetimes, and login throttling. Pure functions of
// instants: the caller brings the clock.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.hpp"

namespace sas::domain {

/// `t` moved by whole calendar months, the day clamped to the month's last (31 October + 4
/// months = 28 or 29 February), the time of day kept (UTC).
Instant addCalendarMonths(Instant t, int months);

struct PasswordAgePolicy {
  int expiryMonths = 4;   // the password must be changed after this
  int warningMonths = 3;  // one email invites a change after this
};

/// Forced change at login from `changedAt` + 4 months exactly.
bool passwordExpired(Instant changedAt, Instant now, const PasswordAgePolicy& policy);
/// One warning: due from `changedAt` + 3 months, unless one was sent since the last change.
bool expiryWarningDue(Instant changedAt, std::optional<Instant> warnedAt, Instant now,
                      const PasswordAgePolicy& policy);

/// A link sent by email is valid while now < issuedAt + lifetime (72 h − 1 s valid, 72 h + 1 s
/// refused); at exactly 72 h it is refused.
bool linkValid(Instant issuedAt, std::chrono::seconds lifetime, Instant now);

struct ThrottlePolicy {
  int maxFailuresPerAccount = 5;
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lockout{15 * 60};
  int maxAccountsPerAddress = 10;  // distinct emails one client address may fail on per window
};

/// Locked when `maxFailuresPerAccount` failures fell within one window and the last of them is
/// less than `lockout` ago. `failures` are the account's failed attempts, any order.
bool accountLocked(std::vector<Instant> failures, Instant now, const ThrottlePolicy& policy);
/// Blocked when the address failed on `maxAccountsPerAddress` distinct emails in the window.
bool addressBlocked(const std::vector<std::pair<std::string, Instant>>& failuresByEmail,
                    Instant now, const ThrottlePolicy& policy);

}  // namespace sas::domain
