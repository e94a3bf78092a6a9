#include "oidc/client.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <openssl/ssl.h>

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

// What a refusing endpoint says (OAuth's error and error_description), for the audit log.
std::string providerSays(const HttpAnswer& a) {
  std::string out = "HTTP " + std::to_string(a.status);
  auto doc = nlohmann::json::parse(a.body, nullptr, false);
  if (doc.is_object()) {
    for (const char* name : {"error", "error_description"})
      if (auto it = doc.find(name); it != doc.end() && it->is_string())
        out += " " + it->get<std::string>().substr(0, 200);
  }
  return out;
}

Poco::Net::Context::Ptr tlsContext(const ClientSettings& s, bool withCertificate) {
  Poco::Net::Context::Params p;
  // The provider's certificate must chain to a trusted CA (psc.ca_file, else the system's);
  // its name is checked against the host (POCO spares only loopback names from that check).
  p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  p.loadDefaultCAs = s.caFile.empty();
  p.caLocation = s.caFile;
  if (withCertificate) {
    p.certificateFile = s.clientCertificate;
    p.privateKeyFile = s.clientKey;
  }
  try {
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    if (withCertificate && SSL_CTX_check_private_key(ctx->sslContext()) != 1)
      throw OidcError("psc.client_key n'est pas la clé de psc.client_certificate");
    return ctx;
  } catch (const Poco::Exception& e) {
    throw OidcError(
        std::string(withCertificate ? "psc.client_certificate / psc.client_key" : "psc.ca_file") +
        " inutilisable : " + e.displayText());
  }
}

}  // namespace

Client::Client(ClientSettings settings) : settings_(std::move(settings)) {
  if (settings_.clientCertificate.empty() != settings_.clientKey.empty())
    throw OidcError("psc.client_certificate et psc.client_key vont ensemble");
  tls_ = tlsContext(settings_, false);
  mutualTls_ = mutualTls() ? tlsContext(settings_, true) : tls_;
}

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
  if (auto it = doc.find("mtls_endpoint_aliases"); it != doc.end() && it->is_object()) {
    m.mtlsTokenEndpoint = field(*it, "token_endpoint", false);
    m.mtlsUserinfoEndpoint = field(*it, "userinfo_endpoint", false);
  }
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
      session = std::make_unique<Poco::Net::HTTPSClientSession>(
          uri.getHost(), uri.getPort(), clientCertificate ? mutualTls_ : tls_);
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
  } catch (const Poco::Net::CertificateValidationException& e) {
    throw OidcError("certificat du fournisseur refusé : " + e.displayText());
  } catch (const Poco::Net::SSLException& e) {
    // The one failure of the handshake that is ours to fix: the provider's chain.
    const bool chain = e.displayText().find("certificate verify failed") != std::string::npos;
    throw OidcError(std::string(chain ? "certificat du fournisseur non reconnu (psc.ca_file ?) : "
                                      : "connexion TLS refusée : ") +
                    e.displayText());
  } catch (const Poco::Exception& e) {
    throw OidcError("fournisseur injoignable : " + e.displayText());
  } catch (const std::exception& e) {
    throw OidcError(std::string("fournisseur injoignable : ") + e.what());
  }
}

ProviderMetadata Client::discover() const {
  std::string url = settings_.discoveryUrl;
  if (url.empty()) {
    url = settings_.issuer;
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += "/.well-known/openid-configuration";
  }
  auto a = request("GET", url);
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
  // client_secret_post; without a secret (a registration with mTLS alone, tls_client_auth)
  // the certificate authenticates the client and client_id names it.
  std::string body = "grant_type=authorization_code&code=" + enc(code) +
                     "&redirect_uri=" + enc(settings_.redirectUri) +
                     "&client_id=" + enc(settings_.clientId) +
                     "&code_verifier=" + enc(codeVerifier);
  if (!settings_.clientSecret.empty()) body += "&client_secret=" + enc(settings_.clientSecret);
  // An mTLS client uses the provider's mTLS alias when it has one (RFC 8705 §5), and never
  // sends its code where the certificate cannot be presented.
  const std::string& endpoint =
      mutualTls() && !meta.mtlsTokenEndpoint.empty() ? meta.mtlsTokenEndpoint : meta.tokenEndpoint;
  if (mutualTls() && Poco::URI(endpoint).getScheme() != "https")
    throw OidcError("certificat client configuré mais point de jeton sans TLS : " + endpoint);
  HttpAnswer a;
  try {
    a = request("POST", endpoint, body, "", true);
  } catch (const OidcError& e) {
    const std::string what = e.what();
    const bool ours = what.find("certificat du fournisseur") != std::string::npos;
    throw OidcError("échange du code : " + what +
                    (mutualTls() && !ours ? " (certificat client refusé ?)" : ""));
  }
  auto doc = nlohmann::json::parse(a.body, nullptr, false);
  if (a.status != 200 || doc.is_discarded() || !doc.is_object())
    throw OidcError("échange du code refusé (" + providerSays(a) + ")");
  TokenResponse t;
  t.idToken = doc.value("id_token", "");
  t.accessToken = doc.value("access_token", "");
  if (t.idToken.empty()) throw OidcError("réponse du fournisseur sans jeton d'identité");
  return t;
}

HttpAnswer Client::userinfo(const ProviderMetadata& meta, const std::string& accessToken) const {
  if (meta.userinfoEndpoint.empty()) throw OidcError("fournisseur sans userinfo");
  const std::string& endpoint = mutualTls() && !meta.mtlsUserinfoEndpoint.empty()
                                    ? meta.mtlsUserinfoEndpoint
                                    : meta.userinfoEndpoint;
  auto a = request("GET", endpoint, "", accessToken, true);
  if (a.status != 200) throw OidcError("userinfo refusé (" + providerSays(a) + ")");
  return a;
}

}  // namespace sas::oidc
