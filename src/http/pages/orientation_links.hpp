#pragma once
// The links of « Adresser un patient »: the search's results and sheets point to the first step
// with the occurrence in the query; each step carries it to the next in hidden fields.
#include <cstdint>
#include <string>

#include "domain/search_index.hpp"
#include "http/api/search_model.hpp"

namespace sas::http::orientation_links {

inline constexpr const char* kPlace = "lieu";
inline constexpr const char* kStart = "debut";  // seconds since 1970 (UTC)
inline constexpr const char* kEnd = "fin";
inline constexpr const char* kKind = "type";      // "creneau" or "plage"
inline constexpr const char* kBack = "retour";    // the search to come back to
inline constexpr const char* kEdit = "modifier";  // « Modifier » on the confirmation step

inline constexpr const char* kNewPath = "/orientations/nouvelle";
inline constexpr const char* kConfirmPath = "/orientations/confirmation";
inline constexpr const char* kOrientPath = "/orientations";  // POST: « Confirmer »
inline constexpr const char* kListPath = "/orientations";    // GET: « Mes orientations »
inline constexpr const char* kBeyondConfirmPath = "/orientations/hors-creneaux/confirmation";
inline constexpr const char* kBeyondPath = "/orientations/hors-creneaux";

/// « Adresser un patient » on one occurrence of a result or a sheet.
inline std::string newOrientationUrl(std::int64_t placeId, const domain::SearchSlot& slot,
                                     const std::string& back) {
  return std::string(kNewPath) +
         queryString({{kPlace, std::to_string(placeId)},
                      {kStart, std::to_string(slot.start.time_since_epoch().count())},
                      {kEnd, std::to_string(slot.end.time_since_epoch().count())},
                      {kKind, slot.kind == domain::AvailabilityKind::Range ? "plage" : "creneau"},
                      {kBack, back}});
}

/// « Adresser un patient hors créneaux » on a place that accepts it.
inline std::string beyondUrl(std::int64_t placeId, const std::string& back) {
  return "/lieux/" + std::to_string(placeId) + "/orientation-hors-creneaux" +
         queryString({{kBack, back}});
}

/// The orientation's own page (the notification step).
inline std::string orientationUrl(std::int64_t id, const std::string& back) {
  return "/orientations/" + std::to_string(id) + queryString({{kBack, back}});
}

}  // namespace sas::http::orientation_links
