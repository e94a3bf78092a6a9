#include "help/file_inspector.hpp"

#include <magic.h>
#include <zip.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

namespace sas::help {

namespace {

struct Format {
  std::vector<std::string> mimeTypes;  // what libmagic may answer for it
  const char* label;
};

const std::map<std::string, Format>& formats() {
  static const std::map<std::string, Format> f{
      {"pdf", {{"application/pdf"}, "PDF"}},
      {"jpeg", {{"image/jpeg"}, "JPEG"}},
      {"png", {{"image/png"}, "PNG"}},
      {"xls", {{"application/vnd.ms-excel"}, "Excel (xls)"}},
      {"ppt", {{"application/vnd.ms-powerpoint"}, "PowerPoint (ppt)"}},
      {"potx",
       {{"application/zip", "application/vnd.openxmlformats-officedocument.presentationml.template",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "application/octet-stream"},
        "modèle PowerPoint (potx)"}},
  };
  return f;
}

const char* const kPotxType =
    "application/vnd.openxmlformats-officedocument.presentationml.template";
const char* const kTemplateMain =
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml";

}  // namespace

MagicFileInspector::MagicFileInspector(ZipLimits limits) : limits_(limits) {
  magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
  if (!m) throw std::runtime_error("libmagic: magic_open failed");
  if (magic_load(m, nullptr) != 0) {
    std::string error = magic_error(m) ? magic_error(m) : "?";
    magic_close(m);
    throw std::runtime_error("libmagic: " + error);
  }
  magic_ = m;
}

MagicFileInspector::~MagicFileInspector() {
  magic_close(static_cast<magic_t>(magic_));
}

std::string MagicFileInspector::mimeType(const std::filesystem::path& file) const {
  std::lock_guard lock(mutex_);
  const char* type = magic_file(static_cast<magic_t>(magic_), file.c_str());
  return type ? type : "";
}

app::FileCheck MagicFileInspector::check(const std::filesystem::path& file,
                                         const std::string& extension) const {
  app::FileCheck out;
  auto it = formats().find(extension);
  if (it == formats().end()) {
    out.problem = "les formats autorisés sont pdf, jpeg, png, xls, ppt, potx.";
    return out;
  }
  const auto found = mimeType(file);
  bool agrees = false;
  for (const auto& t : it->second.mimeTypes) agrees = agrees || t == found;
  if (!agrees) {
    out.problem = std::string("son contenu n'est pas celui d'un fichier ") + it->second.label +
                  " : le contenu d'un fichier doit correspondre à son extension.";
    return out;
  }
  if (extension == "potx") return checkPotx(file);
  out.ok = true;
  out.contentType = found;
  return out;
}

app::FileCheck MagicFileInspector::checkPotx(const std::filesystem::path& file) const {
  app::FileCheck out;
  int error = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(
      zip_open(file.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error), &zip_discard);
  if (!archive) {
    out.problem = "ce n'est pas un modèle PowerPoint (potx) lisible : l'archive est illisible.";
    return out;
  }
  const zip_int64_t n = zip_get_num_entries(archive.get(), 0);
  if (n <= 0 || static_cast<std::uint64_t>(n) > limits_.maxEntries) {
    out.problem = "ce modèle PowerPoint (potx) contient un nombre anormal de fichiers.";
    return out;
  }
  std::uint64_t expanded = 0, compressed = 0;
  zip_int64_t contentTypes = -1;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
        !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
      out.problem = "ce modèle PowerPoint (potx) est une archive endommagée.";
      return out;
    }
    expanded += st.size;
    compressed += st.comp_size;
    // An entry that expands absurdly (a « zip bomb ») is refused on its own too.
    if (st.size > 1024 * 1024 &&
        st.size / std::max<std::uint64_t>(st.comp_size, 1) > limits_.maxRatio) {
      out.problem =
          "ce modèle PowerPoint (potx) se décompresse en un volume anormal (archive piégée).";
      return out;
    }
    if (st.name && std::string(st.name) == "[Content_Types].xml") contentTypes = i;
  }
  if (expanded > limits_.maxExpandedBytes ||
      (expanded > 1024 * 1024 &&
       expanded / std::max<std::uint64_t>(compressed, 1) > limits_.maxRatio)) {
    out.problem =
        "ce modèle PowerPoint (potx) se décompresse en un volume anormal (archive piégée).";
    return out;
  }
  if (contentTypes < 0) {
    out.problem = "ce n'est pas un modèle PowerPoint (potx) : [Content_Types].xml manque.";
    return out;
  }
  zip_stat_t st;
  zip_stat_index(archive.get(), static_cast<zip_uint64_t>(contentTypes), 0, &st);
  if (st.size > 1024 * 1024) {
    out.problem = "ce modèle PowerPoint (potx) a un [Content_Types].xml anormalement grand.";
    return out;
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> entry(
      zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(contentTypes), 0), &zip_fclose);
  std::string xml(st.size, '\0');
  if (!entry || zip_fread(entry.get(), xml.data(), st.size) != static_cast<zip_int64_t>(st.size)) {
    out.problem = "ce modèle PowerPoint (potx) est une archive endommagée.";
    return out;
  }
  if (xml.find(kTemplateMain) == std::string::npos) {
    out.problem =
        "ce n'est pas un modèle PowerPoint (potx) : son contenu ne déclare pas de modèle de "
        "présentation.";
    return out;
  }
  out.ok = true;
  out.contentType = kPotxType;
  return out;
}

}  // namespace sas::help
