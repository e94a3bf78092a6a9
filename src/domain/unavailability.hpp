#pragma once
// Unavailability of a place (docs/rules.md#unavailability): an indefinite flag and up to 3
// scheduled periods.
#include <string>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/checked.hpp"

namespace sas::domain {

inline constexpr std::size_t kMaxUnavailabilityPeriods = 3;

/// « Du » … « Au », both inclusive, in the place's zone: from 00:00 of `from` to the end of `to`.
struct UnavailabilityPeriod {
  Day from;
  Day to;
  bool operator==(const UnavailabilityPeriod&) const = default;
};

struct Unavailability {
  bool indefinite = false;  // « Dès maintenant pour une durée indéterminée »
  std::vector<UnavailabilityPeriod> periods;
  bool operator==(const Unavailability&) const = default;
};

/// Is the place shown to regulators at all at `t`: not while the indefinite box is ticked or
/// `t` is inside a period.
bool placeVisibleAt(const Unavailability& u, const date::time_zone& zone, Instant t);
/// Is the occurrence [start, end) shown to regulators: not when the indefinite box is ticked,
/// not when it overlaps a period at all.
bool occurrenceVisible(const Unavailability& u, const date::time_zone& zone, Instant start,
                       Instant end);
/// Both of the above: what the search asks of each occurrence at `now`.
bool visibleToRegulators(const Unavailability& u, const date::time_zone& zone, Instant now,
                         Instant start, Instant end);
/// A day of the agenda that a period covers (or any day while indefinite): shown greyed.
bool dayUnavailable(const Unavailability& u, Day day);
/// The period in force at `t`, if any (for « vos disponibilités ne sont plus visibles »).
bool inForce(const Unavailability& u, const date::time_zone& zone, Instant t);

/// The « Période d'indisponibilité » pop-in as typed. Periods are listed in order; an entry
/// with both dates empty is ignored (a removed row).
struct UnavailabilityInput {
  bool indefinite = false;
  struct Period {
    std::string from;
    std::string to;
  };
  std::vector<Period> periods;
};

/// Field names: "du_1", "au_1", … and "periodes" for the count.
std::string periodField(const char* which, std::size_t number);

/// docs/rules.md#unavailability: at most 3 periods (past ones, whose « Au » is before `today`,
/// are dropped first and do not count); « Du » not before today unless it is unchanged from a
/// period of `current` (a period under way keeps its past start); « Au » not before « Du »;
/// each message names the period (1, 2 or 3). Periods may overlap.
Checked<Unavailability> checkUnavailabilityInput(const UnavailabilityInput& input,
                                                 const Unavailability& current, Day today);

}  // namespace sas::domain
