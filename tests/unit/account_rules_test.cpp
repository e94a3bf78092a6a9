#include "domain/account_rules.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

Instant at(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
  return Instant{date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                 std::chrono::hours{h} + std::chrono::minutes{min} + std::chrono::seconds{s}};
}

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(CalendarMonths, ClampsToTheLastDayOfTheMonth) {
  EXPECT_EQ(addCalendarMonths(at(2025, 10, 31, 9), 4), at(2026, 2, 28, 9));
  EXPECT_EQ(addCalendarMonths(at(2023, 10, 31, 9), 4), at(2024, 2, 29, 9));  // leap year
  EXPECT_EQ(addCalendarMonths(at(2026, 1, 15, 8, 30), 3), at(2026, 4, 15, 8, 30));
  EXPECT_EQ(addCalendarMonths(at(2026, 11, 30), 3), at(2027, 2, 28));
}

TEST(PasswordExpiry, ForcedChangeAtFourCalendarMonthsExactly) {
  const PasswordAgePolicy policy;
  const auto changed = at(2025, 10, 31, 9);
  EXPECT_FALSE(passwordExpired(changed, at(2026, 2, 28, 9) - seconds{1}, policy));
  EXPECT_TRUE(passwordExpired(changed, at(2026, 2, 28, 9), policy));
  EXPECT_TRUE(passwordExpired(changed, at(2026, 3, 1), policy));
}

TEST(PasswordExpiry, OneWarningAfterThreeMonthsNotTwice) {
  const PasswordAgePolicy policy;
  const auto changed = at(2026, 1, 10, 12);
  EXPECT_FALSE(expiryWarningDue(changed, std::nullopt, at(2026, 4, 10, 12) - seconds{1}, policy));
  EXPECT_TRUE(expiryWarningDue(changed, std::nullopt, at(2026, 4, 10, 12), policy));
  // Sent once: not again for the same password…
  EXPECT_FALSE(expiryWarningDue(changed, at(2026, 4, 10, 12), at(2026, 5, 1), policy));
  // …but again for the next one, three months after its change.
  const auto next = at(2026, 5, 2);
  EXPECT_FALSE(expiryWarningDue(next, at(2026, 4, 10, 12), at(2026, 6, 1), policy));
  EXPECT_TRUE(expiryWarningDue(next, at(2026, 4, 10, 12), at(2026, 8, 2), policy));
}

// Accounts that age (docs/rules.md#delegates-and-ageing-accounts): calendar months, ±1 s.
TEST(Inactivity, WarnedFromEightCalendarMonthsDisabledFromNine) {
  const InactivityPolicy policy;  // 8 and 9
  const auto used = at(2026, 3, 4, 9);
  const auto warnAt = at(2026, 11, 4, 9), disableAt = at(2026, 12, 4, 9);
  EXPECT_EQ(inactivityStep(used, std::nullopt, warnAt - seconds{1}, policy), InactivityStep::None);
  EXPECT_EQ(inactivityStep(used, std::nullopt, warnAt, policy), InactivityStep::Warn);
  EXPECT_EQ(inactivityStep(used, std::nullopt, warnAt + seconds{1}, policy), InactivityStep::Warn);
  EXPECT_EQ(inactivityStep(used, std::nullopt, disableAt - seconds{1}, policy),
            InactivityStep::Warn);
  EXPECT_EQ(inactivityStep(used, std::nullopt, disableAt, policy), InactivityStep::Disable);
  EXPECT_EQ(inactivityStep(used, std::nullopt, disableAt + seconds{1}, policy),
            InactivityStep::Disable);
  EXPECT_EQ(inactivityDisablesAt(used, policy), disableAt);
}

TEST(Inactivity, OneWarningPerInactivityPeriod) {
  const InactivityPolicy policy;
  const auto used = at(2026, 3, 4, 9);
  const auto warned = at(2026, 11, 4, 9, 10);
  // Warned in this period: nothing more until the account is disabled…
  EXPECT_EQ(inactivityStep(used, warned, warned + hours{24}, policy), InactivityStep::None);
  EXPECT_EQ(inactivityStep(used, warned, at(2026, 12, 4, 9) - seconds{1}, policy),
            InactivityStep::None);
  EXPECT_EQ(inactivityStep(used, warned, at(2026, 12, 4, 9), policy), InactivityStep::Disable);
  // …and a warning of an earlier period does not count for the next one (a login between).
  const auto usedAgain = at(2026, 11, 20, 8);
  EXPECT_EQ(inactivityStep(usedAgain, warned, at(2027, 7, 20, 8) - seconds{1}, policy),
            InactivityStep::None);
  EXPECT_EQ(inactivityStep(usedAgain, warned, at(2027, 7, 20, 8) + seconds{1}, policy),
            InactivityStep::Warn);
}

TEST(Inactivity, MonthsAreCalendarMonthsClampedToTheMonthsEnd) {
  const InactivityPolicy policy;
  // Used on 31 March: eight months later is 30 November (no 31st), nine is 31 December.
  const auto used = at(2026, 3, 31, 22, 30);
  EXPECT_EQ(inactivityStep(used, std::nullopt, at(2026, 11, 30, 22, 30) - seconds{1}, policy),
            InactivityStep::None);
  EXPECT_EQ(inactivityStep(used, std::nullopt, at(2026, 11, 30, 22, 30) + seconds{1}, policy),
            InactivityStep::Warn);
  // 30 June + 8 months: 28 February (29 in a leap year).
  EXPECT_EQ(inactivityDisablesAt(at(2027, 5, 31), policy), at(2028, 2, 29));
}

TEST(Inactivity, OtherDelaysFromTheConfiguration) {
  const InactivityPolicy policy{2, 3};
  const auto used = at(2026, 1, 15, 12);
  EXPECT_EQ(inactivityStep(used, std::nullopt, at(2026, 3, 15, 12) - seconds{1}, policy),
            InactivityStep::None);
  EXPECT_EQ(inactivityStep(used, std::nullopt, at(2026, 3, 15, 12) + seconds{1}, policy),
            InactivityStep::Warn);
  EXPECT_EQ(inactivityStep(used, std::nullopt, at(2026, 4, 15, 12) - seconds{1}, policy),
            InactivityStep::Warn);
  EXPECT_EQ(inactivityStep(used, std::nullopt, at(2026, 4, 15, 12) + seconds{1}, policy),
            InactivityStep::Disable);
}

TEST(PasswordExpiry, TheWarningSpeaksOfThePastOnceTheExpiryIsPast) {
  // Changed on 31 October 2025 at 09h00 UTC (10h00 in Paris): expires 28 February 2026 09h00.
  const auto changed = at(2025, 10, 31, 9);
  const auto expires = addCalendarMonths(changed, 4);
  const auto early = expiryWording(changed, expires, at(2026, 1, 31, 9));
  EXPECT_EQ(early.subject, "Votre mot de passe SAS expire bientôt");
  EXPECT_EQ(early.body,
            "Vous n'avez pas modifié votre mot de passe de la plateforme numérique SAS depuis le "
            "31/10/2025. Il expirera le 28/02/2026 : vous devrez alors en choisir un nouveau à "
            "votre prochaine connexion.");
  // One second before: still to come; at the expiry and after (a warning sent late): past.
  EXPECT_NE(expiryWording(changed, expires, expires - seconds{1}).body.find("Il expirera le"),
            std::string::npos);
  for (const auto now : {expires, expires + hours{24 * 30}}) {
    const auto late = expiryWording(changed, expires, now);
    EXPECT_EQ(late.subject, "Votre mot de passe SAS a expiré");
    EXPECT_NE(late.body.find("Il a expiré le 28/02/2026 : vous devrez en choisir un nouveau"),
              std::string::npos);
    EXPECT_EQ(late.body.find("expirera"), std::string::npos);
  }
}

TEST(Links, ValidUntilTheirLifetimeEndsNotAfter) {
  const auto issued = at(2026, 3, 1, 10);
  const auto life = std::chrono::duration_cast<seconds>(hours{72});
  EXPECT_TRUE(linkValid(issued, life, issued));
  EXPECT_TRUE(linkValid(issued, life, issued + hours{72} - seconds{1}));
  EXPECT_FALSE(linkValid(issued, life, issued + hours{72}));
  EXPECT_FALSE(linkValid(issued, life, issued + hours{72} + seconds{1}));
  EXPECT_FALSE(linkValid(issued, life, issued - seconds{1}));  // clock went back
  const auto five = std::chrono::duration_cast<seconds>(minutes{5});
  EXPECT_TRUE(linkValid(issued, five, issued + minutes{5} - seconds{1}));
  EXPECT_FALSE(linkValid(issued, five, issued + minutes{5} + seconds{1}));
}

TEST(Throttle, FiveFailuresInFifteenMinutesLockForFifteenMinutes) {
  const ThrottlePolicy policy;
  const auto t0 = at(2026, 3, 4, 10);
  std::vector<Instant> failures;
  for (int i = 0; i < 4; ++i) failures.push_back(t0 + minutes{3 * i});
  EXPECT_FALSE(accountLocked(failures, t0 + minutes{10}, policy));  // 4 failures: not locked
  failures.push_back(t0 + minutes{12});                             // the 5th, within 15 min
  EXPECT_TRUE(accountLocked(failures, t0 + minutes{12}, policy));
  EXPECT_TRUE(accountLocked(failures, t0 + minutes{27} - seconds{1}, policy));
  EXPECT_FALSE(accountLocked(failures, t0 + minutes{27}, policy));  // 15 min after the 5th
}

TEST(Throttle, FiveFailuresSpreadOverMoreThanTheWindowDoNotLock) {
  const ThrottlePolicy policy;
  const auto t0 = at(2026, 3, 4, 10);
  std::vector<Instant> failures;
  for (int i = 0; i < 5; ++i) failures.push_back(t0 + minutes{4 * i});
  // 0, 4, 8, 12, 16 minutes: the 5th is 16 min after the 1st.
  EXPECT_FALSE(accountLocked(failures, t0 + minutes{16}, policy));
  failures.back() = t0 + minutes{15} - seconds{1};  // just inside the window
  EXPECT_TRUE(accountLocked(failures, t0 + minutes{15}, policy));
}

TEST(Throttle, AnAddressTryingManyAccountsIsBlocked) {
  ThrottlePolicy policy;
  policy.maxAccountsPerAddress = 3;
  const auto t0 = at(2026, 3, 4, 10);
  std::vector<std::pair<std::string, Instant>> f{
      {"a@x.fr", t0}, {"a@x.fr", t0 + minutes{1}}, {"b@x.fr", t0 + minutes{2}}};
  EXPECT_FALSE(addressBlocked(f, t0 + minutes{3}, policy));  // two accounts
  f.push_back({"c@x.fr", t0 + minutes{3}});
  EXPECT_TRUE(addressBlocked(f, t0 + minutes{3}, policy));
  // a@x.fr last failed at t0 + 1 min: it counts until t0 + 16 min.
  EXPECT_TRUE(addressBlocked(f, t0 + minutes{16} - seconds{1}, policy));
  EXPECT_FALSE(addressBlocked(f, t0 + minutes{16}, policy));
}

TEST(Throttle, AnAddressIsToldHowLongItWaits) {
  ThrottlePolicy policy;
  policy.maxAccountsPerAddress = 3;
  const auto t0 = at(2026, 3, 4, 10);
  std::vector<std::pair<std::string, Instant>> f{
      {"a@x.fr", t0}, {"b@x.fr", t0 + minutes{2}}, {"a@x.fr", t0 + minutes{4}}};
  EXPECT_EQ(addressBlockedFor(f, t0 + minutes{5}, policy), seconds{0});  // two emails
  f.push_back({"c@x.fr", t0 + minutes{5}});
  // Three emails: free again when b@x.fr (the oldest latest failure) leaves, at t0 + 17 min.
  EXPECT_EQ(addressBlockedFor(f, t0 + minutes{5}, policy), minutes{12});
  EXPECT_EQ(addressBlockedFor(f, t0 + minutes{17} - seconds{1}, policy), seconds{1});
  EXPECT_EQ(addressBlockedFor(f, t0 + minutes{17}, policy), seconds{0});
}

TEST(Lengths, CharactersAreCodePointsNotBytes) {
  EXPECT_EQ(characterCount(""), 0u);
  EXPECT_EQ(characterCount("Durand"), 6u);
  EXPECT_EQ(characterCount("Éloïse"), 6u);  // 8 bytes
  EXPECT_EQ(characterCount("Nguyễn"), 6u);
  EXPECT_EQ(characterCount(std::string(kMaxNameLength, 'a')), 100u);
}

TEST(Links, AManagerSavingAnAccountKeepsTheLinksHeCannotSee) {
  // Paris (1, 2) is his; Lyon (7) is not. The account is linked to 1 and 7.
  EXPECT_EQ(mergeLinks({1, 7}, {1}, {1, 2}), (std::vector<std::int64_t>{7, 1}));
  EXPECT_EQ(mergeLinks({1, 7}, {}, {1, 2}), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(mergeLinks({1, 7}, {2, 2}, {1, 2}), (std::vector<std::int64_t>{7, 2}));
  // A structure he does not manage cannot be added by him.
  EXPECT_EQ(mergeLinks({}, {7}, {1, 2}), (std::vector<std::int64_t>{}));
  // An administrator manages every structure: what he ticks is what stays.
  EXPECT_EQ(mergeLinks({1, 7}, {2}, {1, 2, 7}), (std::vector<std::int64_t>{2}));
}

}  // namespace
}  // namespace sas::domain
