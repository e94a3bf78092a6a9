// sas national-data: a reproducible national data set for the search and the benchmarks.
#include <iostream>

#include "app/national_data.hpp"
#include "commands/command.hpp"
#include "geo/gazetteer.hpp"
#include "storage/search_source.hpp"
#include "wiring.hpp"

namespace sas::commands {

int nationalData(const Arguments& arguments) {
  arguments.expectWords(0, "");
  app::NationalDataOptions options;
  if (!arguments.number("places")) throw UsageError("l'option --places est obligatoire");
  options.places = *arguments.number("places");
  if (auto seed = arguments.number("seed")) options.seed = *seed;
  Platform platform(loadConfig(arguments));
  // A second run adds a second set: a benchmark on it would measure twice the places it says.
  if (const auto held = platform.searchStore().placeCount();
      held > 0 && !arguments.flag("ajouter")) {
    std::cerr << "La base contient déjà " << held
              << " lieu(x) : les lieux générés s'y ajouteraient. Partez d'une base vide, ou "
                 "ajoutez --ajouter.\n";
    return 2;
  }
  std::vector<app::Town> towns;
  const auto& gazetteer = platform.gazetteer();
  for (const auto& c : gazetteer.communes()) {
    const auto zone = geo::Gazetteer::timeZoneOf(c.departement);
    // Paris, Lyon and Marseille by arrondissement: a place in 75011 around the 11e's centre,
    // as the geocoder places its address.
    bool divided = false;
    for (const auto& a : gazetteer.arrondissements())
      if (a.commune == c.insee) {
        towns.push_back({a.insee, c.name, a.postalCodes.front(), a.departement, zone, a.population,
                         a.latitude, a.longitude});
        divided = true;
      }
    if (!divided)
      towns.push_back({c.insee, c.name, c.postalCodes.empty() ? "" : c.postalCodes.front(),
                       c.departement, zone, c.population, c.latitude, c.longitude});
  }
  const auto report = app::generateNationalData(
      towns, platform.ports().structures, platform.ports().agenda, platform.searchStore(),
      platform.clock(), options,
      [](std::size_t n) { std::cout << "  " << n << " lieux…" << std::endl; });
  std::cout << "Jeu national : " << report.places << " lieux, " << report.availabilities
            << " disponibilités hebdomadaires, " << report.participating << " participant au SAS, "
            << report.unavailable << " avec une indisponibilité.\n";
  return 0;
}

}  // namespace sas::commands
