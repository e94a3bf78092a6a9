// For load balancers and monitoring: /healthz answers 503 when the platform cannot do its job;
// /metrics gives counters in the Prometheus text format (to be kept off the public side by the
// reverse proxy, see docs/deploy.md).
#include <sstream>

#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

template <class Value>
void gauge(std::ostream& out, const char* name, const char* help, Value value) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n"
      << name << ' ' << value << "\n";
}

// A health report, not a refusal: 503 tells the load balancer to send no traffic here.
Response showHealth(OpsServices& s, Request&) {
  const auto h = s.operations.health();
  nlohmann::json body{
      {"status", h.ok() ? "ok" : "degraded"},
      {"database", h.databaseUp ? "ok" : "unreachable"},
      {"outbox", {{"pending", h.pendingMail}, {"oldest_seconds", h.oldestMail.count()}}}};
  if (h.index) {
    body["index"] = {{"status", h.indexCurrent ? "current" : "behind"},
                     {"places", h.index->places},
                     {"occurrences", h.index->occurrences},
                     {"pending_changes", h.index->pendingChanges},
                     {"lag_seconds", h.index->lag.count()},
                     {"covers_now", h.index->coversNow}};
  }
  Response r;
  r.status = h.ok() ? 200 : 503;
  r.contentType = "application/json";
  r.body = body.dump() + "\n";
  return r;
}

Response showMetrics(OpsServices& s, Request&) {
  std::ostringstream out;
  out << s.metrics.prometheus();
  const auto h = s.operations.health();
  gauge(out, "sas_database_up", "Whether the database answers.", h.databaseUp ? 1 : 0);
  if (h.databaseUp) {
    gauge(out, "sas_outbox_pending", "Emails not sent yet.", h.pendingMail);
    gauge(out, "sas_outbox_oldest_pending_seconds", "Age of the oldest email not sent yet.",
          static_cast<long long>(h.oldestMail.count()));
  }
  const auto size = h.index ? *h.index : s.operations.indexSize();
  gauge(out, "sas_search_index_places", "Places in this process's search index.", size.places);
  gauge(out, "sas_search_index_occurrences",
        "Occurrences of availabilities the search index keeps (its horizon).", size.occurrences);
  if (h.index) {
    gauge(out, "sas_search_index_pending_changes",
          "Changes committed by any process that this process's index has not applied yet.",
          static_cast<long long>(h.index->pendingChanges));
    gauge(out, "sas_search_index_lag_seconds",
          "Age of the oldest committed change the index has not applied (0 when none).",
          static_cast<long long>(h.index->lag.count()));
    gauge(out, "sas_search_index_current",
          "Whether the index covers a search now and lags less than the threshold.",
          h.indexCurrent ? 1 : 0);
    gauge(out, "sas_search_index_horizon_end_seconds",
          "Unix time of the end of the index's horizon (rebuilt before a search needs more).",
          static_cast<long long>(h.index->horizonEnd.time_since_epoch().count()));
    gauge(out, "sas_search_index_last_build_seconds", "How long the last build of the index took.",
          static_cast<double>(h.index->lastBuild.count()) / 1000.0);
    out << "# HELP sas_search_index_builds_total Builds of the index since the process started.\n"
        << "# TYPE sas_search_index_builds_total counter\n"
        << "sas_search_index_builds_total " << h.index->builds << "\n";
  }
  for (const auto& extra : s.gauges) out << extra();
  Response r;
  r.contentType = "text/plain; version=0.0.4; charset=utf-8";
  r.body = out.str();
  return r;
}

}  // namespace

void addOpsPages(Router& router, OpsServices& s) {
  router.add("GET", "/healthz", handle(s, showHealth));
  router.add("GET", "/metrics", handle(s, showMetrics));
}

}  // namespace sas::http
