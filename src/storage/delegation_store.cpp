#include "storage/delegation_store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <set>

#include "storage/rows.hpp"

namespace sas::storage {
namespace {

const char* const kPrincipalRoles =
    "WHERE role IN ('gestionnaire_structure', 'effecteur') ORDER BY last_name, first_name, id";
const char* const kDepartementsOfUsers =
    "SELECT us.user_id, s.departement FROM user_structures us JOIN structures s ON s.id = "
    "us.structure_id";
const char* const kPrincipalsOf =
    "WHERE id IN (SELECT principal_id FROM delegations WHERE delegate_id = :v) "
    "ORDER BY last_name, first_name, id";
const char* const kDelegatesOf =
    "WHERE id IN (SELECT delegate_id FROM delegations WHERE principal_id = :v) "
    "ORDER BY last_name, first_name, id";
const char* const kDeleteLinks = "DELETE FROM delegations WHERE delegate_id = :d";
const char* const kInsertLink =
    "INSERT INTO delegations (delegate_id, principal_id, created_at) VALUES (:d, :p, :at)";
const char* const kLinkedPrincipals =
    "SELECT principal_id, created_at FROM delegations WHERE delegate_id = :d";
const char* const kDeleteLink =
    "DELETE FROM delegations WHERE delegate_id = :d AND principal_id = :p";

}  // namespace

std::vector<app::User> SqlDelegationStore::principalsIn(
    std::optional<std::int64_t> territoryId, const std::vector<std::string>& departements) {
  Connection c(db_);
  auto& sql = c.sql();
  auto users = queryUsers(sql, kPrincipalRoles);
  if (!territoryId) return users;
  std::set<long long> inTerritory;
  long long user = 0;
  std::string dep;
  soci::statement st = (sql.prepare << kDepartementsOfUsers, soci::into(user), soci::into(dep));
  st.execute();
  while (st.fetch())
    if (std::find(departements.begin(), departements.end(), dep) != departements.end())
      inTerritory.insert(user);
  std::erase_if(users, [&](const app::User& u) {
    return u.territoryId != territoryId && !inTerritory.count(u.id);
  });
  return users;
}

std::vector<app::User> SqlDelegationStore::principalsOf(std::int64_t delegateId) {
  Connection c(db_);
  return queryUsers(c.sql(), kPrincipalsOf, static_cast<long long>(delegateId));
}

std::vector<app::User> SqlDelegationStore::delegatesOf(std::int64_t principalId) {
  Connection c(db_);
  return queryUsers(c.sql(), kDelegatesOf, static_cast<long long>(principalId));
}

void writePrincipals(soci::session& sql, std::int64_t delegateId,
                     const std::vector<std::int64_t>& principals, domain::Instant now) {
  long long delegate = delegateId, principal = 0, created = 0, at = seconds(now);
  // A link kept keeps the date it began.
  std::vector<std::pair<long long, long long>> before;
  {
    soci::statement st = (sql.prepare << kLinkedPrincipals, soci::use(delegate),
                          soci::into(principal), soci::into(created));
    st.execute();
    while (st.fetch()) before.emplace_back(principal, created);
  }
  sql << kDeleteLinks, soci::use(delegate);
  for (long long p : std::set<std::int64_t>(principals.begin(), principals.end())) {
    long long since = at;
    for (const auto& [was, when] : before)
      if (was == p) since = when;
    sql << kInsertLink, soci::use(delegate), soci::use(p), soci::use(since);
  }
}

bool SqlDelegationStore::end(std::int64_t delegateId, std::int64_t principalId,
                             const app::AuditEntry& audit, domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long delegate = delegateId, principal = principalId;
  soci::statement st = (sql.prepare << kDeleteLink, soci::use(delegate), soci::use(principal));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

}  // namespace sas::storage
