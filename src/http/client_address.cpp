#include "http/client_address.hpp"
#include "domain/text.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace sas::http {
namespace {

using Bytes = std::array<unsigned char, 16>;

bool isMappedV4(const Bytes& b) {
  static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(b.data(), prefix, 12) == 0;
}

/// The 16 bytes of an IPv4 or IPv6 address in text ("[::1]" allowed; no zone, no port).
std::optional<Bytes> parseAddress(std::string_view text) {
  text = domain::trim(text, domain::kBlanks);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  Bytes out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

std::string toText(const Bytes& b) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (isMappedV4(b)) {
    inet_ntop(AF_INET, b.data() + 12, buffer, sizeof buffer);
  } else {
    inet_ntop(AF_INET6, b.data(), buffer, sizeof buffer);
  }
  return buffer;
}

}  // namespace

bool AddressRange::contains(const Bytes& address) const {
  int bits = prefix;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((address[i] & mask) != (network[i] & mask)) return false;
  }
  return true;
}

std::optional<AddressRange> parseRange(std::string_view text) {
  text = domain::trim(text, domain::kBlanks);
  const auto slash = text.find('/');
  auto address = parseAddress(text.substr(0, slash));
  if (!address) return std::nullopt;
  AddressRange range;
  range.network = *address;
  const bool v4 = isMappedV4(*address) && text.find(':') == std::string_view::npos;
  range.prefix = 128;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    int bits = -1;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() || bits < 0 ||
        bits > (v4 ? 32 : 128))
      return std::nullopt;
    range.prefix = v4 ? bits + 96 : bits;
  }
  return range;
}

std::optional<std::vector<AddressRange>> parseRanges(std::string_view text, std::string* bad) {
  std::vector<AddressRange> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find_first_of(", \t", start);
    if (end == std::string_view::npos) end = text.size();
    const auto item = text.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    auto range = parseRange(item);
    if (!range) {
      if (bad) *bad = std::string(item);
      return std::nullopt;
    }
    out.push_back(*range);
  }
  return out;
}

std::optional<std::string> canonicalAddress(std::string_view text) {
  auto address = parseAddress(text);
  if (!address) return std::nullopt;
  return toText(*address);
}

bool inRanges(std::string_view address, const std::vector<AddressRange>& ranges) {
  auto bytes = parseAddress(address);
  if (!bytes) return false;
  for (const auto& r : ranges)
    if (r.contains(*bytes)) return true;
  return false;
}

std::string clientAddress(std::string_view peer, std::string_view forwardedFor,
                          const std::vector<AddressRange>& trustedProxies) {
  auto current = parseAddress(peer);
  if (!current) return std::string(peer);  // a peer always has an address; kept as given
  auto trusted = [&](const Bytes& b) {
    for (const auto& r : trustedProxies)
      if (r.contains(b)) return true;
    return false;
  };
  // Walk right to left while the hop that told us is a trusted proxy.
  std::size_t end = forwardedFor.size();
  while (trusted(*current) && end > 0) {
    const auto comma = forwardedFor.rfind(',', end - 1);
    const std::size_t start = comma == std::string_view::npos ? 0 : comma + 1;
    const auto item = domain::trim(forwardedFor.substr(start, end - start), domain::kBlanks);
    end = comma == std::string_view::npos ? 0 : comma;
    if (item.empty()) continue;
    auto next = parseAddress(item);
    if (!next) break;  // garbage: what the trusted proxy saw is not known; keep the proxy
    current = next;
  }
  return toText(*current);
}

}  // namespace sas::http
