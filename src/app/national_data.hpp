#pragma once
// `sas national-data`: a realistic, reproducible national data set for demos, tests and
// benchmarks: structures placed in real towns (weighted by population), of the usual types and
// specialties, with recurring weekly availabilities of varied shapes, some unavailability and
// some places that do not take part in the SAS. Written through the repositories, like any
// other change, so the search index and the agenda read it as they read real data.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/search_source.hpp"

namespace sas::app {

/// A town the generator may place structures in (from data/communes.csv).
struct Town {
  std::string insee;
  std::string name;
  std::string postalCode;
  std::string departement;
  std::string timeZone;
  long population = 0;
  double latitude = 0;
  double longitude = 0;
};

struct NationalDataOptions {
  std::size_t places = 1000;
  std::uint64_t seed = 1;
};

struct NationalDataReport {
  std::size_t places = 0;
  std::size_t availabilities = 0;
  std::size_t participating = 0;
  std::size_t unavailable = 0;
};

/// One place as the generator draws it, before anything is written (so that the bench can
/// draw the same set without a database).
struct GeneratedPlace {
  Structure structure;
  Place place;
  std::string specialties;
  std::vector<domain::Availability> availabilities;  // weekly series from `monday`
  domain::Unavailability unavailability;
};

/// The same options and towns always draw the same places, whatever the machine.
class NationalDataGenerator {
 public:
  NationalDataGenerator(std::vector<Town> towns, NationalDataOptions options, domain::Day monday);
  /// The next place (its ids are 0: storage gives them).
  GeneratedPlace next();

 private:
  std::uint64_t draw();
  double unit();
  std::size_t below(std::size_t n);

  std::vector<Town> towns_;
  std::vector<double> cumulative_;  // of population, to draw towns by weight
  NationalDataOptions options_;
  domain::Day monday_;
  std::uint64_t state_;
  std::size_t count_ = 0;
};

/// Draws `options.places` places and writes them; `progress` is told every 1,000 places.
NationalDataReport generateNationalData(const std::vector<Town>& towns,
                                        StructureRepository& structures, AgendaRepository& agenda,
                                        SpecialtyRepository& specialties, const Clock& clock,
                                        const NationalDataOptions& options,
                                        const std::function<void(std::size_t)>& progress = {});

/// Gives the demo structures (by their FINESS) the specialties the search field matches.
void addDemoSpecialties(SearchSource& source, SpecialtyRepository& specialties, const Clock& clock);

}  // namespace sas::app
