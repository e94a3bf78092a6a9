#include "storage/user_store.hpp"

#include <soci/soci.h>

#include "storage/prepared.hpp"
#include "storage/rows.hpp"

namespace sas::storage {
namespace {

const char* const kInsertUser =
    "INSERT INTO users (email, first_name, last_name, role, password_hash, password_changed_at, "
    "disabled, created_at, territory_id, terms_accepted_at) VALUES (:email, :first, :last, :role, "
    ":hash, :changed, :disabled, :created, :territory, :terms) RETURNING id";
const char* const kLinkStructure =
    "INSERT INTO user_structures (user_id, structure_id) VALUES (:u, :s)";
const char* const kSetPassword =
    "UPDATE users SET password_hash = :hash, password_changed_at = :at WHERE id = :id";
const char* const kLinkedStructures =
    "SELECT structure_id FROM user_structures WHERE user_id = :id ORDER BY structure_id";
const char* const kByEmail = "WHERE email = :v";
// A principal lends his structures while he is enabled, a manager or professional, and of the
// délégataire's territory as the account form reads it (his territory, or a structure of one of
// its départements): one moved elsewhere lends nothing, though the link stays until changed.
const char* const kDelegatedStructures =
    "SELECT us.structure_id, d.principal_id FROM delegations d JOIN users p ON p.id = "
    "d.principal_id JOIN users dl ON dl.id = d.delegate_id JOIN user_structures us ON "
    "us.user_id = d.principal_id WHERE d.delegate_id = :id AND p.disabled = 0 AND p.role IN "
    "('gestionnaire_structure', 'effecteur') AND (p.territory_id = dl.territory_id OR EXISTS "
    "(SELECT 1 FROM user_structures ps JOIN structures s ON s.id = ps.structure_id JOIN "
    "territory_departements td ON td.departement = s.departement WHERE ps.user_id = p.id AND "
    "td.territory_id = dl.territory_id)) ORDER BY us.structure_id, d.principal_id";

// Read on every page of a structure manager (storage/prepared.hpp).
struct LinkedStructuresQuery final : PreparedQuery {
  long long user = 0, structure = 0;
  soci::statement statement;
  explicit LinkedStructuresQuery(soci::session& sql)
      : statement((sql.prepare << kLinkedStructures, soci::use(user), soci::into(structure))) {}
};

}  // namespace

std::optional<app::User> SqlUserStore::findByEmail(const std::string& email) {
  Connection c(db_);
  auto users = queryUsers(c.sql(), kByEmail, email);
  if (users.empty()) return std::nullopt;
  return users.front();
}

std::optional<app::User> SqlUserStore::findById(std::int64_t id) {
  Connection c(db_);
  return findUserById(c, id);
}

std::int64_t SqlUserStore::create(const app::User& user,
                                  const std::vector<std::int64_t>& structureIds,
                                  domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = 0, at = seconds(now);
  std::string role = app::roleCode(user.role);
  int disabled = user.disabled ? 1 : 0;
  soci::indicator changedInd = user.passwordHash.empty() ? soci::i_null : soci::i_ok;
  long long territory = user.territoryId.value_or(0);
  soci::indicator territoryInd = user.territoryId ? soci::i_ok : soci::i_null;
  // Accepted at creation only where the caller says so (tests' accounts in use); `sas user
  // add`, the demo data and Pro Santé Connect leave them to the first login.
  soci::indicator termsInd = user.termsAccepted ? soci::i_ok : soci::i_null;
  sql << kInsertUser, soci::use(user.email), soci::use(user.firstName), soci::use(user.lastName),
      soci::use(role), soci::use(user.passwordHash), soci::use(at, changedInd), soci::use(disabled),
      soci::use(at), soci::use(territory, territoryInd), soci::use(at, termsInd), soci::into(id);
  for (long long s : structureIds) sql << kLinkStructure, soci::use(id), soci::use(s);
  writeAudit(c, {std::nullopt, "user.create", "user:" + std::to_string(id), user.email, ""}, now);
  tx.commit();
  return id;
}

void SqlUserStore::setPassword(std::int64_t userId, const std::string& hash, domain::Instant now) {
  Connection c(db_);
  long long id = userId, at = seconds(now);
  c.sql() << kSetPassword, soci::use(hash), soci::use(at), soci::use(id);
}

std::vector<std::int64_t> SqlUserStore::linkedStructureIds(std::int64_t userId) {
  Connection c(db_);
  auto& q = c.statements().get<LinkedStructuresQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.user = userId;
  std::vector<std::int64_t> out;
  q.statement.execute();
  while (q.statement.fetch()) out.push_back(q.structure);
  return out;
}

std::vector<app::DelegatedStructure> SqlUserStore::delegatedStructures(std::int64_t delegateId) {
  Connection c(db_);
  long long delegate = delegateId, structure = 0, principal = 0;
  soci::statement st = (c.sql().prepare << kDelegatedStructures, soci::use(delegate),
                        soci::into(structure), soci::into(principal));
  st.execute();
  std::vector<app::DelegatedStructure> out;
  while (st.fetch())
    if (out.empty() || out.back().structureId != structure) out.push_back({structure, principal});
  return out;
}

}  // namespace sas::storage
