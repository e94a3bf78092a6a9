// A health professional (docs/rules.md#psc-first-login, case 2) manages the structures of his
// practice places with the structure manager's pages, and nothing else.
#include <gtest/gtest.h>

#include "app/actor.hpp"

using sas::app::Actor;
using sas::app::Role;

namespace {
Actor actorOf(Role role, std::vector<std::int64_t> structures) {
  Actor a;
  a.user.role = role;
  a.structureIds = std::move(structures);
  return a;
}
}  // namespace

TEST(PractitionerAccess, ManagesTheStructuresOfHisPracticePlaces) {
  auto a = actorOf(Role::Practitioner, {7, 9});
  EXPECT_TRUE(a.managesStructure(7));
  EXPECT_TRUE(a.managesStructure(9));
  EXPECT_FALSE(a.managesStructure(8));
}

TEST(PractitionerAccess, WithoutPracticePlaceManagesNothing) {
  EXPECT_FALSE(actorOf(Role::Practitioner, {}).managesStructure(7));
}

TEST(PractitionerAccess, OtherRolesAreUnchanged) {
  EXPECT_TRUE(actorOf(Role::StructureManager, {7}).managesStructure(7));
  for (Role r : {Role::Regulator, Role::AccountManager, Role::Administrator})
    EXPECT_FALSE(actorOf(r, {7}).managesStructure(7));
}
