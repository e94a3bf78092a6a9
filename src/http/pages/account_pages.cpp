// Links sent by email (activation, reset, change of address), « Mot de passe oublié ? » and
// « Vos identifiants de connexion ».
#include <algorithm>
#include <iterator>

#include "app/errors.hpp"
#include "domain/password_policy.hpp"
#include "http/errors.hpp"
#include "http/login_redirect.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

nlohmann::json rulesModel() {
  // Each rule as the page lists it, with what static/js/password-policy.js calls the rules it
  // covers, so that the browser marks which one is not met while typing.
  static const char* const kCodes[] = {"longueur_min longueur_max", "special", "chiffre", "casse",
                                       "email"};
  nlohmann::json rules = nlohmann::json::array();
  const auto texts = domain::passwordRulesText();
  for (std::size_t i = 0; i < texts.size(); ++i)
    rules.push_back({{"text", texts[i]}, {"codes", i < std::size(kCodes) ? kCodes[i] : ""}});
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
  return Response::html(s.views.page("pages/link_invalid", model), statusOf(app::ErrorCode::Gone));
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

Response showLinkForm(AccountPageServices& s, const Request& req, const LinkPage& page) {
  auto check = s.accounts.checkLink(page.purpose, req.pathParams.at("jeton"));
  if (check.problem != app::LinkProblem::None) return invalidLink(s, req, check.problem);
  return setPasswordPage(s, req, page, check, false, {});
}

Response submitLinkForm(AccountPageServices& s, const Request& req, const LinkPage& page) {
  const bool cgu = req.checked("cgu");
  const auto use = s.accounts.setPasswordWithLink(
      page.purpose, req.pathParams.at("jeton"), req.param("mot_de_passe"), cgu, req.clientAddress);
  if (use.check.problem != app::LinkProblem::None) return invalidLink(s, req, use.check.problem);
  if (!use.session.ok()) return setPasswordPage(s, req, page, use.check, cgu, use.session.errors);
  return withSession(req, s.auth, *use.session.value, "/tableau-de-bord");
}

Response showActivation(AccountPageServices& s, Request& req) {
  return showLinkForm(s, req, kActivation);
}
Response activate(AccountPageServices& s, Request& req) {
  return submitLinkForm(s, req, kActivation);
}
Response showReset(AccountPageServices& s, Request& req) {
  return showLinkForm(s, req, kReset);
}
Response resetPassword(AccountPageServices& s, Request& req) {
  return submitLinkForm(s, req, kReset);
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

Response showForgotPassword(AccountPageServices& s, Request& req) {
  auto model = layoutModel(req, "Mot de passe oublié");
  return Response::html(s.views.page("pages/forgot_password", model));
}

Response requestReset(AccountPageServices& s, Request& req) {
  const auto wait = s.accounts.requestPasswordReset(req.param("email"), req.clientAddress);
  if (wait.count() > 0) {
    // About this address only: the form keeps what was typed and says when to come back.
    auto model = layoutModel(req, "Mot de passe oublié");
    model["email"] = req.param("email");
    const auto minutes = std::max<long long>(1, (wait.count() + 59) / 60);
    model["throttled"] = "Trop de tentatives depuis cette adresse. Réessayez dans " +
                         std::to_string(minutes) + (minutes > 1 ? " minutes." : " minute.");
    auto r = Response::html(s.views.page("pages/forgot_password", model),
                            statusOf(app::ErrorCode::TooManyRequests));
    r.headers.emplace_back("Retry-After", std::to_string(wait.count()));
    return r;
  }
  return Response::redirect("/mot-de-passe-oublie/envoye");
}

Response showResetSent(AccountPageServices& s, Request& req) {
  auto model = layoutModel(req, "Mot de passe oublié");
  model["sent"] = true;
  model["hours"] = std::to_string(s.accounts.settings().resetLifetime.count() / 3600);
  return Response::html(s.views.page("pages/forgot_password", model));
}

Response showAccount(AccountPageServices& s, Request& req) {
  return accountPage(s, req, "", {}, "");
}

Response showPasswordChange(AccountPageServices& s, Request& req) {
  return accountPage(s, req, "mot-de-passe", {}, "");
}

Response changePassword(AccountPageServices& s, Request& req) {
  auto result =
      s.accounts.changePassword(req.actor(), req.sessionToken, req.param("mot_de_passe_actuel"),
                                req.param("nouveau_mot_de_passe"));
  if (!result.ok()) return accountPage(s, req, "mot-de-passe", result.errors, "");
  return Response::redirect("/compte?message=mot-de-passe");
}

Response showEmailChange(AccountPageServices& s, Request& req) {
  return accountPage(s, req, "adresse", {}, "");
}

Response requestEmailChange(AccountPageServices& s, Request& req) {
  auto result = s.accounts.requestEmailChange(req.actor(), req.param("nouvelle_adresse"),
                                              req.param("mot_de_passe_actuel"));
  if (!result.ok())
    return accountPage(s, req, "adresse", result.errors, req.param("nouvelle_adresse"));
  return Response::redirect("/compte?message=adresse");
}

Response showEmailConfirmation(AccountPageServices& s, Request& req) {
  auto check = s.accounts.checkLink(app::TokenPurpose::EmailChange, req.pathParams.at("jeton"));
  if (check.problem != app::LinkProblem::None) return invalidLink(s, req, check.problem);
  auto model = layoutModel(req, "Confirmer votre nouvelle adresse");
  model["newEmail"] = check.token.newEmail;
  model["action"] = "/compte/adresse/" + req.pathParams.at("jeton");
  return Response::html(s.views.page("pages/confirm_email", model));
}

Response confirmEmailChange(AccountPageServices& s, Request& req) {
  if (!s.accounts.confirmEmailChange(req.pathParams.at("jeton"), req.clientAddress)) {
    auto model = layoutModel(req, "Adresse non modifiée");
    model["failed"] = true;
    return Response::html(s.views.page("pages/confirm_email", model),
                          statusOf(app::ErrorCode::Conflict));
  }
  auto model = layoutModel(req, "Adresse modifiée");
  model["done"] = true;
  return Response::html(s.views.page("pages/confirm_email", model));
}

Response showTerms(AccountPageServices& s, Request& req) {
  return Response::html(
      s.views.page("pages/cgu", layoutModel(req, "Conditions générales d'utilisation")));
}

// « Accepter les CGU » at the first login of any account (http/terms_gate.hpp): the page of its
// own, where the pop-in's form is sent and which shows without JavaScript.
Response termsAcceptPage(AccountPageServices& s, const Request& req, bool refused) {
  auto model = layoutModel(req, "Conditions générales d'utilisation");
  model["name"] = req.actor().user.displayName();
  model["cguId"] = "cgu";
  const auto suite = req.param("suite");
  model["cguSuite"] = isLocalTarget(suite) ? suite : "";
  if (refused)
    model["errors"] =
        errorsModel({{"cgu", "Vous devez accepter les conditions générales d'utilisation."}});
  return Response::html(s.views.page("pages/cgu_accept", model), refused ? 422 : 200);
}

// Accepted, back to the page the pop-in was over (`suite`, local only), else the dashboard.
Response showTermsAcceptance(AccountPageServices& s, Request& req) {
  if (req.actor().user.termsAccepted) return Response::redirect(afterLogin(req.param("suite")));
  return termsAcceptPage(s, req, false);
}

Response acceptTerms(AccountPageServices& s, Request& req) {
  const auto& actor = req.actor();
  if (!actor.user.termsAccepted) {
    if (!req.checked("cgu")) return termsAcceptPage(s, req, true);
    s.accounts.acceptTerms(actor);
  }
  return Response::redirect(afterLogin(req.param("suite")));
}

Response showPrivacy(AccountPageServices& s, Request& req) {
  return Response::html(
      s.views.page("pages/privacy", layoutModel(req, "Politique de confidentialité")));
}

}  // namespace

void addAccountPages(Router& router, AccountPageServices& s) {
  router.add("GET", "/activation/{jeton}", handle(s, showActivation));
  router.add("POST", "/activation/{jeton}", handle(s, activate));
  router.add("GET", "/reinitialisation/{jeton}", handle(s, showReset));
  router.add("POST", "/reinitialisation/{jeton}", handle(s, resetPassword));
  router.add("GET", "/mot-de-passe-oublie", handle(s, showForgotPassword));
  router.add("POST", "/mot-de-passe-oublie", handle(s, requestReset));
  router.add("GET", "/mot-de-passe-oublie/envoye", handle(s, showResetSent));
  router.add("GET", "/compte", handle(s, showAccount));
  router.add("GET", "/compte/mot-de-passe", handle(s, showPasswordChange));
  router.add("POST", "/compte/mot-de-passe", handle(s, changePassword));
  router.add("GET", "/compte/adresse", handle(s, showEmailChange));
  router.add("POST", "/compte/adresse", handle(s, requestEmailChange));
  router.add("GET", "/compte/adresse/{jeton}", handle(s, showEmailConfirmation));
  router.add("POST", "/compte/adresse/{jeton}", handle(s, confirmEmailChange));
  router.add("GET", "/cgu", handle(s, showTerms));
  router.add("GET", "/cgu/accepter", handle(s, showTermsAcceptance));
  router.add("POST", "/cgu/accepter", handle(s, acceptTerms));
  router.add("GET", "/confidentialite", handle(s, showPrivacy));
}

}  // namespace sas::http
