#pragma once
// Who sent a request, when a reverse proxy stands between: the address used for throttling,
// the audit log and the logs. A pure function over strings (unit-tested, fuzzable).
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sas::http {

/// An IPv4 or IPv6 network: "10.0.0.0/8", "::1", "2001:db8::/32" (a bare address is /32 or
/// /128). IPv4 is held as IPv4-mapped IPv6, so that "::ffff:10.0.0.1" is inside "10.0.0.0/8".
struct AddressRange {
  std::array<unsigned char, 16> network{};
  int prefix = 128;
  bool contains(const std::array<unsigned char, 16>& address) const;
};

/// A range from its text; empty when malformed.
std::optional<AddressRange> parseRange(std::string_view text);
/// A list of ranges separated by commas or blanks; empty when one of them is malformed
/// (`bad` then names it).
std::optional<std::vector<AddressRange>> parseRanges(std::string_view text, std::string* bad);

/// An address in its canonical text ("::ffff:1.2.3.4" → "1.2.3.4", "[::1]" → "::1"), or empty
/// when `text` is not an address.
std::optional<std::string> canonicalAddress(std::string_view text);

/// Whether `address` (text) is inside one of `ranges`.
bool inRanges(std::string_view address, const std::vector<AddressRange>& ranges);

/// The client's address: the peer's, unless the peer is a trusted proxy; then X-Forwarded-For
/// (every header line, joined with commas, in order) is read from right to left, skipping
/// trusted proxies, and the first address that is not one is the client. A malformed entry
/// stops the walk: the last trusted hop's address is kept (what that proxy saw cannot be
/// told). Always a canonical address.
std::string clientAddress(std::string_view peer, std::string_view forwardedFor,
                          const std::vector<AddressRange>& trustedProxies);

}  // namespace sas::http
