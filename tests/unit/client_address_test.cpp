// The client's address behind trusted proxies (http/client_address), issue 12 item 2.
#include "http/client_address.hpp"

#include <gtest/gtest.h>

namespace sas::http {
namespace {

std::vector<AddressRange> ranges(const std::string& text) {
  std::string bad;
  auto r = parseRanges(text, &bad);
  EXPECT_TRUE(r) << bad;
  return r ? *r : std::vector<AddressRange>{};
}

TEST(ClientAddressRanges, ParsesAddressesAndNetworks) {
  EXPECT_TRUE(parseRange("10.0.0.1"));
  EXPECT_TRUE(parseRange("10.0.0.0/8"));
  EXPECT_TRUE(parseRange("0.0.0.0/0"));
  EXPECT_TRUE(parseRange("::1"));
  EXPECT_TRUE(parseRange("2001:db8::/32"));
  EXPECT_TRUE(parseRange("::/0"));
  EXPECT_FALSE(parseRange("10.0.0.0/33"));
  EXPECT_FALSE(parseRange("2001:db8::/129"));
  EXPECT_FALSE(parseRange("10.0.0.0/"));
  EXPECT_FALSE(parseRange("10.0.0.0/-1"));
  EXPECT_FALSE(parseRange("10.0.0.0/8x"));
  EXPECT_FALSE(parseRange("10.0.0"));
  EXPECT_FALSE(parseRange("256.0.0.1"));
  EXPECT_FALSE(parseRange("proxy.internal"));
  EXPECT_FALSE(parseRange(""));
  std::string bad;
  EXPECT_FALSE(parseRanges("10.0.0.0/8, nope", &bad));
  EXPECT_EQ(bad, "nope");
  EXPECT_EQ(ranges("10.0.0.0/8, 192.168.1.1 ::1").size(), 3u);
  EXPECT_TRUE(ranges("").empty());
}

TEST(ClientAddressRanges, CidrBoundariesOnBothSides) {
  const auto r = ranges("10.1.2.0/23 2001:db8:a::/48");
  EXPECT_FALSE(inRanges("10.1.1.255", r));
  EXPECT_TRUE(inRanges("10.1.2.0", r));
  EXPECT_TRUE(inRanges("10.1.3.255", r));
  EXPECT_FALSE(inRanges("10.1.4.0", r));
  EXPECT_TRUE(inRanges("::ffff:10.1.2.7", r));  // IPv4-mapped is the same client
  EXPECT_TRUE(inRanges("2001:db8:a:ffff::1", r));
  EXPECT_FALSE(inRanges("2001:db8:b::1", r));
  EXPECT_FALSE(inRanges("garbage", r));
  // An IPv4 network never holds an IPv6 address that merely shares bits.
  EXPECT_FALSE(inRanges("::a01:200", r));
  EXPECT_TRUE(inRanges("1.2.3.4", ranges("0.0.0.0/0")));
  EXPECT_FALSE(inRanges("::2", ranges("0.0.0.0/0")));
}

TEST(ClientAddress, ThePeerWhenItIsNoTrustedProxy) {
  const auto trusted = ranges("10.0.0.0/8");
  EXPECT_EQ(clientAddress("203.0.113.9", "", trusted), "203.0.113.9");
  // Anyone can send the header: from an untrusted peer it is ignored.
  EXPECT_EQ(clientAddress("203.0.113.9", "198.51.100.1", trusted), "203.0.113.9");
  EXPECT_EQ(clientAddress("203.0.113.9", "198.51.100.1", {}), "203.0.113.9");
  EXPECT_EQ(clientAddress("::ffff:203.0.113.9", "", trusted), "203.0.113.9");
}

TEST(ClientAddress, ReadsTheChainRightToLeftThroughTrustedProxiesOnly) {
  const auto trusted = ranges("10.0.0.0/8 2001:db8::/32");
  EXPECT_EQ(clientAddress("10.0.0.2", "198.51.100.1", trusted), "198.51.100.1");
  // The client forged the left part; the first untrusted address from the right is the one
  // our proxy saw.
  EXPECT_EQ(clientAddress("10.0.0.2", "1.1.1.1, 198.51.100.1", trusted), "198.51.100.1");
  // Two trusted hops.
  EXPECT_EQ(clientAddress("10.0.0.2", "1.1.1.1, 198.51.100.1, 10.0.0.3", trusted), "198.51.100.1");
  EXPECT_EQ(clientAddress("2001:db8::5", "2001:db8::6, 2a01:cb00::1", trusted), "2a01:cb00::1");
  EXPECT_EQ(clientAddress("10.0.0.2", "[2a01:cb00::1]", trusted), "2a01:cb00::1");
  // Every hop trusted: the leftmost one is all we know.
  EXPECT_EQ(clientAddress("10.0.0.2", "10.0.0.7,10.0.0.3", trusted), "10.0.0.7");
  // No header from a trusted proxy: the proxy itself.
  EXPECT_EQ(clientAddress("10.0.0.2", "", trusted), "10.0.0.2");
  EXPECT_EQ(clientAddress("10.0.0.2", " , ", trusted), "10.0.0.2");
}

TEST(ClientAddress, GarbageInTheChainStopsTheWalk) {
  const auto trusted = ranges("10.0.0.0/8");
  EXPECT_EQ(clientAddress("10.0.0.2", "198.51.100.1, unknown", trusted), "10.0.0.2");
  EXPECT_EQ(clientAddress("10.0.0.2", "198.51.100.1:443", trusted), "10.0.0.2");
  EXPECT_EQ(clientAddress("10.0.0.2", "garbage, 10.0.0.3", trusted), "10.0.0.3");
  EXPECT_EQ(clientAddress("10.0.0.2", std::string(5000, 'x'), trusted), "10.0.0.2");
  EXPECT_EQ(clientAddress("10.0.0.2", "1.2.3.4\n, 5.6.7.8", trusted), "5.6.7.8");
}

TEST(ClientAddress, CanonicalForms) {
  EXPECT_EQ(canonicalAddress("::FFFF:1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(canonicalAddress("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(canonicalAddress("[::1]"), "::1");
  EXPECT_FALSE(canonicalAddress("1.2.3.4.5"));
  EXPECT_FALSE(canonicalAddress("fe80::1%eth0"));
}

}  // namespace
}  // namespace sas::http
