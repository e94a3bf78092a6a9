#include "app/directory_import.hpp"

#include <array>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "app/place_geocoding.hpp"
#include "app/structure_import.hpp"
#include "domain/establishment_numbers.hpp"
#include "domain/participation.hpp"
#include "domain/text.hpp"

namespace sas::app {

namespace {

constexpr std::string_view kBlanksAndQuotes = " \t\"";

/// « 75008 PARIS CEDEX 08 » → « PARIS CEDEX 08 »: the post office without its code.
std::string withoutPostalCode(const std::string& postOffice) {
  auto rest = domain::trim(postOffice, domain::kBlanks);
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
  if (digits == 5) rest = domain::trim(rest.substr(digits), domain::kBlanks);
  return std::string(rest);
}

}  // namespace

std::string practicePlaceTown(Geocoder& geocoder, const PracticeActivity& a,
                              const GeocodeResult& located) {
  if (!domain::trim(a.city, domain::kBlanks).empty())
    return domain::trimmed(a.city, domain::kBlanks);
  if (located.status == GeocodeResult::Status::Found && !located.location.town.empty())
    return located.location.town;
  if (!a.postcode.empty()) {
    // The postal code alone (its largest commune when it has several, as it is placed).
    const auto byCode = locateAddress(geocoder, "", a.postcode, "");
    if (byCode.status == GeocodeResult::Status::Found && !byCode.location.town.empty())
      return byCode.location.town;
  }
  return withoutPostalCode(a.postOffice);
}

std::int64_t createPracticePlace(StructureRepository& structures, Geocoder& geocoder,
                                 const PracticeActivity& a, const std::string& fallbackName) {
  Structure s;
  s.name = a.name.empty() ? fallbackName : a.name;
  // « MAISON DE SANTE DES LILAS » is an MSP, with its own words (docs/rules.md#participation).
  s.type = std::string(domain::structureTypeLabel(domain::practicePlaceKind(a.name)));
  s.finess = a.finess;
  s.siret = a.siret;
  s.rppsRang = a.rppsRang;
  s.phone = a.phone;
  Place place;
  place.name = s.name;
  place.street = a.street;
  place.postalCode = a.postcode;
  place.phone = a.phone;
  const auto g = locateAddress(geocoder, a.street, a.postcode, a.city);
  place.town = practicePlaceTown(geocoder, a, g);
  if (g.status == GeocodeResult::Status::Found) {
    place.latitude = g.location.latitude;
    place.longitude = g.location.longitude;
    s.departement = g.location.departement;
  }
  // Not found: stored at 0, 0 and approximate, so that `sas geocode --again` tries it again.
  place.approximate = placedApproximately(g);
  if (s.departement.empty() && a.postcode.size() >= 2)
    s.departement = a.postcode.substr(0, a.postcode.rfind("97", 0) == 0 ? 3 : 2);
  place.timeZone = timeZoneOfDepartement(s.departement);  // Réunion's days end at its midnight
  const auto sid = structures.createStructure(s);
  place.structureId = sid;
  structures.createPlace(place);
  return sid;
}

DirectoryReport DirectoryImport::run(std::istream& in) {
  DirectoryReport report;
  std::string line;
  if (!std::getline(in, line)) {
    report.rejected.push_back("fichier vide");
    return report;
  }
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);  // UTF-8 BOM
  std::map<std::string, std::size_t> columns;
  const auto header = domain::splitFields(line, '|');
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto name = domain::trimmed(header[i], kBlanksAndQuotes);
    if (auto p = name.find(" (coord. structure)"); p != std::string::npos) name = name.substr(0, p);
    columns.emplace(name, i);
  }
  const char* required[] = {"Identification nationale PP", "Nom d'exercice", "Prénom d'exercice"};
  for (const char* r : required)
    if (!columns.count(r)) {
      report.rejected.push_back(std::string("colonne absente de l'en-tête : ") + r);
      return report;
    }
  std::set<std::string> seen;
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (domain::trim(line, kBlanksAndQuotes).empty()) continue;
    const auto cells = domain::splitFields(line, '|');
    auto cell = [&](const char* name) {
      auto it = columns.find(name);
      return it == columns.end() || it->second >= cells.size()
                 ? std::string{}
                 : domain::trimmed(cells[it->second], kBlanksAndQuotes);
    };
    DirectoryProfessional pro{cell("Identification nationale PP"), cell("Nom d'exercice"),
                              cell("Prénom d'exercice"), cell("Libellé profession"),
                              cell("Libellé savoir-faire")};
    if (pro.nationalId.empty() || pro.nationalId.size() > 20) {
      report.rejected.push_back("ligne " + std::to_string(number) +
                                " : identifiant national absent ou invalide");
      continue;
    }
    directory_.saveProfessional(pro);
    if (seen.insert(pro.nationalId).second) ++report.professionals;
    PracticeActivity a;
    a.siret = domain::cleanSiret(cell("Numéro SIRET site"));
    a.finess = domain::cleanFiness(cell("Numéro FINESS site"));
    a.structureTechnicalId = cell("Identifiant technique de la structure");
    a.rppsRang = domain::rppsRangOf(cell("Ancien identifiant de la structure"));
    a.name = cell("Raison sociale site");
    if (a.name.empty()) a.name = cell("Enseigne commerciale site");
    a.street = domain::joinWords({cell("Numéro Voie"), cell("Indice répétition voie"),
                                  cell("Libellé type de voie"), cell("Libellé Voie")});
    a.postcode = cell("Code postal");
    a.city = cell("Libellé commune");
    a.phone = cell("Téléphone");
    const std::string key = !a.siret.empty()    ? "siret:" + a.siret
                            : !a.finess.empty() ? "finess:" + a.finess
                            : !a.structureTechnicalId.empty()
                                ? "structure:" + a.structureTechnicalId
                                : "";
    if (key.empty() || (a.postcode.empty() && a.city.empty())) {
      ++report.skipped;  // an activity without a practice place (e.g. a salaried post)
      continue;
    }
    if (directory_.directoryPlace(pro.nationalId, key)) {
      ++report.placesKept;
      continue;
    }
    const auto sid = createPracticePlace(structures_, geocoder_, a,
                                         "Cabinet de " + pro.firstName + " " + pro.lastName);
    directory_.addDirectoryPlace(pro.nationalId, key, sid);
    ++report.placesCreated;
  }
  return report;
}

DirectoryReport addDemoProfessionals(DirectoryRepository& directory,
                                     StructureRepository& structures, Geocoder& geocoder) {
  std::istringstream in(
      "Identification nationale PP|Nom d'exercice|Prénom d'exercice|Libellé profession|"
      "Libellé savoir-faire|Numéro SIRET site|Raison sociale site|Numéro Voie|"
      "Libellé type de voie|Libellé Voie|Code postal|Libellé commune|Téléphone\n"
      "899700000001|LIEN|Marie|Médecin|Médecine générale||||||||\n"
      "899700000002|EXISTANT|Paul|Médecin|Médecine générale||||||||\n"
      "899700000003|LIEUX|Claire|Médecin|Médecine générale|12345678900011|"
      "CABINET DU DR LIEUX|10|Rue|de la Paix|75002|Paris|0142000001\n"
      "899700000003|LIEUX|Claire|Médecin|Médecine générale|12345678900029|"
      "MAISON DE SANTE DES LILAS|5|Avenue|Pasteur|93260|Les Lilas|0143000002\n"
      "899700000004|SANSLIEU|Jean|Médecin|Médecine générale||||||||\n");
  auto report = DirectoryImport(directory, structures, geocoder).run(in);
  // Dr Lieux also practises at the demo centre of Paris 16e (FINESS 750000001,
  // src/app/demo_data.cpp), which has availabilities: the regulator's search shows her there («
  // lieu cla », « généraliste », docs/rules.md#search).
  const std::string key = "finess:750000001";
  if (auto centre = structures.findByIdentifiers("750000001", "");
      centre && !directory.directoryPlace("899700000003", key))
    directory.addDirectoryPlace("899700000003", key, centre->id);
  return report;
}

DirectoryReport addPublisherDemoSet(DirectoryRepository& directory, StructureRepository& structures,
                                    AgendaRepository& agenda, Geocoder& geocoder,
                                    const Clock& clock) {
  std::istringstream in(
      "Identification nationale PP|Nom d'exercice|Prénom d'exercice|Libellé profession|"
      "Libellé savoir-faire|Numéro SIRET site|Numéro FINESS site|Raison sociale site|"
      "Numéro Voie|Libellé type de voie|Libellé Voie|Code postal|Libellé commune|Téléphone\n"
      "810000000009|DUPONT|Jean|Médecin|Médecine générale|12345678200010||"
      "Cabinet du Dr Dupont|40|Rue|Ordener|75018|Paris|01 42 00 00 09\n"
      "810000000017|MARTIN|Marie|Médecin|Médecine générale||690000013|"
      "MSP de la Croix-Rousse|12|Rue|d'Austerlitz|69004|Lyon|04 78 00 00 17\n"
      "810000000017|MARTIN|Marie|Médecin|Médecine générale|55012345900020||"
      "Cabinet secondaire Martin|3|Rue|Francis de Pressensé|69100|Villeurbanne|"
      "04 78 00 00 18\n"
      "810000000058|HOARAU|Anne|Médecin|Médecine générale|40212345600012||"
      "Cabinet du Dr Hoarau|8|Rue|de Paris|97400|Saint-Denis|02 62 00 00 58\n"
      "810000000041|BERNARD|Luc|Médecin|Médecine générale|||||||||\n");
  auto report = DirectoryImport(directory, structures, geocoder).run(in);
  using domain::ConsultationType;
  const auto now = clock.now();
  const std::array<bool, 7> everyDay{true, true, true, true, true, true, true};
  // Each place's agenda in its own days, written once (a second load finds it filled).
  const auto daily = [&](const std::string& finess, const std::string& siret,
                         std::vector<std::tuple<int, int, domain::AvailabilityKind, int,
                                                std::vector<ConsultationType>>>
                             series,
                         bool unavailableTomorrow) {
    const auto structure = structures.findByIdentifiers(finess, siret);
    if (!structure) return;
    for (const auto& place : structures.placesOfStructure(structure->id)) {
      const auto* zone = domain::findZone(place.timeZone);
      if (!zone) continue;
      const auto today = domain::localDay(*zone, now);
      if (!agenda.availabilitiesOfPlace(place.id, today).empty()) continue;
      for (const auto& [from, to, kind, capacity, types] : series) {
        domain::ConsultationTypes t;
        for (auto x : types) t.add(x);
        domain::OccurrenceValues v{domain::mondayOf(today), from, to, kind, capacity, t};
        domain::AgendaChange change;
        change.created = domain::planCreation(place.id, v, everyDay);
        agenda.applyChange(place.id, change, {std::nullopt, "demo.availability", "", "", ""}, now);
      }
      if (unavailableTomorrow)
        agenda.saveUnavailability(place.id,
                                  {false, {{today + date::days{1}, today + date::days{1}}}},
                                  {std::nullopt, "demo.unavailability", "", "", ""}, now);
    }
  };
  using K = domain::AvailabilityKind;
  daily("", "12345678200010",
        {{9 * 60,
          9 * 60 + 30,
          K::Slot,
          1,
          {ConsultationType::Office, ConsultationType::Teleconsultation}},
         {14 * 60, 17 * 60, K::Range, 3, {ConsultationType::Office}}},
        true);
  daily("690000013", "", {{10 * 60, 10 * 60 + 20, K::Slot, 1, {ConsultationType::Office}}}, false);
  daily("", "55012345900020", {{11 * 60, 11 * 60 + 20, K::Slot, 1, {ConsultationType::HomeVisit}}},
        false);
  daily("", "40212345600012",
        {{8 * 60, 8 * 60 + 20, K::Slot, 1, {ConsultationType::Teleconsultation}}}, false);
  return report;
}

}  // namespace sas::app
