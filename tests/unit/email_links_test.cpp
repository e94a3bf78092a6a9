#include "app/email_links.hpp"

#include <gtest/gtest.h>

namespace sas::app::email_links {
namespace {

TEST(EmailLinks, BaseUrlThenPathThenToken) {
  EXPECT_EQ(link("https://sas.example", kActivation, "abc"), "https://sas.example/activation/abc");
  EXPECT_EQ(link("https://sas.example", kPassword), "https://sas.example/compte/mot-de-passe");
}

TEST(EmailLinks, ATrailingSlashOfTheBaseUrlIsDropped) {
  EXPECT_EQ(link("https://sas.example//", kReset, "t"), "https://sas.example/reinitialisation/t");
  EXPECT_EQ(link("", kPscLink, "t"), "/psc/lien/t");
}

}  // namespace
}  // namespace sas::app::email_links
