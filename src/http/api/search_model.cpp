#include "http/api/search_model.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "http/pages/layout.hpp"
#include "http/wire.hpp"

namespace sas::http {

namespace fields = app::search_fields;

app::SearchForm readSearchForm(const Request& req) {
  app::SearchForm f;
  f.what = req.param(fields::kWhat);
  f.where = req.param(fields::kWhere);
  f.choice = req.param(fields::kChoice);
  f.office = req.checked(fields::kOffice);
  f.teleconsultation = req.checked(fields::kTeleconsultation);
  f.homeVisit = req.checked(fields::kHomeVisit);
  f.within = req.params_(fields::kWithin);
  f.radiusKm = req.param(fields::kRadius);
  f.beyond = req.param(fields::kMode) == "sus";
  f.seed = req.param(fields::kSeed);
  f.page = req.param(fields::kPage);
  f.perPage = req.param(fields::kPerPage);
  return f;
}

QueryParams searchParams(const app::SearchForm& f) {
  QueryParams p;
  if (!f.what.empty()) p.emplace_back(fields::kWhat, f.what);
  p.emplace_back(fields::kWhere, f.where);
  if (!f.choice.empty()) p.emplace_back(fields::kChoice, f.choice);
  if (f.office) p.emplace_back(fields::kOffice, "1");
  if (f.teleconsultation) p.emplace_back(fields::kTeleconsultation, "1");
  if (f.homeVisit) p.emplace_back(fields::kHomeVisit, "1");
  for (const auto& w : f.within) p.emplace_back(fields::kWithin, w);
  if (!f.radiusKm.empty()) p.emplace_back(fields::kRadius, f.radiusKm);
  if (f.beyond) p.emplace_back(fields::kMode, "sus");
  if (!f.seed.empty()) p.emplace_back(fields::kSeed, f.seed);
  if (!f.perPage.empty()) p.emplace_back(fields::kPerPage, f.perPage);
  return p;
}

QueryParams with(QueryParams params, const std::string& name, const std::string& value) {
  std::erase_if(params, [&](const auto& kv) { return kv.first == name; });
  if (!value.empty()) params.emplace_back(name, value);
  return params;
}

std::string queryString(const QueryParams& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    out += (out.empty() ? "?" : "&") + wire::percentEncode(k) + "=" + wire::percentEncode(v);
  }
  return out;
}

std::vector<DaySlots> slotsByDay(const domain::SearchHit& hit, domain::Instant now) {
  std::vector<DaySlots> days;
  if (!hit.zone) return days;
  const auto today = domain::localDay(*hit.zone, now);
  for (int i = 0; i < 3; ++i) days.push_back({i, today + date::days{i}, {}});
  for (const auto& s : hit.slots) {
    // A plage under way since yesterday evening is one of today's.
    const auto offset = (domain::localDay(*hit.zone, std::max(s.start, now)) - today).count();
    if (offset >= 0 && offset < 3) days[static_cast<std::size_t>(offset)].slots.push_back(s);
  }
  return days;
}

std::string untilText(const date::time_zone& zone, domain::Instant end) {
  return "en cours, jusqu'à " + domain::formatTime(domain::localMinute(zone, end));
}

std::string formatCount(std::size_t n) {
  const auto digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u202F";
    out += digits[i];
  }
  return out;
}

std::string formatDistance(double metres) {
  if (metres < 999.5) return std::to_string(static_cast<long>(std::lround(metres))) + " m";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f km", metres / 1000);
  std::string s = buffer;
  for (auto& c : s)
    if (c == '.') c = ',';
  return s;
}

namespace {
char* twoDigits(char* out, long v) {
  out[0] = static_cast<char>('0' + v / 10);
  out[1] = static_cast<char>('0' + v % 10);
  return out + 2;
}
char* offsetText(char* out, std::chrono::seconds offset) {
  long minutes = static_cast<long>(offset.count() / 60);
  *out++ = minutes < 0 ? '-' : '+';
  minutes = std::labs(minutes);
  out = twoDigits(out, minutes / 60);
  *out++ = ':';
  return twoDigits(out, minutes % 60);
}
}  // namespace

std::string_view IsoLocalText::operator()(domain::Instant t) {
  if (!known_ || t < info_.begin || t >= info_.end) {
    info_ = zone_.get_info(t);
    known_ = true;
    offsetText(offset_, info_.offset);
  }
  const auto local = t + info_.offset;
  const auto day = date::floor<date::days>(local);
  char* out = text_;
  if (!dayKnown_ || day != day_) {  // "2026-03-04T", written again only for another day
    const date::year_month_day ymd{day};
    out = std::to_chars(out, text_ + 8, static_cast<int>(ymd.year())).ptr;
    *out++ = '-';
    out = twoDigits(out, static_cast<unsigned>(ymd.month()));
    *out++ = '-';
    out = twoDigits(out, static_cast<unsigned>(ymd.day()));
    *out++ = 'T';
    day_ = day;
    dayKnown_ = true;
    dateLength_ = static_cast<std::size_t>(out - text_);
  }
  out = text_ + dateLength_;
  const long seconds = static_cast<long>((local - day).count());
  out = twoDigits(out, seconds / 3600);
  *out++ = ':';
  out = twoDigits(out, seconds / 60 % 60);
  *out++ = ':';
  out = twoDigits(out, seconds % 60);
  out = std::copy(std::begin(offset_), std::end(offset_), out);
  return {text_, static_cast<std::size_t>(out - text_)};
}

namespace {
char* put(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}
// A literal's length is known when compiling: its copy is a few moves, not a call.
template <std::size_t N>
char* put(char* out, const char (&literal)[N]) {
  std::memcpy(out, literal, N - 1);
  return out + N - 1;
}
}  // namespace

std::string_view AvailabilityMembers::operator()(const domain::SearchSlot& slot,
                                                 domain::Instant offeredUntil) {
  char* out = text_;
  out = put(out, R"("start":")");
  const char* const startText = out;
  out = put(out, iso_(slot.start));
  const std::string_view start(startText, static_cast<std::size_t>(out - startText));
  out = put(out, R"(","end":")");
  out = put(out, iso_(slot.end));
  out = slot.kind == domain::AvailabilityKind::Slot ? put(out, R"(","kind":"creneau","capacity":)")
                                                    : put(out, R"(","kind":"plage","capacity":)");
  out = std::to_chars(out, out + 12, slot.capacity).ptr;
  out = put(out, R"(,"offered_until":")");
  // A créneau is offered until its start: its text again, not made anew.
  out = put(out, offeredUntil == slot.start ? start : iso_(offeredUntil));
  out = put(out, R"(","types":[)");
  bool first = true;
  for (auto type : kTypesInOrder)
    if (slot.types.has(type)) {
      if (!first) *out++ = ',';
      first = false;
      *out++ = '"';
      *out++ = *typeLetter(type);  // one letter
      *out++ = '"';
    }
  *out++ = ']';
  return {text_, static_cast<std::size_t>(out - text_)};
}

std::string isoLocal(const date::time_zone& zone, domain::Instant t) {
  return std::string(IsoLocalText(zone)(t));
}

std::string utcOffset(const date::time_zone& zone, domain::Instant t) {
  char text[8];
  char* end = offsetText(text, zone.get_info(t).offset);
  return "UTC" + std::string(text, static_cast<std::size_t>(end - text));
}

}  // namespace sas::http
