#pragma once
// Where a login may send the browser next (issue 12, item 1). Pure functions, no I/O: the
// login page and the server's "log in first" redirect share them, and the unit tests and the
// security tests replay payloads against them.
#include <string>
#include <string_view>

namespace sas::http {

/// The page a login lands on when `suite` is missing or refused; it sends each role to its
/// own home (regulators to the search).
inline constexpr std::string_view kHomeAfterLogin = "/tableau-de-bord";

/// True when `suite` is a path of this platform: it starts with one `/` (not `//`, not `/\`),
/// holds only visible ASCII (no space, no control character, no `\`), no %-escape of a control
/// character or of `\` at any depth of decoding, no malformed %-escape, and is at most 2,000
/// bytes. Anything else could make the browser leave the site or split the header.
bool isLocalTarget(std::string_view suite);

/// `suite` when it is a local target, else the home page.
std::string afterLogin(std::string_view suite);

/// The login page that comes back to `requestTarget` (the path and query string as the browser
/// sent them, still %-encoded) after the login; plain /connexion when the target is not local.
std::string loginPageFor(std::string_view requestTarget);

/// `page` with `?suite=` and the target %-encoded as one parameter when the target is local;
/// `page` alone otherwise (« S'identifier avec Pro Santé Connect » carries it the same way).
std::string withSuite(std::string_view page, std::string_view target);

/// The target as a cookie value may hold it (%-encoded: no `;`, `,`, `"` nor blank), and back;
/// the way back gives "" unless the result is local.
std::string suiteCookieValue(std::string_view target);
std::string suiteFromCookie(std::string_view value);

}  // namespace sas::http
