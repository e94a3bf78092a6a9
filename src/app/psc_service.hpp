#pragma once
// « S'identifier avec Pro Santé Connect » (guide §1.1, docs/rules.md#psc-first-login): the
// sign-in's start and callback, « Mise à jour du compte » and its three cases, the links sent
// by email, and the provider's logout for a PSC session.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "app/auth_service.hpp"
#include "app/ports/accounts.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/geocoder.hpp"
#include "app/ports/identity.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/security.hpp"
#include "domain/checked.hpp"

namespace sas::app {

struct PscSettings {
  std::string baseUrl = "http://localhost:8080";
  std::chrono::seconds pendingLifetime{10 * 60};  // between the start and the callback
  std::chrono::seconds profileLifetime{30 * 60};  // to fill « Mise à jour du compte »
  std::chrono::seconds linkLifetime{5 * 60};      // the emails' links: 5 minutes (guide)
  int maxAttempts = 5;                            // emails sent (links of case 1 and 2) …
  std::chrono::seconds attemptWindow{3600};       // … per PSC identity and hour
};

struct PscStart {
  bool ok = false;
  std::string url;            // the provider's authorization URL
  std::string browserSecret;  // to keep in a cookie until the callback
  std::string reference;      // when !ok: shown on the error page, written in the audit log
};

struct PscCallback {
  enum class Kind { Failed, LoggedIn, NotLinked };
  Kind kind = Kind::Failed;
  std::string reference;          // Failed
  std::string sessionToken;       // LoggedIn
  ProfessionalIdentity identity;  // NotLinked
  std::string profileToken;       // NotLinked: the cookie for « Mise à jour du compte »
};

/// What « Soumettre » leads to.
struct PscSubmit {
  enum class Kind { Invalid, Expired, AccountExists, VerificationSent, NoRights, TooMany };
  Kind kind = Kind::Invalid;
  std::vector<domain::FieldError> errors;
  std::string email;
};

struct PscLinkUse {
  enum class Kind { Invalid, Expired, Used, LoggedIn, AccountCreated };
  Kind kind = Kind::Invalid;
  std::string sessionToken;
};

class PscService {
 public:
  PscService(IdentityProvider& provider, PscRepository& repo, DirectoryRepository& directory,
             UserRepository& users, StructureRepository& structures, Geocoder& geocoder,
             AuthService& auth, AuditLog& audit, const Tokens& tokens, const EmailTemplates& emails,
             const Clock& clock, PscSettings settings = {});

  PscStart start(const std::string& clientAddress);
  /// The callback's parameters; `browserSecret` is the cookie set by start().
  PscCallback callback(const std::string& state, const std::string& code,
                       const std::string& providerError, const std::string& browserSecret,
                       const std::string& clientAddress);
  /// The identity waiting for « Mise à jour du compte » (nothing when gone or too old).
  std::optional<ProfessionalIdentity> profile(const std::string& profileToken);
  /// « Soumettre »: case 1 (the email is an account's), 2 (email verification sent) or 3.
  PscSubmit submitEmail(const std::string& profileToken, const std::string& email,
                        const std::string& clientAddress);
  /// « Souhaitez-vous lier … à votre compte existant » and its « Cliquez ici » (case 1).
  PscSubmit requestAccountLink(const std::string& profileToken, const std::string& email,
                               const std::string& clientAddress);
  /// « Cliquez ici pour renvoyer le courriel » (case 2).
  PscSubmit resendVerification(const std::string& profileToken, const std::string& email,
                               const std::string& clientAddress);
  /// A link of an email: links the identity and logs in (case 1), or creates the account of a
  /// health professional with his practice places and logs in (case 2).
  PscLinkUse useLink(const std::string& rawToken, const std::string& clientAddress);
  void acceptTerms(const Actor& actor);
  /// Where to send the browser after the platform's logout of this session: the provider's
  /// end-session URL for a PSC session, else empty.
  std::string logoutUrl(const std::string& sessionToken);

 private:
  PscCallback fail(const std::string& problem, const std::string& clientAddress,
                   const std::string& subject = "");
  std::string reference() const;
  std::optional<PscProfile> liveProfile(const std::string& profileToken);
  bool overLimit(const std::string& subject);
  void sendLink(const PscProfile& profile, PscLinkKind kind, std::int64_t userId,
                const std::string& email, const std::string& clientAddress);
  /// The structures of his practice places: the directory's, else made from PSC's activities.
  std::vector<std::int64_t> practicePlaces(const ProfessionalIdentity& id);
  std::string openPscSession(std::int64_t userId, const std::string& idToken,
                             const std::string& clientAddress);

  IdentityProvider& provider_;
  PscRepository& repo_;
  DirectoryRepository& directory_;
  UserRepository& users_;
  StructureRepository& structures_;
  Geocoder& geocoder_;
  AuthService& auth_;
  AuditLog& audit_;
  const Tokens& tokens_;
  const EmailTemplates& emails_;
  const Clock& clock_;
  PscSettings settings_;
};

}  // namespace sas::app
