#pragma once
// Help content read from files at request time (editable without a rebuild): the FAQ's
// Markdown themes (content/faq/*.md) and the training documents (content/formation/).
#include <filesystem>
#include <string>

#include "app/ports/support.hpp"

namespace sas::help {

/// Markdown to HTML with cmark, safe mode: raw HTML and javascript: links are dropped.
std::string markdownToHtml(const std::string& markdown);

/// One theme per file `NN-slug.md`: a first line `# Title`, an optional introduction, then
/// one `## Question` heading per question, followed by its answer.
app::FaqTheme parseFaqTheme(const std::string& slug, const std::string& markdown);

class FaqFiles final : public app::FaqSource {
 public:
  explicit FaqFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::vector<app::FaqTheme> themes() const override;
  std::optional<app::FaqTheme> theme(const std::string& slug) const override;

 private:
  std::filesystem::path dir_;
};

/// content/formation/manifest.json: {"groupes": [{"titre", "description", "documents":
/// [{"fichier", "titre", "type": "guide" | "fiche" | "video"}]}]}. Only files present are listed.
class TrainingFiles final : public app::TrainingSource {
 public:
  explicit TrainingFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::vector<app::TrainingGroup> groups() const override;
  std::optional<app::TrainingDocument> document(const std::string& file) const override;

 private:
  std::filesystem::path dir_;
};

}  // namespace sas::help
