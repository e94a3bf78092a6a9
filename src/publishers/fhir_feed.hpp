#pragma once
// The FHIR client of the interfaced booking software (docs/rules.md#publishers): one GET of the
// implementation guide's search by professional (INT_R01) over mutual TLS with POCO NetSSL,
// under one deadline for the whole request (connection, headers and body), its body read into
// checked slots by readSlotBundle.
#include <Poco/Net/Context.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "app/ports/publisher_feed.hpp"
#include "domain/calendar.hpp"

namespace sas::publishers {

/// The system of the IDNPS in the identifier parameter.
inline constexpr const char* kIdnpsSystem = "urn:oid:1.2.250.1.71.4.2.1";

/// The query string (without « ? ») of the search by professional: free Slots starting in
/// [from, to] (instants in UTC, « Z »), their Schedules and the Schedules' actors, of the given
/// IDNPS; each value percent-encoded, the values of a list separated by a bare comma.
std::string slotSearchQuery(const std::vector<std::string>& professionalIds, domain::Instant from,
                            domain::Instant to);

class FhirPublisherFeed final : public app::PublisherFeed {
 public:
  /// `placeSystem`: the identifier system of our places (« <site>/lieux »), which a publisher
  /// may name a Location by (readSlotBundle).
  explicit FhirPublisherFeed(std::string placeSystem = {});
  ~FhirPublisherFeed() override;
  FhirPublisherFeed(const FhirPublisherFeed&) = delete;
  FhirPublisherFeed& operator=(const FhirPublisherFeed&) = delete;
  app::FeedAnswer freeSlots(const app::PublisherConnection& publisher,
                            const std::vector<std::string>& professionalIds, domain::Instant from,
                            domain::Instant to, const app::FeedLimits& limits) override;

 private:
  using Files = std::tuple<std::string, std::string, std::string>;  // certificate, key, CA
  using Stamps = std::tuple<std::filesystem::file_time_type, std::filesystem::file_time_type,
                            std::filesystem::file_time_type>;
  struct CachedContext {
    Stamps stamps;
    Poco::Net::Context::Ptr context;
  };
  /// The TLS context of these files, made once and made again when one of them changes on
  /// disk (a renewed certificate); throws Poco::Exception when they are unusable.
  Poco::Net::Context::Ptr context(const app::PublisherConnection& publisher);

  std::string placeSystem_;
  std::mutex mutex_;
  std::map<Files, CachedContext> contexts_;
  /// Cuts the connections whose deadline has passed, whatever POCO is reading at the time.
  class Watchdog;
  std::unique_ptr<Watchdog> watchdog_;
};

}  // namespace sas::publishers
