#include "domain/account_rules.hpp"

#include <algorithm>
#include <functional>
#include <map>
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

InactivityStep inactivityStep(Instant usedSince, std::optional<Instant> warnedAt, Instant now,
                              const InactivityPolicy& policy) {
  if (now >= addCalendarMonths(usedSince, policy.disableMonths)) return InactivityStep::Disable;
  if (warnedAt && *warnedAt >= usedSince) return InactivityStep::None;  // one per period
  if (now >= addCalendarMonths(usedSince, policy.warningMonths)) return InactivityStep::Warn;
  return InactivityStep::None;
}

Instant inactivityDisablesAt(Instant usedSince, const InactivityPolicy& policy) {
  return addCalendarMonths(usedSince, policy.disableMonths);
}

ExpiryWording expiryWording(Instant changedAt, Instant expiresAt, Instant now) {
  const auto* paris = findZone("Europe/Paris");
  const auto day = [&](Instant t) {
    return formatDate(paris ? localDay(*paris, t) : Day{date::floor<date::days>(t)});
  };
  const std::string since =
      "Vous n'avez pas modifié votre mot de passe de la plateforme "
      "numérique SAS depuis le " +
      day(changedAt) + ". ";
  if (now >= expiresAt)
    return {"Votre mot de passe SAS a expiré",
            since + "Il a expiré le " + day(expiresAt) +
                " : vous devrez en choisir un nouveau à votre prochaine connexion."};
  return {"Votre mot de passe SAS expire bientôt",
          since + "Il expirera le " + day(expiresAt) +
              " : vous devrez alors en choisir un nouveau à votre prochaine connexion."};
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
  return addressBlockedFor(failuresByEmail, now, policy).count() > 0;
}

std::chrono::seconds addressBlockedFor(
    const std::vector<std::pair<std::string, Instant>>& failuresByEmail, Instant now,
    const ThrottlePolicy& policy) {
  // Each email counts while its latest failure is in the window.
  std::map<std::string, Instant> latest;
  for (const auto& [email, at] : failuresByEmail) {
    if (at > now || now - at >= policy.window) continue;
    auto [it, added] = latest.emplace(email, at);
    if (!added) it->second = std::max(it->second, at);
  }
  const auto n = static_cast<std::size_t>(std::max(policy.maxAccountsPerAddress, 1));
  if (latest.size() < n) return std::chrono::seconds{0};
  std::vector<Instant> times;
  for (const auto& [email, at] : latest) times.push_back(at);
  // Free again once fewer than n emails remain: when the n-th most recent leaves the window.
  std::sort(times.begin(), times.end(), std::greater<>());
  return std::chrono::duration_cast<std::chrono::seconds>(times[n - 1] + policy.window - now);
}

std::vector<std::int64_t> mergeLinks(const std::vector<std::int64_t>& current,
                                     const std::vector<std::int64_t>& ticked,
                                     const std::vector<std::int64_t>& manageable) {
  const std::set<std::int64_t> mine(manageable.begin(), manageable.end());
  std::vector<std::int64_t> out;
  auto add = [&out](std::int64_t id) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  for (auto id : current)
    if (!mine.count(id)) add(id);
  for (auto id : ticked)
    if (mine.count(id)) add(id);
  return out;
}

}  // namespace sas::domain
