#pragma once
// Rules of accounts over time (docs/rules.md#accounts-and-passwords, docs/rules.md#sessions):
// password expiry in calendar months, link lifetimes, and login throttling. Pure functions of
// instants: the caller brings the clock.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/text.hpp"

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

/// Accounts that age (docs/rules.md#delegates-and-ageing-accounts): an account unused for
/// `warningMonths` calendar months gets one warning, at `disableMonths` it is disabled.
struct InactivityPolicy {
  int warningMonths = 8;
  int disableMonths = 9;
};

/// What the ageing of one account decides now.
enum class InactivityStep { None, Warn, Disable };

/// `usedSince`: the instant its inactivity counts from (last login, reactivation, else
/// creation); `warnedAt`: its last inactivity warning. Disabled from `usedSince` + 9 months
/// exactly; warned once from + 8 months exactly, unless warned since `usedSince`.
InactivityStep inactivityStep(Instant usedSince, std::optional<Instant> warnedAt, Instant now,
                              const InactivityPolicy& policy);
/// The instant the account will be disabled if it stays unused.
Instant inactivityDisablesAt(Instant usedSince, const InactivityPolicy& policy);

/// The expiry warning's words: in the future tense only while the expiry is to come. A warning
/// sent late (the job stopped, the setting changed…) says that the password has expired, never
/// that it « expirera » on a past date (issue 19). Dates are Paris days.
struct ExpiryWording {
  std::string subject;
  std::string body;  // the paragraph after « Bonjour … »
};
ExpiryWording expiryWording(Instant changedAt, Instant expiresAt, Instant now);

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
/// `failuresByEmail` are that address's failures only (email typed, instant).
bool addressBlocked(const std::vector<std::pair<std::string, Instant>>& failuresByEmail,
                    Instant now, const ThrottlePolicy& policy);
/// How long the address stays blocked (zero when it is not): until enough of its emails have
/// no failure left in the window.
std::chrono::seconds addressBlockedFor(
    const std::vector<std::pair<std::string, Instant>>& failuresByEmail, Instant now,
    const ThrottlePolicy& policy);

// Lengths of what account managers and administrators type (issue 12, item 7), in characters
// (UTF-8 code points, not bytes).
inline constexpr std::size_t kMaxNameLength = 100;           // first name, last name
inline constexpr std::size_t kMaxTerritoryNameLength = 100;  // a territory's name
inline constexpr std::size_t kMaxFreeTextLength = 2000;      // free texts (département list…)
inline constexpr std::size_t kMaxEmailLength = 254;          // the longest address SMTP carries

/// The links an account keeps when a manager saves it: what he ticked among the structures he
/// manages, and, untouched, the links to structures he does not manage (he neither sees nor
/// may remove them). Order: the kept links first, then the ticked ones; no duplicates.
std::vector<std::int64_t> mergeLinks(const std::vector<std::int64_t>& current,
                                     const std::vector<std::int64_t>& ticked,
                                     const std::vector<std::int64_t>& manageable);

}  // namespace sas::domain
