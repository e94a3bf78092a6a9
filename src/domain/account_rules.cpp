#include "domain/account_rules.hpp"

#include <algorithm>
#include <set>

namespace sas::domain {

Instant addCalendarMonths(Instant t, int months) {
  const auto day = date::floor<date::days>(t);
  const auto timeOfDay = t - day;
  const date::year_month_day ymd{day};
  const auto target = date::year_month{ymd.year(), ymd.month()} + date::months{months};
  const auto lastDay =
      date::year_month_day_last{target.year(), date::month_day_last{target.month()}}.day();
  const auto dayOfMonth = std::min(ymd.day(), lastDay);
  return Instant{date::sys_days{target.year() / target.month() / dayOfMonth} + timeOfDay};
}

bool passwordExpired(Instant changedAt, Instant now, const PasswordAgePolicy& policy) {
  return now >= addCalendarMonths(changedAt, policy.expiryMonths);
}

bool expiryWarningDue(Instant changedAt, std::optional<Instant> warnedAt, Instant now,
                      const PasswordAgePolicy& policy) {
  if (warnedAt && *warnedAt >= changedAt) return false;
  return now >= addCalendarMonths(changedAt, policy.warningMonths);
}

bool linkValid(Instant issuedAt, std::chrono::seconds lifetime, Instant now) {
  return now >= issuedAt && now < issuedAt + lifetime;
}

bool accountLocked(std::vector<Instant> failures, Instant now, const ThrottlePolicy& policy) {
  const auto n = static_cast<std::size_t>(policy.maxFailuresPerAccount);
  if (n == 0 || failures.size() < n) return false;
  std::sort(failures.begin(), failures.end());
  for (std::size_t last = n - 1; last < failures.size(); ++last) {
    const auto first = failures[last - (n - 1)];
    if (failures[last] - first < policy.window && failures[last] <= now &&
        now - failures[last] < policy.lockout)
      return true;
  }
  return false;
}

bool addressBlocked(const std::vector<std::pair<std::string, Instant>>& failuresByEmail,
                    Instant now, const ThrottlePolicy& policy) {
  std::set<std::string> emails;
  for (const auto& [email, at] : failuresByEmail)
    if (at <= now && now - at < policy.window) emails.insert(email);
  return static_cast<int>(emails.size()) >= policy.maxAccountsPerAddress;
}

}  // namespace sas::domain
