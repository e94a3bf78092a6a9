#include "storage/account_store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <tuple>

#include "storage/delegation_store.hpp"
#include "storage/rows.hpp"
#include "storage/support_store.hpp"

namespace sas::storage {

using domain::Instant;

namespace {

const char* const kInsertMail =
    "INSERT INTO outbox (created_at, recipient, subject, text_body, html_body, "
    "next_attempt_at, forget_body) VALUES (:at, :to, :subject, :text, :html, :next, "
    ":forget)";
const std::string kInsertMailReturningId = std::string(kInsertMail) + " RETURNING id";
const char* const kInsertMailAttachment =
    "INSERT INTO outbox_attachments (outbox_id, position, file_name, content_type, "
    "stored_path, support_file) VALUES (:id, :pos, :name, :type, :path, :file)";
const char* const kVoidLinksOfPurpose =
    "UPDATE user_tokens SET used_at = :at WHERE user_id = :user AND purpose = :purpose AND "
    "used_at IS NULL";
const char* const kInsertToken =
    "INSERT INTO user_tokens (digest, user_id, purpose, new_email, created_at) VALUES "
    "(:digest, :user, :purpose, :email, :created)";
const char* const kVoidPendingLinks =
    "UPDATE user_tokens SET used_at = :at WHERE user_id = :user AND used_at IS NULL";
const char* const kUseToken =
    "UPDATE user_tokens SET used_at = :at WHERE digest = :d "
    "AND user_id = :u AND used_at IS NULL";
const char* const kUnlinkStructures = "DELETE FROM user_structures WHERE user_id = :u";
const char* const kLinkStructure =
    "INSERT INTO user_structures (user_id, structure_id) VALUES (:u, :s)";
const char* const kTokenByDigest =
    "SELECT user_id, purpose, new_email, created_at, used_at FROM user_tokens WHERE "
    "digest = :d";
const char* const kAcceptTerms = "UPDATE users SET terms_accepted_at = :at WHERE id = :u";
const char* const kDeleteSessionsOfUser = "DELETE FROM sessions WHERE user_id = :u";
const char* const kEmailTakenByOther = "SELECT COUNT(*) FROM users WHERE email = :e AND id <> :u";
const char* const kSetEmail = "UPDATE users SET email = :e WHERE id = :u";
const char* const kSetPassword =
    "UPDATE users SET password_hash = :h, password_changed_at = :at WHERE id = :u";
const char* const kDeleteOtherSessions =
    "DELETE FROM sessions WHERE user_id = :u AND id_digest <> :keep";
const char* const kExpiryWarningCandidates =
    "WHERE disabled = 0 AND password_changed_at IS NOT NULL AND "
    "password_changed_at <= :v AND (expiry_warned_at IS NULL OR "
    "expiry_warned_at < password_changed_at) ORDER BY id";
const char* const kMarkExpiryWarned =
    "UPDATE users SET expiry_warned_at = :at WHERE id = :u AND disabled = 0 "
    "AND (expiry_warned_at IS NULL OR expiry_warned_at < password_changed_at)";
// The ageing (docs/rules.md#delegates-and-ageing-accounts): an account's inactivity counts from
// last_used_at (login, reactivation), else from its creation.
const char* const kUnusedAccounts =
    "SELECT id, COALESCE(last_used_at, created_at), inactivity_warned_at FROM users WHERE "
    "disabled = 0 AND COALESCE(last_used_at, created_at) <= :before ORDER BY id";
const char* const kMarkInactivityWarned =
    "UPDATE users SET inactivity_warned_at = :at WHERE id = :u AND disabled = 0 AND "
    "COALESCE(last_used_at, created_at) = :since AND (inactivity_warned_at IS NULL OR "
    "inactivity_warned_at < :since2)";
const char* const kDisableInactive =
    "UPDATE users SET disabled = 1, inactive_since = :at WHERE id = :u AND disabled = 0 AND "
    "COALESCE(last_used_at, created_at) = :since";
const char* const kOtherEnabledAdministrators =
    "SELECT COUNT(*) FROM users WHERE role = :r AND disabled = 0 AND id <> :u";
const char* const kReactivate =
    "UPDATE users SET disabled = 0, inactive_since = NULL, inactivity_warned_at = NULL, "
    "last_used_at = :at WHERE id = :u AND disabled = 1";
const char* const kAcceptTermsOnce =
    "UPDATE users SET terms_accepted_at = :at WHERE id = :u AND terms_accepted_at IS NULL";
const char* const kStructureLinks =
    "SELECT user_id, structure_id FROM user_structures ORDER BY user_id, structure_id";
const char* const kInsertLoginFailure =
    "INSERT INTO login_failures (at, email, client_address) VALUES (:at, :e, :a)";
const char* const kFailuresOfEmail =
    "SELECT at FROM login_failures WHERE email = :k AND at >= :since AND "
    "cleared = 0 ORDER BY at";
const char* const kFailuresOfAddress =
    "SELECT email, at FROM login_failures WHERE client_address = :k AND "
    "at >= :since ORDER BY at";
const char* const kClearLoginFailures =
    "UPDATE login_failures SET cleared = 1 WHERE email = :e AND cleared = 0";
const char* const kInsertResetRequest =
    "INSERT INTO reset_requests (at, email, client_address) VALUES (:at, :e, :a)";
const char* const kResetRequestsOfEmail =
    "SELECT at FROM reset_requests WHERE email = :k AND at >= :since ORDER BY at";
const char* const kResetRequestsOfAddress =
    "SELECT email, at FROM reset_requests WHERE client_address = :k AND "
    "at >= :since ORDER BY at";
const char* const kDueMail =
    "SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= :now "
    "AND lease_until <= :now ORDER BY id LIMIT :limit";
const char* const kLeaseMail =
    "UPDATE outbox SET lease_until = :until WHERE id = :id AND sent_at IS "
    "NULL AND lease_until <= :now";
const char* const kMailById =
    "SELECT recipient, subject, text_body, html_body, attempts FROM outbox WHERE id = :id";
const char* const kMailAttachments =
    "SELECT file_name, content_type, stored_path, support_file FROM "
    "outbox_attachments WHERE outbox_id = :id ORDER BY position";
const char* const kMarkMailSent =
    "UPDATE outbox SET sent_at = :at, lease_until = 0, last_error = '', text_body = CASE "
    "WHEN forget_body = 1 THEN '' ELSE text_body END, html_body = CASE WHEN forget_body = 1 "
    "THEN '' ELSE html_body END WHERE id = :id";
const char* const kForgetSentAttachments =
    "DELETE FROM outbox_attachments WHERE outbox_id = :id AND outbox_id IN (SELECT id FROM "
    "outbox WHERE forget_body = 1)";
const char* const kMarkMailFailed =
    "UPDATE outbox SET attempts = :n, next_attempt_at = :next, lease_until = 0, "
    "last_error = :err WHERE id = :id";
const char* const kPendingMailCount = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL";
const char* const kUsersOfTerritory = "WHERE territory_id = :v ORDER BY last_name, first_name, id";
const char* const kAllUsers = "ORDER BY last_name, first_name, id";
const char* const kInsertAccount =
    "INSERT INTO users (email, first_name, last_name, role, password_hash, territory_id, "
    "created_at) VALUES (:email, :first, :last, :role, '', :territory, :at) RETURNING id";
const char* const kLockAdministrators =
    "SELECT id FROM users WHERE role = :r AND disabled = 0 FOR UPDATE";
const char* const kRoleAndDisabled = "SELECT role, disabled FROM users WHERE id = :id";
const char* const kUpdateAccount =
    "UPDATE users SET email = :email, first_name = :first, last_name = :last, role = :role, "
    "territory_id = :territory, disabled = :disabled WHERE id = :id";
const char* const kClearInactivity =
    "UPDATE users SET inactive_since = NULL, inactivity_warned_at = NULL, last_used_at = :at "
    "WHERE id = :u";
const char* const kCountAdministrators =
    "SELECT COUNT(*) FROM users WHERE role = :r AND disabled = 0";
const char* const kDeleteSessionsOfUserId = "DELETE FROM sessions WHERE user_id = :id";
const char* const kTerritories = "SELECT id, name FROM territories ORDER BY name";
const char* const kDepartementsOfTerritory =
    "SELECT departement FROM territory_departements WHERE "
    "territory_id = :id ORDER BY departement";
const char* const kInsertTerritory = "INSERT INTO territories (name) VALUES (:name) RETURNING id";
const char* const kInsertTerritoryDepartement =
    "INSERT INTO territory_departements (territory_id, departement) VALUES (:id, :dep)";
const char* const kAllStructures =
    "SELECT id, name, type, departement FROM structures "
    "ORDER BY name, id";

}  // namespace

namespace {

struct InsertMailQuery final : PreparedQuery {
  long long at = 0;
  std::string to, subject, text, html;
  int forget = 0;
  soci::statement statement;
  explicit InsertMailQuery(soci::session& sql)
      : statement((sql.prepare << kInsertMail, soci::use(at, "at"), soci::use(to, "to"),
                   soci::use(subject, "subject"), soci::use(text, "text"), soci::use(html, "html"),
                   soci::use(at, "next"), soci::use(forget, "forget"))) {}
};

}  // namespace

void enqueueMail(Connection& c, const app::EmailMessage& m, Instant now) {
  long long at = seconds(now);
  int forget = m.forgetBodyOnceSent ? 1 : 0;
  if (m.attachments.empty()) {  // every mail but the support's: prepared once per connection
    auto& q = c.statements().get<InsertMailQuery>(c.sql());
    StatementRun run(q.statement, c.sqlite());
    q.at = at;
    q.to = m.to;
    q.subject = m.subject;
    q.text = m.text;
    q.html = m.html;
    q.forget = forget;
    q.statement.execute(true);
    // The statement stays with its connection: a one-time link's body does not stay in memory
    // with it (the outbox forgets it once sent).
    q.to.clear();
    q.subject.clear();
    q.text.clear();
    q.html.clear();
    return;
  }
  auto& sql = c.sql();
  long long id = 0;
  sql << kInsertMailReturningId, soci::use(at), soci::use(m.to), soci::use(m.subject),
      soci::use(m.text), soci::use(m.html), soci::use(at), soci::use(forget), soci::into(id);
  int position = 0;
  for (const auto& a : m.attachments) {
    // A support file is named, not copied: its bytes stay in one place, purged in time.
    soci::indicator fileInd = a.supportFile.empty() ? soci::i_null : soci::i_ok;
    sql << kInsertMailAttachment, soci::use(id), soci::use(position), soci::use(a.fileName),
        soci::use(a.contentType), soci::use(a.storedPath), soci::use(a.supportFile, fileInd);
    ++position;
  }
}

namespace {

void insertToken(soci::session& sql, const app::StoredToken& t, Instant now) {
  long long user = t.userId, at = seconds(now), created = seconds(t.createdAt);
  std::string purpose = app::purposeCode(t.purpose);
  // A newer link voids the older ones of the same purpose.
  sql << kVoidLinksOfPurpose, soci::use(at), soci::use(user), soci::use(purpose);
  sql << kInsertToken, soci::use(t.digest), soci::use(user), soci::use(purpose),
      soci::use(t.newEmail), soci::use(created);
}

/// Every pending link of the account (activation, reset, change of address) becomes void: once
/// the password is set again, a link read from an old email or a shared mailbox is worth nothing.
void voidPendingLinks(soci::session& sql, long long user, Instant now) {
  long long at = seconds(now);
  sql << kVoidPendingLinks, soci::use(at), soci::use(user);
}

bool markTokenUsed(soci::session& sql, const std::string& digest, long long user, Instant now) {
  long long at = seconds(now);
  soci::statement st =
      (sql.prepare << kUseToken, soci::use(at), soci::use(digest), soci::use(user));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void writeLinks(soci::session& sql, long long user, const std::vector<std::int64_t>& structures) {
  sql << kUnlinkStructures, soci::use(user);
  for (long long s : structures) sql << kLinkStructure, soci::use(user), soci::use(s);
}

}  // namespace

void SqlAccountStore::issueToken(const app::StoredToken& token, const app::EmailMessage& email,
                                 const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  insertToken(sql, token, now);
  enqueueMail(c, email, now);
  writeAudit(c, audit, now);
  tx.commit();
}

std::optional<app::StoredToken> SqlAccountStore::findToken(const std::string& digest) {
  Connection c(db_);
  long long user = 0, created = 0, used = 0;
  std::string purpose, newEmail;
  soci::indicator usedInd = soci::i_null;
  c.sql() << kTokenByDigest, soci::use(digest), soci::into(user), soci::into(purpose),
      soci::into(newEmail), soci::into(created), soci::into(used, usedInd);
  if (!c.sql().got_data()) return std::nullopt;
  app::StoredToken t{digest, user, app::TokenPurpose::Reset, newEmail, instant(created), {}};
  if (purpose == app::purposeCode(app::TokenPurpose::Activation))
    t.purpose = app::TokenPurpose::Activation;
  else if (purpose == app::purposeCode(app::TokenPurpose::EmailChange))
    t.purpose = app::TokenPurpose::EmailChange;
  if (usedInd == soci::i_ok) t.usedAt = instant(used);
  return t;
}

bool SqlAccountStore::useTokenForPassword(const std::string& digest, std::int64_t userId,
                                          const std::string& passwordHash, bool acceptTerms,
                                          const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long user = userId, at = seconds(now);
  if (!markTokenUsed(sql, digest, user, now)) return false;
  voidPendingLinks(sql, user, now);
  sql << kSetPassword, soci::use(passwordHash), soci::use(at), soci::use(user);
  if (acceptTerms) sql << kAcceptTerms, soci::use(at), soci::use(user);
  sql << kDeleteSessionsOfUser, soci::use(user);
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

bool SqlAccountStore::useTokenForEmail(const std::string& digest, std::int64_t userId,
                                       const std::string& newEmail,
                                       const app::EmailMessage& oldAddressNotice,
                                       const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long user = userId, taken = 0;
  sql << kEmailTakenByOther, soci::use(newEmail), soci::use(user), soci::into(taken);
  if (taken > 0) return false;
  if (!markTokenUsed(sql, digest, user, now)) return false;
  sql << kSetEmail, soci::use(newEmail), soci::use(user);
  enqueueMail(c, oldAddressNotice, now);
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

void SqlAccountStore::changePassword(std::int64_t userId, const std::string& passwordHash,
                                     const std::string& keepSessionDigest,
                                     const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long user = userId, at = seconds(now);
  sql << kSetPassword, soci::use(passwordHash), soci::use(at), soci::use(user);
  sql << kDeleteOtherSessions, soci::use(user), soci::use(keepSessionDigest);
  voidPendingLinks(sql, user, now);
  writeAudit(c, audit, now);
  tx.commit();
}

std::vector<app::User> SqlAccountStore::warningCandidates(Instant changedBefore) {
  Connection c(db_);
  return queryUsers(c.sql(), kExpiryWarningCandidates, seconds(changedBefore));
}

bool SqlAccountStore::recordExpiryWarning(std::int64_t userId, const app::EmailMessage& email,
                                          Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long user = userId, at = seconds(now);
  // The condition makes the warning once-only even with several processes sending.
  soci::statement st = (sql.prepare << kMarkExpiryWarned, soci::use(at), soci::use(user));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  enqueueMail(c, email, now);
  writeAudit(c, {userId, "password.expiry_warning", "user:" + std::to_string(userId), "", ""}, now);
  tx.commit();
  return true;
}

std::vector<app::UnusedAccount> SqlAccountStore::unusedAccounts(Instant usedBefore) {
  Connection c(db_);
  auto& sql = c.sql();
  long long before = seconds(usedBefore), id = 0, used = 0, warned = 0;
  soci::indicator warnedInd = soci::i_null;
  std::vector<std::tuple<long long, long long, std::optional<long long>>> rows;
  {
    soci::statement st = (sql.prepare << kUnusedAccounts, soci::use(before), soci::into(id),
                          soci::into(used), soci::into(warned, warnedInd));
    st.execute();
    while (st.fetch())
      rows.emplace_back(id, used,
                        warnedInd == soci::i_ok ? std::optional<long long>(warned) : std::nullopt);
  }
  std::vector<app::UnusedAccount> out;
  for (const auto& [key, usedAt, warnedAt] : rows) {
    auto user = findUserById(c, key);
    if (!user) continue;
    app::UnusedAccount a{*user, instant(usedAt), {}};
    if (warnedAt) a.warnedAt = instant(*warnedAt);
    out.push_back(std::move(a));
  }
  return out;
}

bool SqlAccountStore::recordInactivityWarning(std::int64_t userId, Instant usedSince,
                                              const app::EmailMessage& email, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long user = userId, at = seconds(now), since = seconds(usedSince), since2 = since;
  // Once per inactivity period, even with several processes running the job.
  soci::statement st =
      (sql.prepare << kMarkInactivityWarned, soci::use(at, "at"), soci::use(user, "u"),
       soci::use(since, "since"), soci::use(since2, "since2"));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  enqueueMail(c, email, now);
  writeAudit(c, {userId, "account.inactivity_warning", "user:" + std::to_string(userId), "", ""},
             now);
  tx.commit();
  return true;
}

bool SqlAccountStore::disableInactive(std::int64_t userId, Instant usedSince,
                                      const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const std::string administrator = app::roleCode(app::Role::Administrator);
  long long user = userId, at = seconds(now), since = seconds(usedSince);
  std::string role;
  int disabled = 1;
  if (db_.dialect() == Dialect::Postgres) {  // as updateAccount: the administrators' rows first
    long long locked = 0;
    soci::statement lock =
        (sql.prepare << kLockAdministrators, soci::use(administrator), soci::into(locked));
    lock.execute();
    while (lock.fetch()) {
    }
  }
  sql << kRoleAndDisabled, soci::use(user), soci::into(role), soci::into(disabled);
  if (!sql.got_data() || disabled != 0) return false;
  if (role == administrator) {
    long long others = 0;
    sql << kOtherEnabledAdministrators, soci::use(administrator), soci::use(user),
        soci::into(others);
    if (others == 0) return false;  // the platform keeps one administrator at least
  }
  soci::statement st = (sql.prepare << kDisableInactive, soci::use(at, "at"), soci::use(user, "u"),
                        soci::use(since, "since"));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;  // used meanwhile
  sql << kDeleteSessionsOfUserId, soci::use(user);
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

bool SqlAccountStore::reactivate(std::int64_t userId, const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long user = userId, at = seconds(now);
  soci::statement st = (sql.prepare << kReactivate, soci::use(at, "at"), soci::use(user, "u"));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

bool SqlAccountStore::acceptTerms(std::int64_t userId, const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long user = userId, at = seconds(now);
  soci::statement st = (sql.prepare << kAcceptTermsOnce, soci::use(at, "at"), soci::use(user, "u"));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

std::vector<std::pair<std::int64_t, std::int64_t>> SqlAccountStore::structureLinks() {
  Connection c(db_);
  long long user = 0, structure = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  soci::statement st =
      (c.sql().prepare << kStructureLinks, soci::into(user), soci::into(structure));
  st.execute();
  while (st.fetch()) out.emplace_back(user, structure);
  return out;
}

void SqlAccountStore::recordLoginFailure(const std::string& email, const std::string& clientAddress,
                                         Instant at) {
  Connection c(db_);
  long long t = seconds(at);
  c.sql() << kInsertLoginFailure, soci::use(t), soci::use(email), soci::use(clientAddress);
}

std::vector<Instant> SqlAccountStore::failuresOfEmail(const std::string& email, Instant since) {
  return instantsOf(kFailuresOfEmail, email, since);
}

std::vector<std::pair<std::string, Instant>> SqlAccountStore::failuresOfAddress(
    const std::string& clientAddress, Instant since) {
  return emailsAndInstantsOf(kFailuresOfAddress, clientAddress, since);
}

void SqlAccountStore::clearLoginFailures(const std::string& email) {
  Connection c(db_);
  // Marked, not deleted: the addresses that failed on this email keep their count.
  c.sql() << kClearLoginFailures, soci::use(email);
}

void SqlAccountStore::recordResetRequest(const std::string& email, const std::string& clientAddress,
                                         Instant at) {
  Connection c(db_);
  long long t = seconds(at);
  c.sql() << kInsertResetRequest, soci::use(t), soci::use(email), soci::use(clientAddress);
}

std::vector<Instant> SqlAccountStore::resetRequestsOfEmail(const std::string& email,
                                                           Instant since) {
  return instantsOf(kResetRequestsOfEmail, email, since);
}

std::vector<std::pair<std::string, Instant>> SqlAccountStore::resetRequestsOfAddress(
    const std::string& clientAddress, Instant since) {
  return emailsAndInstantsOf(kResetRequestsOfAddress, clientAddress, since);
}

/// The instants a throttling query (`:k`, `:since`) selects.
std::vector<Instant> SqlAccountStore::instantsOf(const char* query, const std::string& key,
                                                 Instant since) {
  Connection c(db_);
  long long from = seconds(since), at = 0;
  std::vector<Instant> out;
  soci::statement st =
      (c.sql().prepare << query, soci::use(key, "k"), soci::use(from, "since"), soci::into(at));
  st.execute();
  while (st.fetch()) out.push_back(instant(at));
  return out;
}

/// The (email, instant) pairs a throttling query (`:k`, `:since`) selects.
std::vector<std::pair<std::string, Instant>> SqlAccountStore::emailsAndInstantsOf(
    const char* query, const std::string& key, Instant since) {
  Connection c(db_);
  long long from = seconds(since), at = 0;
  std::string email;
  std::vector<std::pair<std::string, Instant>> out;
  soci::statement st = (c.sql().prepare << query, soci::use(key, "k"), soci::use(from, "since"),
                        soci::into(email), soci::into(at));
  st.execute();
  while (st.fetch()) out.emplace_back(email, instant(at));
  return out;
}

std::vector<app::OutboxMail> SqlAccountStore::claimDueMail(Instant now, int leaseSeconds,
                                                           int limit) {
  Connection c(db_);
  auto& sql = c.sql();
  long long at = seconds(now), id = 0;
  std::vector<long long> due;
  {
    soci::statement st =
        (sql.prepare << kDueMail, soci::use(at, "now"), soci::use(limit, "limit"), soci::into(id));
    st.execute();
    while (st.fetch()) due.push_back(id);
  }
  std::vector<app::OutboxMail> out;
  long long until = at + leaseSeconds;
  for (long long candidate : due) {
    // Whoever changes the lease first has the email; another sender's update finds no row.
    soci::statement claim = (sql.prepare << kLeaseMail, soci::use(until, "until"),
                             soci::use(candidate, "id"), soci::use(at, "now"));
    claim.execute(true);
    if (claim.get_affected_rows() != 1) continue;
    app::OutboxMail m;
    m.id = candidate;
    sql << kMailById, soci::use(candidate), soci::into(m.message.to), soci::into(m.message.subject),
        soci::into(m.message.text), soci::into(m.message.html), soci::into(m.attempts);
    {
      app::EmailAttachment a;
      soci::indicator fileInd = soci::i_null;
      soci::statement files =
          (sql.prepare << kMailAttachments, soci::use(candidate), soci::into(a.fileName),
           soci::into(a.contentType), soci::into(a.storedPath), soci::into(a.supportFile, fileInd));
      files.execute();
      while (files.fetch()) {
        if (fileInd != soci::i_ok) a.supportFile.clear();
        m.message.attachments.push_back(a);
      }
    }
    // A support file purged meanwhile is left out rather than sent empty.
    std::vector<app::EmailAttachment> kept;
    for (auto& a : m.message.attachments) {
      if (!a.supportFile.empty()) {
        auto content = readSupportFile(sql, a.supportFile);
        if (!content) continue;
        a.content = std::move(*content);
      }
      kept.push_back(std::move(a));
    }
    m.message.attachments = std::move(kept);
    out.push_back(std::move(m));
  }
  return out;
}

void SqlAccountStore::markMailSent(std::int64_t id, Instant now) {
  Connection c(db_);
  long long key = id, at = seconds(now);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  // A success clears the last failure's message; a body that held a one-time link (or a copy
  // of a support request) is not kept once delivered.
  sql << kMarkMailSent, soci::use(at), soci::use(key);
  sql << kForgetSentAttachments, soci::use(key);
  tx.commit();
}

void SqlAccountStore::markMailFailed(std::int64_t id, int attempts, Instant nextAttempt,
                                     const std::string& error) {
  Connection c(db_);
  long long key = id, next = seconds(nextAttempt);
  // A named local: SOCI runs the statement after the expression's temporaries are gone.
  const std::string shortError = error.substr(0, 500);
  c.sql() << kMarkMailFailed, soci::use(attempts), soci::use(next), soci::use(shortError),
      soci::use(key);
}

int SqlAccountStore::pendingMailCount() {
  Connection c(db_);
  int n = 0;
  c.sql() << kPendingMailCount, soci::into(n);
  return n;
}

std::vector<app::User> SqlAccountStore::listUsers(std::optional<std::int64_t> territoryId) {
  Connection c(db_);
  if (territoryId)
    return queryUsers(c.sql(), kUsersOfTerritory, static_cast<long long>(*territoryId));
  return queryUsers(c.sql(), kAllUsers);
}

namespace {
/// A délégataire's links and their audit line, after the account's (its id is known then).
void writeDelegation(Connection& c, std::int64_t delegate,
                     const std::optional<app::PrincipalsChange>& change, Instant now) {
  if (!change) return;
  writePrincipals(c.sql(), delegate, change->principals, now);
  auto entry = change->audit;
  entry.object = "user:" + std::to_string(delegate);
  writeAudit(c, entry, now);
}
}  // namespace

std::int64_t SqlAccountStore::createAccount(const app::User& user,
                                            const std::vector<std::int64_t>& structures,
                                            const std::optional<app::PrincipalsChange>& principals,
                                            const app::StoredToken& activation,
                                            const app::EmailMessage& welcome,
                                            const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = 0, at = seconds(now), territory = user.territoryId.value_or(0);
  soci::indicator territoryInd = user.territoryId ? soci::i_ok : soci::i_null;
  std::string role = app::roleCode(user.role);
  sql << kInsertAccount, soci::use(user.email), soci::use(user.firstName), soci::use(user.lastName),
      soci::use(role), soci::use(territory, territoryInd), soci::use(at), soci::into(id);
  writeLinks(sql, id, structures);
  auto token = activation;
  token.userId = id;
  insertToken(sql, token, now);
  enqueueMail(c, welcome, now);
  auto entry = audit;
  entry.object = "user:" + std::to_string(id);
  writeAudit(c, entry, now);
  writeDelegation(c, id, principals, now);
  tx.commit();
  return id;
}

bool SqlAccountStore::updateAccount(const app::User& user,
                                    const std::vector<std::int64_t>& structures,
                                    const std::optional<app::PrincipalsChange>& principals,
                                    const std::optional<app::StoredToken>& activation,
                                    const std::optional<app::EmailMessage>& welcome,
                                    const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const std::string administrator = app::roleCode(app::Role::Administrator);
  // On PostgreSQL the enabled administrators' rows are locked first, so that two
  // administrators demoting each other at once cannot both see the other one remain. (SQLite
  // runs one writing transaction at a time.)
  if (db_.dialect() == Dialect::Postgres) {
    long long locked = 0;
    soci::statement lock =
        (sql.prepare << kLockAdministrators, soci::use(administrator), soci::into(locked));
    lock.execute();
    while (lock.fetch()) {
    }
  }
  long long id = user.id, territory = user.territoryId.value_or(0);
  soci::indicator territoryInd = user.territoryId ? soci::i_ok : soci::i_null;
  std::string role = app::roleCode(user.role), roleBefore;
  int disabled = user.disabled ? 1 : 0, disabledBefore = 1;
  sql << kRoleAndDisabled, soci::use(id), soci::into(roleBefore), soci::into(disabledBefore);
  const bool removesAnAdministrator = roleBefore == administrator && disabledBefore == 0 &&
                                      (role != administrator || disabled == 1);
  sql << kUpdateAccount, soci::use(user.email), soci::use(user.firstName), soci::use(user.lastName),
      soci::use(role), soci::use(territory, territoryInd), soci::use(disabled), soci::use(id);
  if (removesAnAdministrator) {
    long long administrators = 0;
    sql << kCountAdministrators, soci::use(administrator), soci::into(administrators);
    if (administrators == 0) return false;  // the platform keeps one administrator at least
  }
  writeLinks(sql, id, structures);
  if (user.disabled) sql << kDeleteSessionsOfUserId, soci::use(id);
  // Enabled again by hand: no longer « Inactif », and its inactivity counts from now.
  if (disabledBefore == 1 && disabled == 0) {
    long long at = seconds(now);
    sql << kClearInactivity, soci::use(at), soci::use(id);
  }
  if (activation) insertToken(sql, *activation, now);
  if (welcome) enqueueMail(c, *welcome, now);
  writeAudit(c, audit, now);
  writeDelegation(c, id, principals, now);
  tx.commit();
  return true;
}

std::vector<app::Territory> SqlAccountStore::territories() {
  Connection c(db_);
  auto& sql = c.sql();
  std::vector<app::Territory> out;
  long long id = 0;
  std::string name;
  {
    soci::statement st = (sql.prepare << kTerritories, soci::into(id), soci::into(name));
    st.execute();
    while (st.fetch()) out.push_back({id, name, {}});
  }
  for (auto& t : out) {
    long long key = t.id;
    std::string dep;
    soci::statement st = (sql.prepare << kDepartementsOfTerritory, soci::use(key), soci::into(dep));
    st.execute();
    while (st.fetch()) t.departements.push_back(dep);
  }
  return out;
}

std::optional<app::Territory> SqlAccountStore::findTerritory(std::int64_t id) {
  for (auto& t : territories())
    if (t.id == id) return t;
  return std::nullopt;
}

std::int64_t SqlAccountStore::createTerritory(const app::Territory& t, const app::AuditEntry& audit,
                                              Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = 0;
  sql << kInsertTerritory, soci::use(t.name), soci::into(id);
  for (const auto& dep : t.departements)
    sql << kInsertTerritoryDepartement, soci::use(id), soci::use(dep);
  writeAudit(c, audit, now);
  tx.commit();
  return id;
}

std::vector<app::Structure> SqlAccountStore::structuresIn(
    const std::vector<std::string>& departements, bool all) {
  Connection c(db_);
  auto& sql = c.sql();
  std::vector<app::Structure> out;
  long long id = 0;
  std::string name, type, dep;
  soci::statement st = (sql.prepare << kAllStructures, soci::into(id), soci::into(name),
                        soci::into(type), soci::into(dep));
  st.execute();
  while (st.fetch()) {
    if (!all && std::find(departements.begin(), departements.end(), dep) == departements.end())
      continue;
    app::Structure s;
    s.id = id;
    s.name = name;
    s.type = type;
    s.departement = dep;
    out.push_back(s);
  }
  return out;
}

}  // namespace sas::storage
