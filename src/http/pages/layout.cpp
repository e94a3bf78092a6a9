#include "http/pages/layout.hpp"

#include <array>
#include <charconv>

#include "app/model.hpp"
#include "http/login_redirect.hpp"
#include "http/terms_gate.hpp"

namespace sas::http {

nlohmann::json layoutModel(const Request& request, const std::string& title) {
  nlohmann::json m;
  m["title"] = title;
  m["csrf"] = request.csrfToken;
  if (request.session) {
    const auto& user = request.session->actor.user;
    const bool administrator = user.role == app::Role::Administrator;
    m["user"] = {{"name", user.displayName()},
                 {"email", user.email},
                 {"role", app::roleLabel(user.role)},
                 {"managesAccounts", administrator || user.role == app::Role::AccountManager},
                 {"readsAccounts", administrator || user.role == app::Role::AccountManager ||
                                       user.role == app::Role::TerritorialReferent},
                 {"readsSupport", administrator || user.role == app::Role::TerritorialReferent},
                 {"hasDelegates",
                  user.role == app::Role::StructureManager || user.role == app::Role::Practitioner},
                 {"regulates", app::regulates(user.role)},
                 {"administrator", administrator}};
  } else {
    m["user"] = nullptr;
  }
  // The CGU pop-in over a landing page, until they are accepted (http/terms_gate.hpp).
  // Accepted, the pop-in (or, without JavaScript, the page its refresh leads to) comes back to
  // this very page, query string included (a regulator's search opened before the login).
  const bool cgu = termsPending(request) && landingUnderTerms(request.method, request.path);
  m["cguModal"] = cgu;
  if (cgu) {
    m["cguId"] = "cgu-modale-case";
    m["cguRefresh"] = withSuite(kTermsPage, request.target);
    m["cguSuite"] = isLocalTarget(request.target) ? request.target : "";
  }
  return m;
}

nlohmann::json errorsModel(const std::vector<domain::FieldError>& errors) {
  nlohmann::json m = nlohmann::json::object();
  nlohmann::json summary = nlohmann::json::array();
  for (const auto& e : errors) {
    const std::string key = e.field.empty() ? "form" : e.field;
    if (!m.contains(key)) m[key] = e.message;
    summary.push_back({{"field", e.field}, {"message", e.message}});
  }
  m["summary"] = summary;
  m["any"] = !errors.empty();
  return m;
}

const char* typeLetter(domain::ConsultationType type) {
  switch (type) {
    case domain::ConsultationType::Office:
      return "C";
    case domain::ConsultationType::Teleconsultation:
      return "T";
    case domain::ConsultationType::HomeVisit:
      return "D";
  }
  return "";
}

nlohmann::json typesModel(domain::ConsultationTypes types) {
  nlohmann::json out = nlohmann::json::array();
  for (auto t : kTypesInOrder)
    if (types.has(t)) out.push_back({{"initial", typeLetter(t)}, {"label", domain::typeLabel(t)}});
  return out;
}

void appendKindLabel(std::string& out, domain::AvailabilityKind kind, int capacity) {
  if (kind == domain::AvailabilityKind::Slot) {
    out += "Créneau · 1 patient";
    return;
  }
  out += "Plage · ";
  std::array<char, 12> digits{};
  out.append(digits.data(),
             std::to_chars(digits.data(), digits.data() + digits.size(), capacity).ptr);
  out += capacity > 1 ? " patients" : " patient";
}

std::string kindLabel(domain::AvailabilityKind kind, int capacity) {
  std::string out;
  appendKindLabel(out, kind, capacity);
  return out;
}

std::string searchBackUrl(const std::string& back) {
  if (back == "/orientations") return back;  // « Mes orientations »
  if (back.rfind("/recherche?", 0) == 0 && back.find("//") == std::string::npos &&
      back.find('\\') == std::string::npos)
    return back;
  return "/recherche";
}

}  // namespace sas::http
