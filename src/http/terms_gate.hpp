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

/// Pages that stay open before the CGU are accepted: the CGU themselves (to read, to accept),
/// the privacy policy, and leaving.
inline bool openBeforeTerms(std::string_view path) {
  return path == kTermsPage || path == "/psc/cgu" || path == "/cgu" || path == "/confidentialite" ||
         path == "/deconnexion";
}

/// The landing pages (after a login) shown under the CGU modal: their GET stays open.
inline bool landingUnderTerms(std::string_view method, std::string_view path) {
  return (method == "GET" || method == "HEAD") &&
         (path == "/tableau-de-bord" || path == "/recherche");
}

}  // namespace sas::http
