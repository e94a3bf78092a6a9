// A délégataire (SPEC §12) acts on the structures of those who delegated to him, for the agenda
// and not for the parameters; his changes are recorded on behalf of one of them.
#include <gtest/gtest.h>

#include "app/actor.hpp"

using sas::app::Actor;
using sas::app::Role;

namespace {
Actor delegateOf(std::vector<sas::app::DelegatedStructure> delegated,
                 std::vector<std::int64_t> own = {}) {
  Actor a;
  a.user.id = 40;
  a.user.role = Role::Delegate;
  a.structureIds = std::move(own);
  a.delegated = std::move(delegated);
  return a;
}
}  // namespace

TEST(DelegateAccess, ManagesTheDelegatedStructuresOnlyAndNotTheirParameters) {
  const auto a = delegateOf({{7, 3}, {9, 5}});
  EXPECT_TRUE(a.managesStructure(7));
  EXPECT_TRUE(a.managesStructure(9));
  EXPECT_FALSE(a.managesStructure(8));
  for (std::int64_t s : {7, 8, 9}) EXPECT_FALSE(a.setsParameters(s)) << s;
}

TEST(DelegateAccess, StructuresLinkedToHisOwnAccountGiveHimNothing) {
  // Only delegations count: links an account manager ticked on his account are not his.
  const auto a = delegateOf({}, {7});
  EXPECT_FALSE(a.managesStructure(7));
  EXPECT_FALSE(a.setsParameters(7));
}

TEST(DelegateAccess, HisChangesAreRecordedOnBehalfOfTheStructuresPrincipal) {
  const auto a = delegateOf({{7, 3}, {9, 5}});
  const auto entry = a.auditEntry("availability.create", "place:12", 9, "d");
  EXPECT_EQ(entry.userId, 40);
  EXPECT_EQ(entry.onBehalfOf, 5);
  EXPECT_EQ(entry.action, "availability.create");
  EXPECT_EQ(entry.object, "place:12");
  EXPECT_EQ(entry.detail, "d");
  EXPECT_EQ(a.onBehalfOf(8), std::nullopt);
}

TEST(DelegateAccess, OthersActForThemselvesAndDelegationsGiveThemNothing) {
  for (Role r : {Role::StructureManager, Role::Practitioner}) {
    Actor a;
    a.user.id = 2;
    a.user.role = r;
    a.structureIds = {7};
    a.delegated = {{9, 5}};  // never set for them; ignored if it were
    EXPECT_TRUE(a.managesStructure(7));
    EXPECT_TRUE(a.setsParameters(7));
    EXPECT_FALSE(a.managesStructure(9));
    EXPECT_EQ(a.auditEntry("x", "place:1", 7).onBehalfOf, std::nullopt);
  }
  for (Role r : {Role::Regulator, Role::Ioa, Role::AccountManager, Role::Administrator,
                 Role::TerritorialReferent}) {
    Actor a;
    a.user.role = r;
    a.structureIds = {7};
    a.delegated = {{7, 5}};
    EXPECT_FALSE(a.managesStructure(7));
    EXPECT_FALSE(a.setsParameters(7));
  }
}

TEST(DelegateAccess, RoleCodesRoundTrip) {
  EXPECT_EQ(sas::app::roleCode(Role::Delegate), "delegataire");
  EXPECT_EQ(sas::app::roleCode(Role::TerritorialReferent), "referent_territorial");
  EXPECT_EQ(sas::app::roleFromCode("delegataire"), Role::Delegate);
  EXPECT_EQ(sas::app::roleFromCode("referent_territorial"), Role::TerritorialReferent);
  EXPECT_EQ(sas::app::roleLabel(Role::Delegate), "Délégataire");
  EXPECT_EQ(sas::app::roleLabel(Role::TerritorialReferent), "Référent territorial");
  EXPECT_FALSE(sas::app::regulates(Role::Delegate));
  EXPECT_FALSE(sas::app::regulates(Role::TerritorialReferent));
}
