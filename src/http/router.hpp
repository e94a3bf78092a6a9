#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace sas::http {

using Handler = std::function<Response(Request&)>;

/// Who reads a route's answers. Programs (a calendar application reading a feed) get no session
/// and no cookie, their errors included; only GET routes may be theirs.
enum class Audience { Browsers, Programs };

/// Routes like "/lieux/{id}/agenda": literal segments and named ones.
class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler handler,
           Audience audience = Audience::Browsers);
  /// The handler for the request (filling pathParams), or none; `pathKnown` tells whether
  /// another method would have matched (405 rather than 404). HEAD is answered as GET.
  /// `audience`, when given, is set to the matched route's.
  const Handler* match(Request& request, bool& pathKnown, Audience* audience = nullptr) const;
  /// The methods `path` takes, for a 405's Allow header ("GET, HEAD, POST"); empty if none.
  std::string allowedMethods(const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    std::size_t literals = 0;  // segments that are not {named}
    Audience audience = Audience::Browsers;
  };
  /// Fills `params` when `segments` fit `route`.
  static bool fits(const Route& route, const std::vector<std::string>& segments,
                   std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
};

std::vector<std::string> splitPath(const std::string& path);

/// A named page function bound to the services it uses, so that route tables read as a list
/// of names: `router.add("GET", "/faq", handle(s, showFaq))`.
template <class Services>
Handler handle(Services& services, Response (*page)(Services&, Request&)) {
  return [&services, page](Request& request) { return page(services, request); };
}

}  // namespace sas::http
