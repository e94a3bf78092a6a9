// « S'identifier avec Pro Santé Connect » (docs/rules.md#psc-first-login): the start of the
// sign-in, the provider's callback and its error page.
#include "app/psc_service.hpp"
#include "http/errors.hpp"
#include "http/login_redirect.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

constexpr const char* kPscCookie = "sas_psc";  // binds a sign-in under way to this browser
constexpr const char* kProfileCookie = "sas_psc_profil";  // « Mise à jour du compte » under way
// The page asked before the login (a search with its criteria), where the sign-in lands.
constexpr const char* kSuiteCookie = "sas_psc_suite";

std::string profileToken(const Request& req) {
  auto it = req.cookies.find(kProfileCookie);
  return it == req.cookies.end() ? std::string{} : it->second;
}

Response updatePage(PscPageServices& s, const Request& req, const app::ProfessionalIdentity& id,
                    const std::string& email, const std::vector<domain::FieldError>& errors) {
  auto model = layoutModel(req, "Mise à jour du compte");
  model["givenName"] = id.givenName;
  model["familyName"] = id.familyName;
  model["email"] = email;
  model["errors"] = errorsModel(errors);
  return Response::html(s.views.page("pages/psc_account_update", model),
                        errors.empty() ? 200 : 422);
}

Response expiredProfile(PscPageServices& s, const Request& req);

Response submitted(PscPageServices& s, const Request& req, const app::PscSubmit& r, bool linkSent) {
  using K = app::PscSubmit::Kind;
  switch (r.kind) {
    case K::Expired:
      return expiredProfile(s, req);
    case K::Invalid: {
      auto id = s.psc->profile(profileToken(req));
      if (!id) return expiredProfile(s, req);
      return updatePage(s, req, *id, r.email, r.errors);
    }
    case K::AccountExists: {
      auto model = layoutModel(
          req, linkSent ? "Association avec SAS-Pro Santé Connect" : "Ce compte existe déjà");
      model["email"] = r.email;
      model["minutes"] = "5";
      return Response::html(
          s.views.page(linkSent ? "pages/psc_link_sent" : "pages/psc_account_exists", model));
    }
    case K::VerificationSent: {
      auto model = layoutModel(req, "Vérification du courriel");
      model["email"] = r.email;
      model["minutes"] = "5";
      return Response::html(s.views.page("pages/psc_verification", model));
    }
    case K::NoRights: {
      auto model = layoutModel(req, "Vous ne disposez pas d'habilitations sur la plateforme");
      model["email"] = r.email;
      return Response::html(s.views.page("pages/psc_no_rights", model));
    }
    case K::TooMany:
      break;
  }
  return refusalResponse(req, s.views,
                         {.code = app::ErrorCode::TooManyRequests,
                          .message = "Trop de courriels envoyés pour cette identité Pro Santé "
                                     "Connect. Réessayez dans une heure."});
}

/// A sign-in that cannot go on: the one error page, and the sign-in's cookie forgotten.
Response pscError(PscPageServices& s, const Request& req, app::ErrorCode code,
                  const std::string& message, const std::string& reference = "") {
  auto r = refusalResponse(req, s.views,
                           {.code = code,
                            .title = "Connexion avec Pro Santé Connect impossible",
                            .message = message,
                            .reference = reference});
  r.cookies.push_back({kPscCookie, "", 0});
  return r;
}

Response expiredProfile(PscPageServices& s, const Request& req) {
  return pscError(s, req, app::ErrorCode::Gone,
                  "Votre connexion par Pro Santé Connect a expiré. Recommencez depuis la "
                  "page de connexion.");
}

Response notEnabled(PscPageServices& s, const Request& req) {
  return pscError(s, req, app::ErrorCode::NotFound,
                  "La connexion par Pro Santé Connect n'est pas activée sur cette plateforme. "
                  "Connectez-vous avec votre adresse électronique et votre mot de passe.");
}

Response startSignIn(PscPageServices& s, Request& req) {
  if (!s.psc) return notEnabled(s, req);
  auto start = s.psc->start(req.clientAddress);
  if (!start.ok)
    return pscError(s, req, app::ErrorCode::Unavailable,
                    "Pro Santé Connect ne répond pas pour le moment. Réessayez dans "
                    "quelques minutes.",
                    start.reference);
  auto r = Response::redirect(start.url);
  r.cookies.push_back({kPscCookie, start.browserSecret, 15 * 60});
  // Only a local target is kept; none forgets the one of an earlier sign-in.
  const auto suite = req.param("suite");
  if (isLocalTarget(suite))
    r.cookies.push_back({kSuiteCookie, suiteCookieValue(suite), 15 * 60});
  else
    r.cookies.push_back({kSuiteCookie, "", 0});
  return r;
}

Response providerReturn(PscPageServices& s, Request& req) {
  if (!s.psc) return notEnabled(s, req);
  std::string secret;
  if (auto it = req.cookies.find(kPscCookie); it != req.cookies.end()) secret = it->second;
  auto result = s.psc->callback(req.param("state"), req.param("code"), req.param("error"), secret,
                                req.clientAddress);
  switch (result.kind) {
    case app::PscCallback::Kind::LoggedIn: {
      if (!req.sessionToken.empty()) s.auth.logout(req.sessionToken, req.clientAddress);
      std::string suite;
      if (auto it = req.cookies.find(kSuiteCookie); it != req.cookies.end())
        suite = suiteFromCookie(it->second);
      auto r = Response::redirect(afterLogin(suite));
      r.cookies.push_back({kSessionCookie, result.sessionToken, -1});
      r.cookies.push_back({kCsrfCookie, "", 0});
      r.cookies.push_back({kPscCookie, "", 0});
      r.cookies.push_back({kSuiteCookie, "", 0});
      return r;
    }
    case app::PscCallback::Kind::NotLinked: {
      auto r = Response::redirect("/psc/compte");
      r.cookies.push_back({kProfileCookie, result.profileToken, 30 * 60});
      r.cookies.push_back({kPscCookie, "", 0});
      return r;
    }
    case app::PscCallback::Kind::Failed:
      break;
  }
  return pscError(s, req, app::ErrorCode::BadRequest,
                  "La connexion par Pro Santé Connect n'a pas abouti : personne n'a été "
                  "connecté. Recommencez depuis la page de connexion.",
                  result.reference);
}

// « Mise à jour du compte »: names prefilled from PSC, the email asked; « Soumettre ».
Response showProfile(PscPageServices& s, Request& req) {
  if (!s.psc) return notEnabled(s, req);
  auto id = s.psc->profile(profileToken(req));
  if (!id) return expiredProfile(s, req);
  return updatePage(s, req, *id, req.param("email"), {});
}

Response submitProfile(PscPageServices& s, Request& req) {
  if (!s.psc) return notEnabled(s, req);
  return submitted(
      s, req, s.psc->submitEmail(profileToken(req), req.param("email"), req.clientAddress), false);
}

// Case 1: « Souhaitez-vous lier … à votre compte existant » and « Cliquez ici » (again).
Response requestLink(PscPageServices& s, Request& req) {
  if (!s.psc) return notEnabled(s, req);
  return submitted(
      s, req, s.psc->requestAccountLink(profileToken(req), req.param("email"), req.clientAddress),
      true);
}

// Case 2: « Cliquez ici pour renvoyer le courriel ».
Response resendVerification(PscPageServices& s, Request& req) {
  if (!s.psc) return notEnabled(s, req);
  return submitted(
      s, req, s.psc->resendVerification(profileToken(req), req.param("email"), req.clientAddress),
      false);
}

// The links of the emails (5 minutes, single use).
Response useEmailLink(PscPageServices& s, Request& req) {
  if (!s.psc) return notEnabled(s, req);
  auto used = s.psc->useLink(req.pathParams.at("jeton"), req.clientAddress);
  using K = app::PscLinkUse::Kind;
  if (used.kind == K::LoggedIn || used.kind == K::AccountCreated) {
    if (!req.sessionToken.empty()) s.auth.logout(req.sessionToken, req.clientAddress);
    auto r = Response::redirect(used.kind == K::AccountCreated ? "/psc/cgu" : "/tableau-de-bord");
    r.cookies.push_back({kSessionCookie, used.sessionToken, -1});
    r.cookies.push_back({kCsrfCookie, "", 0});
    r.cookies.push_back({kProfileCookie, "", 0});
    return r;
  }
  auto model = layoutModel(req, "Lien expiré ou déjà utilisé");
  model["expired"] = used.kind == K::Expired;
  model["used"] = used.kind == K::Used;
  return Response::html(s.views.page("pages/psc_link_invalid", model),
                        statusOf(app::ErrorCode::Gone));
}

// The CGU pop-in of a new health professional's account: without JavaScript a page of its
// own, which the server sends him to until he accepts (http/server.cpp). The same checkbox
// and message as the activation of an ordinary account (« Accepter les CGU »).
Response cguPage(PscPageServices& s, const Request& req, bool refused) {
  auto model = layoutModel(req, "Conditions générales d'utilisation");
  model["name"] = req.actor().user.displayName();
  if (refused)
    model["errors"] =
        errorsModel({{"cgu", "Vous devez accepter les conditions générales d'utilisation."}});
  return Response::html(s.views.page("pages/psc_cgu", model), refused ? 422 : 200);
}

Response showTerms(PscPageServices& s, Request& req) {
  if (req.actor().user.termsAccepted) return Response::redirect("/tableau-de-bord");
  return cguPage(s, req, false);
}

Response acceptTerms(PscPageServices& s, Request& req) {
  const auto& actor = req.actor();
  if (actor.user.termsAccepted) return Response::redirect("/tableau-de-bord");
  if (!req.checked("cgu")) return cguPage(s, req, true);
  if (s.psc) s.psc->acceptTerms(actor);
  return Response::redirect("/tableau-de-bord");
}

}  // namespace

void addPscPages(Router& router, PscPageServices& s) {
  router.add("GET", "/psc/connexion", handle(s, startSignIn));
  router.add("GET", "/psc/retour", handle(s, providerReturn));
  router.add("GET", "/psc/compte", handle(s, showProfile));
  router.add("POST", "/psc/compte", handle(s, submitProfile));
  router.add("POST", "/psc/lier", handle(s, requestLink));
  router.add("POST", "/psc/verification", handle(s, resendVerification));
  router.add("GET", "/psc/lien/{jeton}", handle(s, useEmailLink));
  router.add("GET", "/psc/cgu", handle(s, showTerms));
  router.add("POST", "/psc/cgu", handle(s, acceptTerms));
}

}  // namespace sas::http
