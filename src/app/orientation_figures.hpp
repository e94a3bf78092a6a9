#pragma once
// « Chiffres des orientations » for the ARS and the Assurance maladie
// (docs/rules.md#orientation-figures): account managers read their territory's orientations,
// administrators all of them, over a period of days made, as rows (the CSV) and as a weekly
// table per territory. No patient datum: not even the reference of the regulation's file.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/orientations.hpp"
#include "app/ports/repositories.hpp"
#include "domain/checked.hpp"

namespace sas::app {

/// Days made, both included, in the platform's time (Europe/Paris).
struct FiguresPeriod {
  domain::Day from;
  domain::Day to;
};

/// One orientation as the export shows it: the line and the place's time zone (its slot is
/// written in the place's local time, as everywhere).
struct FigureRow {
  OrientationLine line;
  const date::time_zone* zone = nullptr;
};

/// One week (from its Monday, by date made) of one territory: how many were made, and what
/// became of them so far.
struct WeekFigures {
  domain::Day monday;
  std::string territory;
  int made = 0;
  int received = 0;
  int noShow = 0;
  int pending = 0;
  int cancelled = 0;
};

inline constexpr int kMaxFiguresDays = 366;

class OrientationFigures {
 public:
  OrientationFigures(OrientationRepository& orientations, StructureRepository& structures,
                     const Clock& clock);

  /// Forbidden unless an administrator or an account manager with a territory.
  void requireReader(const Actor& actor) const;
  /// The period typed (« du », « au », aaaa-mm-jj or jj/mm/aaaa); empty: the current month up to
  /// today. Refused when a date is unreadable, « au » is before « du », or it spans more than a
  /// year.
  domain::Checked<FiguresPeriod> period(std::string_view from, std::string_view to) const;
  /// The orientations made in the period, of the actor's territory (all for an administrator),
  /// by date made.
  std::vector<FigureRow> rows(const Actor& actor, const FiguresPeriod& period);
  /// The weekly table per territory, by week then territory name.
  std::vector<WeekFigures> weekly(const Actor& actor, const FiguresPeriod& period);
  /// The same, from rows already read.
  static std::vector<WeekFigures> weekly(const std::vector<FigureRow>& rows);

 private:
  OrientationRepository& orientations_;
  StructureRepository& structures_;
  const Clock& clock_;
};

}  // namespace sas::app
