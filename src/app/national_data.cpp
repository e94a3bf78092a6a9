#include "app/national_data.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace sas::app {
namespace {

using domain::AvailabilityKind;
using domain::ConsultationType;

struct TypeShare {
  const char* name;
  double share;
};
// Shares of the structure types among the places generated.
constexpr std::array<TypeShare, 5> kTypes{{{"Centre de santé", 0.35},
                                           {"Maison de santé pluriprofessionnelle", 0.30},
                                           {"Cabinet de médecine générale", 0.24},
                                           {"SOS Médecins", 0.05},
                                           {"Centre de soins non programmés", 0.06}}};
constexpr std::array<const char*, 9> kSpecialties{
    "Pédiatrie",        "Gynécologie",    "Dermatologie",  "Cardiologie", "Psychiatrie",
    "Soins infirmiers", "Kinésithérapie", "Ophtalmologie", "Sage-femme"};
constexpr std::array<const char*, 10> kStreets{"Rue de la République", "Avenue Jean Jaurès",
                                               "Place de la Mairie",   "Rue Victor Hugo",
                                               "Boulevard Pasteur",    "Rue de la Gare",
                                               "Allée des Tilleuls",   "Rue du Général de Gaulle",
                                               "Rue des Écoles",       "Avenue de la Libération"};

constexpr double kPi = std::numbers::pi;

domain::ConsultationTypes typesOf(bool office, bool tele, bool home) {
  domain::ConsultationTypes t;
  if (office) t.add(ConsultationType::Office);
  if (tele) t.add(ConsultationType::Teleconsultation);
  if (home) t.add(ConsultationType::HomeVisit);
  if (t.empty()) t.add(ConsultationType::Office);
  return t;
}

}  // namespace

NationalDataGenerator::NationalDataGenerator(std::vector<Town> towns, NationalDataOptions options,
                                             domain::Day monday)
    : towns_(std::move(towns)), options_(options), monday_(monday), state_(options.seed) {
  if (towns_.empty()) throw std::invalid_argument("no town to place structures in");
  double total = 0;
  for (const auto& t : towns_) {
    total += static_cast<double>(std::max(1L, t.population));
    cumulative_.push_back(total);
  }
}

// splitmix64: the same sequence on every platform (std's distributions are not).
std::uint64_t NationalDataGenerator::draw() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double NationalDataGenerator::unit() {
  return static_cast<double>(draw() >> 11) * 0x1.0p-53;
}

std::size_t NationalDataGenerator::below(std::size_t n) {
  return static_cast<std::size_t>(draw() % n);
}

GeneratedPlace NationalDataGenerator::next() {
  ++count_;
  GeneratedPlace g;
  const double pick = unit() * cumulative_.back();
  const auto& town = towns_[static_cast<std::size_t>(
      std::lower_bound(cumulative_.begin(), cumulative_.end(), pick) - cumulative_.begin())];

  // Type, name, participation.
  double r = unit();
  const char* type = kTypes.back().name;
  for (const auto& t : kTypes) {
    if (r < t.share) {
      type = t.name;
      break;
    }
    r -= t.share;
  }
  auto& s = g.structure;
  s.name = std::string(type) + " " + town.name + " n°" + std::to_string(count_);
  s.type = type;
  s.departement = town.departement;
  s.phone = "0" + std::to_string(1 + below(5)) + " " + std::to_string(10 + below(90)) + " " +
            std::to_string(10 + below(90)) + " " + std::to_string(10 + below(90)) + " " +
            std::to_string(10 + below(90));
  const bool participates = unit() < 0.78;
  s.participation.participates = participates;
  s.participation.professionals = participates ? static_cast<int>(1 + below(8)) : 0;
  s.participation.honourDeclared = participates;
  s.participation.acceptsContact = participates ? unit() < 0.85 : unit() < 0.2;
  const bool sos = std::string(type) == "SOS Médecins";
  g.specialties = "Médecine générale";
  for (std::size_t k = below(3); k > 0; --k)
    g.specialties += std::string(", ") + kSpecialties[below(kSpecialties.size())];

  // Position: around the town's centre, spread with its size.
  auto& p = g.place;
  const double spread =
      std::clamp(std::sqrt(static_cast<double>(town.population)) * 4.0, 300.0, 6000.0);
  const double distance = spread * std::sqrt(unit());
  const double azimuth = 2 * kPi * unit();
  p.latitude = town.latitude + distance * std::cos(azimuth) / 111'320.0;
  p.longitude = town.longitude +
                distance * std::sin(azimuth) / (111'320.0 * std::cos(town.latitude * kPi / 180));
  p.street = std::to_string(1 + below(120)) + " " + kStreets[below(kStreets.size())];
  p.postalCode = town.postalCode;
  p.town = town.name;
  p.inseeCode = town.insee;
  p.timeZone = town.timeZone;
  p.phone = s.phone;

  // Weekly availabilities, of one of three shapes.
  const bool tele = unit() < 0.3;
  const bool home = sos || unit() < 0.12;
  auto series = [&](int weekday, int from, int to, AvailabilityKind kind, int capacity,
                    domain::ConsultationTypes types) {
    domain::Availability a;
    a.weekly = true;
    a.base = {monday_ + date::days{weekday},
              from,
              std::min(to, domain::kLastMinute),
              kind,
              capacity,
              types};
    g.availabilities.push_back(a);
  };
  const double shape = unit();
  const int days = unit() < 0.4 ? 6 : 5;  // some open on Saturdays
  for (int d = 0; d < 7; ++d) {
    const bool open = d < days || (sos && unit() < 0.8);
    if (!open) continue;
    if (shape < 0.45) {
      // Créneaux of 15 or 30 minutes, in a morning and an afternoon run.
      const int length = unit() < 0.5 ? 15 : 30;
      const int morning = static_cast<int>(2 + below(6));
      int start = (8 + static_cast<int>(below(3))) * 60;
      for (int k = 0; k < morning; ++k, start += length + (unit() < 0.3 ? 15 : 0))
        series(d, start, start + length, AvailabilityKind::Slot, 1,
               typesOf(true, tele && unit() < 0.5, home && unit() < 0.3));
      const int afternoon = static_cast<int>(2 + below(6));
      start = (14 + static_cast<int>(below(3))) * 60;
      for (int k = 0; k < afternoon; ++k, start += length + (unit() < 0.3 ? 15 : 0))
        series(d, start, start + length, AvailabilityKind::Slot, 1,
               typesOf(!sos || unit() < 0.5, tele && unit() < 0.5, home));
    } else if (shape < 0.7) {
      // Plages of two to four hours.
      int start = (8 + static_cast<int>(below(3))) * 60;
      const int count = static_cast<int>(1 + below(3));
      for (int k = 0; k < count; ++k) {
        const int length = (2 + static_cast<int>(below(3))) * 60;
        series(d, start, start + length, AvailabilityKind::Range, static_cast<int>(2 + below(5)),
               typesOf(true, tele, home));
        start += length + 60;
      }
      if (sos)
        series(d, 20 * 60, 23 * 60 + 59, AvailabilityKind::Range, 4, typesOf(false, false, true));
    } else {
      // Mixed: a plage in the morning, créneaux in the evening.
      series(d, 9 * 60, 12 * 60, AvailabilityKind::Range, static_cast<int>(2 + below(4)),
             typesOf(true, tele, home));
      const int count = static_cast<int>(3 + below(8));
      int start = (17 + static_cast<int>(below(2))) * 60;
      for (int k = 0; k < count; ++k, start += 20)
        series(d, start / 15 * 15, start / 15 * 15 + 15, AvailabilityKind::Slot, 1,
               typesOf(true, tele && unit() < 0.4, false));
    }
  }

  // Some unavailability: a scheduled period now or soon, rarely an indefinite one.
  const double away = unit();
  if (away < 0.005) {
    g.unavailability.indefinite = true;
  } else if (away < 0.04) {
    const auto from = monday_ + date::days{static_cast<int>(below(10))};
    g.unavailability.periods.push_back({from, from + date::days{static_cast<int>(below(7))}});
  }
  return g;
}

NationalDataReport generateNationalData(const std::vector<Town>& towns,
                                        StructureRepository& structures, AgendaRepository& agenda,
                                        SpecialtyRepository& specialties, const Clock& clock,
                                        const NationalDataOptions& options,
                                        const std::function<void(std::size_t)>& progress) {
  const auto now = clock.now();
  const auto* paris = domain::findZone("Europe/Paris");
  const auto monday = domain::mondayOf(domain::localDay(*paris, now));
  NationalDataGenerator generator(towns, options, monday);
  NationalDataReport report;
  const AuditEntry audit{std::nullopt, "national_data", "", "", ""};
  for (std::size_t i = 0; i < options.places; ++i) {
    auto g = generator.next();
    g.structure.id = structures.createStructure(g.structure);
    g.place.structureId = g.structure.id;
    g.place.id = structures.createPlace(g.place);
    for (auto& a : g.availabilities) a.placeId = g.place.id;
    domain::AgendaChange change;
    change.created = std::move(g.availabilities);
    report.availabilities += change.created.size();
    agenda.applyChange(g.place.id, change, audit, now);
    specialties.setSpecialties(g.structure.id, g.specialties, now);
    if (g.unavailability.indefinite || !g.unavailability.periods.empty()) {
      agenda.saveUnavailability(g.place.id, g.unavailability, audit, now);
      ++report.unavailable;
    }
    if (g.structure.participation.participates) ++report.participating;
    ++report.places;
    if (progress && report.places % 1000 == 0) progress(report.places);
  }
  return report;
}

void addDemoSpecialties(SearchSource& source, SpecialtyRepository& specialties,
                        const Clock& clock) {
  const std::array<std::pair<const char*, const char*>, 3> demo{
      {{"750000001", "Médecine générale, Pédiatrie, Soins infirmiers"},
       {"690000002", "Médecine générale, Gynécologie"},
       {"750000003", "Médecine générale"}}};
  std::vector<std::pair<std::int64_t, std::string>> found;
  source.forEachPlace(
      domain::Day{},
      [&](SearchRecord&& r) {
        for (const auto& [finess, list] : demo)
          if (r.structure.finess == finess && r.specialties.empty())
            found.emplace_back(r.structure.id, list);
      },
      1);
  for (const auto& [id, list] : found) specialties.setSpecialties(id, list, clock.now());
}

}  // namespace sas::app
