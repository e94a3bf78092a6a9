#include "storage/support_store.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <soci/soci.h>

#include <sstream>

#include "storage/account_store.hpp"
#include "storage/rows.hpp"

namespace sas::storage {

namespace {

const char* const kRequestById =
    "SELECT reference, idempotency_key, user_id, user_kind, subject, last_name, "
    "first_name, phone, email, territory_id, territory_name, message, routed_to, "
    "created_at, client_address, purged_at FROM support_requests WHERE id = :id";
const char* const kAttachmentsOfRequest =
    "SELECT file_name, content_type, stored_name, size FROM support_attachments "
    "WHERE request_id = :id ORDER BY position";
const char* const kRecentOfEmail =
    "SELECT created_at FROM support_requests WHERE email = :v AND created_at > :since ORDER BY "
    "created_at DESC LIMIT :n";
const char* const kRecentOfAddress =
    "SELECT created_at FROM support_requests WHERE client_address = :v AND created_at > :since "
    "ORDER BY created_at DESC LIMIT :n";
const char* const kFileByStoredName =
    "SELECT content FROM support_attachments WHERE stored_name = :name";
const char* const kReferenceOfKey =
    "SELECT reference FROM support_requests WHERE idempotency_key = :k";
const char* const kLockRequests = "LOCK TABLE support_requests IN SHARE ROW EXCLUSIVE MODE";
const char* const kCountOfKey = "SELECT COUNT(*) FROM support_requests WHERE idempotency_key = :k";
const char* const kInsertRequest =
    "INSERT INTO support_requests (reference, idempotency_key, user_id, user_kind, "
    "subject, last_name, first_name, phone, email, territory_id, territory_name, "
    "message, routed_to, created_at, client_address) VALUES (:ref, :key, :user, :kind, "
    ":subject, :last, :first, :phone, :email, :territory, :tname, :message, :routed, :at, "
    ":address) RETURNING id";
const char* const kInsertAttachment =
    "INSERT INTO support_attachments (request_id, position, file_name, content_type, "
    "stored_name, size, content) VALUES (:id, :pos, :name, :type, :stored, :size, "
    ":content)";
const char* const kLatestRequests =
    "SELECT id FROM support_requests ORDER BY created_at "
    "DESC, id DESC LIMIT :limit";
const char* const kLatestRequestsOfTerritory =
    "SELECT id FROM support_requests WHERE territory_id = :territory ORDER BY created_at "
    "DESC, id DESC LIMIT :limit";
const char* const kFileContent =
    "SELECT content FROM support_attachments WHERE request_id = :id AND position = :pos";
const char* const kRequestsToPurge =
    "SELECT id FROM support_requests WHERE purged_at IS NULL "
    "AND created_at <= :upto";
const char* const kForgetQueuedFiles =
    "DELETE FROM outbox_attachments WHERE support_file IN (SELECT stored_name FROM "
    "support_attachments WHERE request_id = :id)";
const char* const kDeleteAttachments = "DELETE FROM support_attachments WHERE request_id = :id";
const char* const kPurgeRequest =
    "UPDATE support_requests SET last_name = '', first_name = '', phone = '', email = '', "
    "message = '', client_address = '', purged_at = :at WHERE id = :id";

std::optional<app::SupportRequest> loadOne(soci::session& sql, long long id) {
  app::SupportRequest r;
  long long user = 0, territory = 0, at = 0, purged = 0;
  soci::indicator userInd = soci::i_null, territoryInd = soci::i_null, purgedInd = soci::i_null;
  sql << kRequestById, soci::use(id), soci::into(r.reference), soci::into(r.idempotencyKey),
      soci::into(user, userInd), soci::into(r.userKind), soci::into(r.subject),
      soci::into(r.lastName), soci::into(r.firstName), soci::into(r.phone), soci::into(r.email),
      soci::into(territory, territoryInd), soci::into(r.territoryName), soci::into(r.message),
      soci::into(r.routedTo), soci::into(at), soci::into(r.clientAddress),
      soci::into(purged, purgedInd);
  if (!sql.got_data()) return std::nullopt;
  r.id = id;
  r.userId = userInd == soci::i_ok ? user : 0;
  r.territoryId = territoryInd == soci::i_ok ? territory : 0;
  r.createdAt = instant(at);
  if (purgedInd == soci::i_ok) r.purgedAt = instant(purged);
  return r;
}

void loadAttachments(soci::session& sql, app::SupportRequest& r) {
  long long id = r.id, size = 0;
  app::SupportAttachment a;
  soci::statement st = (sql.prepare << kAttachmentsOfRequest, soci::use(id), soci::into(a.fileName),
                        soci::into(a.contentType), soci::into(a.storedName), soci::into(size));
  st.execute();
  while (st.fetch()) {
    a.size = static_cast<std::uintmax_t>(size);
    r.attachments.push_back(a);
  }
}

/// The requests of this email or address (`query`: kRecentOfEmail or kRecentOfAddress) in the
/// window, newest first (at most `limit`).
std::vector<domain::Instant> recent(soci::session& sql, const char* query, const std::string& value,
                                    long long since, int limit) {
  std::vector<domain::Instant> out;
  if (value.empty() || limit <= 0) return out;
  long long at = 0;
  soci::statement st = (sql.prepare << query, soci::use(value, "v"), soci::use(since, "since"),
                        soci::use(limit, "n"), soci::into(at));
  st.execute();
  while (st.fetch()) out.push_back(instant(at));
  return out;
}

// Text columns take any byte on SQLite but no NUL on PostgreSQL: files are kept as base64 on
// both, one statement for both dialects (a third more space, for files kept 90 days).
std::string toBase64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  enc.close();
  return out.str();
}

std::string fromBase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder dec(in);
  std::ostringstream out;
  out << dec.rdbuf();
  return out.str();
}

}  // namespace

std::optional<std::string> readSupportFile(soci::session& sql, const std::string& storedName) {
  std::string content;
  soci::indicator ind = soci::i_null;
  sql << kFileByStoredName, soci::use(storedName), soci::into(content, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return fromBase64(content);
}

std::optional<std::string> SqlSupportStore::referenceOfKey(const std::string& key) {
  Connection c(db_);
  std::string ref;
  soci::indicator ind = soci::i_null;
  c.sql() << kReferenceOfKey, soci::use(key), soci::into(ref, ind);
  if (!c.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return ref;
}

app::SupportCreation SqlSupportStore::create(app::SupportRequest& r,
                                             const app::EmailMessage& routed,
                                             const app::EmailMessage& acknowledgement,
                                             const app::SupportQuota& quota, domain::Instant now) {
  using Outcome = app::SupportCreation::Outcome;
  Connection c(db_);
  auto& sql = c.sql();
  try {
    Transaction tx(sql, db_);
    // One creation at a time, so that the quota counted below holds until the commit (SQLite's
    // BEGIN IMMEDIATE already serialises writers). Reads of the table go on meanwhile.
    if (db_.dialect() == Dialect::Postgres) sql << kLockRequests;
    long long existing = 0;
    sql << kCountOfKey, soci::use(r.idempotencyKey), soci::into(existing);
    if (existing > 0) return {Outcome::SameKey, {}};

    const long long since = seconds(now - quota.window);
    const auto byEmail = recent(sql, kRecentOfEmail, r.email, since, quota.perEmail);
    const auto byAddress = recent(sql, kRecentOfAddress, r.clientAddress, since, quota.perAddress);
    const auto emailFree = quota.freeAt(byEmail, quota.perEmail, now);
    const auto addressFree =
        r.clientAddress.empty() ? now : quota.freeAt(byAddress, quota.perAddress, now);
    if (emailFree > now || addressFree > now)
      return {Outcome::OverQuota, std::max(emailFree, addressFree)};

    long long id = 0, at = seconds(r.createdAt), user = r.userId, territory = r.territoryId;
    soci::indicator userInd = r.userId ? soci::i_ok : soci::i_null;
    soci::indicator territoryInd = r.territoryId ? soci::i_ok : soci::i_null;
    sql << kInsertRequest, soci::use(r.reference), soci::use(r.idempotencyKey),
        soci::use(user, userInd), soci::use(r.userKind), soci::use(r.subject),
        soci::use(r.lastName), soci::use(r.firstName), soci::use(r.phone), soci::use(r.email),
        soci::use(territory, territoryInd), soci::use(r.territoryName), soci::use(r.message),
        soci::use(r.routedTo), soci::use(at), soci::use(r.clientAddress), soci::into(id);
    int position = 0;
    for (const auto& a : r.attachments) {
      long long size = static_cast<long long>(a.size);
      const std::string content = toBase64(a.content);
      sql << kInsertAttachment, soci::use(id), soci::use(position), soci::use(a.fileName),
          soci::use(a.contentType), soci::use(a.storedName), soci::use(size), soci::use(content);
      ++position;
    }
    enqueueMail(c, routed, r.createdAt);
    enqueueMail(c, acknowledgement, r.createdAt);
    app::AuditEntry audit{r.userId ? std::optional<std::int64_t>(r.userId) : std::nullopt,
                          "support.request_sent", "support_request:" + std::to_string(id),
                          r.reference, ""};  // the address goes with the body, not kept here
    writeAudit(c, audit, r.createdAt);
    tx.commit();
    r.id = id;
    return {Outcome::Created, {}};
  } catch (const soci::soci_error&) {
    // The same key stored by a concurrent request (the UNIQUE constraint): the caller looks
    // it up; any other failure is rethrown.
    if (referenceOfKey(r.idempotencyKey)) return {Outcome::SameKey, {}};
    throw;
  }
}

std::vector<app::SupportRequest> SqlSupportStore::list(int limit,
                                                       std::optional<std::int64_t> territoryId) {
  Connection c(db_);
  auto& sql = c.sql();
  std::vector<long long> ids;
  long long id = 0, territory = territoryId.value_or(0);
  {
    soci::statement st = territoryId
                             ? (sql.prepare << kLatestRequestsOfTerritory, soci::use(territory),
                                soci::use(limit), soci::into(id))
                             : (sql.prepare << kLatestRequests, soci::use(limit), soci::into(id));
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

std::optional<std::string> SqlSupportStore::fileContent(std::int64_t id, std::size_t position) {
  Connection c(db_);
  long long request = id;
  int pos = static_cast<int>(position);
  std::string content;
  soci::indicator ind = soci::i_null;
  c.sql() << kFileContent, soci::use(request), soci::use(pos), soci::into(content, ind);
  if (!c.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return fromBase64(content);
}

int SqlSupportStore::purgeCreatedUpTo(domain::Instant createdUpTo, domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  long long upTo = seconds(createdUpTo), at = seconds(now);
  Transaction tx(sql, db_);
  std::vector<long long> ids;
  {
    long long id = 0;
    soci::statement st = (sql.prepare << kRequestsToPurge, soci::use(upTo), soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
  }
  for (long long id : ids) {
    // An email still waiting for these files goes without them; its body is the routed copy.
    sql << kForgetQueuedFiles, soci::use(id);
    sql << kDeleteAttachments, soci::use(id);
    sql << kPurgeRequest, soci::use(at), soci::use(id);
    const std::string target = "support_request:" + std::to_string(id);
    writeAudit(c, {std::nullopt, "support.request_purged", target, "", ""}, now);
  }
  tx.commit();
  return static_cast<int>(ids.size());
}

}  // namespace sas::storage
