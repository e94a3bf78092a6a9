// sas import-structures FICHIER: structures of a FINESS extraction (app/structure_import.hpp).
#include <fstream>
#include <iostream>

#include "app/structure_import.hpp"
#include "commands/command.hpp"
#include "wiring.hpp"

namespace sas::commands {

int importStructures(const Arguments& arguments) {
  arguments.expectWords(1, "FICHIER");
  const auto& file = arguments.words[0];
  Platform platform(loadConfig(arguments));
  std::ifstream in(file);
  if (!in) throw std::runtime_error("fichier illisible : " + file);
  app::StructureImport import(platform.ports().structures, platform.geocoder(), platform.clock());
  const auto report = import.run(in);
  std::cout << report.created << " structure(s) créée(s), " << report.updated << " mise(s) à jour, "
            << report.rejected.size() << " ligne(s) refusée(s)\n";
  for (const auto& r : report.rejected) std::cout << "  " << r << "\n";
  return report.rejected.empty() ? 0 : 3;
}

}  // namespace sas::commands
