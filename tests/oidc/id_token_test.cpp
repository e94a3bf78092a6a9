// ID token and userinfo verification: RS256 and ES256 keys chosen by kid from a JWKS, and one
// test for each check that must refuse a token.
#include <gtest/gtest.h>

#include "oidc/id_token.hpp"
#include "oidc/jose.hpp"
#include "oidc/test_signer.hpp"

using namespace sas::oidc;
using sas::oidc::testing::jwksOf;
using sas::oidc::testing::TestSigner;

namespace {

const std::chrono::system_clock::time_point kNow{std::chrono::seconds{1'800'000'000}};

struct Keys {
  TestSigner rsa{TestSigner::Kind::Rsa, "rsa-1"};
  TestSigner ec{TestSigner::Kind::Ec, "ec-1"};
  TestSigner other{TestSigner::Kind::Rsa, "rsa-1"};  // same kid, key not published
};

Keys& keys() {
  static Keys k;
  return k;
}

nlohmann::json claims() {
  return {{"iss", "https://psc.test/auth/realms/esante-wallet"},
          {"aud", "sas-client"},
          {"sub", "f:550dc1c8:899700218896"},
          {"exp", 1'800'000'000 + 300},
          {"iat", 1'800'000'000 - 5},
          {"nonce", "n-0S6_WzA2Mj"},
          {"acr", "eidas1"},
          {"SubjectNameID", "899700218896"}};
}

IdTokenExpectations expected() {
  return {"https://psc.test/auth/realms/esante-wallet", "sas-client", "n-0S6_WzA2Mj", kNow};
}

const Jwks& published() {
  static const Jwks jwks = Jwks::parse(jwksOf({&keys().rsa, &keys().ec}));
  return jwks;
}

TokenProblem check(const nlohmann::json& c, const TestSigner& s, const std::string& alg = "") {
  return verifyIdToken(s.sign(c, alg), published(), expected()).problem;
}

}  // namespace

TEST(Jose, Base64UrlRoundTrips) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00\x01"}) {
    auto back = base64UrlDecode(base64UrlEncode(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64UrlDecode("ab+c").has_value());
  EXPECT_FALSE(base64UrlDecode("a").has_value());
}

TEST(Jose, PkceChallengeIsRfc7636Example) {
  EXPECT_EQ(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Jose, JwksKeepsRsaAndEcKeysAndSkipsBrokenOnes) {
  auto doc = jwksOf({&keys().rsa, &keys().ec});
  doc["keys"].push_back({{"kty", "RSA"}, {"kid", "broken"}, {"n", "AQAB"}, {"e", "AQAB"}});
  doc["keys"].push_back({{"kty", "EC"},
                         {"kid", "off-curve"},
                         {"crv", "P-256"},
                         {"x", base64UrlEncode(std::string(32, '\x01'))},
                         {"y", base64UrlEncode(std::string(32, '\x02'))}});
  doc["keys"].push_back({{"kty", "oct"}, {"kid", "secret"}, {"k", "c2VjcmV0"}});
  auto jwks = Jwks::parse(doc);
  EXPECT_EQ(jwks.size(), 2u);
  EXPECT_EQ(jwks.candidates("rsa-1", "RS256").size(), 1u);
  EXPECT_EQ(jwks.candidates("ec-1", "ES256").size(), 1u);
  EXPECT_TRUE(jwks.candidates("ec-1", "RS256").empty());
  EXPECT_TRUE(Jwks::parse(std::string("not json")).size() == 0);
}

TEST(IdToken, Rs256TokenIsAccepted) {
  auto v = verifyIdToken(keys().rsa.sign(claims()), published(), expected());
  ASSERT_EQ(v.problem, TokenProblem::None);
  EXPECT_EQ(v.claims["SubjectNameID"], "899700218896");
}

TEST(IdToken, Es256TokenIsAccepted) {
  EXPECT_EQ(check(claims(), keys().ec), TokenProblem::None);
}

TEST(IdToken, AudienceListWithAzpIsAccepted) {
  auto c = claims();
  c["aud"] = {"sas-client", "other"};
  c["azp"] = "sas-client";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::None);
}

TEST(IdToken, HigherAcrIsAccepted) {
  auto c = claims();
  c["acr"] = "eidas3";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::None);
}

TEST(IdToken, SignatureOfAnUnpublishedKeyIsRefused) {
  EXPECT_EQ(check(claims(), keys().other), TokenProblem::Signature);
}

TEST(IdToken, TamperedPayloadIsRefused) {
  auto token = keys().rsa.sign(claims());
  auto dot = token.find('.');
  auto dot2 = token.find('.', dot + 1);
  auto c = claims();
  c["sub"] = "someone-else";
  auto forged = token.substr(0, dot + 1) + base64UrlEncode(c.dump()) + token.substr(dot2);
  EXPECT_EQ(verifyIdToken(forged, published(), expected()).problem, TokenProblem::Signature);
}

TEST(IdToken, AlgNoneAndAlgMismatchAreRefused) {
  nlohmann::json header = {{"alg", "none"}};
  auto none = base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims().dump()) + ".";
  EXPECT_EQ(verifyIdToken(none, published(), expected()).problem, TokenProblem::Signature);
  EXPECT_EQ(check(claims(), keys().rsa, "ES256"), TokenProblem::Signature);
  EXPECT_EQ(check(claims(), keys().rsa, "HS256"), TokenProblem::Signature);
}

TEST(IdToken, UnknownKidIsRefused) {
  TestSigner stranger(TestSigner::Kind::Ec, "unknown");
  EXPECT_EQ(check(claims(), stranger), TokenProblem::Signature);
}

TEST(IdToken, MalformedTokensAreRefused) {
  for (std::string t : {"", "abc", "a.b", "a.b.c.d", "!!.!!.!!"})
    EXPECT_EQ(verifyIdToken(t, published(), expected()).problem, TokenProblem::Malformed) << t;
}

TEST(IdToken, WrongIssuerIsRefused) {
  auto c = claims();
  c["iss"] = "https://evil.test";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Issuer);
}

TEST(IdToken, WrongAudienceIsRefused) {
  auto c = claims();
  c["aud"] = "another-client";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Audience);
  c["aud"] = {"sas-client", "other"};  // several audiences and no azp
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Audience);
  c["azp"] = "other";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Audience);
}

TEST(IdToken, ExpiredTokenIsRefused) {
  auto c = claims();
  c["exp"] = 1'800'000'000 - 61;
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Expired);
  c.erase("exp");
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Expired);
  c["exp"] = "tomorrow";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Expired);
}

TEST(IdToken, IssuedAtInTheFutureOrLongAgoIsRefused) {
  auto c = claims();
  c["iat"] = 1'800'000'000 + 120;
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::IssuedAt);
  c["iat"] = 1'800'000'000 - 3600;
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::IssuedAt);
  c.erase("iat");
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::IssuedAt);
}

TEST(IdToken, WrongOrMissingNonceIsRefused) {
  auto c = claims();
  c["nonce"] = "replayed";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Nonce);
  c.erase("nonce");
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Nonce);
}

TEST(IdToken, AcrBelowEidas1IsRefused) {
  auto c = claims();
  c["acr"] = "eidas0";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Acr);
  c.erase("acr");
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Acr);
}

TEST(IdToken, MissingSubjectIsRefused) {
  auto c = claims();
  c["sub"] = "";
  EXPECT_EQ(check(c, keys().rsa), TokenProblem::Subject);
}

TEST(Userinfo, SignedJwtAndPlainJsonAreAccepted) {
  nlohmann::json info = {{"sub", "f:550dc1c8:899700218896"},
                         {"iss", "https://psc.test/auth/realms/esante-wallet"},
                         {"aud", "sas-client"},
                         {"SubjectNameID", "899700218896"}};
  auto v = verifyUserinfo(keys().ec.sign(info) + "\n", "application/jwt; charset=utf-8",
                          published(), "https://psc.test/auth/realms/esante-wallet", "sas-client",
                          "f:550dc1c8:899700218896");
  ASSERT_EQ(v.problem, TokenProblem::None);
  EXPECT_EQ(v.claims["SubjectNameID"], "899700218896");
  EXPECT_TRUE(verifyUserinfo(info.dump(), "application/json", published(),
                             "https://psc.test/auth/realms/esante-wallet", "sas-client",
                             "f:550dc1c8:899700218896")
                  .ok());
}

TEST(Userinfo, AnotherSubjectOrBadSignatureIsRefused) {
  nlohmann::json info = {{"sub", "someone-else"}};
  EXPECT_EQ(verifyUserinfo(info.dump(), "application/json", published(), "i", "c", "me").problem,
            TokenProblem::Subject);
  info["sub"] = "me";
  EXPECT_EQ(verifyUserinfo(keys().other.sign(info), "application/jwt", published(), "i", "c", "me")
                .problem,
            TokenProblem::Signature);
  EXPECT_EQ(verifyUserinfo("{", "application/json", published(), "i", "c", "me").problem,
            TokenProblem::Malformed);
}
