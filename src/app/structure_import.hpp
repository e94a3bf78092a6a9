#pragma once
// `sas import-structures FILE`: structures from the public FINESS extraction (issue 3; the
// place's time zone: docs/rules.md#time-zones). Each line « structureet;… » (';'-separated,
// the extraction's 32 columns) gives an establishment; the columns used are:
//   2 nofinesset (FINESS)   4 rs (raison sociale)   8 numvoie   9 typvoie   10 voie
//   11 compvoie   14 departement   16 ligneacheminement (« 75016 PARIS »)   17 telephone
//   20 libcategetab (category)   23 siret
// Other lines (the header, « geolocalisation;… ») are ignored. A structure is matched by FINESS,
// else by SIRET, and updated, never duplicated; its address is placed by the platform's
// geocoder (app/place_geocoding.hpp; offline: at the town's or arrondissement's centre, marked
// approximate).
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/geocoder.hpp"
#include "app/ports/repositories.hpp"

namespace sas::app {

struct ImportReport {
  int created = 0;
  int updated = 0;
  std::vector<std::string> rejected;  // « ligne 12 : … » in French
};

class StructureImport {
 public:
  StructureImport(StructureRepository& structures, Geocoder& geocoder, const Clock& clock)
      : structures_(structures), geocoder_(geocoder), clock_(clock) {}
  ImportReport run(std::istream& in);

 private:
  StructureRepository& structures_;
  Geocoder& geocoder_;
  const Clock& clock_;
};

/// The time zone of a département (overseas ones have their own).
std::string timeZoneOfDepartement(const std::string& departement);

}  // namespace sas::app
