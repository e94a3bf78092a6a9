// Links sent by email (activation, reset, change of address), « Mot de passe oublié ? » and
// « Vos identifiants de connexion ».
#include <algorithm>

#include "app/errors.hpp"
#include "domain/password_policy.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

nlohmann::json rulesModel() {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : domain::passwordRulesText()) rules.push_back(r);
  return rules;
}

Response withSession(const Request& req, app::AuthService& auth, const std::string& token,
                     const std::string& location) {
  if (!req.sessionToken.empty()) auth.logout(req.sessionToken, req.clientAddress);
  auto r = Response::redirect(location);
  r.cookies.push_back({kSessionCookie, token, -1});
  r.cookies.push_back({kCsrfCookie, "", 0});
  return r;
}

Response invalidLink(AccountPageServices& s, const Request& req, app::LinkProblem problem) {
  auto model = layoutModel(req, "Lien expiré ou déjà utilisé");
  model["expired"] = problem == app::LinkProblem::Expired;
  model["used"] = problem == app::LinkProblem::Used;
  return Response::html(s.views.page("pages/link_invalid", model), 410);
}

struct LinkPage {
  app::TokenPurpose purpose;
  const char* path;  // "/activation/"
  const char* templateName;
  const char* title;
};

const LinkPage kActivation{app::TokenPurpose::Activation, "/activation/", "pages/set_password",
                           "Vos identifiants de connexion"};
const LinkPage kReset{app::TokenPurpose::Reset, "/reinitialisation/", "pages/set_password",
                      "Réinitialiser votre mot de passe"};

Response setPasswordPage(AccountPageServices& s, const Request& req, const LinkPage& page,
                         const app::LinkCheck& check, bool cguChecked,
                         const std::vector<domain::FieldError>& errors) {
  auto model = layoutModel(req, page.title);
  model["activation"] = page.purpose == app::TokenPurpose::Activation;
  model["email"] = check.user->email;
  model["action"] = std::string(page.path) + req.pathParams.at("jeton");
  model["cgu"] = cguChecked;
  model["rules"] = rulesModel();
  model["errors"] = errorsModel(errors);
  return Response::html(s.views.page(page.templateName, model), errors.empty() ? 200 : 422);
}

void addLinkPage(Router& router, AccountPageServices& s, const LinkPage& page) {
  const std::string pattern = std::string(page.path) + "{jeton}";
  router.add("GET", pattern, [&s, &page](Request& req) {
    auto check = s.accounts.checkLink(page.purpose, req.pathParams.at("jeton"));
    if (check.problem != app::LinkProblem::None) return invalidLink(s, req, check.problem);
    return setPasswordPage(s, req, page, check, false, {});
  });
  router.add("POST", pattern, [&s, &page](Request& req) {
    const auto& raw = req.pathParams.at("jeton");
    auto check = s.accounts.checkLink(page.purpose, raw);
    if (check.problem != app::LinkProblem::None) return invalidLink(s, req, check.problem);
    auto result = s.accounts.setPasswordWithLink(page.purpose, raw, req.param("mot_de_passe"),
                                                 req.checked("cgu"), req.clientAddress);
    if (!result.ok())
      return setPasswordPage(s, req, page, check, req.checked("cgu"), result.errors);
    return withSession(req, s.auth, *result.value, "/tableau-de-bord");
  });
}

Response accountPage(AccountPageServices& s, const Request& req, const std::string& which,
                     const std::vector<domain::FieldError>& errors, const std::string& typedEmail) {
  const auto& actor = req.actor();
  auto model = layoutModel(req, "Vos identifiants de connexion");
  model["email"] = actor.user.email;
  model["rules"] = rulesModel();
  model["showPassword"] = which == "mot-de-passe";
  model["showEmail"] = which == "adresse";
  model["expired"] = req.session->passwordExpired;
  model["newEmail"] = typedEmail;
  model["message"] = req.param("message") == "mot-de-passe"
                         ? "Votre mot de passe a été modifié."
                         : (req.param("message") == "adresse"
                                ? "Un lien de confirmation a été envoyé à la nouvelle adresse. "
                                  "Le changement prendra effet quand vous l'aurez ouvert."
                                : "");
  model["errors"] = errorsModel(errors);
  return Response::html(s.views.page("pages/account", model), errors.empty() ? 200 : 422);
}

}  // namespace

void addAccountPages(Router& router, AccountPageServices& s) {
  addLinkPage(router, s, kActivation);
  addLinkPage(router, s, kReset);

  router.add("GET", "/mot-de-passe-oublie", [&s](Request& req) {
    auto model = layoutModel(req, "Mot de passe oublié");
    return Response::html(s.views.page("pages/forgot_password", model));
  });
  router.add("POST", "/mot-de-passe-oublie", [&s](Request& req) {
    const auto wait = s.accounts.requestPasswordReset(req.param("email"), req.clientAddress);
    if (wait.count() > 0) {
      // About this address only: the form keeps what was typed and says when to come back.
      auto model = layoutModel(req, "Mot de passe oublié");
      model["email"] = req.param("email");
      const auto minutes = std::max<long long>(1, (wait.count() + 59) / 60);
      model["throttled"] = "Trop de tentatives depuis cette adresse. Réessayez dans " +
                           std::to_string(minutes) + (minutes > 1 ? " minutes." : " minute.");
      auto r = Response::html(s.views.page("pages/forgot_password", model), 429);
      r.headers.emplace_back("Retry-After", std::to_string(wait.count()));
      return r;
    }
    return Response::redirect("/mot-de-passe-oublie/envoye");
  });
  router.add("GET", "/mot-de-passe-oublie/envoye", [&s](Request& req) {
    auto model = layoutModel(req, "Mot de passe oublié");
    model["sent"] = true;
    model["hours"] = std::to_string(s.accounts.settings().resetLifetime.count() / 3600);
    return Response::html(s.views.page("pages/forgot_password", model));
  });

  router.add("GET", "/compte", [&s](Request& req) { return accountPage(s, req, "", {}, ""); });
  router.add("GET", "/compte/mot-de-passe",
             [&s](Request& req) { return accountPage(s, req, "mot-de-passe", {}, ""); });
  router.add("POST", "/compte/mot-de-passe", [&s](Request& req) {
    auto result =
        s.accounts.changePassword(req.actor(), req.sessionToken, req.param("mot_de_passe_actuel"),
                                  req.param("nouveau_mot_de_passe"));
    if (!result.ok()) return accountPage(s, req, "mot-de-passe", result.errors, "");
    return Response::redirect("/compte?message=mot-de-passe");
  });
  router.add("GET", "/compte/adresse",
             [&s](Request& req) { return accountPage(s, req, "adresse", {}, ""); });
  router.add("POST", "/compte/adresse", [&s](Request& req) {
    auto result = s.accounts.requestEmailChange(req.actor(), req.param("nouvelle_adresse"),
                                                req.param("mot_de_passe_actuel"));
    if (!result.ok())
      return accountPage(s, req, "adresse", result.errors, req.param("nouvelle_adresse"));
    return Response::redirect("/compte?message=adresse");
  });
  router.add("GET", "/compte/adresse/{jeton}", [&s](Request& req) {
    auto check = s.accounts.checkLink(app::TokenPurpose::EmailChange, req.pathParams.at("jeton"));
    if (check.problem != app::LinkProblem::None) return invalidLink(s, req, check.problem);
    auto model = layoutModel(req, "Confirmer votre nouvelle adresse");
    model["newEmail"] = check.token.newEmail;
    model["action"] = "/compte/adresse/" + req.pathParams.at("jeton");
    return Response::html(s.views.page("pages/confirm_email", model));
  });
  router.add("POST", "/compte/adresse/{jeton}", [&s](Request& req) {
    if (!s.accounts.confirmEmailChange(req.pathParams.at("jeton"), req.clientAddress)) {
      auto model = layoutModel(req, "Adresse non modifiée");
      model["failed"] = true;
      return Response::html(s.views.page("pages/confirm_email", model), 409);
    }
    auto model = layoutModel(req, "Adresse modifiée");
    model["done"] = true;
    return Response::html(s.views.page("pages/confirm_email", model));
  });

  router.add("GET", "/cgu", [&s](Request& req) {
    return Response::html(
        s.views.page("pages/cgu", layoutModel(req, "Conditions générales d'utilisation")));
  });
  router.add("GET", "/confidentialite", [&s](Request& req) {
    return Response::html(
        s.views.page("pages/privacy", layoutModel(req, "Politique de confidentialité")));
  });
}

}  // namespace sas::http
