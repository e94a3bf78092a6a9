#include "domain/availability.hpp"
#include "domain/text.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

namespace sas::domain {

namespace {

namespace fields = availability_fields;

constexpr int kWeek = 7;
constexpr int kQuarter = 15;
constexpr int kLastStart = kMinutesPerDay - kQuarter;  // 23h45

long daysBetween(Day from, Day to) {
  return static_cast<long>((to - from).count());
}

// Is `day` one of the dates the availability happens on, before any exception?
bool isScheduledDate(const Availability& a, Day day) {
  if (!a.weekly) return day == a.base.date;
  if (day < a.base.date) return false;
  if (a.lastDate && day > *a.lastDate) return false;
  return daysBetween(a.base.date, day) % kWeek == 0;
}

const AvailabilityException* findException(const Availability& a, Day originalDate) {
  for (const auto& e : a.exceptions)
    if (e.originalDate == originalDate) return &e;
  return nullptr;
}

Occurrence makeOccurrence(const Availability& a, Day originalDate, const OccurrenceValues& values,
                          bool modified, const date::time_zone& zone) {
  Occurrence o;
  o.availabilityId = a.id;
  o.weekly = a.weekly;
  o.originalDate = originalDate;
  o.values = values;
  o.start = localToInstant(zone, values.date, values.startMinute);
  o.end = localToInstant(zone, values.date, values.endMinute);
  o.modified = modified;
  return o;
}

OccurrenceValues onDate(OccurrenceValues values, Day day) {
  values.date = day;
  return values;
}

// Whether any occurrence of the series remains strictly before `limit` (exceptions that delete
// an occurrence remove it; changed ones keep it).
bool hasOccurrenceBefore(const Availability& a, Day limit) {
  if (limit <= a.base.date) return false;
  Day lastBefore = limit - date::days{1};
  if (a.lastDate && *a.lastDate < lastBefore) lastBefore = *a.lastDate;
  if (lastBefore < a.base.date) return false;
  const long scheduled = daysBetween(a.base.date, lastBefore) / kWeek + 1;
  long removed = 0;
  for (const auto& e : a.exceptions)
    if (e.deleted && e.originalDate <= lastBefore && isScheduledDate(a, e.originalDate)) ++removed;
  return removed < scheduled;
}

void sortExceptions(std::vector<AvailabilityException>& exceptions) {
  std::sort(exceptions.begin(), exceptions.end(),
            [](const auto& x, const auto& y) { return x.originalDate < y.originalDate; });
}

void putException(Availability& a, AvailabilityException exception) {
  auto it = std::find_if(a.exceptions.begin(), a.exceptions.end(),
                         [&](const auto& e) { return e.originalDate == exception.originalDate; });
  if (it != a.exceptions.end())
    *it = std::move(exception);
  else
    a.exceptions.push_back(std::move(exception));
  sortExceptions(a.exceptions);
}

// The series cut so that its last occurrence is the day before `from`.
Availability endBefore(const Availability& a, Day from) {
  Availability kept = a;
  kept.lastDate = from - date::days{1};
  std::erase_if(kept.exceptions, [&](const auto& e) { return e.originalDate >= from; });
  return kept;
}

template <class T>
Checked<T> refuse(std::string message) {
  return Checked<T>::failure({FieldError{"", std::move(message)}});
}

constexpr const char* kMissingOccurrence = "Cette disponibilité n'existe pas à cette date.";
constexpr const char* kPastOccurrence =
    "Cette disponibilité est passée : elle ne peut plus être modifiée ni supprimée.";
constexpr const char* kAllWeeksOnOneOff =
    "« Toutes les semaines » ne s'applique qu'à une disponibilité hebdomadaire.";
constexpr const char* kNewStartInPast = "Le nouvel horaire ne peut pas être dans le passé.";

}  // namespace

std::string typeInitials(ConsultationTypes types) {
  std::string out;
  const auto append = [&out](const char* initial) {
    if (!out.empty()) out += ' ';
    out += initial;
  };
  if (types.has(ConsultationType::Office)) append("C");
  if (types.has(ConsultationType::Teleconsultation)) append("T");
  if (types.has(ConsultationType::HomeVisit)) append("D");
  return out;
}

std::string typeLabel(ConsultationType type) {
  switch (type) {
    case ConsultationType::Office:
      return "Consultation en cabinet";
    case ConsultationType::Teleconsultation:
      return "Téléconsultation";
    case ConsultationType::HomeVisit:
      return "Visite à domicile";
  }
  return {};
}

std::string typeLabels(ConsultationTypes types) {
  std::string out;
  for (auto t :
       {ConsultationType::Office, ConsultationType::Teleconsultation, ConsultationType::HomeVisit})
    if (types.has(t)) out += (out.empty() ? "" : ", ") + typeLabel(t);
  return out;
}

std::vector<Occurrence> occurrencesBetween(const Availability& availability,
                                           const date::time_zone& zone, Day first, Day last) {
  std::vector<Occurrence> out;
  appendOccurrencesBetween(availability, zone, first, last, out);
  return out;
}

void appendOccurrencesBetween(const Availability& availability, const date::time_zone& zone,
                              Day first, Day last, std::vector<Occurrence>& out) {
  if (last < first) return;
  const auto begin = out.size();
  const auto inRange = [&](Day d) { return d >= first && d <= last; };

  // Dates without an exception: jump straight to the first scheduled date on or after `first`.
  Day day = availability.base.date;
  if (availability.weekly && day < first) {
    const long weeks = (daysBetween(day, first) + kWeek - 1) / kWeek;
    day += date::days{weeks * kWeek};
  }
  for (; day <= last && isScheduledDate(availability, day); day += date::days{kWeek}) {
    if (day >= first && !findException(availability, day)) {
      out.push_back(makeOccurrence(availability, day, onDate(availability.base, day), false, zone));
    }
    if (!availability.weekly) break;
  }

  // Changed dates may have moved into or out of the range, whatever their original date.
  for (const auto& e : availability.exceptions) {
    if (e.deleted || !isScheduledDate(availability, e.originalDate) || !inRange(e.values.date))
      continue;
    out.push_back(makeOccurrence(availability, e.originalDate, e.values, true, zone));
  }

  std::sort(out.begin() + static_cast<std::ptrdiff_t>(begin), out.end(),
            [](const Occurrence& x, const Occurrence& y) {
              if (x.start != y.start) return x.start < y.start;
              return x.originalDate < y.originalDate;
            });
}

std::optional<Occurrence> findOccurrence(const Availability& availability,
                                         const date::time_zone& zone, Day originalDate) {
  if (!isScheduledDate(availability, originalDate)) return std::nullopt;
  if (const auto* e = findException(availability, originalDate)) {
    if (e->deleted) return std::nullopt;
    return makeOccurrence(availability, originalDate, e->values, true, zone);
  }
  return makeOccurrence(availability, originalDate, onDate(availability.base, originalDate), false,
                        zone);
}

Checked<OccurrenceValues> checkAvailabilityInput(const AvailabilityInput& input,
                                                 const date::time_zone& zone, Instant now) {
  std::vector<FieldError> errors;
  OccurrenceValues values;

  std::optional<Day> day;
  if (trim(input.date, kBlanks).empty()) {
    errors.push_back({fields::kDate, "La date est obligatoire."});
  } else if (!(day = parseDate(input.date))) {
    errors.push_back(
        {fields::kDate, "La date n'est pas valide : saisissez-la au format jj/mm/aaaa."});
  }

  // Plain ints and flags: g++ 12 at -O2 warns (wrongly) that an std::optional<int> here may
  // be used uninitialized.
  const auto parsedFrom = parseTime(input.from);
  bool hasFrom = parsedFrom.has_value();
  const int fromMinute = parsedFrom.value_or(0);
  if (trim(input.from, kBlanks).empty()) {
    errors.push_back({fields::kFrom, "L'heure de début est obligatoire."});
  } else if (!hasFrom) {
    errors.push_back(
        {fields::kFrom, "L'heure de début n'est pas valide : saisissez-la au format hh:mm."});
  } else if (fromMinute % kQuarter != 0 || fromMinute > kLastStart) {
    errors.push_back(
        {fields::kFrom, "L'heure de début doit être un quart d'heure, de 00h00 à 23h45."});
    hasFrom = false;
  }

  const auto parsedTo = parseTime(input.to);
  bool hasTo = parsedTo.has_value();
  const int toMinute = parsedTo.value_or(0);
  if (trim(input.to, kBlanks).empty()) {
    errors.push_back({fields::kTo, "L'heure de fin est obligatoire."});
  } else if (!hasTo) {
    errors.push_back(
        {fields::kTo, "L'heure de fin n'est pas valide : saisissez-la au format hh:mm."});
  } else if (toMinute % kQuarter != 0 && toMinute != kLastMinute) {
    errors.push_back({fields::kTo, "L'heure de fin doit être un quart d'heure, ou 23h59."});
    hasTo = false;
  } else if (hasFrom && toMinute <= fromMinute) {
    errors.push_back({fields::kTo, "L'heure de fin doit être après l'heure de début."});
  }

  // The past is judged in the place's zone, at the minute the availability starts.
  if (day) {
    if (*day < localDay(zone, now)) {
      errors.push_back({fields::kDate, "La date ne peut pas être dans le passé."});
    } else if (hasFrom && localToInstant(zone, *day, fromMinute) < now) {
      errors.push_back({fields::kFrom, "L'heure de début ne peut pas être dans le passé."});
    }
  }

  if (input.kind == "creneau") {
    values.kind = AvailabilityKind::Slot;
    values.capacity = 1;
  } else if (input.kind == "plage") {
    values.kind = AvailabilityKind::Range;
    const auto capacity = parseWholeNumber(input.capacity);
    if (!capacity || *capacity < 1) {
      errors.push_back(
          {fields::kCapacity, "Le nombre de patients doit être un nombre entier d'au moins 1."});
    } else if (*capacity > kMaxCapacity) {
      errors.push_back({fields::kCapacity,
                        "Une plage reçoit au plus " + std::to_string(kMaxCapacity) + " patients."});
    } else {
      values.capacity = *capacity;
    }
  } else {
    errors.push_back(
        {fields::kKind, "Choisissez un créneau (un patient) ou une plage (plusieurs patients)."});
  }

  if (input.office) values.types.add(ConsultationType::Office);
  if (input.teleconsultation) values.types.add(ConsultationType::Teleconsultation);
  if (input.homeVisit) values.types.add(ConsultationType::HomeVisit);
  if (values.types.empty())
    errors.push_back({fields::kTypes, "Choisissez au moins un type de consultation."});

  if (!errors.empty()) return Checked<OccurrenceValues>::failure(std::move(errors));
  values.date = *day;
  values.startMinute = fromMinute;
  values.endMinute = toMinute;
  return Checked<OccurrenceValues>::success(values);
}

bool adviseRange(const OccurrenceValues& values) {
  return values.kind == AvailabilityKind::Slot && values.endMinute - values.startMinute > 60;
}

std::vector<Availability> planCreation(std::int64_t placeId, const OccurrenceValues& values,
                                       const std::array<bool, 7>& weekdays) {
  std::vector<Availability> out;
  const int own = weekdayIndex(values.date);
  const auto make = [&](bool weekly, Day day) {
    Availability a;
    a.placeId = placeId;
    a.weekly = weekly;
    a.base = onDate(values, day);
    return a;
  };
  if (!weekdays[static_cast<std::size_t>(own)]) out.push_back(make(false, values.date));
  // Each ticked weekday in date order from the form's date: offset 0 is the date itself.
  for (int offset = 0; offset < kWeek; ++offset) {
    const int weekday = (own + offset) % kWeek;
    if (weekdays[static_cast<std::size_t>(weekday)])
      out.push_back(make(true, values.date + date::days{offset}));
  }
  return out;
}

Checked<AgendaChange> planModification(const Availability& availability, Day originalDate,
                                       const OccurrenceValues& newValues, EditScope scope,
                                       const date::time_zone& zone, Instant now) {
  const auto occurrence = findOccurrence(availability, zone, originalDate);
  if (!occurrence) return refuse<AgendaChange>(kMissingOccurrence);
  if (occurrence->start <= now) return refuse<AgendaChange>(kPastOccurrence);
  if (scope == EditScope::AllWeeks && !availability.weekly)
    return refuse<AgendaChange>(kAllWeeksOnOneOff);

  // In « toutes les semaines » mode the series keeps its weekday: the date is the occurrence's.
  const OccurrenceValues values =
      scope == EditScope::AllWeeks ? onDate(newValues, originalDate) : newValues;
  if (localToInstant(zone, values.date, values.startMinute) < now)
    return refuse<AgendaChange>(kNewStartInPast);

  AgendaChange change;
  if (scope == EditScope::ThisOccurrence) {
    Availability updated = availability;
    if (availability.weekly)
      putException(updated, {originalDate, false, values});
    else
      updated.base = values;
    change.updated.push_back(std::move(updated));
    return Checked<AgendaChange>::success(std::move(change));
  }

  Availability next;
  next.placeId = availability.placeId;
  next.weekly = true;
  next.base = values;
  next.lastDate = availability.lastDate;
  // Later deletions still hold; later changes give way to the new values.
  for (const auto& e : availability.exceptions)
    if (e.originalDate >= originalDate && e.deleted) next.exceptions.push_back(e);
  sortExceptions(next.exceptions);

  if (hasOccurrenceBefore(availability, originalDate))
    change.updated.push_back(endBefore(availability, originalDate));
  else
    change.deleted.push_back(availability.id);
  change.created.push_back(std::move(next));
  return Checked<AgendaChange>::success(std::move(change));
}

Checked<AgendaChange> planDeletion(const Availability& availability, Day originalDate,
                                   EditScope scope, const date::time_zone& zone, Instant now) {
  const auto occurrence = findOccurrence(availability, zone, originalDate);
  if (!occurrence) return refuse<AgendaChange>(kMissingOccurrence);
  if (occurrence->start <= now) return refuse<AgendaChange>(kPastOccurrence);
  if (scope == EditScope::AllWeeks && !availability.weekly)
    return refuse<AgendaChange>(kAllWeeksOnOneOff);

  AgendaChange change;
  if (!availability.weekly) {
    change.deleted.push_back(availability.id);
    return Checked<AgendaChange>::success(std::move(change));
  }

  if (scope == EditScope::AllWeeks) {
    if (hasOccurrenceBefore(availability, originalDate))
      change.updated.push_back(endBefore(availability, originalDate));
    else
      change.deleted.push_back(availability.id);
    return Checked<AgendaChange>::success(std::move(change));
  }

  Availability updated = availability;
  // A deleted date keeps the occurrence's values, so that the stored row is complete.
  putException(updated, {originalDate, true, occurrence->values});
  // A series with an end whose every date is now deleted has nothing left to keep.
  const bool nothingLeft =
      updated.lastDate && !hasOccurrenceBefore(updated, *updated.lastDate + date::days{1});
  if (nothingLeft)
    change.deleted.push_back(availability.id);
  else
    change.updated.push_back(std::move(updated));
  return Checked<AgendaChange>::success(std::move(change));
}

std::vector<KeptOccurrence> keepTakenOccurrences(AgendaChange& change,
                                                 const std::vector<Occurrence>& taken) {
  std::vector<KeptOccurrence> kept;
  // The series the change starts from the edited date, on the same weekday (planModification).
  const auto next = std::find_if(change.created.begin(), change.created.end(),
                                 [](const Availability& a) { return a.weekly; });
  std::vector<Availability> oneOffs;
  for (const auto& o : taken) {
    if (next != change.created.end() && o.originalDate >= next->base.date) {
      OccurrenceValues skipped = next->base;
      skipped.date = o.originalDate;
      putException(*next, {o.originalDate, true, skipped});
    }
    Availability oneOff;
    oneOff.placeId = next != change.created.end() ? next->placeId : 0;
    oneOff.base = o.values;
    kept.push_back({o.originalDate, change.created.size() + oneOffs.size(), o.values.date});
    oneOffs.push_back(std::move(oneOff));
  }
  change.created.insert(change.created.end(), oneOffs.begin(), oneOffs.end());
  return kept;
}

bool moveOutOfClockGap(OccurrenceValues& values, const date::time_zone& zone) {
  const auto real = [&](int minute) {
    // 23h59 is the end of the day, never in a gap that the zones in use have.
    if (minute >= kLastMinute) return minute;
    const Instant at = localToInstant(zone, values.date, minute);
    // A gap at the day's end would move the time to the next day: left as it is.
    return localDay(zone, at) == values.date ? localMinute(zone, at) : minute;
  };
  const int start = real(values.startMinute);
  const int end = real(values.endMinute);
  if (start == values.startMinute && end == values.endMinute) return false;
  values.startMinute = start;
  values.endMinute = end;
  return true;
}

std::optional<FieldError> leaveClockGap(OccurrenceValues& values, const date::time_zone& zone,
                                        bool& moved) {
  auto candidate = values;
  if (!moveOutOfClockGap(candidate, zone)) return std::nullopt;
  if (candidate.startMinute >= candidate.endMinute)
    return FieldError{fields::kFrom, "L'heure de début n'existe pas le " + formatDate(values.date) +
                                         " (changement d'heure) : elle correspond à " +
                                         formatTime(candidate.startMinute) +
                                         ", qui n'est pas avant l'heure de fin."};
  values = candidate;
  moved = true;
  return std::nullopt;
}

}  // namespace sas::domain
