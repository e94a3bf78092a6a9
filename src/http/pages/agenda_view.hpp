#pragma once
// The agenda page's content (guide §2.2, docs/rules.md#agenda): the place, the messages, the
// tabs, the week navigation and the week grid with each occurrence and its links.
#include <string>

#include "app/agenda_service.hpp"

namespace sas::http {

struct AgendaPage {
  const app::WeekView& week;
  std::string flash;         // the confirmation of the last change, if any
  bool adviseRange = false;  // the last créneau lasted over an hour (docs/rules.md#agenda)
};

/// The HTML inside the layout. Written straight into a string rather than through a JSON model
/// and Mustache: this is the page structure managers load most, and that tree cost ten times
/// the rest of the request (docs/benchmarks.md, « Agenda page »).
std::string agendaContent(const AgendaPage& page);

}  // namespace sas::http
