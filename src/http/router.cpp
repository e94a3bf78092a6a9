#include "http/router.hpp"

namespace sas::http {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, splitPath(pattern), std::move(handler)});
}

const Handler* Router::match(Request& request, bool& pathKnown) const {
  const auto segments = splitPath(request.path);
  pathKnown = false;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& s = route.segments[i];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}')
        params[s.substr(1, s.size() - 2)] = segments[i];
      else
        ok = s == segments[i];
    }
    if (!ok) continue;
    pathKnown = true;
    if (route.method != request.method) continue;
    request.pathParams = std::move(params);
    return &route.handler;
  }
  return nullptr;
}

}  // namespace sas::http
