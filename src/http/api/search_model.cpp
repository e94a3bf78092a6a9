#include "http/api/search_model.hpp"

#include <cmath>
#include <cstdio>

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
    const auto offset = (domain::localDay(*hit.zone, s.start) - today).count();
    if (offset >= 0 && offset < 3) days[static_cast<std::size_t>(offset)].slots.push_back(s);
  }
  return days;
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
void twoDigits(std::string& out, long v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}
void offsetText(std::string& out, std::chrono::seconds offset) {
  long minutes = static_cast<long>(offset.count() / 60);
  out.push_back(minutes < 0 ? '-' : '+');
  minutes = std::labs(minutes);
  twoDigits(out, minutes / 60);
  out.push_back(':');
  twoDigits(out, minutes % 60);
}
}  // namespace

std::string isoLocal(const date::time_zone& zone, domain::Instant t) {
  const auto info = zone.get_info(t);
  const auto local = t + info.offset;
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const long seconds = static_cast<long>((local - day).count());
  std::string out = std::to_string(static_cast<int>(ymd.year()));
  out.push_back('-');
  twoDigits(out, static_cast<unsigned>(ymd.month()));
  out.push_back('-');
  twoDigits(out, static_cast<unsigned>(ymd.day()));
  out.push_back('T');
  twoDigits(out, seconds / 3600);
  out.push_back(':');
  twoDigits(out, seconds / 60 % 60);
  out.push_back(':');
  twoDigits(out, seconds % 60);
  offsetText(out, info.offset);
  return out;
}

std::string utcOffset(const date::time_zone& zone, domain::Instant t) {
  std::string out = "UTC";
  offsetText(out, zone.get_info(t).offset);
  return out;
}

}  // namespace sas::http
