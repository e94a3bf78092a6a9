// sas import-directory FICHIER: practice places of the health professionals (Annuaire Santé,
// columns in app/directory_import.hpp).
#include <fstream>
#include <iostream>

#include "app/directory_import.hpp"
#include "commands/command.hpp"
#include "storage/psc_store.hpp"
#include "wiring.hpp"

namespace sas::commands {

int importDirectory(const Arguments& arguments) {
  arguments.expectWords(1, "FICHIER");
  const auto& file = arguments.words[0];
  Platform platform(loadConfig(arguments));
  std::ifstream in(file);
  if (!in) throw std::runtime_error("fichier illisible : " + file);
  storage::SqlPscStore directory(platform.database());
  app::DirectoryImport import(directory, platform.ports().structures, platform.geocoder());
  const auto report = import.run(in);
  std::cout << report.professionals << " professionnel(s), " << report.placesCreated
            << " lieu(x) d'exercice créé(s), " << report.placesKept << " déjà connu(s), "
            << report.skipped << " activité(s) sans lieu, " << report.rejected.size()
            << " ligne(s) refusée(s)\n";
  for (const auto& r : report.rejected) std::cout << "  " << r << "\n";
  return report.rejected.empty() ? 0 : 3;
}

}  // namespace sas::commands
