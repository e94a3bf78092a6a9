// The FAQ's Markdown (cmark, safe mode) and the training manifest.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "help/content.hpp"

namespace sas::help {
namespace {

TEST(HelpMarkdown, RendersMarkdownAndDropsRawHtmlAndScriptLinks) {
  const auto html = markdownToHtml(
      "Un **mot** et une [page](/assistance).\n\n<script>alert(1)</script>\n\n"
      "[piège](javascript:alert(1)) <img src=x onerror=alert(1)>\n");
  EXPECT_NE(html.find("<strong>mot</strong>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"/assistance\">page</a>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
}

TEST(HelpMarkdown, ThemeHasATitleAnIntroductionAndQuestionsWithAnswers) {
  const auto theme = parseFaqTheme("connexion",
                                   "# Connexion\n\nIntroduction.\n\n## Première question ?\n\n"
                                   "Réponse *une*.\n\n## Seconde ?\n\n- a\n- b\n");
  EXPECT_EQ(theme.title, "Connexion");
  EXPECT_NE(theme.introHtml.find("Introduction."), std::string::npos);
  ASSERT_EQ(theme.questions.size(), 2u);
  EXPECT_EQ(theme.questions[0].question, "Première question ?");
  EXPECT_EQ(theme.questions[0].id, "connexion-1");
  EXPECT_NE(theme.questions[0].answerHtml.find("<em>une</em>"), std::string::npos);
  EXPECT_NE(theme.questions[1].answerHtml.find("<li>b</li>"), std::string::npos);
}

TEST(HelpMarkdown, TheShippedFaqHasThemesWithQuestions) {
  FaqFiles faq(std::filesystem::path(SAS_SOURCE_DIR) / "content/faq");
  const auto themes = faq.themes();
  ASSERT_GE(themes.size(), 3u);
  for (const auto& t : themes) {
    EXPECT_FALSE(t.title.empty()) << t.slug;
    EXPECT_GE(t.questions.size(), 3u) << t.slug;
    for (const auto& q : t.questions) EXPECT_FALSE(q.answerHtml.empty()) << q.question;
  }
  EXPECT_TRUE(faq.theme("connexion").has_value());
  // A theme for each role beyond the structure managers' (issue 18): regulators and IOA,
  // health professionals, délégataires.
  for (const char* slug : {"orientation", "professionnels-de-sante", "delegation"}) {
    const auto theme = faq.theme(slug);
    ASSERT_TRUE(theme.has_value()) << slug;
    EXPECT_GE(theme->questions.size(), 5u) << slug;
  }
  EXPECT_FALSE(faq.theme("../config").has_value());
  EXPECT_FALSE(faq.theme("").has_value());
}

class TrainingFilesTest : public ::testing::Test {
 protected:
  TrainingFilesTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("sas-formation-" + std::to_string(std::random_device{}()))) {
    std::filesystem::create_directories(dir_);
  }
  ~TrainingFilesTest() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  std::filesystem::path dir_;
};

TEST_F(TrainingFilesTest, ListsOnlyManifestDocumentsThatExist) {
  write("manifest.json", R"({"groupes": [
    {"titre": "Gestionnaire de structure", "documents": [
      {"fichier": "guide.pdf", "titre": "Guide", "type": "guide"},
      {"fichier": "absent.pdf", "titre": "Absent", "type": "guide"},
      {"fichier": "demo.mp4", "titre": "Vidéo", "type": "video"},
      {"fichier": "../secret.pdf", "titre": "Évasion", "type": "guide"},
      {"fichier": "notes.txt", "titre": "Texte", "type": "guide"},
      {"fichier": "img/capture.png", "titre": "Image", "type": "guide"},
      {"fichier": "capture.png", "titre": "Image", "type": "guide"}]},
    {"titre": "Vide", "documents": [{"fichier": "rien.pdf", "titre": "Rien"}]}]})");
  write("guide.pdf", "%PDF-1.4 guide");
  write("demo.mp4", "video");
  write("notes.txt", "texte");
  write("capture.png", "\x89PNG");
  std::filesystem::create_directories(dir_ / "img");
  write("img/capture.png", "\x89PNG");
  TrainingFiles training(dir_);
  const auto groups = training.groups();
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_EQ(groups[0].documents.size(), 2u);
  EXPECT_EQ(groups[0].documents[0].file, "guide.pdf");
  EXPECT_EQ(groups[0].documents[0].contentType, "application/pdf");
  EXPECT_EQ(groups[0].documents[0].size, 14u);
  EXPECT_EQ(groups[0].documents[1].contentType, "video/mp4");
  EXPECT_TRUE(training.document("guide.pdf").has_value());
  EXPECT_FALSE(training.document("absent.pdf").has_value());
  EXPECT_FALSE(training.document("manifest.json").has_value());
  EXPECT_FALSE(training.document("../secret.pdf").has_value());
  // The guides' pictures are no downloads, even when a manifest names them.
  EXPECT_FALSE(training.document("capture.png").has_value());
  EXPECT_FALSE(training.document("img/capture.png").has_value());
}

/// The src="…" of each <img> of an HTML page, with whether it has a non-empty alt.
std::vector<std::pair<std::string, bool>> picturesOf(const std::string& html) {
  std::vector<std::pair<std::string, bool>> out;
  const std::regex img("<img\\b[^>]*>");
  const std::regex src("\\bsrc=\"([^\"]*)\"");
  const std::regex alt("\\balt=\"[^\"]+\"");
  for (std::sregex_iterator it(html.begin(), html.end(), img), end; it != end; ++it) {
    const std::string tag = it->str();
    std::smatch m;
    out.emplace_back(std::regex_search(tag, m, src) ? m[1].str() : "", std::regex_search(tag, alt));
  }
  return out;
}

TEST(TrainingContent, EachUserTypeHasAGuideAndAFicheMadeFromHtmlWithTheirPictures) {
  const auto dir = std::filesystem::path(SAS_SOURCE_DIR) / "content/formation";
  std::ifstream in(dir / "manifest.json");
  const auto manifest = nlohmann::json::parse(in);
  std::set<std::string> shown, titles;
  ASSERT_GE(manifest.at("groupes").size(), 7u);
  for (const auto& group : manifest.at("groupes")) {
    const auto title = group.at("titre").get<std::string>();
    titles.insert(title);
    std::set<std::string> kinds;
    for (const auto& doc : group.at("documents")) {
      const auto file = doc.at("fichier").get<std::string>();
      const auto kind = doc.at("type").get<std::string>();
      kinds.insert(kind);
      if (kind == "video") continue;
      // Each PDF is printed from the HTML page of the same name (scripts/build-training).
      const auto html = dir / std::filesystem::path(file).replace_extension(".html");
      ASSERT_TRUE(std::filesystem::is_regular_file(html)) << title << ": " << html;
      std::ifstream page(html);
      std::ostringstream text;
      text << page.rdbuf();
      for (const auto& [src, hasAlt] : picturesOf(text.str())) {
        EXPECT_TRUE(src.starts_with("img/")) << html << ": " << src;
        EXPECT_TRUE(std::filesystem::is_regular_file(dir / src)) << html << ": " << src;
        EXPECT_TRUE(hasAlt) << html << ": " << src << " has no text alternative";
        shown.insert(std::filesystem::path(src).filename().string());
      }
    }
    EXPECT_TRUE(kinds.count("guide")) << title;
    EXPECT_TRUE(kinds.count("fiche")) << title;
  }
  for (const char* role :
       {"Gestionnaire de comptes", "Effecteur de soins", "Gestionnaire de structure",
        "Régulateur / OSNP", "Infirmier d'Orientation et d'Accueil (IOA)", "Délégataire",
        "Administrateur national"})
    EXPECT_TRUE(titles.count(role)) << role;
  // No picture is kept that no guide shows (scripts/training-screenshots takes only these).
  for (const auto& e : std::filesystem::directory_iterator(dir / "img"))
    EXPECT_TRUE(shown.count(e.path().filename().string())) << e.path() << " is shown nowhere";
}

TEST_F(TrainingFilesTest, NoOrBrokenManifestListsNothing) {
  EXPECT_TRUE(TrainingFiles(dir_).groups().empty());
  write("manifest.json", "{pas du json");
  EXPECT_TRUE(TrainingFiles(dir_).groups().empty());
}

}  // namespace
}  // namespace sas::help
