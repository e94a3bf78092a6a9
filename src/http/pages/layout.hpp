#pragma once
// What every page shares: the layout's part of a view model, the error summary of a form, and
// the words and letters that describe an availability (one home, so the agenda, its forms, the
// search and the API never disagree).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/availability.hpp"
#include "domain/checked.hpp"
#include "http/request.hpp"

namespace sas::http {

/// The part of every page's model that the layout needs (who is logged in, the CSRF token).
nlohmann::json layoutModel(const Request& request, const std::string& title);

/// {"field": "message", …} and a "summary" list for the error summary at the top of a form.
nlohmann::json errorsModel(const std::vector<domain::FieldError>& errors);

/// The consultation types in the order every page and the API list them.
inline constexpr domain::ConsultationType kTypesInOrder[] = {
    domain::ConsultationType::Office, domain::ConsultationType::Teleconsultation,
    domain::ConsultationType::HomeVisit};

/// « C », « T » or « D ».
const char* typeLetter(domain::ConsultationType type);

/// The consultation types as C / T / D with their full names (for screen readers), in order.
nlohmann::json typesModel(domain::ConsultationTypes types);

/// « Créneau · 1 patient » or « Plage · 3 patients », appended without a temporary string (the
/// agenda grid writes one per occurrence).
void appendKindLabel(std::string& out, domain::AvailabilityKind kind, int capacity);
std::string kindLabel(domain::AvailabilityKind kind, int capacity);

/// Only a search of ours or « Mes orientations » may be the way back from a sheet or an
/// orientation: "/recherche?…" or "/orientations",
/// never a link that leaves the site; else "/recherche".
std::string searchBackUrl(const std::string& back);

}  // namespace sas::http
