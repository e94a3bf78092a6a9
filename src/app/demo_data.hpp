#pragma once
#include <string>
#include <vector>

#include "app/ports/accounts.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/security.hpp"

namespace sas::app {

struct DemoLogin {
  std::string email;
  std::string password;
  std::string who;
};

/// The demo set of `sas demo-data`: two territories; two structure managers, three health
/// centres (Paris and Lyon for the first, another Paris centre for the second), weeks of
/// recurring availabilities and one unavailability; an account manager of Île-de-France, a
/// national administrator, a regulator, and a doctor (effecteur de soins) with his own cabinet
/// in Paris 15e and a password. Does nothing (and returns the logins) if it is already there.
std::vector<DemoLogin> loadDemoData(UserRepository& users, StructureRepository& structures,
                                    AgendaRepository& agenda, AccountRepository& accounts,
                                    const PasswordHasher& hasher, const Clock& clock);

}  // namespace sas::app
