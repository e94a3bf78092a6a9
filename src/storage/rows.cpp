#include "storage/rows.hpp"

#include <stdexcept>

namespace sas::storage {

void writeAudit(soci::session& sql, const app::AuditEntry& e, domain::Instant now) {
  long long at = seconds(now);
  long long userId = e.userId.value_or(0);
  soci::indicator userInd = e.userId ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO audit_log (at, user_id, action, object, detail, client_address) "
         "VALUES (:at, :user_id, :action, :object, :detail, :client)",
      soci::use(at), soci::use(userId, userInd), soci::use(e.action), soci::use(e.object),
      soci::use(e.detail), soci::use(e.clientAddress);
}

std::vector<app::User> queryUsers(soci::session& sql, const std::string& where,
                                  const Param& param) {
  long long id = 0, territory = 0, changedAt = 0, termsAt = 0;
  std::string email, firstName, lastName, role, hash;
  int disabled = 0;
  soci::indicator territoryInd = soci::i_null, changedInd = soci::i_null, termsInd = soci::i_null;
  // Built step by step (SOCI's documented way) so that the one parameter can be of any type.
  soci::statement st(sql);
  st.exchange(soci::into(id));
  st.exchange(soci::into(email));
  st.exchange(soci::into(firstName));
  st.exchange(soci::into(lastName));
  st.exchange(soci::into(role));
  st.exchange(soci::into(hash));
  st.exchange(soci::into(disabled));
  st.exchange(soci::into(territory, territoryInd));
  st.exchange(soci::into(changedAt, changedInd));
  st.exchange(soci::into(termsAt, termsInd));
  if (const auto* i = std::get_if<long long>(&param)) st.exchange(soci::use(*i, "v"));
  if (const auto* t = std::get_if<std::string>(&param)) st.exchange(soci::use(*t, "v"));
  st.alloc();
  st.prepare(
      "SELECT id, email, first_name, last_name, role, password_hash, disabled, territory_id, "
      "password_changed_at, terms_accepted_at FROM users " +
      where);
  st.define_and_bind();
  st.execute();
  std::vector<app::User> out;
  while (st.fetch()) {
    auto r = app::roleFromCode(role);
    if (!r) throw std::runtime_error("unknown role in database: " + role);
    app::User u{id, email, firstName, lastName, *r, hash, disabled != 0};
    if (territoryInd == soci::i_ok) u.territoryId = territory;
    if (changedInd == soci::i_ok) u.passwordChangedAt = instant(changedAt);
    u.termsAccepted = termsInd == soci::i_ok;
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace sas::storage
