#include "app/operations.hpp"

#include <exception>

namespace sas::app {

HealthReport OperationsService::health() {
  HealthReport r;
  r.databaseUp = probe_.databaseReachable();
  if (!r.databaseUp) return r;
  try {
    r.pendingMail = probe_.pendingMail();
    if (auto at = probe_.oldestPendingMail()) {
      const auto now = clock_.now();
      if (*at < now) r.oldestMail = now - *at;
    }
    r.outboxOk = r.oldestMail < settings_.outboxStuck;
    r.index = search_.status();
    r.indexCurrent = r.index->built && r.index->coversNow && r.index->lag <= settings_.indexBehind;
  } catch (const std::exception&) {
    // The database went away between the ping and the reads: reported as down.
    r.databaseUp = false;
  }
  return r;
}

SearchIndexStatus OperationsService::indexSize() const {
  SearchIndexStatus s;
  s.places = search_.placeCount();
  s.occurrences = search_.slotCount();
  return s;
}

}  // namespace sas::app
