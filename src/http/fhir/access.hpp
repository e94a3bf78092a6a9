#pragma once
// Who may read the FHIR listener (docs/fhir.md): the TLS handshake verified the client's
// certificate (chain to fhir.client_ca, not in fhir.client_crl); here its subject's CN/OU pair
// must be one of fhir.allowed_clients.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace sas::http::fhir {

struct AllowedClient {
  std::string commonName;
  std::string organizationalUnit;
  bool operator==(const AllowedClient&) const = default;
};

/// "lrm-paris/SAMU 75, agregateur/ANS": entries separated by commas, each a CN, a slash, then
/// an OU (the OU may hold slashes, the CN may not), both non-empty, trimmed of blanks. Blank
/// text: nobody. None when an entry is malformed; `bad` is then that entry.
std::optional<std::vector<AllowedClient>> parseAllowedClients(std::string_view text,
                                                              std::string* bad = nullptr);

/// Throws app::AppError Unauthenticated (no verified certificate) or Forbidden (its CN/OU pair
/// is not listed), with the detail for the log.
void requireAllowedClient(const Request& request, const std::vector<AllowedClient>& allowed);

}  // namespace sas::http::fhir
