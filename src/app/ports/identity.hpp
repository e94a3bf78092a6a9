#pragma once
// Pro Santé Connect seen from the application: an identity provider that builds the
// authorization request and turns the callback's code into a verified identity
// (docs/rules.md#psc-first-login), and the rows kept for it (sign-ins under way, linked
// identities, PSC sessions).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/model.hpp"
#include "app/ports/accounts.hpp"
#include "domain/calendar.hpp"

namespace sas::app {

/// One activity of the professional at a practice place (PSC SubjectRefPro.exercices[]
/// .activities[], or the directory's row).
struct PracticeActivity {
  std::string siret;
  std::string finess;
  std::string structureTechnicalId;
  std::string rppsRang;  // domain::rppsRangOf: the practice's own number when no SIRET/FINESS
  std::string name;  // raison sociale du site: its kind too (« MAISON DE SANTE … » is an MSP)
  std::string street;
  std::string postcode;
  std::string city;        // libellé commune; may be empty
  std::string postOffice;  // bureau cedex (« 75008 PARIS CEDEX 08 »): the town's last resort
  std::string phone;
};

struct ProfessionalIdentity {
  std::string issuer;
  std::string subject;     // `sub`
  std::string nationalId;  // SubjectNameID (RPPS / ADELI)
  std::string givenName;
  std::string familyName;
  std::vector<PracticeActivity> activities;
  std::string idToken;  // kept for the provider's logout (id_token_hint)
};

struct IdentityResult {
  /// Empty on success; else the check that failed ("state", "signature", "issuer", "audience",
  /// "expired", "issued_at", "nonce", "acr", "provider", …).
  std::string problem;
  ProfessionalIdentity identity;
  bool ok() const { return problem.empty(); }
};

class IdentityProvider {
 public:
  virtual ~IdentityProvider() = default;
  /// The provider's authorization URL; throws std::runtime_error when it cannot be reached.
  virtual std::string authorizationUrl(const std::string& state, const std::string& nonce,
                                       const std::string& codeVerifier) = 0;
  /// Exchanges the code, verifies the ID token (against `now`) and reads userinfo.
  virtual IdentityResult complete(const std::string& code, const std::string& nonce,
                                  const std::string& codeVerifier, domain::Instant now) = 0;
  /// The provider's end-session URL (empty when it has none).
  virtual std::string logoutUrl(const std::string& idToken, const std::string& state) = 0;
};

/// A sign-in under way: kept server-side, found by the digest of `state`, bound to the
/// browser by the digest of a cookie's secret.
struct PendingSignIn {
  std::string stateDigest;
  std::string browserDigest;
  std::string nonce;
  std::string codeVerifier;
  domain::Instant createdAt;
};

/// A verified PSC identity not linked yet, kept while the professional fills « Mise à jour du
/// compte » (found by the digest of a cookie's secret).
struct PscProfile {
  std::string digest;
  ProfessionalIdentity identity;
  domain::Instant createdAt;
};

/// A link sent by email: « lier … à votre compte existant » (case 1, userId set) or
/// « Vérification du courriel » (case 2).
enum class PscLinkKind { LinkAccount, VerifyEmail };

struct PscLink {
  std::string digest;
  std::string profileDigest;
  PscLinkKind kind = PscLinkKind::LinkAccount;
  std::int64_t userId = 0;
  std::string email;
  domain::Instant createdAt;
  bool used = false;
};

class PscRepository {
 public:
  virtual ~PscRepository() = default;
  virtual void saveProfile(const PscProfile& p) = 0;
  virtual std::optional<PscProfile> findProfile(const std::string& digest) = 0;
  /// Answers « Ce compte existe déjà » and links sent, per PSC identity (rate limit).
  virtual int attemptsSince(const std::string& subject, domain::Instant since) = 0;
  virtual void recordAttempt(const std::string& subject, domain::Instant now) = 0;
  /// Saves the link and queues its email in one transaction.
  virtual void issueLink(const PscLink& link, const EmailMessage& email, const AuditEntry& audit,
                         domain::Instant now) = 0;
  virtual std::optional<PscLink> findLink(const std::string& digest) = 0;
  /// Marks the link used; false when it was used meanwhile.
  virtual bool useLink(const std::string& digest, domain::Instant now) = 0;
  /// Records the CGU accepted, with its audit entry, once (false when they already were).
  virtual bool acceptTerms(std::int64_t userId, const AuditEntry& audit, domain::Instant now) = 0;
  virtual void savePending(const PendingSignIn& p) = 0;
  /// Finds and deletes (single use).
  virtual std::optional<PendingSignIn> takePending(const std::string& stateDigest) = 0;
  virtual std::optional<std::int64_t> linkedUser(const std::string& issuer,
                                                 const std::string& subject) = 0;
  virtual void link(const std::string& issuer, const std::string& subject,
                    const std::string& nationalId, std::int64_t userId, domain::Instant now) = 0;
  virtual void rememberSession(const std::string& sessionDigest, const std::string& idToken,
                               domain::Instant now) = 0;
  /// The ID token of a PSC session, forgotten at once (logout).
  virtual std::optional<std::string> takeSession(const std::string& sessionDigest) = 0;
};

/// The platform's copy of the health professionals' directory (`sas import-directory`): each
/// practice place is a Structure + Place owned by the professional's entry.
struct DirectoryProfessional {
  std::string nationalId;  // Identification nationale PP (RPPS prefixed by 8)
  std::string lastName;
  std::string firstName;
  std::string profession;
  std::string specialty;  // savoir-faire
};

class DirectoryRepository {
 public:
  virtual ~DirectoryRepository() = default;
  virtual void saveProfessional(const DirectoryProfessional& p) = 0;
  /// The structure already made for this professional's site (SIRET, FINESS or technical id).
  virtual std::optional<std::int64_t> directoryPlace(const std::string& nationalId,
                                                     const std::string& siteKey) = 0;
  virtual void addDirectoryPlace(const std::string& nationalId, const std::string& siteKey,
                                 std::int64_t structureId) = 0;
  /// The structures of the professional's practice places.
  virtual std::vector<std::int64_t> directoryStructures(const std::string& nationalId) = 0;
};

}  // namespace sas::app
