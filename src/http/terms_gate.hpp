#pragma once
// The CGU at the first login of every account (docs/rules.md#accounts-and-passwords): until
// they are accepted, the landing pages show them in a DSFR modal over the page (with
// JavaScript; without, a <noscript> refresh leads to the page /cgu/accepter), and every other
// page leads to /cgu/accepter.
#include <string_view>

#include "http/request.hpp"

namespace sas::http {

inline constexpr std::string_view kTermsPage = "/cgu/accepter";

/// The account logged in has not accepted the CGU yet.
inline bool termsPending(const Request& request) {
  return request.session && !request.session->actor.user.termsAccepted;
}

inline constexpr std::string_view kPasswordPage = "/compte/mot-de-passe";

/// The landing pages (after a login) shown under the CGU modal: their GET stays open.
inline bool landingUnderTerms(std::string_view method, std::string_view path) {
  return (method == "GET" || method == "HEAD") &&
         (path == "/tableau-de-bord" || path == "/recherche");
}

/// Where the account logged in must go before this page, or empty: first the CGU (accepting
/// them needs no password), then the change of an expired password
/// (docs/rules.md#accounts-and-passwords). One order for both steps, so that neither sends the
/// other's page away (each used to leave open only its own, and an account owing both went
/// round between them). Reading the CGU and the privacy policy, and leaving, stay open.
inline std::string_view pendingStep(const Request& request) {
  if (!request.session || request.path == "/cgu" || request.path == "/confidentialite" ||
      request.path == "/deconnexion")
    return {};
  if (termsPending(request)) {
    // A landing page shows its data under the modal: not to an account whose password expired.
    const bool open =
        request.path == kTermsPage || request.path == "/psc/cgu" ||
        (!request.session->passwordExpired && landingUnderTerms(request.method, request.path));
    return open ? std::string_view{} : kTermsPage;
  }
  if (request.session->passwordExpired && request.path != kPasswordPage) return kPasswordPage;
  return {};
}

/// What an API call of a session owing that step is told (docs/api.md): the step is a page, and
/// the API answers JSON, never a page.
inline std::string_view pendingStepMessage(std::string_view step) {
  return step == kTermsPage
             ? "Acceptez d'abord les conditions générales d'utilisation (page /cgu/accepter)."
             : "Votre mot de passe a expiré : changez-le d'abord (page /compte/mot-de-passe).";
}

}  // namespace sas::http
