#include "storage/psc_store.hpp"

#include <nlohmann/json.hpp>

#include "storage/account_store.hpp"
#include "storage/rows.hpp"

namespace sas::app {
// A pending sign-in's practice places, kept as JSON between PSC's answer and the account's
// creation: every field by its name, a missing one empty.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PracticeActivity, siret, finess,
                                                structureTechnicalId, rppsRang, name, street,
                                                postcode, city, postOffice, phone)
}  // namespace sas::app

namespace sas::storage {

namespace {
// Rows older than this are of no use any more (a sign-in takes minutes, a session 12 hours).
constexpr long long kPendingKeep = 3600;
constexpr long long kSessionKeep = 24 * 3600;

const char* const kDeleteOldPending = "DELETE FROM psc_pending WHERE created_at < :t";
const char* const kInsertPending =
    "INSERT INTO psc_pending (state_digest, browser_digest, nonce, code_verifier, "
    "created_at) VALUES (:s, :b, :n, :v, :t)";
const char* const kPendingByState =
    "SELECT browser_digest, nonce, code_verifier, created_at FROM psc_pending WHERE "
    "state_digest = :s";
const char* const kDeletePending = "DELETE FROM psc_pending WHERE state_digest = :s";
const char* const kLinkedUser =
    "SELECT user_id FROM psc_identities WHERE issuer = :i AND subject = :s";
const char* const kUnlinkIdentity = "DELETE FROM psc_identities WHERE issuer = :i AND subject = :s";
const char* const kInsertIdentity =
    "INSERT INTO psc_identities (issuer, subject, user_id, national_id, linked_at) VALUES "
    "(:i, :s, :u, :n, :t)";
const char* const kStructuresOfUser =
    "SELECT structure_id FROM user_structures WHERE user_id = :u ORDER BY structure_id";
const char* const kDeleteOldSessions = "DELETE FROM psc_sessions WHERE created_at < :t";
const char* const kInsertSession =
    "INSERT INTO psc_sessions (session_digest, id_token, created_at) VALUES (:d, :i, :t)";
const char* const kSessionToken = "SELECT id_token FROM psc_sessions WHERE session_digest = :d";
const char* const kDeleteSession = "DELETE FROM psc_sessions WHERE session_digest = :d";
const char* const kDeleteOldProfiles = "DELETE FROM psc_profiles WHERE created_at < :t";
const char* const kDeleteOldLinks = "DELETE FROM psc_links WHERE created_at < :t";
const char* const kDeleteOldAttempts = "DELETE FROM psc_attempts WHERE at < :t";
const char* const kInsertProfile =
    "INSERT INTO psc_profiles (digest, issuer, subject, national_id, given_name, "
    "family_name, activities, id_token, created_at) VALUES (:d, :i, :s, :n, :g, :f, :a, "
    ":t, :c)";
const char* const kProfileByDigest =
    "SELECT issuer, subject, national_id, given_name, family_name, activities, id_token, "
    "created_at FROM psc_profiles WHERE digest = :d";
const char* const kRecentAttempts =
    "SELECT COUNT(*) FROM psc_attempts WHERE subject = :s AND at >= :t";
const char* const kInsertAttempt = "INSERT INTO psc_attempts (subject, at) VALUES (:s, :t)";
const char* const kInsertLink =
    "INSERT INTO psc_links (digest, profile_digest, kind, user_id, email, created_at) "
    "VALUES (:d, :p, :k, :u, :e, :t)";
const char* const kLinkByDigest =
    "SELECT profile_digest, kind, user_id, email, created_at, used_at FROM psc_links "
    "WHERE digest = :d";
const char* const kUseLink =
    "UPDATE psc_links SET used_at = :t WHERE digest = :d "
    "AND used_at IS NULL";
const char* const kAcceptTerms =
    "UPDATE users SET terms_accepted_at = :t WHERE id = :u "
    "AND terms_accepted_at IS NULL";
const char* const kProfessionalCount =
    "SELECT COUNT(*) FROM directory_professionals WHERE national_id = :n";
const char* const kInsertProfessional =
    "INSERT INTO directory_professionals (national_id, last_name, first_name, profession, "
    "specialty) VALUES (:n, :l, :f, :p, :s)";
const char* const kUpdateProfessional =
    "UPDATE directory_professionals SET last_name = :l, first_name = :f, profession = :p, "
    "specialty = :s WHERE national_id = :n";
const char* const kDirectoryPlace =
    "SELECT structure_id FROM directory_places WHERE national_id = :n AND site_key = :k";
const char* const kInsertDirectoryPlace =
    "INSERT INTO directory_places (national_id, site_key, structure_id) VALUES (:n, :k, "
    ":s)";
const char* const kDirectoryStructures =
    "SELECT structure_id FROM directory_places WHERE national_id = :n ORDER BY "
    "structure_id";

}  // namespace

void SqlPscStore::savePending(const app::PendingSignIn& p) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const long long created = seconds(p.createdAt);
  const long long before = created - kPendingKeep;
  sql << kDeleteOldPending, soci::use(before);
  sql << kInsertPending, soci::use(p.stateDigest), soci::use(p.browserDigest), soci::use(p.nonce),
      soci::use(p.codeVerifier), soci::use(created);
  tx.commit();
}

std::optional<app::PendingSignIn> SqlPscStore::takePending(const std::string& stateDigest) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  app::PendingSignIn p;
  long long created = 0;
  sql << kPendingByState, soci::use(stateDigest), soci::into(p.browserDigest), soci::into(p.nonce),
      soci::into(p.codeVerifier), soci::into(created);
  if (!sql.got_data()) return std::nullopt;
  soci::statement del = (sql.prepare << kDeletePending, soci::use(stateDigest));
  del.execute(true);
  if (del.get_affected_rows() != 1) return std::nullopt;  // taken meanwhile by another process
  tx.commit();
  p.stateDigest = stateDigest;
  p.createdAt = instant(created);
  return p;
}

std::optional<std::int64_t> SqlPscStore::linkedUser(const std::string& issuer,
                                                    const std::string& subject) {
  Connection c(db_);
  long long user = 0;
  c.sql() << kLinkedUser, soci::use(issuer), soci::use(subject), soci::into(user);
  if (!c.sql().got_data()) return std::nullopt;
  return user;
}

void SqlPscStore::link(const std::string& issuer, const std::string& subject,
                       const std::string& nationalId, std::int64_t userId, domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const long long user = userId, at = seconds(now);
  sql << kUnlinkIdentity, soci::use(issuer), soci::use(subject);
  sql << kInsertIdentity, soci::use(issuer), soci::use(subject), soci::use(user),
      soci::use(nationalId), soci::use(at);
  writeAudit(c, {userId, "psc.link", "psc:" + subject, nationalId, ""}, now);
  // The regulators' search names the professionals of a place (docs/rules.md#search): his
  // places are read again by every process's index.
  std::vector<long long> structures;
  {
    long long structure = 0;
    soci::statement st = (sql.prepare << kStructuresOfUser, soci::use(user), soci::into(structure));
    st.execute();
    while (st.fetch()) structures.push_back(structure);
  }
  for (const auto s : structures) recordStructureChange(c, s, now);
  tx.commit();
}

void SqlPscStore::rememberSession(const std::string& sessionDigest, const std::string& idToken,
                                  domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const long long at = seconds(now), before = seconds(now) - kSessionKeep;
  sql << kDeleteOldSessions, soci::use(before);
  sql << kInsertSession, soci::use(sessionDigest), soci::use(idToken), soci::use(at);
  tx.commit();
}

std::optional<std::string> SqlPscStore::takeSession(const std::string& sessionDigest) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  std::string idToken;
  sql << kSessionToken, soci::use(sessionDigest), soci::into(idToken);
  if (!sql.got_data()) return std::nullopt;
  sql << kDeleteSession, soci::use(sessionDigest);
  tx.commit();
  return idToken;
}

void SqlPscStore::saveProfile(const app::PscProfile& p) {
  const nlohmann::json activities = p.identity.activities;
  const std::string json = activities.dump();
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const long long at = seconds(p.createdAt), before = at - kSessionKeep;
  sql << kDeleteOldProfiles, soci::use(before);
  sql << kDeleteOldLinks, soci::use(before);
  sql << kDeleteOldAttempts, soci::use(before);
  const auto& id = p.identity;
  sql << kInsertProfile, soci::use(p.digest), soci::use(id.issuer), soci::use(id.subject),
      soci::use(id.nationalId), soci::use(id.givenName), soci::use(id.familyName), soci::use(json),
      soci::use(id.idToken), soci::use(at);
  tx.commit();
}

std::optional<app::PscProfile> SqlPscStore::findProfile(const std::string& digest) {
  Connection c(db_);
  app::PscProfile p;
  auto& id = p.identity;
  std::string activities;
  long long created = 0;
  c.sql() << kProfileByDigest, soci::use(digest), soci::into(id.issuer), soci::into(id.subject),
      soci::into(id.nationalId), soci::into(id.givenName), soci::into(id.familyName),
      soci::into(activities), soci::into(id.idToken), soci::into(created);
  if (!c.sql().got_data()) return std::nullopt;
  p.digest = digest;
  p.createdAt = instant(created);
  auto list = nlohmann::json::parse(activities, nullptr, false);
  if (list.is_array())
    for (const auto& a : list)
      if (a.is_object()) id.activities.push_back(a.get<app::PracticeActivity>());
  return p;
}

int SqlPscStore::attemptsSince(const std::string& subject, domain::Instant since) {
  Connection c(db_);
  int n = 0;
  const long long t = seconds(since);
  c.sql() << kRecentAttempts, soci::use(subject), soci::use(t), soci::into(n);
  return n;
}

void SqlPscStore::recordAttempt(const std::string& subject, domain::Instant now) {
  Connection c(db_);
  const long long t = seconds(now);
  c.sql() << kInsertAttempt, soci::use(subject), soci::use(t);
}

void SqlPscStore::issueLink(const app::PscLink& link, const app::EmailMessage& email,
                            const app::AuditEntry& audit, domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const std::string kind = link.kind == app::PscLinkKind::LinkAccount ? "lier" : "verifier";
  const long long user = link.userId, at = seconds(link.createdAt);
  sql << kInsertLink, soci::use(link.digest), soci::use(link.profileDigest), soci::use(kind),
      soci::use(user), soci::use(link.email), soci::use(at);
  enqueueMail(c, email, now);
  writeAudit(c, audit, now);
  tx.commit();
}

std::optional<app::PscLink> SqlPscStore::findLink(const std::string& digest) {
  Connection c(db_);
  app::PscLink l;
  std::string kind;
  long long user = 0, created = 0, used = 0;
  soci::indicator usedInd = soci::i_null;
  c.sql() << kLinkByDigest, soci::use(digest), soci::into(l.profileDigest), soci::into(kind),
      soci::into(user), soci::into(l.email), soci::into(created), soci::into(used, usedInd);
  if (!c.sql().got_data()) return std::nullopt;
  l.digest = digest;
  l.kind = kind == "lier" ? app::PscLinkKind::LinkAccount : app::PscLinkKind::VerifyEmail;
  l.userId = user;
  l.createdAt = instant(created);
  l.used = usedInd == soci::i_ok;
  return l;
}

bool SqlPscStore::useLink(const std::string& digest, domain::Instant now) {
  Connection c(db_);
  const long long t = seconds(now);
  soci::statement st = (c.sql().prepare << kUseLink, soci::use(t), soci::use(digest));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool SqlPscStore::acceptTerms(std::int64_t userId, const app::AuditEntry& audit,
                              domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const long long t = seconds(now), user = userId;
  soci::statement st = (sql.prepare << kAcceptTerms, soci::use(t), soci::use(user));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  writeAudit(c, audit, now);
  tx.commit();
  return true;
}

void SqlPscStore::saveProfessional(const app::DirectoryProfessional& p) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  int n = 0;
  sql << kProfessionalCount, soci::use(p.nationalId), soci::into(n);
  if (n == 0)
    sql << kInsertProfessional, soci::use(p.nationalId), soci::use(p.lastName),
        soci::use(p.firstName), soci::use(p.profession), soci::use(p.specialty);
  else
    sql << kUpdateProfessional, soci::use(p.lastName), soci::use(p.firstName),
        soci::use(p.profession), soci::use(p.specialty), soci::use(p.nationalId);
  tx.commit();
}

std::optional<std::int64_t> SqlPscStore::directoryPlace(const std::string& nationalId,
                                                        const std::string& siteKey) {
  Connection c(db_);
  long long id = 0;
  c.sql() << kDirectoryPlace, soci::use(nationalId), soci::use(siteKey), soci::into(id);
  if (!c.sql().got_data()) return std::nullopt;
  return id;
}

void SqlPscStore::addDirectoryPlace(const std::string& nationalId, const std::string& siteKey,
                                    std::int64_t structureId) {
  Connection c(db_);
  const long long id = structureId;
  c.sql() << kInsertDirectoryPlace, soci::use(nationalId), soci::use(siteKey), soci::use(id);
}

std::vector<std::int64_t> SqlPscStore::directoryStructures(const std::string& nationalId) {
  Connection c(db_);
  std::vector<long long> ids(1000);  // a professional has a handful of practice places
  c.sql() << kDirectoryStructures, soci::use(nationalId), soci::into(ids);
  return {ids.begin(), ids.end()};
}

}  // namespace sas::storage
