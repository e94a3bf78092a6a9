#include "storage/reminder_store.hpp"

#include <soci/soci.h>

#include "storage/account_store.hpp"
#include "storage/rows.hpp"

namespace sas::storage {
namespace {

const char* const kParticipatingPlaces =
    "SELECT p.id, p.structure_id, p.name, s.name, p.time_zone, r.sent_at FROM places p "
    "JOIN structures s ON s.id = p.structure_id "
    "LEFT JOIN freshness_reminders r ON r.place_id = p.id WHERE s.participates = 1 ORDER BY p.id";
const char* const kClaimReminder =
    "UPDATE freshness_reminders SET sent_at = :at WHERE place_id = :p AND sent_at <= :before";
const char* const kFirstReminder =
    "INSERT INTO freshness_reminders (place_id, sent_at) VALUES (:p, :at) "
    "ON CONFLICT (place_id) DO NOTHING";

}  // namespace

std::vector<app::ReminderCandidate> SqlReminderStore::participatingPlaces() {
  Connection c(db_);
  long long place = 0, structure = 0, sent = 0;
  std::string name, structureName, zone;
  soci::indicator sentSet = soci::i_null;
  soci::statement st =
      (c.sql().prepare << kParticipatingPlaces, soci::into(place), soci::into(structure),
       soci::into(name), soci::into(structureName), soci::into(zone), soci::into(sent, sentSet));
  st.execute();
  std::vector<app::ReminderCandidate> out;
  while (st.fetch()) {
    app::ReminderCandidate r{place, structure, name.empty() ? structureName : name, zone, {}};
    if (sentSet == soci::i_ok) r.lastReminder = instant(sent);
    out.push_back(std::move(r));
  }
  return out;
}

bool SqlReminderStore::recordReminder(std::int64_t placeId, domain::Instant previousAtMost,
                                      const std::vector<app::EmailMessage>& mails,
                                      const app::AuditEntry& audit, domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long place = placeId, at = seconds(now), before = seconds(previousAtMost);
  // The place's row moves only if its last reminder is old enough; a place never reminded
  // gets its row, once: another process that did either first leaves nothing to do here.
  soci::statement claim =
      (sql.prepare << kClaimReminder, soci::use(at), soci::use(place), soci::use(before));
  claim.execute(true);
  if (claim.get_affected_rows() == 0) {
    soci::statement first = (sql.prepare << kFirstReminder, soci::use(place), soci::use(at));
    first.execute(true);
    if (first.get_affected_rows() == 0) return false;
  }
  for (const auto& m : mails) enqueueMail(c, m, now);
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

}  // namespace sas::storage
