#include "http/router.hpp"

#include <stdexcept>

#include <algorithm>
#include <set>

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

void Router::add(const std::string& method, const std::string& pattern, Handler handler,
                 Audience audience) {
  // Without a session nor a CSRF cookie, nothing may change anything.
  if (audience == Audience::Programs && method != "GET")
    throw std::invalid_argument("a route for programs is a GET: " + pattern);
  auto segments = splitPath(pattern);
  const auto literals = std::count_if(segments.begin(), segments.end(), [](const auto& s) {
    return !(s.size() > 2 && s.front() == '{' && s.back() == '}');
  });
  routes_.push_back({method, std::move(segments), std::move(handler),
                     static_cast<std::size_t>(literals), audience});
}

bool Router::fits(const Route& route, const std::vector<std::string>& segments,
                  std::map<std::string, std::string>& params) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& s = route.segments[i];
    if (s.size() > 2 && s.front() == '{' && s.back() == '}')
      params[s.substr(1, s.size() - 2)] = segments[i];
    else if (s != segments[i])
      return false;
  }
  return true;
}

const Handler* Router::match(Request& request, bool& pathKnown, Audience* audience) const {
  const auto segments = splitPath(request.path);
  // A HEAD is a GET whose body the server leaves out.
  static const std::string kGet = "GET";
  const std::string& method = request.method == "HEAD" ? kGet : request.method;
  pathKnown = false;
  // The route with the most literal segments wins, whatever the order routes were added in:
  // "/orientations/chiffres" before "/orientations/{id}".
  const Route* best = nullptr;
  std::map<std::string, std::string> bestParams;
  for (const auto& route : routes_) {
    if (best && route.literals <= best->literals) continue;
    std::map<std::string, std::string> params;
    if (!fits(route, segments, params)) continue;
    pathKnown = true;
    if (route.method != method) continue;
    best = &route;
    bestParams = std::move(params);
  }
  if (!best) return nullptr;
  request.pathParams = std::move(bestParams);
  if (audience) *audience = best->audience;
  return &best->handler;
}

std::string Router::allowedMethods(const std::string& path) const {
  const auto segments = splitPath(path);
  std::set<std::string> methods;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!fits(route, segments, params)) continue;
    methods.insert(route.method);
    if (route.method == "GET") methods.insert("HEAD");
  }
  std::string out;
  for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

}  // namespace sas::http
