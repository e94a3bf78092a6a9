#pragma once
// Pro Santé Connect in the integration tests: the real `oidc-provider` started as a child
// process (tests/oidc/provider.mjs) on a free loopback port, a stand-in provider that signs
// whatever ID token the test composes (for the callback's negative tests), and a helper that
// follows the sign-in's redirects between the platform and the provider.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "support/test_platform.hpp"

namespace Poco::Net {
class HTTPServer;
}

namespace sas::oidc::testing {
class TestSigner;
}

namespace sas::test {

/// A free loopback port (for a server whose address must be known before it starts).
int freePort();

/// A test PKI made at test time with the `openssl` command in a temporary folder (no key is
/// committed): a CA, the provider's server certificate (127.0.0.1), a client certificate
/// issued by that CA, and a client certificate of another CA (not accepted by the provider).
class TestPki {
 public:
  TestPki();  // throws when `openssl` fails
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;
  const std::string& dir() const { return dir_; }
  std::string file(const std::string& name) const { return dir_ + "/" + name; }
  // ca.pem, server.pem / server-key.pem, client.pem / client-key.pem,
  // other-client.pem / other-client-key.pem (issued by other-ca.pem)

 private:
  std::string dir_;
};

class OidcProviderProcess {
 public:
  OidcProviderProcess();  // node tests/oidc/provider.mjs PORT
  /// The same, with its token and userinfo endpoints also on an mTLS port that requires a
  /// client certificate issued by `pki`'s CA (tests/oidc/provider.mjs, PSC_TEST_MTLS_*).
  explicit OidcProviderProcess(const TestPki& pki);
  ~OidcProviderProcess();
  std::string issuer() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  int mtlsPort() const { return mtlsPort_; }
  static constexpr const char* kClientId = "sas-local";
  static constexpr const char* kClientSecret = "secret-local";
  /// The `sub` of a test professional.
  static std::string subject(const std::string& rpps) { return "f:psc-test:" + rpps; }

 private:
  void start(const TestPki* pki);
  int port_ = 0;
  int mtlsPort_ = 0;
  int pid_ = 0;
};

/// An HTTP client with its own cookie jar, for any URL (the provider's pages).
class UrlClient {
 public:
  Page get(const std::string& url);
  Page post(const std::string& url, const Form& form);

 private:
  Page send(const std::string& method, const std::string& url, const std::string& body);
  std::map<std::string, std::string> cookies_;
};

/// « S'identifier avec Pro Santé Connect » from the platform's login page, login at the
/// provider as `rpps`, then the platform's callback: its answer (`platform` keeps the cookies).
Page signInWithPsc(Browser& platform, UrlClient& provider, const std::string& rpps,
                   const std::string& start = "/psc/connexion");

/// The query parameter `name` of a URL (decoded).
std::string queryParam(const std::string& url, const std::string& name);

/// A provider that answers discovery, jwks, token and userinfo, with an ID token built by the
/// test from the nonce of the authorization request.
class StandInProvider {
 public:
  StandInProvider();
  ~StandInProvider();
  std::string issuer() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  /// The claims of the next ID token (given the request's nonce) and the key signing it.
  void answer(std::function<nlohmann::json(const std::string& nonce)> claims,
              const sas::oidc::testing::TestSigner* signer = nullptr);
  /// Sets the nonce that the next token request's claims get (read from the authorization URL).
  void expectNonce(const std::string& nonce);
  const sas::oidc::testing::TestSigner& publishedKey() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

}  // namespace sas::test
