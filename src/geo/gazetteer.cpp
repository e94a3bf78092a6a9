#include "geo/gazetteer.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "domain/search_text.hpp"

namespace sas::geo {
namespace {

std::vector<std::string> splitCsvLine(const std::string& line) {
  // The files have no quoted fields (checked when they were built).
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

double toDouble(const std::string& text, const std::string& where) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return v;
  } catch (const std::exception&) {
    throw std::runtime_error(where + " : nombre attendu, « " + text + " » trouvé");
  }
}

std::vector<std::string> readLines(const std::filesystem::path& file, const std::string& header) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("fichier de données absent : " + file.string());
  std::vector<std::string> lines;
  std::string line;
  if (!std::getline(in, line) || line.rfind(header, 0) != 0)
    throw std::runtime_error(file.string() + " : en-tête inattendu");
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

Gazetteer::Gazetteer(const std::filesystem::path& dataDir) {
  const auto communesFile = dataDir / "communes.csv";
  const auto lines = readLines(communesFile, "code_insee,nom,codes_postaux,departement");
  communes_.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string where = communesFile.string() + " ligne " + std::to_string(i + 2);
    const auto f = splitCsvLine(lines[i]);
    if (f.size() != 8) throw std::runtime_error(where + " : 8 colonnes attendues");
    Commune c;
    c.insee = f[0];
    c.name = f[1];
    c.folded = domain::foldText(c.name);
    std::istringstream codes(f[2]);
    for (std::string code; codes >> code;) c.postalCodes.push_back(code);
    c.departement = f[3];
    c.population = static_cast<long>(toDouble(f[5], where));
    c.latitude = toDouble(f[6], where);
    c.longitude = toDouble(f[7], where);
    communes_.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < communes_.size(); ++i) {
    const auto& c = communes_[i];
    for (const auto& code : c.postalCodes) byPostalCode_.emplace(code, i);
    byName_.emplace(c.folded, i);
    byInsee_.emplace(c.insee, i);
  }

  readArrondissements(dataDir / "arrondissements.csv");

  const auto radiiFile = dataDir / "rayons-recherche.csv";
  const auto rows = readLines(radiiFile, "departement,nom,territoire");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string where = radiiFile.string() + " ligne " + std::to_string(i + 2);
    const auto f = splitCsvLine(rows[i]);
    if (f.size() != 10) throw std::runtime_error(where + " : 10 colonnes attendues");
    Departement d;
    d.area.code = f[0];
    d.area.name = f[1];
    d.folded = domain::foldText(f[1]);
    d.area.departementRadiusKm = toDouble(f[5], where);
    d.latitude = toDouble(f[6], where);
    d.longitude = toDouble(f[7], where);
    d.area.townRadiusKm = toDouble(f[8], where);
    d.area.widenKm = toDouble(f[9], where);
    if (d.latitude == 0 && d.longitude == 0) {
      // No published barycentre: the centre of the département's towns (data/README.md).
      double lat = 0, lon = 0;
      int n = 0;
      for (const auto& c : communes_)
        if (c.departement == d.area.code) {
          lat += c.latitude;
          lon += c.longitude;
          ++n;
        }
      if (n > 0) {
        d.latitude = lat / n;
        d.longitude = lon / n;
      }
    }
    departements_.emplace(d.area.code, std::move(d));
  }
}

void Gazetteer::readArrondissements(const std::filesystem::path& file) {
  const auto lines = readLines(file, "code_insee,nom,codes_postaux,commune,departement");
  arrondissements_.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string where = file.string() + " ligne " + std::to_string(i + 2);
    const auto f = splitCsvLine(lines[i]);
    if (f.size() != 8) throw std::runtime_error(where + " : 8 colonnes attendues");
    Arrondissement a;
    a.insee = f[0];
    a.name = f[1];
    std::istringstream codes(f[2]);
    for (std::string code; codes >> code;) a.postalCodes.push_back(code);
    a.commune = f[3];
    a.departement = f[4];
    a.population = static_cast<long>(toDouble(f[5], where));
    a.latitude = toDouble(f[6], where);
    a.longitude = toDouble(f[7], where);
    // Its number is in its name (« Lyon 3e Arrondissement »), not in its INSEE code (69383).
    const auto digits = a.name.find_first_of("0123456789");
    const char* first = a.name.data() + (digits == std::string::npos ? a.name.size() : digits);
    const auto parsed = std::from_chars(first, a.name.data() + a.name.size(), a.number);
    if (parsed.ec != std::errc() || a.number < 1 || a.postalCodes.empty())
      throw std::runtime_error(where + " : numéro ou codes postaux absents");
    if (!byInsee(a.commune))
      throw std::runtime_error(where + " : commune " + a.commune + " absente de communes.csv");
    arrondissements_.push_back(std::move(a));
  }
}

const Arrondissement* Gazetteer::arrondissementByPostalCode(const std::string& code) const {
  for (const auto& a : arrondissements_)
    if (std::find(a.postalCodes.begin(), a.postalCodes.end(), code) != a.postalCodes.end())
      return &a;
  return nullptr;
}

const Arrondissement* Gazetteer::arrondissementByInsee(const std::string& insee) const {
  for (const auto& a : arrondissements_)
    if (a.insee == insee) return &a;
  return nullptr;
}

const Arrondissement* Gazetteer::arrondissementOf(const std::string& commune, int number) const {
  for (const auto& a : arrondissements_)
    if (a.commune == commune && a.number == number) return &a;
  return nullptr;
}

const Commune* Gazetteer::byInsee(const std::string& insee) const {
  auto it = byInsee_.find(insee);
  return it == byInsee_.end() ? nullptr : &communes_[it->second];
}

std::vector<const Commune*> Gazetteer::byPostalCode(const std::string& code) const {
  std::vector<const Commune*> out;
  auto [b, e] = byPostalCode_.equal_range(code);
  for (auto it = b; it != e; ++it) out.push_back(&communes_[it->second]);
  return out;
}

std::vector<const Commune*> Gazetteer::byFoldedName(const std::string& folded) const {
  std::vector<const Commune*> out;
  auto [b, e] = byName_.equal_range(folded);
  for (auto it = b; it != e; ++it) out.push_back(&communes_[it->second]);
  return out;
}

const Departement* Gazetteer::departementByCode(const std::string& code) const {
  auto it = departements_.find(code);
  return it == departements_.end() ? nullptr : &it->second;
}

const Departement* Gazetteer::departementByFoldedName(const std::string& folded) const {
  for (const auto& [code, d] : departements_)
    if (d.folded == folded) return &d;
  return nullptr;
}

std::optional<app::DepartementArea> Gazetteer::departement(const std::string& code) const {
  const auto* d = departementByCode(code);
  if (!d) return std::nullopt;
  return d->area;
}

std::string Gazetteer::timeZoneOf(const std::string& departement) {
  static const std::map<std::string, std::string> overseas{
      {"971", "America/Guadeloupe"}, {"972", "America/Martinique"}, {"973", "America/Cayenne"},
      {"974", "Indian/Reunion"},     {"975", "America/Miquelon"},   {"976", "Indian/Mayotte"},
  };
  auto it = overseas.find(departement);
  return it == overseas.end() ? "Europe/Paris" : it->second;
}

}  // namespace sas::geo
