// « Exporter vers un agenda (iCalendar) » (docs/rules.md#calendar-export): the place's page that
// creates and revokes the subscription link, and the feed that calendar applications read.
#include "app/calendar_export.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

std::string exportUrl(std::int64_t placeId) {
  return "/lieux/" + std::to_string(placeId) + "/agenda-externe";
}

/// The page, with the link's whole URL when it was just made (shown once: only its digest is
/// kept).
Response exportPage(PageServices& s, const Request& req, const app::CalendarExportPage& page,
                    const std::string& url) {
  const auto& ctx = page.context;
  auto model = layoutModel(req, "Exporter vers un agenda (iCalendar)");
  model["place"] = {{"id", std::to_string(ctx.place.id)},
                    {"name", ctx.place.name.empty() ? ctx.structure.name : ctx.place.name},
                    {"address", ctx.place.address()}};
  model["backUrl"] = "/lieux/" + std::to_string(ctx.place.id) + "/agenda";
  if (page.link)
    model["link"] = {
        {"since", domain::formatDate(domain::localDay(*ctx.zone, page.link->createdAt))}};
  else
    model["link"] = false;
  if (!url.empty()) model["url"] = url;
  model["revoked"] = req.param("message") == "revoque";
  return Response::html(s.views.page("pages/calendar_export", model));
}

Response showExport(PageServices& s, Request& req) {
  return exportPage(s, req, s.calendar->page(req.actor(), req.pathId("id")), "");
}

// Answered with the page itself rather than a redirect: the URL exists only in this answer.
Response createLink(PageServices& s, Request& req) {
  const auto placeId = req.pathId("id");
  const auto url = s.calendar->createLink(req.actor(), placeId);
  return exportPage(s, req, s.calendar->page(req.actor(), placeId), url);
}

Response revokeLink(PageServices& s, Request& req) {
  const auto placeId = req.pathId("id");
  // « révoqué » only when a link was in force (not for a second click, or another tab's).
  const bool revoked = s.calendar->revokeLink(req.actor(), placeId);
  return Response::redirect(exportUrl(placeId) + (revoked ? "?message=revoque" : ""));
}

/// The feed: for whoever holds the key; a route for programs (no session, no cookie).
Response feed(PageServices& s, Request& req) {
  Response r;
  r.contentType = "text/calendar; charset=utf-8";
  r.body = s.calendar->feed(req.pathId("id"), req.param("cle"));
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"agenda.ics\"");
  return r;
}

}  // namespace

void addCalendarPages(Router& router, PageServices& s) {
  router.add("GET", "/lieux/{id}/agenda-externe", handle(s, showExport));
  router.add("POST", "/lieux/{id}/agenda-externe/lien", handle(s, createLink));
  router.add("POST", "/lieux/{id}/agenda-externe/revocation", handle(s, revokeLink));
  router.add("GET", "/lieux/{id}/agenda.ics", handle(s, feed), Audience::Programs);
}

}  // namespace sas::http
