#include "storage/support_store.hpp"

#include <soci/soci.h>

#include "storage/account_store.hpp"
#include "storage/rows.hpp"

namespace sas::storage {

namespace {

std::optional<app::SupportRequest> loadOne(soci::session& sql, long long id) {
  app::SupportRequest r;
  long long user = 0, territory = 0, at = 0;
  soci::indicator userInd = soci::i_null, territoryInd = soci::i_null;
  sql << "SELECT reference, idempotency_key, user_id, user_kind, subject, last_name, "
         "first_name, phone, email, territory_id, territory_name, message, routed_to, "
         "created_at FROM support_requests WHERE id = :id",
      soci::use(id), soci::into(r.reference), soci::into(r.idempotencyKey),
      soci::into(user, userInd), soci::into(r.userKind), soci::into(r.subject),
      soci::into(r.lastName), soci::into(r.firstName), soci::into(r.phone), soci::into(r.email),
      soci::into(territory, territoryInd), soci::into(r.territoryName), soci::into(r.message),
      soci::into(r.routedTo), soci::into(at);
  if (!sql.got_data()) return std::nullopt;
  r.id = id;
  r.userId = userInd == soci::i_ok ? user : 0;
  r.territoryId = territoryInd == soci::i_ok ? territory : 0;
  r.createdAt = instant(at);
  return r;
}

void loadAttachments(soci::session& sql, app::SupportRequest& r) {
  long long id = r.id, size = 0;
  app::SupportAttachment a;
  soci::statement st =
      (sql.prepare << "SELECT file_name, content_type, stored_name, size FROM support_attachments "
                      "WHERE request_id = :id ORDER BY position",
       soci::use(id), soci::into(a.fileName), soci::into(a.contentType), soci::into(a.storedName),
       soci::into(size));
  st.execute();
  while (st.fetch()) {
    a.size = static_cast<std::uintmax_t>(size);
    r.attachments.push_back(a);
  }
}

}  // namespace

std::optional<std::string> SqlSupportStore::referenceOfKey(const std::string& key) {
  Connection c(db_);
  std::string ref;
  soci::indicator ind = soci::i_null;
  c.sql() << "SELECT reference FROM support_requests WHERE idempotency_key = :k", soci::use(key),
      soci::into(ref, ind);
  if (!c.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return ref;
}

bool SqlSupportStore::create(app::SupportRequest& r, const app::EmailMessage& routed,
                             const app::EmailMessage& acknowledgement) {
  Connection c(db_);
  auto& sql = c.sql();
  try {
    Transaction tx(sql, db_.dialect());
    long long existing = 0;
    sql << "SELECT COUNT(*) FROM support_requests WHERE idempotency_key = :k",
        soci::use(r.idempotencyKey), soci::into(existing);
    if (existing > 0) return false;
    long long id = 0, at = seconds(r.createdAt), user = r.userId, territory = r.territoryId;
    soci::indicator userInd = r.userId ? soci::i_ok : soci::i_null;
    soci::indicator territoryInd = r.territoryId ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO support_requests (reference, idempotency_key, user_id, user_kind, "
           "subject, last_name, first_name, phone, email, territory_id, territory_name, "
           "message, routed_to, created_at) VALUES (:ref, :key, :user, :kind, :subject, :last, "
           ":first, :phone, :email, :territory, :tname, :message, :routed, :at) RETURNING id",
        soci::use(r.reference), soci::use(r.idempotencyKey), soci::use(user, userInd),
        soci::use(r.userKind), soci::use(r.subject), soci::use(r.lastName), soci::use(r.firstName),
        soci::use(r.phone), soci::use(r.email), soci::use(territory, territoryInd),
        soci::use(r.territoryName), soci::use(r.message), soci::use(r.routedTo), soci::use(at),
        soci::into(id);
    int position = 0;
    for (const auto& a : r.attachments) {
      long long size = static_cast<long long>(a.size);
      sql << "INSERT INTO support_attachments (request_id, position, file_name, content_type, "
             "stored_name, size) VALUES (:id, :pos, :name, :type, :stored, :size)",
          soci::use(id), soci::use(position), soci::use(a.fileName), soci::use(a.contentType),
          soci::use(a.storedName), soci::use(size);
      ++position;
    }
    enqueueMail(sql, routed, r.createdAt);
    enqueueMail(sql, acknowledgement, r.createdAt);
    app::AuditEntry audit{r.userId ? std::optional<std::int64_t>(r.userId) : std::nullopt,
                          "support.request_sent", "support_request:" + std::to_string(id),
                          r.reference, ""};
    writeAudit(sql, audit, r.createdAt);
    tx.commit();
    r.id = id;
    return true;
  } catch (const soci::soci_error&) {
    // The same key stored by a concurrent request (the UNIQUE constraint): the caller looks
    // it up; any other failure is rethrown.
    if (referenceOfKey(r.idempotencyKey)) return false;
    throw;
  }
}

std::vector<app::SupportRequest> SqlSupportStore::list(int limit) {
  Connection c(db_);
  auto& sql = c.sql();
  std::vector<long long> ids;
  long long id = 0;
  {
    soci::statement st = (sql.prepare << "SELECT id FROM support_requests ORDER BY created_at "
                                         "DESC, id DESC LIMIT :limit",
                          soci::use(limit), soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
  }
  std::vector<app::SupportRequest> out;
  for (long long each : ids)
    if (auto r = loadOne(sql, each)) {
      loadAttachments(sql, *r);
      out.push_back(std::move(*r));
    }
  return out;
}

std::optional<app::SupportRequest> SqlSupportStore::find(std::int64_t id) {
  Connection c(db_);
  auto r = loadOne(c.sql(), static_cast<long long>(id));
  if (r) loadAttachments(c.sql(), *r);
  return r;
}

}  // namespace sas::storage
