#include "support/oidc_provider.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <thread>

#include "oidc/test_signer.hpp"
#include "support/child_process.hpp"

namespace sas::test {

int freePort() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = probe.address().port();
  probe.close();
  return port;
}

TestPki::TestPki() {
  char tmpl[] = "/tmp/sas-psc-pki-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
  dir_ = tmpl;
  // EC P-256 keys, certificates valid two days; the server's names 127.0.0.1 and localhost.
  const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
  auto ca = [&](const std::string& name, const std::string& cn) {
    return "openssl req -x509 " + key + " -keyout " + name + "-key.pem -out " + name +
           ".pem -days 2 -subj '/CN=" + cn + "'";
  };
  auto issued = [&](const std::string& name, const std::string& cn, const std::string& by,
                    const std::string& ext) {
    return "printf '" + ext + "\\n' > " + name + ".ext && openssl req " + key + " -keyout " + name +
           "-key.pem -out " + name + ".csr -subj '/CN=" + cn + "' && openssl x509 -req -in " +
           name + ".csr -CA " + by + ".pem -CAkey " + by + "-key.pem -CAcreateserial -out " + name +
           ".pem -days 2 -extfile " + name + ".ext";
  };
  const std::string script =
      "cd '" + dir_ + "' && " + ca("ca", "AC de test PSC") + " && " +
      issued("server", "127.0.0.1", "ca",
             "subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth") +
      " && " + issued("client", "sas-local", "ca", "extendedKeyUsage=clientAuth") + " && " +
      ca("other-ca", "Autre AC") + " && " +
      issued("other-client", "sas-local", "other-ca", "extendedKeyUsage=clientAuth") +
      " > openssl.log 2>&1";
  if (std::system(script.c_str()) != 0)
    throw std::runtime_error("openssl could not make the test PKI (see " + dir_ + "/openssl.log)");
}

TestPki::~TestPki() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

OidcProviderProcess::OidcProviderProcess() : port_(freePort()) {
  start(nullptr);
}

OidcProviderProcess::OidcProviderProcess(const TestPki& pki)
    : port_(freePort()), mtlsPort_(freePort()) {
  start(&pki);
}

void OidcProviderProcess::start(const TestPki* pki) {
  const std::string script = std::string(SAS_SOURCE_DIR) + "/tests/oidc/provider.mjs";
  const std::string port = std::to_string(port_);
  const std::string mtlsPort = std::to_string(mtlsPort_);
  pid_ = fork();
  if (pid_ == 0) {
    // Quiet: the provider's start-up warning (in-memory adapter) is expected here. dup2, not
    // freopen: freopen would flush the parent's buffered output a second time.
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0) _exit(126);
    if (pki) {
      setenv("PSC_TEST_MTLS_PORT", mtlsPort.c_str(), 1);
      setenv("PSC_TEST_MTLS_DIR", pki->dir().c_str(), 1);
    }
    execlp("node", "node", script.c_str(), port.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (const int p : {port_, mtlsPort_})
    if (p != 0 && !acceptsConnections(p, std::chrono::seconds{10}))
      throw std::runtime_error(
          "oidc-provider did not start (npm ci, then node tests/oidc/provider.mjs)");
}

OidcProviderProcess::~OidcProviderProcess() {
  endChild(pid_);
}

Page UrlClient::send(const std::string& method, const std::string& url, const std::string& body) {
  Poco::URI uri(url);
  Page page = exchange(uri.getHost(), uri.getPort(), method, uri.getPathAndQuery(), body, cookies_);
  if (!page.location.empty() && page.location[0] == '/')
    page.location = uri.getScheme() + "://" + uri.getAuthority() + page.location;
  return page;
}

Page UrlClient::get(const std::string& url) {
  return send("GET", url, "");
}

Page UrlClient::post(const std::string& url, const Form& form) {
  return send("POST", url, encodeForm(form));
}

std::string queryParam(const std::string& url, const std::string& name) {
  Poco::URI uri(url);
  for (const auto& [k, v] : uri.getQueryParameters())
    if (k == name) return v;
  return {};
}

namespace {
std::string pathOf(const std::string& url) {
  Poco::URI uri(url);
  return uri.getPathAndQuery();
}
}  // namespace

Page signInWithPsc(Browser& platform, UrlClient& provider, const std::string& rpps,
                   const std::string& startPath) {
  Page start = platform.get(startPath);
  if (start.status != 303) return start;
  // The provider: the authorization request, then its login page (a form in an interaction).
  Page p = provider.get(start.location);
  for (int hops = 0; hops < 10 && p.status >= 300 && p.status < 400; ++hops) {
    if (p.location.find("/psc/retour") != std::string::npos) break;
    p = provider.get(p.location);
  }
  if (p.status == 200) {
    static const std::regex action(R"(action="([^"]+)\")");
    std::smatch m;
    if (!std::regex_search(p.body, m, action)) return p;
    Poco::URI base(start.location);
    p = provider.post(base.getScheme() + "://" + base.getAuthority() + std::string(m[1]),
                      {{"rpps", rpps}});
    for (int hops = 0; hops < 10 && p.status >= 300 && p.status < 400; ++hops) {
      if (p.location.find("/psc/retour") != std::string::npos) break;
      p = provider.get(p.location);
    }
  }
  if (p.location.find("/psc/retour") == std::string::npos) return p;
  return platform.get(pathOf(p.location));
}

// ---- stand-in provider ----

struct StandInProvider::State {
  std::mutex mutex;
  std::string issuer;
  sas::oidc::testing::TestSigner key{sas::oidc::testing::TestSigner::Kind::Rsa, "standin-rsa"};
  std::function<nlohmann::json(const std::string&)> claims;
  const sas::oidc::testing::TestSigner* signer = nullptr;
  std::string nonce;
  std::string lastSubject;
};

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<StandInProvider::State> s) : s_(std::move(s)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& res) override {
    std::string body;
    Poco::StreamCopier::copyToString(req.stream(), body);
    const std::string path = Poco::URI(req.getURI()).getPath();
    std::lock_guard lock(s_->mutex);
    nlohmann::json out;
    if (path == "/.well-known/openid-configuration") {
      out = {{"issuer", s_->issuer},
             {"authorization_endpoint", s_->issuer + "/authorize"},
             {"token_endpoint", s_->issuer + "/token"},
             {"userinfo_endpoint", s_->issuer + "/userinfo"},
             {"jwks_uri", s_->issuer + "/jwks"},
             {"end_session_endpoint", s_->issuer + "/logout"}};
    } else if (path == "/jwks") {
      out = sas::oidc::testing::jwksOf({&s_->key});
    } else if (path == "/token" && s_->claims) {
      auto claims = s_->claims(s_->nonce);
      s_->lastSubject = claims.value("sub", "");
      const auto* signer = s_->signer ? s_->signer : &s_->key;
      out = {{"id_token", signer->sign(claims)}, {"access_token", "at"}, {"token_type", "Bearer"}};
    } else if (path == "/userinfo") {
      out = {{"sub", s_->lastSubject},
             {"SubjectNameID", "899700000009"},
             {"given_name", "Test"},
             {"family_name", "STANDIN"}};
    } else {
      res.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      res.send() << "{}";
      return;
    }
    res.setContentType("application/json");
    res.send() << out.dump();
  }

 private:
  std::shared_ptr<StandInProvider::State> s_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<StandInProvider::State> s) : s_(std::move(s)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(s_);
  }

 private:
  std::shared_ptr<StandInProvider::State> s_;
};

}  // namespace

StandInProvider::StandInProvider() : state_(std::make_shared<State>()) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  state_->issuer = issuer();
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket,
                                                    new Poco::Net::HTTPServerParams);
  server_->start();
}

StandInProvider::~StandInProvider() {
  server_->stopAll(true);
}

void StandInProvider::answer(std::function<nlohmann::json(const std::string&)> claims,
                             const sas::oidc::testing::TestSigner* signer) {
  std::lock_guard lock(state_->mutex);
  state_->claims = std::move(claims);
  state_->signer = signer;
}

void StandInProvider::expectNonce(const std::string& nonce) {
  std::lock_guard lock(state_->mutex);
  state_->nonce = nonce;
}

const sas::oidc::testing::TestSigner& StandInProvider::publishedKey() const {
  return state_->key;
}

}  // namespace sas::test
