#pragma once
// A client of the Base Adresse Nationale's `/search` GeoJSON API, for production (enabled by
// `geocoder.ban_url`). Towns, postal codes and départements stay with the offline geocoder,
// whose data is exact for them; street addresses go to the BAN and come back precise. When
// the BAN cannot be reached, the offline answer (the town's centre, approximate) is given.
#include <chrono>
#include <string>

#include "app/ports/geocoder.hpp"
#include "geo/offline_geocoder.hpp"

namespace sas::geo {

class BanGeocoder final : public app::Geocoder {
 public:
  /// `baseUrl` like "https://host" or "http://127.0.0.1:port"; requests go to baseUrl/search/.
  BanGeocoder(std::string baseUrl, std::chrono::milliseconds timeout, OfflineGeocoder& offline);

  app::GeocodeResult geocode(const std::string& text) override;
  app::GeocodeResult resolve(const std::string& key) override;

 private:
  std::string baseUrl_;
  std::chrono::milliseconds timeout_;
  OfflineGeocoder& offline_;
};

/// The answer of the BAN for `text` read from its GeoJSON: Found (the best feature), Ambiguous
/// (several features of other towns scored within 5 % of the best), NotFound (no feature).
/// Throws std::runtime_error on a body that is not the BAN's format.
app::GeocodeResult readBanAnswer(const std::string& body);

}  // namespace sas::geo
