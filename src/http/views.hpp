#pragma once
// Mustache templates (escaped by default) fed with JSON view models.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sas::http {

class Views {
 public:
  /// Loads every *.mustache under `dir`, named by relative path without extension
  /// ("pages/login", "partials/field").
  /// `assetUrl`, when given, rewrites each "/static/<file>" of the templates (the name of a
  /// fingerprinted copy, so that browsers may keep it for a year: http/static_files).
  explicit Views(const std::filesystem::path& dir,
                 const std::function<std::string(const std::string&)>& assetUrl = {});
  ~Views();

  /// Renders one template with the partials available.
  std::string render(const std::string& name, const nlohmann::json& model) const;
  /// Renders `page` inside the layout; `model` gets "content" with the page's HTML.
  std::string page(const std::string& name, nlohmann::json model) const;
  /// `content`, HTML written by the caller, inside the layout; `model` holds the layout's
  /// values (title, csrf, user).
  std::string inLayout(nlohmann::json model, std::string_view content) const;
  /// The same with the content written in place by `write`, `contentSize` bytes or about: a
  /// page of 60 KB is not copied once more into the layout.
  std::string inLayout(nlohmann::json model, const std::function<void(std::string&)>& write,
                       std::size_t contentSize) const;
  /// Tells this object's templates apart from another's (even at the same address), for
  /// what a thread keeps rendered.
  std::uint64_t generation() const;

  struct Impl;

 private:
  const std::string* layoutAround(const nlohmann::json& layout) const;

  std::unique_ptr<Impl> impl_;
};

}  // namespace sas::http
