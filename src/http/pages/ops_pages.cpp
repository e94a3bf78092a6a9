// For load balancers and monitoring: /healthz answers 503 when the platform cannot do its job;
// /metrics gives counters in the Prometheus text format (to be kept off the public side by the
// reverse proxy, see docs/deploy.md).
#include <sstream>

#include "http/pages/pages.hpp"

namespace sas::http {
namespace {
// An email waiting longer than this means the SMTP side is stuck.
constexpr std::chrono::minutes kOutboxStuck{15};
}  // namespace

void addOpsPages(Router& router, OpsServices& s) {
  router.add("GET", "/healthz", [&s](Request&) {
    const bool database = s.probe.databaseReachable();
    long long oldest = 0;
    int pending = 0;
    if (database) {
      pending = s.probe.pendingMail();
      if (auto at = s.probe.oldestPendingMail()) oldest = (s.clock.now() - *at).count();
    }
    const bool outboxOk = std::chrono::seconds{oldest} < kOutboxStuck;
    nlohmann::json body{{"status", database && outboxOk ? "ok" : "degraded"},
                        {"database", database ? "ok" : "unreachable"},
                        {"outbox", {{"pending", pending}, {"oldest_seconds", oldest}}}};
    Response r;
    r.status = database && outboxOk ? 200 : 503;
    r.contentType = "application/json";
    r.body = body.dump() + "\n";
    return r;
  });

  router.add("GET", "/metrics", [&s](Request&) {
    std::ostringstream out;
    out << s.metrics.prometheus();
    const bool database = s.probe.databaseReachable();
    out << "# HELP sas_database_up Whether the database answers.\n# TYPE sas_database_up gauge\n"
        << "sas_database_up " << (database ? 1 : 0) << "\n";
    if (database) {
      long long oldest = 0;
      if (auto at = s.probe.oldestPendingMail()) oldest = (s.clock.now() - *at).count();
      out << "# HELP sas_outbox_pending Emails not sent yet.\n# TYPE sas_outbox_pending gauge\n"
          << "sas_outbox_pending " << s.probe.pendingMail() << "\n"
          << "# HELP sas_outbox_oldest_pending_seconds Age of the oldest email not sent yet.\n"
          << "# TYPE sas_outbox_oldest_pending_seconds gauge\n"
          << "sas_outbox_oldest_pending_seconds " << oldest << "\n";
    }
    for (const auto& gauge : s.gauges) out << gauge();
    Response r;
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    r.body = out.str();
    return r;
  });
}

}  // namespace sas::http
