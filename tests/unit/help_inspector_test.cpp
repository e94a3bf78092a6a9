// Uploaded files checked on their content (libmagic) and .potx archives (libzip).
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "help/file_inspector.hpp"

namespace sas::help {
namespace {

const std::filesystem::path kFiles = std::filesystem::path(SAS_SOURCE_DIR) / "tests/support/files";

TEST(HelpInspector, AcceptsEachAllowedFormatWhenContentAndExtensionAgree) {
  MagicFileInspector inspector;
  const std::pair<const char*, const char*> cases[] = {
      {"capture.pdf", "pdf"}, {"capture.png", "png"},   {"photo.jpg", "jpeg"},
      {"tableau.xls", "xls"}, {"diaporama.ppt", "ppt"}, {"modele.potx", "potx"}};
  for (const auto& [file, ext] : cases) {
    const auto check = inspector.check(kFiles / file, ext);
    EXPECT_TRUE(check.ok) << file << ": " << check.problem;
  }
  EXPECT_EQ(inspector.check(kFiles / "tableau.xls", "xls").contentType, "application/vnd.ms-excel");
  EXPECT_EQ(inspector.check(kFiles / "modele.potx", "potx").contentType,
            "application/vnd.openxmlformats-officedocument.presentationml.template");
}

TEST(HelpInspector, RefusesContentOfAnotherFormat) {
  MagicFileInspector inspector;
  auto check = inspector.check(kFiles / "capture.png", "pdf");
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.problem.find("PDF"), std::string::npos);
  EXPECT_FALSE(inspector.check(kFiles / "capture.pdf", "png").ok);
  EXPECT_FALSE(inspector.check(kFiles / "tableau.xls", "ppt").ok);
  EXPECT_FALSE(inspector.check(kFiles / "capture.pdf", "potx").ok);
  EXPECT_FALSE(inspector.check("/proc/self/exe", "png").ok);
  EXPECT_FALSE(inspector.check(kFiles / "capture.pdf", "exe").ok);
}

TEST(HelpInspector, RefusesAZipBombAndAPotxThatIsNotATemplate) {
  MagicFileInspector inspector;
  auto bomb = inspector.check(kFiles / "bombe.potx", "potx");
  EXPECT_FALSE(bomb.ok);
  EXPECT_NE(bomb.problem.find("volume anormal"), std::string::npos);
  auto plain = inspector.check(kFiles / "presentation.potx", "potx");
  EXPECT_FALSE(plain.ok);
  EXPECT_NE(plain.problem.find("modèle de présentation"), std::string::npos);
}

TEST(HelpInspector, RefusesAnUnreadableArchive) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("sas-broken-" + std::to_string(std::random_device{}()) + ".potx");
  {
    std::ofstream out(path, std::ios::binary);
    out << "PK\x03\x04" << std::string(200, 'x');
  }
  MagicFileInspector inspector;
  EXPECT_FALSE(inspector.check(path, "potx").ok);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace sas::help
