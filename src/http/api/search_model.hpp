#pragma once
// What the search page and the JSON API share: reading the form from a request, the links that
// carry a search (and its draw) from page to page, and availabilities grouped by local day.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/search_service.hpp"
#include "http/request.hpp"

namespace sas::http {

app::SearchForm readSearchForm(const Request& req);

using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// The search's parameters as typed, to rebuild its links.
QueryParams searchParams(const app::SearchForm& form);
/// Replaces (or adds) `name` in `params`; an empty value removes it.
QueryParams with(QueryParams params, const std::string& name, const std::string& value);
/// "?a=1&b=2", URL-encoded ("" when empty).
std::string queryString(const QueryParams& params);

/// The availabilities of a result by the place's own day: 0 today, 1 tomorrow, 2 the day after
/// (a plage under way counts as today's).
struct DaySlots {
  int offset = 0;
  domain::Day day;
  std::vector<domain::SearchSlot> slots;
};
std::vector<DaySlots> slotsByDay(const domain::SearchHit& hit, domain::Instant now);

/// « en cours, jusqu'à 12h00 »: a plage under way, its end in the place's zone.
std::string untilText(const date::time_zone& zone, domain::Instant end);

/// « 848 m », « 3,2 km ».
std::string formatDistance(double metres);
/// « 1 000 »: French digit groups, separated by a narrow no-break space (U+202F).
std::string formatCount(std::size_t n);
/// "2026-03-04T10:00:00+01:00": the instant in the place's zone, with its offset.
std::string isoLocal(const date::time_zone& zone, domain::Instant t);

/// The same text for many instants of one zone, without allocating: the zone's rules are
/// looked up again only when an instant leaves the period (between two changes of offset) of
/// the one before, and a search's slots are hours apart.
class IsoLocalText {
 public:
  explicit IsoLocalText(const date::time_zone& zone) : zone_(zone) {}
  /// Valid until the next call.
  std::string_view operator()(domain::Instant t);

 private:
  const date::time_zone& zone_;
  date::sys_info info_{};  // the period of the last instant, and its offset
  bool known_ = false;
  date::sys_days
      day_{};  // the local day (as a count of days) of the last instant, whose text is in text_
  bool dayKnown_ = false;
  std::size_t dateLength_ = 0;
  char offset_[6]{};  // "+01:00" of info_
  char text_[40]{};
};
/// One availability's members in the JSON API (`"start":"…",…,"types":["C"]`, without braces),
/// made in a buffer and appended at once: an answer holds hundreds of availabilities, and
/// writing each member through JsonWriter (its separators, the escaping scan of texts made of
/// digits) was a fifth of the JSON search's CPU. Every text here is ours and needs no escape.
class AvailabilityMembers {
 public:
  explicit AvailabilityMembers(const date::time_zone& zone) : iso_(zone) {}
  /// Valid until the next call.
  std::string_view operator()(const domain::SearchSlot& slot, domain::Instant offeredUntil);

 private:
  IsoLocalText iso_;
  char text_[256]{};  // three times IsoLocalText's 40, the names and an int: under 240
};

/// « UTC+04:00 »
std::string utcOffset(const date::time_zone& zone, domain::Instant t);

}  // namespace sas::http
