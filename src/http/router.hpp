#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace sas::http {

using Handler = std::function<Response(Request&)>;

/// Routes like "/lieux/{id}/agenda": literal segments and named ones.
class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler handler);
  /// The handler for the request (filling pathParams), or none; `pathKnown` tells whether
  /// another method would have matched (405 rather than 404).
  const Handler* match(Request& request, bool& pathKnown) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

std::vector<std::string> splitPath(const std::string& path);

}  // namespace sas::http
