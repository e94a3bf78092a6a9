#pragma once
// French communes, the municipal arrondissements of Paris, Lyon and Marseille, and the
// département search radii, from data/communes.csv, data/arrondissements.csv and
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

/// A municipal arrondissement of Paris, Lyon or Marseille (« Paris 16e Arrondissement »).
struct Arrondissement {
  std::string insee;  // "75116"
  std::string name;   // « Paris 16e Arrondissement »
  std::vector<std::string> postalCodes;
  std::string commune;  // INSEE code of its city: "75056"
  std::string departement;
  int number = 0;  // 16
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
  /// Reads the three files of `dataDir`; throws std::runtime_error naming the file and line that is
  /// missing or malformed.
  explicit Gazetteer(const std::filesystem::path& dataDir);

  const std::vector<Commune>& communes() const { return communes_; }
  const Commune* byInsee(const std::string& insee) const;
  std::vector<const Commune*> byPostalCode(const std::string& code) const;
  std::vector<const Commune*> byFoldedName(const std::string& folded) const;
  const std::vector<Arrondissement>& arrondissements() const { return arrondissements_; }
  /// The arrondissement of a postal code (75016, 75116, 69003, 13008), if it is one's.
  const Arrondissement* arrondissementByPostalCode(const std::string& code) const;
  const Arrondissement* arrondissementByInsee(const std::string& insee) const;
  /// Arrondissement `number` of the city whose INSEE code is `commune` (null if it has none).
  const Arrondissement* arrondissementOf(const std::string& commune, int number) const;
  const Departement* departementByCode(const std::string& code) const;
  const Departement* departementByFoldedName(const std::string& folded) const;

  std::optional<app::DepartementArea> departement(const std::string& code) const override;

  /// IANA time zone of a département ("974" → "Indian/Reunion"; mainland → "Europe/Paris").
  static std::string timeZoneOf(const std::string& departement);

 private:
  void readArrondissements(const std::filesystem::path& file);

  std::vector<Commune> communes_;
  std::vector<Arrondissement> arrondissements_;
  std::map<std::string, Departement> departements_;
  std::multimap<std::string, std::size_t> byPostalCode_;
  std::multimap<std::string, std::size_t> byName_;
  std::map<std::string, std::size_t> byInsee_;
};

}  // namespace sas::geo
