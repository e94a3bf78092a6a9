#include "http/request.hpp"

#include <charconv>

#include "app/errors.hpp"

namespace sas::http {

std::string Request::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string{} : it->second;
}

std::vector<std::string> Request::params_(const std::string& name) const {
  std::vector<std::string> out;
  auto [b, e] = params.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

bool Request::checked(const std::string& name) const {
  return params.find(name) != params.end();
}

std::int64_t Request::pathId(const std::string& name) const {
  auto it = pathParams.find(name);
  std::int64_t id = 0;
  if (it != pathParams.end()) {
    const auto& s = it->second;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec == std::errc{} && ptr == s.data() + s.size() && id > 0) return id;
  }
  throw app::AppError(app::ErrorCode::NotFound, "bad id in path: " + name);
}

const app::Actor& Request::actor() const {
  if (!session) throw app::AppError(app::ErrorCode::Unauthenticated, "no session");
  return session->actor;
}

Response Response::redirect(const std::string& location) {
  Response r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  return r;
}

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace sas::http
