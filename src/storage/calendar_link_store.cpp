#include "storage/calendar_link_store.hpp"

#include <soci/soci.h>

#include "storage/rows.hpp"

namespace sas::storage {
namespace {

const char* const kActiveLink =
    "SELECT created_at, created_by FROM calendar_links WHERE place_id = :p AND revoked_at IS NULL "
    "ORDER BY id DESC";
const char* const kRevokeLinks =
    "UPDATE calendar_links SET revoked_at = :at WHERE place_id = :p AND revoked_at IS NULL";
const char* const kInsertLink =
    "INSERT INTO calendar_links (place_id, digest, created_at, created_by) "
    "VALUES (:p, :d, :at, :u)";
// A link lends no more than its maker still has: an account disabled, or no longer linked to
// the place's structure, leaves its links answering as unknown keys.
const char* const kPlaceOfKey =
    "SELECT l.place_id FROM calendar_links l JOIN places p ON p.id = l.place_id "
    "JOIN users u ON u.id = l.created_by AND u.disabled = 0 "
    "JOIN user_structures us ON us.user_id = u.id AND us.structure_id = p.structure_id "
    "WHERE l.digest = :d AND l.revoked_at IS NULL";
// Takes the place's row first: two links made at once wait for each other, and the second
// revokes the first (one in force per place, the unique index of migration 059).
const char* const kLockPlace = "UPDATE places SET agenda_version = agenda_version WHERE id = :p";

}  // namespace

std::optional<app::CalendarLink> SqlCalendarLinkStore::activeLink(std::int64_t placeId) {
  Connection c(db_);
  long long place = placeId, created = 0, by = 0;
  soci::statement st =
      (c.sql().prepare << kActiveLink, soci::use(place), soci::into(created), soci::into(by));
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return app::CalendarLink{placeId, instant(created), by};
}

void SqlCalendarLinkStore::replace(std::int64_t placeId, const std::string& digest,
                                   std::int64_t userId, const app::AuditEntry& audit,
                                   domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long place = placeId, user = userId, at = seconds(now);
  sql << kLockPlace, soci::use(place);
  sql << kRevokeLinks, soci::use(at), soci::use(place);
  sql << kInsertLink, soci::use(place), soci::use(digest), soci::use(at), soci::use(user);
  writeAudit(c, audit, now);
  tx.commit();
}

bool SqlCalendarLinkStore::revoke(std::int64_t placeId, const app::AuditEntry& audit,
                                  domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long place = placeId, at = seconds(now);
  soci::statement st = (sql.prepare << kRevokeLinks, soci::use(at), soci::use(place));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

std::optional<std::int64_t> SqlCalendarLinkStore::placeOfKey(const std::string& digest) {
  Connection c(db_);
  long long place = 0;
  soci::indicator ind = soci::i_null;
  c.sql() << kPlaceOfKey, soci::use(digest), soci::into(place, ind);
  if (!c.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return place;
}

}  // namespace sas::storage
