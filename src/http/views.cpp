#include "http/views.hpp"

#include <kainjow/mustache.hpp>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace sas::http {

namespace mustache = kainjow::mustache;

namespace {
// Where the page goes in the rendered layout (control characters: not in any template).
constexpr std::string_view kContentMarker = "\x01sas-page-content\x01";
}  // namespace

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

// A node with no children yet: copying it into its parent costs nothing.
mustache::data shell(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      return mustache::data{mustache::data::type::object};
    case nlohmann::json::value_t::array:
      return mustache::data{mustache::data::type::list};
    case nlohmann::json::value_t::boolean:
      return mustache::data{j.get<bool>()};
    case nlohmann::json::value_t::string:
      // Mustache counts an empty string as false ({{#phone}} must not open on ""); kainjow
      // would open the section. A false value still renders as nothing in {{phone}}.
      if (j.get_ref<const std::string&>().empty()) return mustache::data{false};
      return mustache::data{j.get_ref<const std::string&>()};
    case nlohmann::json::value_t::null:
      return mustache::data{false};
    default:
      return mustache::data{j.dump()};
  }
}

// kainjow's set() and push_back() copy whole subtrees, which made the conversion of a page's
// model quadratic in its depth: each child is added as an empty shell and filled in place.
void fill(mustache::data& out, const nlohmann::json& j) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      out.set(k, shell(v));
      if (v.is_structured()) fill(*const_cast<mustache::data*>(out.get(k)), v);
    }
  } else if (j.is_array()) {
    auto& list = const_cast<mustache::basic_list<std::string>&>(out.list_value());
    list.reserve(j.size());
    for (const auto& v : j) {
      list.push_back(shell(v));
      if (v.is_structured()) fill(list.back(), v);
    }
  }
}

mustache::data toData(const nlohmann::json& j) {
  mustache::data d = shell(j);
  fill(d, j);
  return d;
}

}  // namespace

namespace {

/// Each quoted "/static/<file>" of a template, with the name `assetUrl` gives it.
std::string rewriteAssets(const std::string& source,
                          const std::function<std::string(const std::string&)>& assetUrl) {
  constexpr std::string_view prefix = "\"/static/";
  std::string out;
  std::size_t from = 0;
  for (auto at = source.find(prefix); at != std::string::npos; at = source.find(prefix, from)) {
    const auto end = source.find('"', at + prefix.size());
    if (end == std::string::npos) break;
    const auto rel = source.substr(at + prefix.size(), end - at - prefix.size());
    out.append(source, from, at + 1 - from);
    // A template expression in the path is left alone: its file is known only at rendering.
    out += rel.find('{') == std::string::npos ? assetUrl(rel) : "/static/" + rel;
    from = end;
  }
  out.append(source, from, std::string::npos);
  return out;
}

}  // namespace

namespace {

// Each {{> name}} replaced by templates/partials/name's text, once, when the templates are
// read: kainjow parses a partial again at every rendering (DSFR's 4 KB display settings pop-in
// took /connexion from 3,800 to 1,400 pages a second), and a partial is rendered in its
// caller's context anyway.
std::string withPartials(const std::map<std::string, std::string>& sources,
                         const std::string& source, const std::string& name, int depth = 0) {
  if (depth > 8) throw std::runtime_error("template " + name + ": partials nested too deep");
  static const std::regex tag(R"(\{\{>\s*([A-Za-z0-9_./-]+)\s*\}\})");
  std::string out;
  auto from = source.cbegin();
  for (std::sregex_iterator it(source.begin(), source.end(), tag), end; it != end; ++it) {
    const auto& m = *it;
    const auto partial = sources.find("partials/" + m[1].str());
    if (partial == sources.end())
      throw std::runtime_error("template " + name + ": no partial " + m[1].str());
    out.append(from, m[0].first);
    out += withPartials(sources, partial->second, partial->first, depth + 1);
    from = m[0].second;
  }
  out.append(from, source.cend());
  return out;
}

}  // namespace

Views::Views(const std::filesystem::path& dir,
             const std::function<std::string(const std::string&)>& assetUrl)
    : impl_(std::make_unique<Impl>()) {
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
    impl_->sources[rel.generic_string()] = assetUrl ? rewriteAssets(s.str(), assetUrl) : s.str();
  }
  for (auto& [name, source] : impl_->sources) source = withPartials(impl_->sources, source, name);
  impl_->generation = nextGeneration++;
}

Views::~Views() = default;

std::uint64_t Views::generation() const {
  return impl_->generation;
}

std::string Views::render(const std::string& name, const nlohmann::json& model) const {
  auto& tmpl = compiled(*impl_, name);
  mustache::data data = toData(model);  // partials are in the template's text already
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) throw std::runtime_error("template " + name + ": " + tmpl.error_message());
  return out;
}

namespace {

// The forms the week agenda opens (the agenda itself sets "agendaFlow", being written without
// a template): with JavaScript, htmx replaces only their <main> (week navigation, returning to
// the agenda after a form) instead of loading the whole page.
bool inAgendaFlow(const std::string& name) {
  static const std::set<std::string> pages{"pages/availability_form", "pages/availability_delete",
                                           "pages/unavailability_form", "pages/note_form",
                                           "pages/week_copy"};
  return pages.count(name) > 0;
}

}  // namespace

std::string Views::page(const std::string& name, nlohmann::json model) const {
  const std::string content = render(name, model);
  if (inAgendaFlow(name)) model["agendaFlow"] = true;
  return inLayout(std::move(model), content);
}

std::string Views::inLayout(nlohmann::json model, std::string_view content) const {
  return inLayout(
      std::move(model), [&](std::string& out) { out += content; }, content.size());
}

std::string Views::inLayout(nlohmann::json model, const std::function<void(std::string&)>& write,
                            std::size_t contentSize) const {
  // The layout needs only these; converting the whole page model again would double the work.
  nlohmann::json layout = nlohmann::json::object();
  for (const char* key : {"title", "csrf", "user", "agendaFlow", "searchMap", "cguModal", "cguId",
                          "cguRefresh", "cguSuite"})
    if (model.contains(key)) layout[key] = std::move(model[key]);
  const std::string* shell = layoutAround(layout);
  if (!shell) {
    std::string content;
    write(content);
    layout["content"] = std::move(content);
    return render("layout/base", layout);
  }
  const auto marker = shell->find(kContentMarker);
  std::string out;
  out.reserve(shell->size() + contentSize);
  out.append(*shell, 0, marker);
  write(out);
  out.append(*shell, marker + kContentMarker.size());
  return out;
}

namespace {
// The layout's values in one string (cheaper than JSON's dump, which escapes as it goes): each
// value is preceded by its name and its length, so no two layouts give the same key.
void appendKey(std::string& key, const nlohmann::json& j) {
  if (j.is_object()) {
    for (const auto& [name, value] : j.items()) {
      key += name;
      key += '=';
      appendKey(key, value);
    }
  } else if (j.is_string()) {
    const auto& text = j.get_ref<const std::string&>();
    key += std::to_string(text.size());
    key += ':';
    key += text;
  } else {
    key += j.is_null() ? "~" : j.dump();
  }
  key += ';';
}
}  // namespace

const std::string* Views::layoutAround(const nlohmann::json& layout) const {
  // The layout only changes with the user and the page title: each server thread keeps the
  // last ones rendered around a marker, and pages are spliced in.
  thread_local std::unordered_map<std::string, std::string> shells;
  std::string key = std::to_string(impl_->generation);
  appendKey(key, layout);
  if (auto it = shells.find(key); it != shells.end()) return &it->second;
  if (shells.size() >= 64) shells.clear();
  nlohmann::json withMarker = layout;
  withMarker["content"] = kContentMarker;
  std::string shell = render("layout/base", withMarker);
  // Exactly once, or a value of the user's held the marker: then no splicing for him.
  const auto first = shell.find(kContentMarker);
  if (first == std::string::npos || shell.find(kContentMarker, first + 1) != std::string::npos)
    return nullptr;
  return &shells.emplace(std::move(key), std::move(shell)).first->second;
}

}  // namespace sas::http
