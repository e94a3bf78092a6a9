#pragma once
// French communes and département search radii, from data/communes.csv and
// data/rayons-recherche.csv (Données : Etalab (découpage administratif, Licence Ouverte 2.0) ;
// GeoNames (CC BY 4.0)).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/geocoder.hpp"

namespace sas::geo {

struct Commune {
  std::string insee;
  std::string name;
  std::string folded;  // domain::foldText(name)
  std::vector<std::string> postalCodes;
  std::string departement;
  long population = 0;
  double latitude = 0;
  double longitude = 0;
};

struct Departement {
  app::DepartementArea area;
  std::string folded;   // of the name
  double latitude = 0;  // barycentre, or the mean of its towns when none is published
  double longitude = 0;
};

class Gazetteer final : public app::SearchAreas {
 public:
  /// Reads both files of `dataDir`; throws std::runtime_error naming the file and line that is
  /// missing or malformed.
  explicit Gazetteer(const std::filesystem::path& dataDir);

  const std::vector<Commune>& communes() const { return communes_; }
  const Commune* byInsee(const std::string& insee) const;
  std::vector<const Commune*> byPostalCode(const std::string& code) const;
  std::vector<const Commune*> byFoldedName(const std::string& folded) const;
  const Departement* departementByCode(const std::string& code) const;
  const Departement* departementByFoldedName(const std::string& folded) const;

  std::optional<app::DepartementArea> departement(const std::string& code) const override;

  /// IANA time zone of a département ("974" → "Indian/Reunion"; mainland → "Europe/Paris").
  static std::string timeZoneOf(const std::string& departement);

 private:
  std::vector<Commune> communes_;
  std::map<std::string, Departement> departements_;
  std::multimap<std::string, std::size_t> byPostalCode_;
  std::multimap<std::string, std::size_t> byName_;
  std::map<std::string, std::size_t> byInsee_;
};

}  // namespace sas::geo
