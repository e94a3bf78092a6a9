#include "oidc/client.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <memory>
#include <sstream>

namespace sas::oidc {

namespace {

std::string enc(const std::string& v) {
  std::string out;
  Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]% \"<>", out);
  return out;
}

std::string field(const nlohmann::json& j, const char* name, bool required) {
  auto it = j.find(name);
  if (it != j.end() && it->is_string() && !it->get<std::string>().empty())
    return it->get<std::string>();
  if (required) throw OidcError(std::string("document de découverte sans ") + name);
  return {};
}

std::string withQuery(const std::string& endpoint, const std::string& query) {
  return endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace

ProviderMetadata parseDiscovery(const std::string& body, const std::string& expectedIssuer) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw OidcError("document de découverte illisible");
  ProviderMetadata m;
  m.issuer = field(doc, "issuer", true);
  if (m.issuer != expectedIssuer)
    throw OidcError("le document de découverte annonce un autre émetteur");
  m.authorizationEndpoint = field(doc, "authorization_endpoint", true);
  m.tokenEndpoint = field(doc, "token_endpoint", true);
  m.jwksUri = field(doc, "jwks_uri", true);
  m.userinfoEndpoint = field(doc, "userinfo_endpoint", false);
  m.endSessionEndpoint = field(doc, "end_session_endpoint", false);
  return m;
}

std::string authorizationUrl(const ProviderMetadata& meta, const ClientSettings& s,
                             const std::string& state, const std::string& nonce,
                             const std::string& codeVerifier, const std::string& loginHint) {
  std::string q = "response_type=code&client_id=" + enc(s.clientId) +
                  "&redirect_uri=" + enc(s.redirectUri) + "&scope=" + enc(s.scope) +
                  "&acr_values=" + enc(s.acrValues) + "&state=" + enc(state) +
                  "&nonce=" + enc(nonce) + "&code_challenge=" + enc(pkceChallenge(codeVerifier)) +
                  "&code_challenge_method=S256";
  if (!loginHint.empty()) q += "&login_hint=" + enc(loginHint);
  return withQuery(meta.authorizationEndpoint, q);
}

std::string endSessionUrl(const ProviderMetadata& meta, const std::string& idTokenHint,
                          const std::string& postLogoutRedirectUri, const std::string& state) {
  if (meta.endSessionEndpoint.empty()) return {};
  return withQuery(meta.endSessionEndpoint,
                   "id_token_hint=" + enc(idTokenHint) + "&post_logout_redirect_uri=" +
                       enc(postLogoutRedirectUri) + "&state=" + enc(state));
}

HttpAnswer Client::request(const std::string& method, const std::string& url,
                           const std::string& formBody, const std::string& bearer,
                           bool clientCertificate) const {
  try {
    Poco::URI uri(url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      Poco::Net::Context::Params p;
      p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
      p.loadDefaultCAs = settings_.caFile.empty();
      p.caLocation = settings_.caFile;
      if (clientCertificate && !settings_.clientCertificate.empty()) {
        p.certificateFile = settings_.clientCertificate;
        p.privateKeyFile = settings_.clientKey;
      }
      Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), ctx);
    } else if (uri.getScheme() == "http") {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    } else {
      throw OidcError("adresse du fournisseur invalide");
    }
    session->setTimeout(Poco::Timespan(static_cast<long>(settings_.timeout.count() / 1000),
                                       static_cast<long>(settings_.timeout.count() % 1000) * 1000));
    Poco::Net::HTTPRequest req(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Accept", "application/json, application/jwt");
    if (!bearer.empty()) req.set("Authorization", "Bearer " + bearer);
    if (method == "POST") {
      req.setContentType("application/x-www-form-urlencoded");
      req.setContentLength(static_cast<std::streamsize>(formBody.size()));
      session->sendRequest(req) << formBody;
    } else {
      session->sendRequest(req);
    }
    Poco::Net::HTTPResponse res;
    std::istream& in = session->receiveResponse(res);
    HttpAnswer a;
    a.status = static_cast<int>(res.getStatus());
    a.contentType = res.getContentType();
    Poco::StreamCopier::copyToString(in, a.body);
    return a;
  } catch (const OidcError&) {
    throw;
  } catch (const std::exception& e) {
    throw OidcError(std::string("fournisseur injoignable: ") + e.what());
  }
}

ProviderMetadata Client::discover() const {
  std::string base = settings_.issuer;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto a = request("GET", base + "/.well-known/openid-configuration");
  if (a.status != 200) throw OidcError("document de découverte indisponible");
  return parseDiscovery(a.body, settings_.issuer);
}

Jwks Client::keys(const ProviderMetadata& meta) const {
  auto a = request("GET", meta.jwksUri);
  if (a.status != 200) throw OidcError("clés du fournisseur indisponibles");
  return Jwks::parse(a.body);
}

TokenResponse Client::exchangeCode(const ProviderMetadata& meta, const std::string& code,
                                   const std::string& codeVerifier) const {
  std::string body =
      "grant_type=authorization_code&code=" + enc(code) +
      "&redirect_uri=" + enc(settings_.redirectUri) + "&client_id=" + enc(settings_.clientId) +
      "&client_secret=" + enc(settings_.clientSecret) + "&code_verifier=" + enc(codeVerifier);
  auto a = request("POST", meta.tokenEndpoint, body, "", true);
  auto doc = nlohmann::json::parse(a.body, nullptr, false);
  if (a.status != 200 || doc.is_discarded() || !doc.is_object())
    throw OidcError("échange du code refusé (HTTP " + std::to_string(a.status) + ")");
  TokenResponse t;
  t.idToken = doc.value("id_token", "");
  t.accessToken = doc.value("access_token", "");
  if (t.idToken.empty()) throw OidcError("réponse du fournisseur sans jeton d'identité");
  return t;
}

HttpAnswer Client::userinfo(const ProviderMetadata& meta, const std::string& accessToken) const {
  if (meta.userinfoEndpoint.empty()) throw OidcError("fournisseur sans userinfo");
  auto a = request("GET", meta.userinfoEndpoint, "", accessToken);
  if (a.status != 200) throw OidcError("userinfo refusé (HTTP " + std::to_string(a.status) + ")");
  return a;
}

}  // namespace sas::oidc
