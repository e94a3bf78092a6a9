#include "app/psc_service.hpp"

#include <exception>

#include "app/directory_import.hpp"
#include "app/email_links.hpp"
#include "domain/reference.hpp"

namespace sas::app {

PscService::PscService(IdentityProvider& provider, PscRepository& repo,
                       DirectoryRepository& directory, UserRepository& users,
                       StructureRepository& structures, Geocoder& geocoder, AuthService& auth,
                       AuditLog& audit, const Tokens& tokens, const EmailTemplates& emails,
                       const Clock& clock, PscSettings settings)
    : provider_(provider),
      repo_(repo),
      directory_(directory),
      users_(users),
      structures_(structures),
      geocoder_(geocoder),
      auth_(auth),
      audit_(audit),
      tokens_(tokens),
      emails_(emails),
      clock_(clock),
      settings_(std::move(settings)) {}

std::string PscService::reference() const {
  // A short code the user can quote to the support.
  return "PSC-" + domain::readableCode(tokens_.randomBytes(10));
}

PscStart PscService::start(const std::string& clientAddress) {
  PscStart out;
  const std::string state = tokens_.random();
  const std::string nonce = tokens_.random();
  const std::string verifier = tokens_.random();
  const std::string secret = tokens_.random();
  try {
    out.url = provider_.authorizationUrl(state, nonce, verifier);
  } catch (const std::exception& e) {
    out.reference = reference();
    audit_.record(
        {std::nullopt, "psc.failed", "", out.reference + " provider: " + e.what(), clientAddress},
        clock_.now());
    return out;
  }
  repo_.savePending({tokens_.digest(state), tokens_.digest(secret), nonce, verifier, clock_.now()});
  out.ok = true;
  out.browserSecret = secret;
  return out;
}

PscCallback PscService::fail(const std::string& problem, const std::string& clientAddress,
                             const std::string& subject) {
  PscCallback out;
  out.reference = reference();
  audit_.record({std::nullopt, "psc.failed", subject.empty() ? "" : "psc:" + subject,
                 out.reference + " " + problem, clientAddress},
                clock_.now());
  return out;
}

PscCallback PscService::callback(const std::string& state, const std::string& code,
                                 const std::string& providerError, const std::string& browserSecret,
                                 const std::string& clientAddress) {
  if (state.empty() || state.size() > 200) return fail("state", clientAddress);
  auto pending = repo_.takePending(tokens_.digest(state));
  if (!pending) return fail("state", clientAddress);
  if (browserSecret.empty() ||
      !tokens_.equal(tokens_.digest(browserSecret), pending->browserDigest))
    return fail("state (autre navigateur)", clientAddress);
  if (clock_.now() - pending->createdAt > settings_.pendingLifetime)
    return fail("state (expiré)", clientAddress);
  if (!providerError.empty())
    return fail("provider: " + providerError.substr(0, 100), clientAddress);
  if (code.empty() || code.size() > 2000) return fail("code", clientAddress);

  IdentityResult result;
  try {
    result = provider_.complete(code, pending->nonce, pending->codeVerifier, clock_.now());
  } catch (const std::exception& e) {
    return fail(std::string("provider: ") + e.what(), clientAddress);
  }
  if (!result.ok()) return fail(result.problem, clientAddress);
  const auto& id = result.identity;

  if (auto userId = repo_.linkedUser(id.issuer, id.subject)) {
    auto user = users_.findById(*userId);
    if (!user || user->disabled) return fail("compte désactivé", clientAddress, id.subject);
    PscCallback out;
    out.kind = PscCallback::Kind::LoggedIn;
    out.sessionToken = openPscSession(*userId, id.idToken, clientAddress);
    audit_.record({*userId, "psc.login", "psc:" + id.subject, id.nationalId, clientAddress},
                  clock_.now());
    return out;
  }
  PscCallback out;
  out.kind = PscCallback::Kind::NotLinked;
  out.identity = id;
  out.profileToken = tokens_.random();
  repo_.saveProfile({tokens_.digest(out.profileToken), id, clock_.now()});
  audit_.record({std::nullopt, "psc.not_linked", "psc:" + id.subject, id.nationalId, clientAddress},
                clock_.now());
  return out;
}

std::string PscService::openPscSession(std::int64_t userId, const std::string& idToken,
                                       const std::string& clientAddress) {
  auto token = auth_.openSession(userId, clientAddress);
  repo_.rememberSession(tokens_.digest(token), idToken, clock_.now());
  return token;
}

std::optional<PscProfile> PscService::liveProfile(const std::string& profileToken) {
  if (profileToken.empty()) return std::nullopt;
  auto p = repo_.findProfile(tokens_.digest(profileToken));
  if (!p || clock_.now() - p->createdAt > settings_.profileLifetime) return std::nullopt;
  return p;
}

std::optional<ProfessionalIdentity> PscService::profile(const std::string& profileToken) {
  auto p = liveProfile(profileToken);
  if (!p) return std::nullopt;
  return p->identity;
}

bool PscService::overLimit(const std::string& subject) {
  return repo_.attemptsSince(subject, clock_.now() - settings_.attemptWindow) >=
         settings_.maxAttempts;
}

void PscService::sendLink(const PscProfile& profile, PscLinkKind kind, std::int64_t userId,
                          const std::string& email, const std::string& clientAddress) {
  const std::string raw = tokens_.random();
  const std::string minutes = std::to_string(settings_.linkLifetime.count() / 60);
  const bool linking = kind == PscLinkKind::LinkAccount;
  auto message =
      emails_.render(linking ? "psc_link" : "psc_verify", email,
                     {{"prenom", profile.identity.givenName},
                      {"nom", profile.identity.familyName},
                      {"lien", email_links::link(settings_.baseUrl, email_links::kPscLink, raw)},
                      {"minutes", minutes}});
  repo_.issueLink({tokens_.digest(raw), profile.digest, kind, userId, email, clock_.now(), false},
                  message,
                  {userId ? std::optional<std::int64_t>(userId) : std::nullopt,
                   linking ? "psc.link_sent" : "psc.verification_sent",
                   "psc:" + profile.identity.subject, email, clientAddress},
                  clock_.now());
  // The quota counts the emails sent, and only them (docs/rules.md#psc-first-login).
  repo_.recordAttempt(profile.identity.subject, clock_.now());
}

PscSubmit PscService::submitEmail(const std::string& profileToken, const std::string& typed,
                                  const std::string& clientAddress) {
  PscSubmit out;
  out.email = typed.substr(0, 254);
  auto p = liveProfile(profileToken);
  if (!p) {
    out.kind = PscSubmit::Kind::Expired;
    return out;
  }
  if (out.email.empty()) {
    out.errors.push_back({"email", "Renseignez votre adresse électronique."});
    return out;
  }
  if (!plausibleEmail(out.email)) {
    out.errors.push_back({"email",
                          "Renseignez une adresse électronique valide, par exemple "
                          "nom@domaine.fr."});
    return out;
  }
  const auto& id = p->identity;
  if (auto user = users_.findByEmail(out.email)) {
    // Case 1: the page sends nothing, so it does not count against the quota of links
    // (docs/rules.md#psc-first-login); it is audited, being the one answer that tells an
    // account exists.
    audit_.record(
        {std::nullopt, "psc.account_exists", "psc:" + id.subject, out.email, clientAddress},
        clock_.now());
    out.kind = PscSubmit::Kind::AccountExists;
    return out;
  }
  const bool hasPlaces =
      !id.activities.empty() ||
      (!id.nationalId.empty() && !directory_.directoryStructures(id.nationalId).empty());
  if (hasPlaces) {  // case 2: a health professional with practice places
    if (overLimit(id.subject)) {
      out.kind = PscSubmit::Kind::TooMany;
      return out;
    }
    sendLink(*p, PscLinkKind::VerifyEmail, 0, out.email, clientAddress);
    out.kind = PscSubmit::Kind::VerificationSent;
    return out;
  }
  audit_.record({std::nullopt, "psc.no_rights", "psc:" + id.subject, id.nationalId, clientAddress},
                clock_.now());
  out.kind = PscSubmit::Kind::NoRights;  // case 3
  return out;
}

PscSubmit PscService::requestAccountLink(const std::string& profileToken, const std::string& email,
                                         const std::string& clientAddress) {
  PscSubmit out;
  out.email = email.substr(0, 254);
  auto p = liveProfile(profileToken);
  if (!p) {
    out.kind = PscSubmit::Kind::Expired;
    return out;
  }
  auto user = users_.findByEmail(out.email);
  if (!user) return submitEmail(profileToken, out.email, clientAddress);
  if (overLimit(p->identity.subject)) {
    out.kind = PscSubmit::Kind::TooMany;
    return out;
  }
  // A disabled account gets no link, and the same page: nothing sent, nothing counted.
  if (!user->disabled) sendLink(*p, PscLinkKind::LinkAccount, user->id, out.email, clientAddress);
  out.kind = PscSubmit::Kind::AccountExists;
  return out;
}

PscSubmit PscService::resendVerification(const std::string& profileToken, const std::string& email,
                                         const std::string& clientAddress) {
  return submitEmail(profileToken, email, clientAddress);
}

std::vector<std::int64_t> PscService::practicePlaces(const ProfessionalIdentity& id) {
  if (!id.nationalId.empty()) {
    auto known = directory_.directoryStructures(id.nationalId);
    if (!known.empty()) return known;
  }
  std::vector<std::int64_t> out;
  for (const auto& a : id.activities)
    out.push_back(createPracticePlace(structures_, geocoder_, a,
                                      "Cabinet de " + id.givenName + " " + id.familyName));
  return out;
}

PscLinkUse PscService::useLink(const std::string& rawToken, const std::string& clientAddress) {
  PscLinkUse out;
  if (rawToken.empty() || rawToken.size() > 200) return out;
  auto link = repo_.findLink(tokens_.digest(rawToken));
  if (!link) return out;
  if (link->used) {
    out.kind = PscLinkUse::Kind::Used;
    return out;
  }
  if (clock_.now() - link->createdAt > settings_.linkLifetime) {
    out.kind = PscLinkUse::Kind::Expired;
    return out;
  }
  auto profile = repo_.findProfile(link->profileDigest);
  if (!profile) return out;
  const auto& id = profile->identity;
  if (repo_.linkedUser(id.issuer, id.subject)) {  // linked meanwhile by another link
    out.kind = PscLinkUse::Kind::Used;
    return out;
  }
  if (link->kind == PscLinkKind::LinkAccount) {
    auto user = users_.findById(link->userId);
    if (!user || user->disabled) return out;
    if (!repo_.useLink(link->digest, clock_.now())) {
      out.kind = PscLinkUse::Kind::Used;
      return out;
    }
    repo_.link(id.issuer, id.subject, id.nationalId, user->id, clock_.now());
    out.kind = PscLinkUse::Kind::LoggedIn;
    out.sessionToken = openPscSession(user->id, id.idToken, clientAddress);
    return out;
  }
  // Case 2: the address is verified; the account of a health professional is created.
  if (users_.findByEmail(link->email)) return out;
  if (!repo_.useLink(link->digest, clock_.now())) {
    out.kind = PscLinkUse::Kind::Used;
    return out;
  }
  const auto structureIds = practicePlaces(id);
  if (structureIds.empty()) return out;
  User user;
  user.email = link->email;
  user.firstName = id.givenName;
  user.lastName = id.familyName;
  user.role = Role::Practitioner;
  user.passwordHash = "!psc";  // no password: Pro Santé Connect only, until he sets one
  const auto userId = users_.create(user, structureIds, clock_.now());
  repo_.link(id.issuer, id.subject, id.nationalId, userId, clock_.now());
  audit_.record({userId, "psc.account_created", "psc:" + id.subject, id.nationalId, clientAddress},
                clock_.now());
  out.kind = PscLinkUse::Kind::AccountCreated;
  out.sessionToken = openPscSession(userId, id.idToken, clientAddress);
  return out;
}

void PscService::acceptTerms(const Actor& actor) {
  const auto id = std::to_string(actor.user.id);
  repo_.acceptTerms(actor.user.id,
                    {actor.user.id, "terms.accepted", "user:" + id, "", actor.clientAddress},
                    clock_.now());
}

std::string PscService::logoutUrl(const std::string& sessionToken) {
  if (sessionToken.empty()) return {};
  auto idToken = repo_.takeSession(tokens_.digest(sessionToken));
  if (!idToken) return {};
  try {
    return provider_.logoutUrl(*idToken, tokens_.random());
  } catch (const std::exception&) {
    return {};  // the platform's own logout is done; the provider's is best effort
  }
}

}  // namespace sas::app
