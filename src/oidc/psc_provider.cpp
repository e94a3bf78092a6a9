#include "oidc/psc_provider.hpp"

#include "domain/establishment_numbers.hpp"
#include "domain/text.hpp"

namespace sas::oidc {

namespace {

std::string str(const nlohmann::json& j, const char* name) {
  if (!j.is_object()) return {};
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

app::ProfessionalIdentity pscIdentity(const nlohmann::json& idClaims,
                                      const nlohmann::json& userinfo) {
  app::ProfessionalIdentity id;
  id.issuer = str(idClaims, "iss");
  id.subject = str(idClaims, "sub");
  auto pick = [&](const char* name) {
    auto v = str(userinfo, name);
    return v.empty() ? str(idClaims, name) : v;
  };
  id.nationalId = pick("SubjectNameID");
  if (id.nationalId.empty()) id.nationalId = pick("preferred_username");
  id.givenName = pick("given_name");
  id.familyName = pick("family_name");
  const nlohmann::json* ref = nullptr;
  if (userinfo.is_object() && userinfo.contains("SubjectRefPro"))
    ref = &userinfo["SubjectRefPro"];
  else if (idClaims.is_object() && idClaims.contains("SubjectRefPro"))
    ref = &idClaims["SubjectRefPro"];
  if (ref && ref->is_object() && ref->contains("exercices") && (*ref)["exercices"].is_array()) {
    for (const auto& ex : (*ref)["exercices"]) {
      if (!ex.is_object() || !ex.contains("activities") || !ex["activities"].is_array()) continue;
      for (const auto& a : ex["activities"]) {
        if (!a.is_object()) continue;
        app::PracticeActivity p;
        p.siret = domain::cleanSiret(str(a, "numeroSiretSite"));
        p.finess = domain::cleanFiness(str(a, "numeroFinessSite"));
        p.structureTechnicalId = str(a, "identifiantTechniqueDeLaStructure");
        p.rppsRang = domain::rppsRangOf(str(a, "ancienIdentifiantDeLaStructure"));
        p.name = str(a, "raisonSocialeSite");
        if (p.name.empty()) p.name = str(a, "enseigneCommercialeSite");
        p.street = domain::joinWords({str(a, "numeroVoie"), str(a, "indiceRepetitionVoie"),
                                      str(a, "libelleTypeDeVoie"), str(a, "libelleVoie")});
        p.postcode = str(a, "codePostal");
        p.city = str(a, "libelleCommune");
        // Not the town itself (« 93260 LES LILAS »): the commune table is asked first.
        p.postOffice = str(a, "bureauCedex");
        p.phone = str(a, "telephone");
        id.activities.push_back(std::move(p));
      }
    }
  }
  return id;
}

PscProvider::PscProvider(ClientSettings settings, std::string postLogoutRedirectUri)
    : client_(std::move(settings)), postLogoutRedirectUri_(std::move(postLogoutRedirectUri)) {}

namespace {

/// "https://host:port" of a URL, or empty.
std::string originOf(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos || scheme == 0) return {};
  const auto end = url.find_first_of("/?#", scheme + 3);
  if (end == scheme + 3) return {};
  return url.substr(0, end);
}

}  // namespace

ProviderMetadata PscProvider::metadata() {
  std::lock_guard lock(mutex_);
  if (!metadata_) {
    metadata_ = client_.discover();
    std::lock_guard originLock(originMutex_);
    endSessionOrigin_ = originOf(metadata_->endSessionEndpoint);
  }
  return *metadata_;
}

Jwks PscProvider::keys(bool refresh) {
  auto meta = metadata();
  std::lock_guard lock(mutex_);
  if (!keys_ || refresh) keys_ = client_.keys(meta);
  return *keys_;
}

std::string PscProvider::authorizationUrl(const std::string& state, const std::string& nonce,
                                          const std::string& codeVerifier) {
  return oidc::authorizationUrl(metadata(), client_.settings(), state, nonce, codeVerifier);
}

app::IdentityResult PscProvider::complete(const std::string& code, const std::string& nonce,
                                          const std::string& codeVerifier, domain::Instant now) {
  app::IdentityResult out;
  const auto meta = metadata();
  const auto tokens = client_.exchangeCode(meta, code, codeVerifier);
  const auto& s = client_.settings();
  IdTokenExpectations expected{s.issuer, s.clientId, nonce, now};
  auto jwks = keys(false);
  auto verified = verifyIdToken(tokens.idToken, jwks, expected);
  if (verified.problem == TokenProblem::Signature) {  // the provider may have rotated its keys
    jwks = keys(true);
    verified = verifyIdToken(tokens.idToken, jwks, expected);
  }
  if (!verified.ok()) {
    out.problem = problemName(verified.problem);
    return out;
  }
  nlohmann::json info = nlohmann::json::object();
  if (!meta.userinfoEndpoint.empty() && !tokens.accessToken.empty()) {
    auto answer = client_.userinfo(meta, tokens.accessToken);
    auto checked = verifyUserinfo(answer.body, answer.contentType, jwks, s.issuer, s.clientId,
                                  verified.claims.value("sub", ""));
    if (!checked.ok()) {
      out.problem = std::string("userinfo ") + problemName(checked.problem);
      return out;
    }
    info = checked.claims;
  }
  out.identity = pscIdentity(verified.claims, info);
  out.identity.idToken = tokens.idToken;
  return out;
}

std::vector<std::string> PscProvider::formActionOrigins() {
  std::vector<std::string> out;
  if (auto o = originOf(client_.settings().issuer); !o.empty()) out.push_back(o);
  // Its own lock: pages never wait for a discovery in progress.
  std::lock_guard lock(originMutex_);
  if (!endSessionOrigin_.empty() && (out.empty() || endSessionOrigin_ != out.front()))
    out.push_back(endSessionOrigin_);
  return out;
}

std::string PscProvider::logoutUrl(const std::string& idToken, const std::string& state) {
  return endSessionUrl(metadata(), idToken, postLogoutRedirectUri_, state);
}

}  // namespace sas::oidc
