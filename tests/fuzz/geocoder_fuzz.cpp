// libFuzzer target: the embedded geocoder's reading of what a regulator types in « Renseigner une
// adresse » (postal codes, towns, streets, any bytes), on the shipped communes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "geo/gazetteer.hpp"
#include "geo/offline_geocoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto gazetteer = std::make_unique<sas::geo::Gazetteer>(SAS_SOURCE_DIR "/data");
  static sas::geo::OfflineGeocoder geocoder(*gazetteer);
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)geocoder.geocode(text);
  (void)geocoder.resolve(text);
  return 0;
}
