#include <algorithm>
#include <chrono>
#include <string>

#include "app/psc_service.hpp"
#include "http/errors.hpp"
#include "http/login_redirect.hpp"
#include "http/pages/pages.hpp"
#include "http/terms_gate.hpp"

namespace sas::http {
namespace {

/// « Réessayez dans 3 minutes. », rounded up.
std::string retryText(std::chrono::seconds wait) {
  const auto minutes = std::max<long long>(1, (wait.count() + 59) / 60);
  return "Réessayez dans " + std::to_string(minutes) + (minutes > 1 ? " minutes." : " minute.");
}

Response loginPage(PageServices& s, const Request& req, const std::string& email, bool failed,
                   std::chrono::seconds addressWait = std::chrono::seconds{0}) {
  auto model = layoutModel(req, "Connexion");
  model["email"] = email;
  // Only a local target travels on; anything else is dropped here already.
  model["suite"] = isLocalTarget(req.param("suite")) ? req.param("suite") : "";
  const bool throttled = addressWait.count() > 0;
  model["failed"] = failed && !throttled;
  model["throttled"] = throttled;
  model["retry"] = throttled ? retryText(addressWait) : "";
  model["loggedOut"] = req.param("deconnecte") == "1";
  model["psc"] = s.psc != nullptr;  // « S'identifier avec Pro Santé Connect »
  // Pro Santé Connect's sign-in comes back to the same page as the password's.
  model["pscUrl"] = withSuite("/psc/connexion", model["suite"].get<std::string>());
  auto response =
      Response::html(s.views.page("pages/login", model),
                     throttled ? statusOf(app::ErrorCode::TooManyRequests) : (failed ? 422 : 200));
  if (throttled) response.headers.emplace_back("Retry-After", std::to_string(addressWait.count()));
  return response;
}

Response showHome(PageServices& s, Request& req) {
  return Response::html(s.views.page("pages/home", layoutModel(req, "Accueil")));
}

Response showLogin(PageServices& s, Request& req) {
  if (req.session) return Response::redirect(afterLogin(req.param("suite")));
  return loginPage(s, req, "", false);
}

Response logIn(PageServices& s, Request& req) {
  const std::string email = req.param("email");
  const auto result = s.auth.login(email, req.param("password"), req.clientAddress);
  if (result.outcome == app::LoginResult::Outcome::AddressThrottled)
    return loginPage(s, req, email, true, result.retryAfter);
  if (result.outcome != app::LoginResult::Outcome::LoggedIn) return loginPage(s, req, email, true);
  // A session of another user in this browser ends here: one browser, one account.
  if (!req.sessionToken.empty()) s.auth.logout(req.sessionToken, req.clientAddress);
  // Without JavaScript (the form's <noscript> field) the CGU pop-in cannot open over the page
  // asked for: the page /cgu/accepter first, which goes straight on if they are accepted.
  const std::string next = afterLogin(req.param("suite"));
  auto r =
      Response::redirect(req.param("sans_javascript") == "1" ? withSuite(kTermsPage, next) : next);
  r.cookies.push_back({kSessionCookie, result.sessionToken, -1});
  r.cookies.push_back({kCsrfCookie, "", 0});
  return r;
}

Response logOut(PageServices& s, Request& req) {
  // A Pro Santé Connect session also ends at the provider (its end_session_endpoint).
  const std::string providerLogout = s.psc ? s.psc->logoutUrl(req.sessionToken) : "";
  s.auth.logout(req.sessionToken, req.clientAddress);
  auto r = Response::redirect(providerLogout.empty() ? "/connexion?deconnecte=1" : providerLogout);
  r.cookies.push_back({kSessionCookie, "", 0});
  return r;
}

}  // namespace

void addAuthPages(Router& router, PageServices& s) {
  router.add("GET", "/", handle(s, showHome));
  router.add("GET", "/connexion", handle(s, showLogin));
  router.add("POST", "/connexion", handle(s, logIn));
  router.add("POST", "/deconnexion", handle(s, logOut));
}

}  // namespace sas::http
