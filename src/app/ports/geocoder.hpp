#pragma once
// Where a regulator's « Renseigner une adresse » is (docs/rules.md#search): a street address,
// a town, a postal code or a département. Implemented by geo/ (offline from data/communes.csv,
// or the Base Adresse Nationale), and by a stand-in in tests.
#include <optional>
#include <string>
#include <vector>

namespace sas::app {

enum class LocationKind { Address, Town, PostalCode, Departement };

struct Location {
  std::string label;  // « Saint-Denis (93) », « 12 Rue de la Paix 75002 Paris »
  LocationKind kind = LocationKind::Town;
  double latitude = 0;
  double longitude = 0;
  std::string departement;   // "75", "2A", "974": its default radius
  std::string town;          // its commune (« Les Lilas », « Paris »), when one is known
  bool approximate = false;  // a street address placed at its town's centre
};

/// One line of the short list offered when what was typed is ambiguous.
struct LocationChoice {
  std::string key;  // given back to Geocoder::resolve
  std::string label;
};

struct GeocodeResult {
  enum class Status { Found, Ambiguous, NotFound };
  Status status = Status::NotFound;
  Location location;                    // when Found
  std::vector<LocationChoice> choices;  // when Ambiguous
};

class Geocoder {
 public:
  virtual ~Geocoder() = default;
  virtual GeocodeResult geocode(const std::string& text) = 0;
  /// The location of a choice from a short list (NotFound for a key it did not give).
  virtual GeocodeResult resolve(const std::string& key) = 0;
};

/// The search radii of a département (data/rayons-recherche.csv); 0 where none is published.
struct DepartementArea {
  std::string code;
  std::string name;
  double townRadiusKm = 0;         // rayon_ville_km: address, town or postal code
  double departementRadiusKm = 0;  // rayon_departement_km: the whole département
  double widenKm = 0;              // elargissement_km: the step offered to widen a search
};

class SearchAreas {
 public:
  virtual ~SearchAreas() = default;
  virtual std::optional<DepartementArea> departement(const std::string& code) const = 0;
};

}  // namespace sas::app
