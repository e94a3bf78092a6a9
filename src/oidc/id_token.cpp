#include "oidc/id_token.hpp"

namespace sas::oidc {

namespace {

bool audienceHas(const nlohmann::json& aud, const std::string& clientId, bool& several) {
  several = false;
  if (aud.is_string()) return aud.get<std::string>() == clientId;
  if (!aud.is_array()) return false;
  several = aud.size() > 1;
  for (const auto& a : aud)
    if (a.is_string() && a.get<std::string>() == clientId) return true;
  return false;
}

bool numeric(const nlohmann::json& claims, const char* name, long long& out) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return false;
  out = it->is_number_float() ? static_cast<long long>(it->get<double>()) : it->get<long long>();
  return true;
}

std::string text(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

const char* problemName(TokenProblem p) {
  switch (p) {
    case TokenProblem::None:
      return "ok";
    case TokenProblem::Malformed:
      return "malformed";
    case TokenProblem::Signature:
      return "signature";
    case TokenProblem::Issuer:
      return "issuer";
    case TokenProblem::Audience:
      return "audience";
    case TokenProblem::Expired:
      return "expired";
    case TokenProblem::IssuedAt:
      return "issued_at";
    case TokenProblem::Nonce:
      return "nonce";
    case TokenProblem::Acr:
      return "acr";
    case TokenProblem::Subject:
      return "subject";
  }
  return "unknown";
}

int acrRank(const std::string& acr) {
  if (acr == "eidas1") return 1;
  if (acr == "eidas2") return 2;
  if (acr == "eidas3") return 3;
  return 0;
}

VerifiedToken verifyIdToken(const std::string& compact, const Jwks& jwks,
                            const IdTokenExpectations& expected) {
  VerifiedToken out;
  auto jws = parseJws(compact);
  if (!jws) return out;
  if (!verifyWithJwks(*jws, jwks)) {
    out.problem = TokenProblem::Signature;
    return out;
  }
  const auto& c = jws->payload;
  if (text(c, "iss") != expected.issuer) {
    out.problem = TokenProblem::Issuer;
    return out;
  }
  bool several = false;
  if (!c.contains("aud") || !audienceHas(c["aud"], expected.clientId, several) ||
      ((several || c.contains("azp")) && text(c, "azp") != expected.clientId)) {
    out.problem = TokenProblem::Audience;
    return out;
  }
  const long long now =
      std::chrono::duration_cast<std::chrono::seconds>(expected.now.time_since_epoch()).count();
  const long long leeway = expected.leeway.count();
  long long exp = 0;
  if (!numeric(c, "exp", exp) || now >= exp + leeway) {
    out.problem = TokenProblem::Expired;
    return out;
  }
  long long iat = 0;
  if (!numeric(c, "iat", iat) || iat > now + leeway || now - iat > expected.maxAge.count()) {
    out.problem = TokenProblem::IssuedAt;
    return out;
  }
  if (expected.nonce.empty() || text(c, "nonce") != expected.nonce) {
    out.problem = TokenProblem::Nonce;
    return out;
  }
  if (acrRank(text(c, "acr")) < std::max(1, acrRank(expected.minimumAcr))) {
    out.problem = TokenProblem::Acr;
    return out;
  }
  if (text(c, "sub").empty()) {
    out.problem = TokenProblem::Subject;
    return out;
  }
  out.problem = TokenProblem::None;
  out.claims = c;
  return out;
}

VerifiedToken verifyUserinfo(const std::string& body, const std::string& contentType,
                             const Jwks& jwks, const std::string& issuer,
                             const std::string& clientId, const std::string& subject) {
  VerifiedToken out;
  nlohmann::json claims;
  if (contentType.find("application/jwt") != std::string::npos) {
    std::string compact = body;
    while (!compact.empty() &&
           (compact.back() == '\n' || compact.back() == '\r' || compact.back() == ' '))
      compact.pop_back();
    auto jws = parseJws(compact);
    if (!jws) return out;
    if (!verifyWithJwks(*jws, jwks)) {
      out.problem = TokenProblem::Signature;
      return out;
    }
    claims = jws->payload;
    if (claims.contains("iss") && text(claims, "iss") != issuer) {
      out.problem = TokenProblem::Issuer;
      return out;
    }
    bool several = false;
    if (claims.contains("aud") && !audienceHas(claims["aud"], clientId, several)) {
      out.problem = TokenProblem::Audience;
      return out;
    }
  } else {
    claims = nlohmann::json::parse(body, nullptr, false);
    if (claims.is_discarded() || !claims.is_object()) return out;
  }
  if (text(claims, "sub").empty() || text(claims, "sub") != subject) {
    out.problem = TokenProblem::Subject;
    return out;
  }
  out.problem = TokenProblem::None;
  out.claims = std::move(claims);
  return out;
}

}  // namespace sas::oidc
