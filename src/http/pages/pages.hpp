#pragma once
// The HTML pages: each handler reads the form into a command, calls one use case, and turns
// the result into a view model for a template.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/account_service.hpp"
#include "app/admin_service.hpp"
#include "app/agenda_service.hpp"
#include "app/auth_service.hpp"
#include "app/operations.hpp"
#include "app/orientation_service.hpp"
#include "app/publisher_service.hpp"
#include "app/search_history.hpp"
#include "app/search_service.hpp"
#include "app/structure_service.hpp"
#include "app/support_service.hpp"
#include "domain/availability.hpp"
#include "domain/checked.hpp"
#include "http/metrics.hpp"
#include "http/pages/layout.hpp"
#include "http/router.hpp"
#include "http/views.hpp"

namespace sas::app {
class JournalService;
class PscService;
class OrientationService;
class DelegationService;
class CalendarExportService;
}  // namespace sas::app

namespace sas::http {

class AgendaGrids;

struct PageServices {
  app::AuthService& auth;
  app::StructureService& structures;
  app::AgendaService& agenda;
  const app::Clock& clock;
  const Views& views;
  app::PscService* psc = nullptr;  // Pro Santé Connect, when configured (login button, logout)
  app::OrientationService* orientations = nullptr;  // « Patient reçu » / « Patient non venu »
  AgendaGrids* grids = nullptr;  // the agenda's week grids kept between views (agenda_view.hpp)
  app::DelegationService* delegations = nullptr;  // délégataires (SPEC §12)
  /// « Exporter vers un agenda (iCalendar) »: needed by addCalendarPages.
  app::CalendarExportService* calendar = nullptr;
  /// « Mes disponibilités sont publiées par mon logiciel… » in « Vos paramètres », when set.
  app::PublisherService* publishers = nullptr;
};

void addAuthPages(Router& router, PageServices& s);
void addDashboardPages(Router& router, PageServices& s);
void addAgendaPages(Router& router, PageServices& s);
/// « Patients adressés » and their status; added by addAgendaPages.
void addReferredPages(Router& router, PageServices& s);
/// « Exporter vers un agenda (iCalendar) » and the feed /lieux/{id}/agenda.ics (needs
/// `s.calendar`).
void addCalendarPages(Router& router, PageServices& s);
/// « Dupliquer la semaine » (docs/rules.md#copy-a-week); added by addAgendaPages.
void addWeekCopyPages(Router& router, PageServices& s);
/// « Vos délégataires » and the end of a delegation (SPEC §12).
void addDelegationPages(Router& router, PageServices& s);
/// A délégataire's « Tableau de bord »: those he acts for and their places.
Response delegateDashboard(PageServices& s, Request& req);

struct AccountPageServices {
  app::AuthService& auth;
  app::AccountService& accounts;
  app::AdminService& admin;
  const Views& views;
  app::JournalService* journal = nullptr;  // « Journal des modifications » (addJournalPages)
  /// The structures' booking software, set by account managers on /structures (when set).
  app::PublisherService* publishers = nullptr;
};

void addAccountPages(Router& router, AccountPageServices& s);
/// « Journal des modifications » (/journal): needs `s.journal`.
void addJournalPages(Router& router, AccountPageServices& s);

struct PublisherPageServices {
  app::PublisherService& publishers;
  const app::Clock& clock;
  const Views& views;
};
/// « Éditeurs interfacés » (/editeurs): the administrators' registry of publishers and their
/// health (docs/rules.md#publishers).
void addPublisherPages(Router& router, PublisherPageServices& s);

struct OpsServices {
  app::OperationsService& operations;
  const Metrics& metrics;
  /// More gauges for /metrics, in Prometheus text.
  std::vector<std::function<std::string()>> gauges;
};

/// /healthz (database, outbox, search index) and /metrics (Prometheus text format).
void addOpsPages(Router& router, OpsServices& s);
void addAdminPages(Router& router, AccountPageServices& s);

/// The search's map (config map.tiles_url, map.attribution): none while tilesUrl is empty.
struct SearchMapSettings {
  std::string tilesUrl;
  std::string attribution;
};

struct SearchPageServices {
  app::SearchService& search;
  app::ApiTokenService& tokens;
  const app::Clock& clock;
  const Views& views;
  SearchMapSettings map;
  app::SearchHistory* history;  // the regulators' last searches; nullptr: none kept
};

struct OrientationPageServices {
  app::OrientationService& orientations;
  const Views& views;
};

/// « Adresser un patient »: the regulator's steps and an orientation's page.
void addOrientationPages(Router& router, OrientationPageServices& s);

/// The regulators' search (/recherche) and a place's sheet.
void addSearchPages(Router& router, SearchPageServices& s);
/// GET /api/v1/search (docs/api.md).
void addSearchApi(Router& router, SearchPageServices& s);

struct HelpPageServices {
  app::SupportService& support;
  const app::FaqSource& faq;
  const app::TrainingSource& training;
  const Views& views;
};

/// « FAQ et support » (/faq), « Formulaire d'assistance » (/assistance), « Espace de
/// formation » (/formation) and the administrators' support requests (/support).
void addHelpPages(Router& router, HelpPageServices& s);

struct PscPageServices {
  app::AuthService& auth;
  app::PscService* psc;  // nullptr when Pro Santé Connect is not configured
  const Views& views;
};

/// « S'identifier avec Pro Santé Connect »: /psc/connexion and the provider's callback
/// /psc/retour.
void addPscPages(Router& router, PscPageServices& s);

}  // namespace sas::http
