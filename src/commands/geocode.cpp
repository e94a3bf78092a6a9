// sas geocode ADRESSE | --again: where the platform's geocoder places an address, and placing
// again the places stored approximately (app/place_geocoding.hpp).
#include <iomanip>
#include <iostream>

#include "app/place_geocoding.hpp"
#include "commands/command.hpp"
#include "wiring.hpp"

namespace sas::commands {

int geocode(const Arguments& arguments) {
  if (arguments.flag("again")) {
    arguments.expectWords(0, "");
    Platform platform(loadConfig(arguments));
    const auto report =
        app::geocodeAgain(platform.ports().structures, platform.geocoder(), platform.clock());
    std::cout << report.examined << " lieu(x) à la position approximative, " << report.moved
              << " déplacé(s), " << report.nowExact << " désormais à leur adresse, "
              << report.notFound << " adresse(s) introuvable(s)\n";
    return 0;
  }
  // The words joined: `sas geocode 81 rue Michel-Ange 75016 Paris` needs no quotes.
  std::string text;
  for (const auto& w : arguments.words) text += (text.empty() ? "" : " ") + w;
  if (text.empty()) throw UsageError("ADRESSE manquante");
  Platform platform(loadConfig(arguments));
  const auto r = platform.geocoder().geocode(text);
  using Status = app::GeocodeResult::Status;
  if (r.status == Status::NotFound) throw std::runtime_error("lieu introuvable : " + text);
  if (r.status == Status::Ambiguous) {
    std::cout << "Plusieurs lieux correspondent :\n";
    for (const auto& c : r.choices) std::cout << "  " << c.label << "\n";
    return 0;
  }
  const auto& l = r.location;
  std::cout << l.label << "\n"
            << std::fixed << std::setprecision(5) << l.latitude << " " << l.longitude
            << (l.approximate ? " (position approximative)" : "") << "\n";
  return 0;
}

}  // namespace sas::commands
