#pragma once
// The HTML pages: each handler reads the form into a command, calls one use case, and turns
// the result into a view model for a template.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/account_service.hpp"
#include "app/admin_service.hpp"
#include "app/agenda_service.hpp"
#include "app/auth_service.hpp"
#include "app/structure_service.hpp"
#include "domain/checked.hpp"
#include "http/router.hpp"
#include "http/views.hpp"

namespace sas::http {

struct PageServices {
  app::AuthService& auth;
  app::StructureService& structures;
  app::AgendaService& agenda;
  const app::Clock& clock;
  const Views& views;
};

void addAuthPages(Router& router, PageServices& s);
void addDashboardPages(Router& router, PageServices& s);
void addAgendaPages(Router& router, PageServices& s);

struct AccountPageServices {
  app::AuthService& auth;
  app::AccountService& accounts;
  app::AdminService& admin;
  const Views& views;
};

void addAccountPages(Router& router, AccountPageServices& s);
void addAdminPages(Router& router, AccountPageServices& s);

/// {"field": "message", …} and a "summary" list for the error summary at the top of a form.
nlohmann::json errorsModel(const std::vector<domain::FieldError>& errors);

}  // namespace sas::http
