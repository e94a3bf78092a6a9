#pragma once
// The agenda page's content (guide §2.2, docs/rules.md#agenda): the place, the messages, the
// tabs, the week navigation and the week grid with each occurrence and its links.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "app/agenda_service.hpp"

namespace sas::http {

struct AgendaPage {
  const app::WeekView& week;
  std::string flash;         // the confirmation of the last change, if any
  bool adviseRange = false;  // the last créneau lasted over an hour (docs/rules.md#agenda)
  /// « Pourquoi ne suis-je pas visible ? », rendered (partials/visibility_check); may be empty.
  std::string visibility;
  /// The link to « Exporter vers un agenda (iCalendar) »: for the place's own managers only.
  bool calendarExport = false;
};

/// The week grids as written, kept with the week they show (app/week_cache.hpp) while no
/// occurrence of it has started since and the place's day is the same: a grid marks past
/// occurrences and today, and nothing else in it moves with time.
class AgendaGrids {
 public:
  std::shared_ptr<const std::string> find(const app::WeekView& week) const;
  void store(const app::WeekView& week, std::shared_ptr<const std::string> grid);

 private:
  static constexpr std::size_t kMaxEntries = 1024;  // about 50 MB at most; emptied when full
  struct Entry {
    std::shared_ptr<const app::WeekContent> content;
    domain::Day today;
    domain::Instant from, through;  // the instants for which the grid is the same
    std::shared_ptr<const std::string> grid;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::int64_t, int>, Entry> entries_;
};

/// The HTML inside the layout. Written straight into a string rather than through a JSON model
/// and Mustache: this is the page structure managers load most, and that tree cost ten times
/// the rest of the request (docs/benchmarks.md, « Agenda page »).
/// With `grids`, the week grid is taken from there when it is still the same.
std::string agendaContent(const AgendaPage& page, AgendaGrids* grids = nullptr);
/// The same written at the end of `out`, with the week's grid found or made first by
/// agendaGrid (its size tells the page's).
std::shared_ptr<const std::string> agendaGrid(const AgendaPage& page, AgendaGrids* grids);
void writeAgendaContent(std::string& out, const AgendaPage& page, const std::string& grid);
/// Bytes of the content beside its grid, at most (the header, the links).
inline constexpr std::size_t kAgendaContentBesideGrid = 8192;

}  // namespace sas::http
