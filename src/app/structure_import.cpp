#include "app/structure_import.hpp"
#include "domain/establishment_numbers.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace sas::app {
namespace {

// The extraction has no quoting: a plain split on ';' reads it (no CSV library in our stack
// fits that layout better, and this one line keeps app/ free of I/O libraries).
std::vector<std::string> splitFields(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  for (char c : line) {
    if (c == ';') {
      out.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  out.push_back(field);
  return out;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string joinWords(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& p : parts) {
    auto t = trim(p);
    if (!t.empty()) out += (out.empty() ? "" : " ") + t;
  }
  return out;
}

// « BD » → « Boulevard » and the like, for a readable address.
std::string streetType(const std::string& code) {
  static const std::map<std::string, std::string> types{
      {"R", "Rue"},        {"AV", "Avenue"},     {"BD", "Boulevard"}, {"PL", "Place"},
      {"CHE", "Chemin"},   {"RTE", "Route"},     {"ALL", "Allée"},    {"QU", "Quai"},
      {"IMP", "Impasse"},  {"CRS", "Cours"},     {"SQ", "Square"},    {"FG", "Faubourg"},
      {"PASS", "Passage"}, {"RPT", "Rond-point"}};
  auto it = types.find(trim(code));
  return it == types.end() ? trim(code) : it->second;
}

std::string digitsOnly(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c))) out += c;
  return out;
}

std::string formatPhone(const std::string& raw) {
  const auto d = digitsOnly(raw);
  if (d.size() != 10) return trim(raw);
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
    const auto f = splitFields(line);
    if (f.empty() || trim(f[0]) != "structureet") continue;
    const std::string where = "ligne " + std::to_string(number) + " : ";
    if (f.size() < 23) {
      report.rejected.push_back(where + "moins de colonnes que l'extraction FINESS n'en a");
      continue;
    }
    // Corsican FINESS numbers begin with 2A or 2B: not digits only.
    const std::string finess = domain::cleanFiness(f[1]), siret = digitsOnly(f[22]);
    const std::string name = trim(f[3]);
    const std::string routing = trim(f[15]);  // « 75016 PARIS »
    const auto space = routing.find(' ');
    const std::string postalCode = space == std::string::npos ? "" : routing.substr(0, space);
    const std::string town = space == std::string::npos ? routing : trim(routing.substr(space));
    if (finess.empty() && siret.empty()) {
      report.rejected.push_back(where + "ni FINESS ni SIRET");
      continue;
    }
    if (name.empty() || postalCode.size() != 5) {
      report.rejected.push_back(where + "raison sociale ou code postal manquant");
      continue;
    }
    const std::string street = joinWords({f[7], f[10], streetType(f[8]), f[9]});
    auto located = geocoder_.geocode(joinWords({street, postalCode, town}));
    if (located.status != GeocodeResult::Status::Found) located = geocoder_.geocode(postalCode);
    if (located.status == GeocodeResult::Status::Ambiguous && !located.choices.empty())
      located = geocoder_.resolve(located.choices.front().key);
    if (located.status != GeocodeResult::Status::Found) {
      report.rejected.push_back(where + "adresse introuvable (" + postalCode + " " + town + ")");
      continue;
    }
    Structure s;
    if (auto existing = structures_.findByIdentifiers(finess, siret)) s = *existing;
    const bool isNew = s.id == 0;
    s.name = name;
    s.type = trim(f[19]).empty() ? "Centre de santé" : trim(f[19]);
    s.finess = finess;
    s.siret = siret;
    s.phone = formatPhone(f[16]);
    s.departement = trim(f[13]).empty() ? located.location.departement : trim(f[13]);
    Place p;
    p.street = street;
    p.postalCode = postalCode;
    p.town = town;
    p.latitude = located.location.latitude;
    p.longitude = located.location.longitude;
    p.timeZone = timeZoneOfDepartement(s.departement);
    p.phone = s.phone;
    structures_.saveImported(s, p, clock_.now());
    ++(isNew ? report.created : report.updated);
  }
  return report;
}

}  // namespace sas::app
