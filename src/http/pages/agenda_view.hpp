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

/// The week's grid, the bulk of the page: taken from `grids` when it is still the same, else
/// written (and kept there, with `grids`).
std::shared_ptr<const std::string> agendaGrid(const AgendaPage& page, AgendaGrids* grids);
/// The HTML inside the layout, at the end of `out`: the header, `grid`, the links. Written
/// straight into a string rather than through a JSON model and Mustache: this is the page
/// structure managers load most, and that tree cost ten times the rest of the request
/// (docs/benchmarks.md, « Agenda page »). Written in place into the layout, not copied there.
void writeAgendaContent(std::string& out, const AgendaPage& page, const std::string& grid);
/// About the bytes of the content beside its grid (the header, the links): room reserved.
inline constexpr std::size_t kAgendaContentBesideGrid = 8192;

}  // namespace sas::http
