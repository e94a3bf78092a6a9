// sas demo-data: the demo structures, agendas and logins (README).
#include <iostream>

#include "app/demo_data.hpp"
#include "app/directory_import.hpp"
#include "app/national_data.hpp"
#include "commands/command.hpp"
#include "storage/account_store.hpp"
#include "storage/psc_store.hpp"
#include "storage/search_source.hpp"
#include "wiring.hpp"

namespace sas::commands {

int demoData(const Arguments& arguments) {
  arguments.expectWords(0, "");
  Platform platform(loadConfig(arguments));
  auto logins = app::loadDemoData(platform.ports().users, platform.ports().structures,
                                  platform.ports().agenda, platform.accountStore(),
                                  platform.hasher(), platform.clock());
  app::addDemoSpecialties(platform.searchStore(), platform.searchStore(), platform.clock());
  // Health professionals of the directory (Pro Santé Connect's case 2, README).
  storage::SqlPscStore directory(platform.database());
  app::addDemoProfessionals(directory, platform.ports().structures, platform.geocoder());
  // What other systems' test kits ask the FHIR publisher for (docs/fhir.md).
  app::addPublisherDemoSet(directory, platform.ports().structures, platform.ports().agenda,
                           platform.geocoder(), platform.clock());
  std::cout << "Comptes de démonstration :\n";
  for (const auto& l : logins)
    std::cout << "  " << l.email << " / " << l.password << "  (" << l.who << ")\n";
  return 0;
}

}  // namespace sas::commands
