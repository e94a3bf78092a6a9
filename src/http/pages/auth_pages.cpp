#include <string>

#include "app/psc_service.hpp"
#include "http/pages/pages.hpp"
#include "http/server.hpp"

namespace sas::http {
namespace {

// Only a local path may follow a login, never another site.
std::string safeNext(const std::string& next) {
  if (next.size() > 1 && next[0] == '/' && next[1] != '/' && next[1] != '\\') return next;
  return "/tableau-de-bord";
}

Response loginPage(PageServices& s, const Request& req, const std::string& email, bool failed) {
  auto model = layoutModel(req, "Connexion");
  model["email"] = email;
  model["suite"] = req.param("suite");
  model["failed"] = failed;
  model["loggedOut"] = req.param("deconnecte") == "1";
  model["psc"] = s.psc != nullptr;  // « S'identifier avec Pro Santé Connect »
  return Response::html(s.views.page("pages/login", model), failed ? 422 : 200);
}

}  // namespace

nlohmann::json typesModel(domain::ConsultationTypes types) {
  nlohmann::json out = nlohmann::json::array();
  for (auto t : {domain::ConsultationType::Office, domain::ConsultationType::Teleconsultation,
                 domain::ConsultationType::HomeVisit}) {
    if (!types.has(t)) continue;
    domain::ConsultationTypes one;
    one.add(t);
    out.push_back({{"initial", domain::typeInitials(one)}, {"label", domain::typeLabel(t)}});
  }
  return out;
}

nlohmann::json errorsModel(const std::vector<domain::FieldError>& errors) {
  nlohmann::json m = nlohmann::json::object();
  nlohmann::json summary = nlohmann::json::array();
  for (const auto& e : errors) {
    const std::string key = e.field.empty() ? "form" : e.field;
    if (!m.contains(key)) m[key] = e.message;
    summary.push_back({{"field", e.field}, {"message", e.message}});
  }
  m["summary"] = summary;
  m["any"] = !errors.empty();
  return m;
}

void addAuthPages(Router& router, PageServices& s) {
  router.add("GET", "/", [&s](Request& req) {
    auto model = layoutModel(req, "Accueil");
    return Response::html(s.views.page("pages/home", model));
  });

  router.add("GET", "/connexion", [&s](Request& req) {
    if (req.session) return Response::redirect(safeNext(req.param("suite")));
    return loginPage(s, req, "", false);
  });

  router.add("POST", "/connexion", [&s](Request& req) {
    const std::string email = req.param("email");
    auto token = s.auth.login(email, req.param("password"), req.clientAddress);
    if (!token) return loginPage(s, req, email, true);
    // A session of another user in this browser ends here: one browser, one account.
    if (!req.sessionToken.empty()) s.auth.logout(req.sessionToken, req.clientAddress);
    auto r = Response::redirect(safeNext(req.param("suite")));
    r.cookies.push_back({kSessionCookie, *token, -1});
    r.cookies.push_back({kCsrfCookie, "", 0});
    return r;
  });

  router.add("POST", "/deconnexion", [&s](Request& req) {
    // A Pro Santé Connect session also ends at the provider (its end_session_endpoint).
    const std::string providerLogout = s.psc ? s.psc->logoutUrl(req.sessionToken) : "";
    s.auth.logout(req.sessionToken, req.clientAddress);
    auto r =
        Response::redirect(providerLogout.empty() ? "/connexion?deconnecte=1" : providerLogout);
    r.cookies.push_back({kSessionCookie, "", 0});
    return r;
  });
}

}  // namespace sas::http
