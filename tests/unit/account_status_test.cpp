// What account managers see of an account (« État », its filter) and who reads the journal.
#include <gtest/gtest.h>

#include "app/errors.hpp"
#include "app/journal_service.hpp"
#include "app/model.hpp"

namespace sas::app {
namespace {

User user(Role role = Role::StructureManager) {
  User u{1, "a@sas.test", "Alex", "Durand", role, "$argon2id$…", false};
  return u;
}

TEST(AccountStatus, EachStateAndItsCodeAndLabel) {
  auto u = user();
  EXPECT_EQ(accountStatus(u), AccountStatus::Active);
  u.disabled = true;
  EXPECT_EQ(accountStatus(u), AccountStatus::Disabled);
  u.inactiveSince = domain::Instant{std::chrono::seconds{1'800'000'000}};
  EXPECT_EQ(accountStatus(u), AccountStatus::Inactive);  // disabled by the ageing
  auto pending = user();
  pending.passwordHash.clear();
  EXPECT_EQ(accountStatus(pending), AccountStatus::Pending);
  // A Pro Santé Connect account has no password: in use once he logged in.
  pending.lastLoginAt = domain::Instant{std::chrono::seconds{1'800'000'000}};
  EXPECT_EQ(accountStatus(pending), AccountStatus::Active);
  for (auto s : {AccountStatus::Active, AccountStatus::Disabled, AccountStatus::Inactive,
                 AccountStatus::Pending})
    EXPECT_EQ(statusFromCode(statusCode(s)), s);
  EXPECT_EQ(statusLabel(AccountStatus::Pending), "En attente d'activation");
  EXPECT_EQ(statusLabel(AccountStatus::Disabled), "Désactivé");
  EXPECT_FALSE(statusFromCode("supprime").has_value());
  EXPECT_FALSE(statusFromCode("").has_value());
}

ErrorCode codeOf(const Actor& actor) {
  try {
    journalScope(actor);
  } catch (const AppError& e) {
    return e.code();
  }
  return ErrorCode::Internal;  // none thrown
}

TEST(JournalScope, AdministratorsReadEveryLineManagersTheirTerritoryOthersNothing) {
  Actor admin{user(Role::Administrator), {}, ""};
  EXPECT_FALSE(journalScope(admin).has_value());
  Actor manager{user(Role::AccountManager), {}, ""};
  manager.user.territoryId = 7;
  EXPECT_EQ(journalScope(manager), std::optional<std::int64_t>(7));
  manager.user.territoryId.reset();
  EXPECT_EQ(codeOf(manager), ErrorCode::Forbidden);
  for (auto role : {Role::StructureManager, Role::Regulator, Role::Ioa, Role::Practitioner})
    EXPECT_EQ(codeOf(Actor{user(role), {}, ""}), ErrorCode::Forbidden);
}

TEST(JournalObjects, KindAndNumberAsTheAuditLogNamesThem) {
  EXPECT_EQ(JournalService::objectName("compte", "12"), "user:12");
  EXPECT_EQ(JournalService::objectName("structure", "3"), "structure:3");
  EXPECT_EQ(JournalService::objectName("lieu", "5"), "place:5");
  EXPECT_EQ(JournalService::objectName("lieu", "5 OR 1=1"), "");
  EXPECT_EQ(JournalService::objectName("lieu", "-5"), "");
  EXPECT_EQ(JournalService::objectName("territoire", "1"), "");
}

}  // namespace
}  // namespace sas::app
