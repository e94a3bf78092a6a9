#include "help/content.hpp"
#include "domain/text.hpp"

#include <cmark.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

namespace sas::help {

namespace {

std::string readAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// "01-connexion.md" → "connexion"; empty when the name is not a plain slug.
std::string slugOf(const std::filesystem::path& file) {
  std::string stem = file.stem().string();
  std::size_t i = 0;
  while (i < stem.size() && std::isdigit(static_cast<unsigned char>(stem[i]))) ++i;
  if (i > 0 && i < stem.size() && stem[i] == '-') stem = stem.substr(i + 1);
  const bool plain = !stem.empty() && std::all_of(stem.begin(), stem.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-';
  });
  return plain ? stem : "";
}

std::vector<std::filesystem::path> markdownFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".md" && !slugOf(e.path()).empty())
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string contentTypeOf(const std::string& file) {
  static const std::map<std::string, std::string> types{
      {".pdf", "application/pdf"}, {".mp4", "video/mp4"}, {".webm", "video/webm"}};
  auto it = types.find(std::filesystem::path(file).extension().string());
  return it == types.end() ? "" : it->second;
}

}  // namespace

std::string markdownToHtml(const std::string& markdown) {
  char* html = cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_SAFE);
  std::string out = html ? html : "";
  std::free(html);
  return out;
}

app::FaqTheme parseFaqTheme(const std::string& slug, const std::string& markdown) {
  app::FaqTheme theme;
  theme.slug = slug;
  std::istringstream in(markdown);
  std::string line, intro, answer;
  bool inQuestion = false;
  auto flush = [&] {
    if (inQuestion) theme.questions.back().answerHtml = markdownToHtml(answer);
    answer.clear();
  };
  while (std::getline(in, line)) {
    if (theme.title.empty() && line.rfind("# ", 0) == 0) {
      theme.title = domain::trimmed(line.substr(2));
    } else if (line.rfind("## ", 0) == 0) {
      flush();
      inQuestion = true;
      app::FaqQuestion q;
      q.question = domain::trimmed(line.substr(3));
      q.id = slug + "-" + std::to_string(theme.questions.size() + 1);
      theme.questions.push_back(q);
    } else if (inQuestion) {
      answer += line + "\n";
    } else {
      intro += line + "\n";
    }
  }
  flush();
  theme.introHtml = domain::trimmed(intro).empty() ? "" : markdownToHtml(intro);
  if (theme.title.empty()) theme.title = slug;
  return theme;
}

std::vector<app::FaqTheme> FaqFiles::themes() const {
  std::vector<app::FaqTheme> out;
  for (const auto& f : markdownFiles(dir_)) out.push_back(parseFaqTheme(slugOf(f), readAll(f)));
  return out;
}

std::optional<app::FaqTheme> FaqFiles::theme(const std::string& slug) const {
  for (const auto& f : markdownFiles(dir_))
    if (slugOf(f) == slug) return parseFaqTheme(slug, readAll(f));
  return std::nullopt;
}

std::vector<app::TrainingGroup> TrainingFiles::groups() const {
  std::vector<app::TrainingGroup> out;
  const auto manifest = dir_ / "manifest.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(manifest, ec)) return out;
  const auto json = nlohmann::json::parse(readAll(manifest), nullptr, false);
  if (json.is_discarded() || !json.contains("groupes") || !json["groupes"].is_array()) return out;
  for (const auto& g : json["groupes"]) {
    app::TrainingGroup group;
    group.title = g.value("titre", "");
    group.description = g.value("description", "");
    if (!g.contains("documents") || !g["documents"].is_array()) continue;
    for (const auto& d : g["documents"]) {
      app::TrainingDocument doc;
      doc.file = d.value("fichier", "");
      doc.title = d.value("titre", "");
      doc.kind = d.value("type", "guide");
      doc.contentType = contentTypeOf(doc.file);
      // A plain name of this folder, of a known type, that exists (PDFs are build output).
      if (doc.file.empty() || doc.file.find_first_of("/\\") != std::string::npos ||
          doc.file[0] == '.' || doc.contentType.empty())
        continue;
      doc.path = dir_ / doc.file;
      if (!std::filesystem::is_regular_file(doc.path, ec)) continue;
      doc.size = std::filesystem::file_size(doc.path, ec);
      group.documents.push_back(doc);
    }
    if (!group.documents.empty()) out.push_back(group);
  }
  return out;
}

std::optional<app::TrainingDocument> TrainingFiles::document(const std::string& file) const {
  for (const auto& g : groups())
    for (const auto& d : g.documents)
      if (d.file == file) return d;
  return std::nullopt;
}

}  // namespace sas::help
