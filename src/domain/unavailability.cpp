#include "domain/unavailability.hpp"

#include <algorithm>
#include <optional>

namespace sas::domain {

namespace {

struct Bounds {
  Instant start;  // 00:00 of `from`
  Instant end;    // 00:00 of the day after `to`, excluded
};

Bounds boundsOf(const UnavailabilityPeriod& p, const date::time_zone& zone) {
  return {localToInstant(zone, p.from, 0), localToInstant(zone, p.to + date::days{1}, 0)};
}

bool insideAPeriod(const Unavailability& u, const date::time_zone& zone, Instant t) {
  return std::any_of(u.periods.begin(), u.periods.end(), [&](const auto& p) {
    const auto b = boundsOf(p, zone);
    return b.start <= t && t < b.end;
  });
}

bool blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::string prefix(std::size_t number) {
  return "Période " + std::to_string(number) + " : ";
}

}  // namespace

bool placeVisibleAt(const Unavailability& u, const date::time_zone& zone, Instant t) {
  return !u.indefinite && !insideAPeriod(u, zone, t);
}

bool occurrenceVisible(const Unavailability& u, const date::time_zone& zone, Instant start,
                       Instant end) {
  if (u.indefinite) return false;
  // Half-open intervals: touching a boundary exactly is not an overlap.
  return std::none_of(u.periods.begin(), u.periods.end(), [&](const auto& p) {
    const auto b = boundsOf(p, zone);
    return start < b.end && b.start < end;
  });
}

bool visibleToRegulators(const Unavailability& u, const date::time_zone& zone, Instant now,
                         Instant start, Instant end) {
  return placeVisibleAt(u, zone, now) && occurrenceVisible(u, zone, start, end);
}

bool dayUnavailable(const Unavailability& u, Day day) {
  if (u.indefinite) return true;
  return std::any_of(u.periods.begin(), u.periods.end(),
                     [&](const auto& p) { return p.from <= day && day <= p.to; });
}

bool inForce(const Unavailability& u, const date::time_zone& zone, Instant t) {
  return !placeVisibleAt(u, zone, t);
}

std::string periodField(const char* which, std::size_t number) {
  return std::string{which} + "_" + std::to_string(number);
}

Checked<Unavailability> checkUnavailabilityInput(const UnavailabilityInput& input,
                                                 const Unavailability& current, Day today) {
  std::vector<FieldError> errors;
  Unavailability result;
  result.indefinite = input.indefinite;

  // Periods are numbered as the rows the user sees: removed (blank) rows do not count.
  std::size_t number = 0;
  std::size_t kept = 0;
  for (const auto& row : input.periods) {
    if (blank(row.from) && blank(row.to)) continue;
    ++number;
    const std::string duField = periodField("du", number);
    const std::string auField = periodField("au", number);
    const auto from = parseDate(row.from);
    const auto to = parseDate(row.to);

    if (from && to && *from <= *to && *to < today) {
      // A stored period that is over since is dropped: it no longer matters and does not
      // count towards 3. One typed wholly in the past is refused: saved, it would be
      // « enregistrée » and gone at once (issue 19).
      const UnavailabilityPeriod period{*from, *to};
      if (std::find(current.periods.begin(), current.periods.end(), period) !=
          current.periods.end())
        continue;
      ++kept;
      errors.push_back({auField, prefix(number) +
                                     "cette période est entièrement passée : la date de fin ne "
                                     "peut pas être avant aujourd'hui."});
      continue;
    }
    ++kept;

    if (blank(row.from))
      errors.push_back({duField, prefix(number) + "la date de début est obligatoire."});
    else if (!from)
      errors.push_back({duField, prefix(number) +
                                     "la date de début n'est pas valide : saisissez-la au format "
                                     "jj/mm/aaaa."});
    if (blank(row.to))
      errors.push_back({auField, prefix(number) + "la date de fin est obligatoire."});
    else if (!to)
      errors.push_back({auField, prefix(number) +
                                     "la date de fin n'est pas valide : saisissez-la au format "
                                     "jj/mm/aaaa."});
    if (!from || !to) continue;

    // A period under way keeps its past start when the pop-in is saved again.
    const bool unchangedStart = std::any_of(
        current.periods.begin(), current.periods.end(),
        [&](const auto& p) { return p.from == *from && (p.to == *to || p.to >= today); });
    if (*from < today && !unchangedStart)
      errors.push_back(
          {duField, prefix(number) + "la date de début ne peut pas être avant aujourd'hui."});
    if (*to < *from)
      errors.push_back(
          {auField,
           prefix(number) + "la date de fin doit être égale ou postérieure à la date de début."});
    result.periods.push_back({*from, *to});
  }

  if (kept > kMaxUnavailabilityPeriods)
    errors.insert(errors.begin(),
                  {"periodes", "Vous pouvez saisir jusqu'à 3 indisponibilités programmées."});

  if (!errors.empty()) return Checked<Unavailability>::failure(std::move(errors));
  return Checked<Unavailability>::success(std::move(result));
}

}  // namespace sas::domain
