#include "http/fhir/access.hpp"

#include <algorithm>

#include "app/errors.hpp"
#include "domain/text.hpp"

namespace sas::http::fhir {

std::optional<std::vector<AllowedClient>> parseAllowedClients(std::string_view text,
                                                              std::string* bad) {
  std::vector<AllowedClient> out;
  if (domain::trim(text).empty()) return out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const auto entry = domain::trim(text.substr(start, comma - start));
    const auto slash = entry.find('/');
    AllowedClient client;
    if (slash != std::string_view::npos) {
      client.commonName = domain::trimmed(entry.substr(0, slash));
      client.organizationalUnit = domain::trimmed(entry.substr(slash + 1));
    }
    if (client.commonName.empty() || client.organizationalUnit.empty()) {
      if (bad) *bad = std::string(entry);
      return std::nullopt;
    }
    out.push_back(std::move(client));
    start = comma + 1;
  }
  return out;
}

void requireAllowedClient(const Request& request, const std::vector<AllowedClient>& allowed) {
  if (!request.clientIdentity)
    throw app::AppError(app::ErrorCode::Unauthenticated, "no client certificate");
  const AllowedClient presented{request.clientIdentity->commonName,
                                request.clientIdentity->organizationalUnit};
  if (std::find(allowed.begin(), allowed.end(), presented) == allowed.end())
    throw app::AppError(app::ErrorCode::Forbidden, "client certificate CN=" + presented.commonName +
                                                       " OU=" + presented.organizationalUnit +
                                                       " not in fhir.allowed_clients");
}

}  // namespace sas::http::fhir
