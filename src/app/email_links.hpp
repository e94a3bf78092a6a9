#pragma once
// The pages an email points to: one table of their paths, so that a renamed route is renamed
// here and in the router (src/http/pages/account_pages.cpp, psc_pages.cpp) and nowhere else.
#include <string>
#include <string_view>

namespace sas::app::email_links {

inline constexpr std::string_view kActivation = "/activation/";       // + token
inline constexpr std::string_view kReset = "/reinitialisation/";      // + token
inline constexpr std::string_view kEmailChange = "/compte/adresse/";  // + token
inline constexpr std::string_view kPscLink = "/psc/lien/";            // + token
inline constexpr std::string_view kPassword = "/compte/mot-de-passe";
inline constexpr std::string_view kLogin = "/connexion";

/// The absolute link: the platform's base URL (a trailing slash is dropped), the path, then
/// the token when the page takes one.
inline std::string link(std::string_view baseUrl, std::string_view path,
                        std::string_view token = {}) {
  while (!baseUrl.empty() && baseUrl.back() == '/') baseUrl.remove_suffix(1);
  std::string out;
  out.reserve(baseUrl.size() + path.size() + token.size());
  out.append(baseUrl).append(path).append(token);
  return out;
}

}  // namespace sas::app::email_links
