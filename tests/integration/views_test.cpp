// The layout is rendered once per user and title and pages are spliced into it
// (http/views.cpp): each page must come out as a full render would make it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/views.hpp"

namespace sas::http {
namespace {

class ViewsTest : public ::testing::Test {
 protected:
  ViewsTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("sas-views-" +
              std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "layout");
    std::filesystem::create_directories(dir_ / "pages");
    write("layout/base.mustache",
          "<title>{{title}}</title>{{#user}}<p>{{name}}</p>{{/user}}<main>{{{content}}}</main>"
          "<input value=\"{{csrf}}\">");
    write("pages/one.mustache", "<h1>{{heading}}</h1>");
  }
  ~ViewsTest() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  std::filesystem::path dir_;
};

TEST_F(ViewsTest, PagesAreSplicedIntoTheirUsersLayout) {
  Views views(dir_);
  nlohmann::json a{
      {"title", "Un"}, {"csrf", "t1"}, {"user", {{"name", "Camille <C>"}}}, {"heading", "Premier"}};
  nlohmann::json b{{"title", "Deux"}, {"csrf", "t2"}, {"user", nullptr}, {"heading", "Second"}};
  for (int twice = 0; twice < 2; ++twice) {
    EXPECT_EQ(views.page("pages/one", a),
              "<title>Un</title><p>Camille &lt;C&gt;</p><main><h1>Premier</h1></main>"
              "<input value=\"t1\">");
    EXPECT_EQ(views.page("pages/one", b),
              "<title>Deux</title><main><h1>Second</h1></main><input value=\"t2\">");
  }
  EXPECT_EQ(views.inLayout(b, "<p>écrit à la main</p>"),
            "<title>Deux</title><main><p>écrit à la main</p></main><input value=\"t2\">");
}

TEST_F(ViewsTest, AUserValueHoldingTheSpliceMarkerStillGetsItsPage) {
  Views views(dir_);
  const std::string odd = "\x01sas-page-content\x01";
  nlohmann::json m{{"title", "T"}, {"csrf", "c"}, {"user", {{"name", odd}}}, {"heading", "H"}};
  EXPECT_EQ(views.page("pages/one", m),
            "<title>T</title><p>" + odd + "</p><main><h1>H</h1></main><input value=\"c\">");
}

TEST_F(ViewsTest, AnEmptyStringIsFalseForSectionsAndEmptyAsAValue) {
  write("pages/two.mustache",
        "[{{#phone}}Tél. {{phone}}{{/phone}}{{^phone}}aucun{{/phone}}]({{phone}})");
  Views views(dir_);
  EXPECT_EQ(views.render("pages/two", {{"phone", ""}}), "[aucun]()");
  EXPECT_EQ(views.render("pages/two", {{"phone", "01"}}), "[Tél. 01](01)");
}

}  // namespace
}  // namespace sas::http
