#pragma once
// The embedded geocoder (docs/rules.md#search): towns, postal codes and départements from
// data/, accents and case ignored; in Paris, Lyon and Marseille a postal code or « Paris 16e »
// is its arrondissement. A street address is placed at its town's (or arrondissement's)
// centre, marked approximate.
#include "app/ports/geocoder.hpp"
#include "geo/gazetteer.hpp"

namespace sas::geo {

/// At most this many lines in the short list of an ambiguous place (largest towns first).
inline constexpr std::size_t kMaxChoices = 10;

class OfflineGeocoder final : public app::Geocoder {
 public:
  explicit OfflineGeocoder(const Gazetteer& gazetteer) : gazetteer_(gazetteer) {}

  app::GeocodeResult geocode(const std::string& text) override;
  app::GeocodeResult resolve(const std::string& key) override;

 private:
  app::GeocodeResult towns(const std::vector<const Commune*>& found, app::LocationKind kind,
                           const std::string& street, const std::string& typed) const;
  /// The arrondissement of `postalCode` when the one town found is its city.
  const Arrondissement* inArrondissement(const std::string& postalCode,
                                         const std::vector<const Commune*>& found) const;
  /// « Paris 16e », « Lyon 3 », « … Marseille 8e arrondissement » (folded words); NotFound
  /// when the words end with no arrondissement of a city.
  app::GeocodeResult namedArrondissement(std::vector<std::string> words,
                                         const std::string& typed) const;
  const Gazetteer& gazetteer_;
};

}  // namespace sas::geo
