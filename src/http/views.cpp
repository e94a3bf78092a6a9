#include "http/views.hpp"

#include <kainjow/mustache.hpp>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sas::http {

namespace mustache = kainjow::mustache;

struct Views::Impl {
  std::uint64_t generation = 0;
  std::map<std::string, std::string> sources;
};

namespace {
std::atomic<std::uint64_t> nextGeneration{1};

// kainjow's render() changes the template object, so each server thread keeps its own
// compiled copies; the generation tells apart Views objects that reuse an address.
mustache::mustache& compiled(const Views::Impl& impl, const std::string& name) {
  thread_local std::map<std::pair<std::uint64_t, std::string>, std::unique_ptr<mustache::mustache>>
      cache;
  auto key = std::make_pair(impl.generation, name);
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto src = impl.sources.find(name);
    if (src == impl.sources.end()) throw std::runtime_error("no template " + name);
    it = cache.emplace(key, std::make_unique<mustache::mustache>(src->second)).first;
  }
  return *it->second;
}
}  // namespace

namespace {

mustache::data toData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data d{mustache::data::type::object};
      for (const auto& [k, v] : j.items()) d.set(k, toData(v));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mustache::data d{mustache::data::type::list};
      for (const auto& v : j) d.push_back(toData(v));
      return d;
    }
    case nlohmann::json::value_t::boolean:
      return mustache::data{j.get<bool>()};
    case nlohmann::json::value_t::string:
      return mustache::data{j.get<std::string>()};
    case nlohmann::json::value_t::null:
      return mustache::data{false};
    default:
      return mustache::data{j.dump()};
  }
}

}  // namespace

Views::Views(const std::filesystem::path& dir) : impl_(std::make_unique<Impl>()) {
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".mustache") continue;
    auto rel = std::filesystem::relative(e.path(), dir);
    rel.replace_extension();
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    mustache::mustache tmpl(s.str());
    if (!tmpl.is_valid())
      throw std::runtime_error("template " + rel.string() + ": " + tmpl.error_message());
    impl_->sources[rel.generic_string()] = s.str();
  }
  impl_->generation = nextGeneration++;
}

Views::~Views() = default;

std::string Views::render(const std::string& name, const nlohmann::json& model) const {
  auto& tmpl = compiled(*impl_, name);
  mustache::data data = toData(model);
  for (const auto& [partialName, source] : impl_->sources) {
    if (partialName.rfind("partials/", 0) != 0) continue;
    const std::string* text = &source;
    data.set(partialName.substr(9), mustache::partial{[text]() { return *text; }});
  }
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) throw std::runtime_error("template " + name + ": " + tmpl.error_message());
  return out;
}

std::string Views::page(const std::string& name, nlohmann::json model) const {
  model["content"] = render(name, model);
  return render("layout/base", model);
}

}  // namespace sas::http
