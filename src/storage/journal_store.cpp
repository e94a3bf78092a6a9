#include "storage/journal_store.hpp"

#include <soci/soci.h>

#include "storage/rows.hpp"

namespace sas::storage {
namespace {

const char* const kJournalColumns =
    "SELECT a.id, a.at, a.user_id, COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), "
    "COALESCE(u.email, ''), a.action, a.object, a.detail, COALESCE(b.first_name, ''), "
    "COALESCE(b.last_name, ''), COALESCE(b.email, '') FROM audit_log a LEFT JOIN users u ON "
    "u.id = a.user_id LEFT JOIN users b ON b.id = a.on_behalf_of WHERE 1 = 1";
// The objects of a territory (docs/rules.md#account-list-and-journal), as the audit log names them:
// its accounts but administrators', its structures by département, and their places. Each :tN is
// the territory's id (named apart: one name is bound once).
const char* const kTerritoryObjects =
    " IN (SELECT 'user:' || CAST(id AS TEXT) FROM users WHERE territory_id = :t1 AND role <> "
    "'administrateur' UNION SELECT 'structure:' || CAST(s.id AS TEXT) FROM structures s JOIN "
    "territory_departements d ON d.departement = s.departement WHERE d.territory_id = :t2 UNION "
    "SELECT 'place:' || CAST(p.id AS TEXT) FROM places p JOIN structures s ON s.id = "
    "p.structure_id JOIN territory_departements d ON d.departement = s.departement WHERE "
    "d.territory_id = :t3)";
// A line about no object (none is named) is the territory's when one of its accounts wrote it.
const char* const kTerritoryActor =
    " OR (a.object = '' AND a.user_id IN (SELECT id FROM users WHERE territory_id = :t4 AND "
    "role <> 'administrateur'))";
// One row at most: the territory, when the object is among its objects.
const char* const kTerritoryHasObject =
    "SELECT COUNT(*) FROM territories WHERE id = :t0 AND :object";

}  // namespace

std::vector<app::JournalLine> SqlJournalStore::journal(const app::JournalQuery& q) {
  Connection c(db_);
  auto& sql = c.sql();
  soci::statement st(sql);
  long long id = 0, at = 0, user = 0;
  std::string first, last, email, action, object, detail, forFirst, forLast, forEmail;
  soci::indicator userInd = soci::i_null;
  st.exchange(soci::into(id));
  st.exchange(soci::into(at));
  st.exchange(soci::into(user, userInd));
  st.exchange(soci::into(first));
  st.exchange(soci::into(last));
  st.exchange(soci::into(email));
  st.exchange(soci::into(action));
  st.exchange(soci::into(object));
  st.exchange(soci::into(detail));
  st.exchange(soci::into(forFirst));
  st.exchange(soci::into(forLast));
  st.exchange(soci::into(forEmail));
  std::string query = kJournalColumns;
  long long from = q.from ? seconds(*q.from) : 0, to = q.to ? seconds(*q.to) : 0;
  long long person = q.personId.value_or(0), territory = q.territory.value_or(0);
  long long t1 = territory, t2 = territory, t3 = territory, t4 = territory;
  long long limit = q.limit, offset = q.offset;
  if (q.from) {
    query += " AND a.at >= :from";
    st.exchange(soci::use(from, "from"));
  }
  if (q.to) {
    query += " AND a.at < :to";
    st.exchange(soci::use(to, "to"));
  }
  if (q.personId) {
    query += " AND a.user_id = :person";
    st.exchange(soci::use(person, "person"));
  }
  if (!q.object.empty()) {
    query += " AND a.object = :object";
    st.exchange(soci::use(q.object, "object"));
  }
  if (q.territory) {
    query += std::string(" AND (a.object") + kTerritoryObjects + kTerritoryActor + ")";
    st.exchange(soci::use(t1, "t1"));
    st.exchange(soci::use(t2, "t2"));
    st.exchange(soci::use(t3, "t3"));
    st.exchange(soci::use(t4, "t4"));
  }
  query += " ORDER BY a.at DESC, a.id DESC LIMIT :limit OFFSET :offset";
  st.exchange(soci::use(limit, "limit"));
  st.exchange(soci::use(offset, "offset"));
  prepareBound(st, query);
  st.execute();
  std::vector<app::JournalLine> out;
  while (st.fetch()) {
    app::JournalLine line;
    line.id = id;
    line.at = instant(at);
    if (userInd == soci::i_ok) line.userId = user;
    if (!first.empty() || !last.empty()) line.personName = first + " " + last;
    line.personEmail = email;
    line.action = action;
    line.object = object;
    line.detail = detail;
    if (!forFirst.empty() || !forLast.empty()) line.onBehalfName = forFirst + " " + forLast;
    line.onBehalfEmail = forEmail;
    out.push_back(std::move(line));
  }
  return out;
}

bool SqlJournalStore::objectInTerritory(const std::string& object, std::int64_t territory) {
  Connection c(db_);
  long long t0 = territory, t1 = territory, t2 = territory, t3 = territory, n = 0;
  const std::string query = std::string(kTerritoryHasObject) + kTerritoryObjects;
  c.sql() << query, soci::use(t0, "t0"), soci::use(object, "object"), soci::use(t1, "t1"),
      soci::use(t2, "t2"), soci::use(t3, "t3"), soci::into(n);
  return n > 0;
}

}  // namespace sas::storage
