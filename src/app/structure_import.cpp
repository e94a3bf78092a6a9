#include "app/structure_import.hpp"

#include "app/place_geocoding.hpp"
#include "domain/establishment_numbers.hpp"
#include "domain/text.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace sas::app {
namespace {

// « BD » → « Boulevard » and the like, for a readable address.
std::string streetType(const std::string& code) {
  static const std::map<std::string, std::string> types{
      {"R", "Rue"},        {"AV", "Avenue"},     {"BD", "Boulevard"}, {"PL", "Place"},
      {"CHE", "Chemin"},   {"RTE", "Route"},     {"ALL", "Allée"},    {"QU", "Quai"},
      {"IMP", "Impasse"},  {"CRS", "Cours"},     {"SQ", "Square"},    {"FG", "Faubourg"},
      {"PASS", "Passage"}, {"RPT", "Rond-point"}};
  auto it = types.find(domain::trimmed(code, domain::kBlanks));
  return it == types.end() ? domain::trimmed(code, domain::kBlanks) : it->second;
}

std::string digitsOnly(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c))) out += c;
  return out;
}

std::string formatPhone(const std::string& raw) {
  const auto d = digitsOnly(raw);
  if (d.size() != 10) return domain::trimmed(raw, domain::kBlanks);
  std::string out;
  for (std::size_t i = 0; i < 10; i += 2) out += (i ? " " : "") + d.substr(i, 2);
  return out;
}

}  // namespace

std::string timeZoneOfDepartement(const std::string& departement) {
  static const std::map<std::string, std::string> zones{
      {"971", "America/Guadeloupe"}, {"972", "America/Martinique"}, {"973", "America/Cayenne"},
      {"974", "Indian/Reunion"},     {"976", "Indian/Mayotte"},     {"975", "America/Miquelon"}};
  auto it = zones.find(departement);
  return it == zones.end() ? "Europe/Paris" : it->second;
}

ImportReport StructureImport::run(std::istream& in) {
  ImportReport report;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto f = domain::splitFields(line, ';');
    if (f.empty() || domain::trimmed(f[0], domain::kBlanks) != "structureet") continue;
    const std::string where = "ligne " + std::to_string(number) + " : ";
    if (f.size() < 23) {
      report.rejected.push_back(where + "moins de colonnes que l'extraction FINESS n'en a");
      continue;
    }
    // Corsican FINESS numbers begin with 2A or 2B: not digits only.
    const std::string finess = domain::cleanFiness(f[1]), siret = digitsOnly(f[22]);
    const std::string name = domain::trimmed(f[3], domain::kBlanks);
    const std::string routing = domain::trimmed(f[15], domain::kBlanks);  // « 75016 PARIS »
    const auto space = routing.find(' ');
    const std::string postalCode = space == std::string::npos ? "" : routing.substr(0, space);
    const std::string town = space == std::string::npos
                                 ? routing
                                 : domain::trimmed(routing.substr(space), domain::kBlanks);
    if (finess.empty() && siret.empty()) {
      report.rejected.push_back(where + "ni FINESS ni SIRET");
      continue;
    }
    if (name.empty() || postalCode.size() != 5) {
      report.rejected.push_back(where + "raison sociale ou code postal manquant");
      continue;
    }
    const std::string street = domain::joinWords({f[7], f[10], streetType(f[8]), f[9]});
    const auto located = locateAddress(geocoder_, street, postalCode, town);
    if (located.status != GeocodeResult::Status::Found) {
      report.rejected.push_back(where + "adresse introuvable (" + postalCode + " " + town + ")");
      continue;
    }
    Structure s;
    if (auto existing = structures_.findByIdentifiers(finess, siret)) s = *existing;
    const bool isNew = s.id == 0;
    s.name = name;
    s.type = domain::trimmed(f[19], domain::kBlanks).empty()
                 ? "Centre de santé"
                 : domain::trimmed(f[19], domain::kBlanks);
    s.finess = finess;
    s.siret = siret;
    s.phone = formatPhone(f[16]);
    s.departement = domain::trimmed(f[13], domain::kBlanks).empty()
                        ? located.location.departement
                        : domain::trimmed(f[13], domain::kBlanks);
    Place p;
    p.street = street;
    p.postalCode = postalCode;
    p.town = town;
    p.latitude = located.location.latitude;
    p.longitude = located.location.longitude;
    p.approximate = placedApproximately(located);
    p.timeZone = timeZoneOfDepartement(s.departement);
    p.phone = s.phone;
    structures_.saveImported(s, p, clock_.now());
    ++(isNew ? report.created : report.updated);
  }
  return report;
}

}  // namespace sas::app
