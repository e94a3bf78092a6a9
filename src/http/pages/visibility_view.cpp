#include "http/pages/visibility_view.hpp"

#include <unordered_map>

namespace sas::http {

using domain::InvisibilityReason;

nlohmann::json visibilityModel(const domain::VisibilityCheck& check, const VisibilityLinks& l) {
  const std::string place = "/lieux/" + std::to_string(l.placeId);
  const auto link = [&](std::string href, std::string label) {
    return nlohmann::json{{"href", std::move(href)}, {"label", std::move(label)}};
  };
  const auto create = link(place + "/disponibilites/nouvelle", "Publier des disponibilités");
  const auto unavailability = link(place + "/indisponibilite", "Modifier l'indisponibilité");
  const auto support = link("/assistance", "Signaler l'adresse à l'assistance");
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto reason : check.reasons) {
    nlohmann::json links = nlohmann::json::array();
    std::string note;
    switch (reason) {
      case InvisibilityReason::UnavailableNow:
        links.push_back(unavailability);
        break;
      case InvisibilityReason::NoAvailability:
        links.push_back(create);
        break;
      case InvisibilityReason::NoneOffered:
        links.push_back(create);
        if (check.hidden > 0) links.push_back(unavailability);
        break;
      case InvisibilityReason::NotPositioned:
      case InvisibilityReason::Approximate:
        links.push_back(support);
        break;
      case InvisibilityReason::NotParticipating:
        if (l.setsParameters)
          links.push_back(link("/structures/" + std::to_string(l.structureId) + "/parametres",
                               "Déclarer la participation"));
        else
          note = "Seul un gestionnaire de la structure peut la déclarer.";
        break;
    }
    reasons.push_back({{"text", domain::reasonText(reason, check)},
                       {"note", note},
                       {"links", links},
                       {"hasLinks", !links.empty()}});
  }
  const bool visible = check.visible();
  return {{"placeId", std::to_string(l.placeId)},
          {"placeName", l.placeName},
          {"level", std::to_string(l.headingLevel)},
          {"visible", visible},
          {"visibleText", domain::visibleText(check)},
          {"reasons", reasons},
          {"hasReasons", !reasons.empty()}};
}

const std::string& visibilityHtml(const Views& views, const domain::VisibilityCheck& check,
                                  const VisibilityLinks& links) {
  // The templates, and everything the partial shows, each value with its length or as a
  // number (the window's end is not shown: it is not in the key).
  std::string key =
      std::to_string(views.generation()) + ";" + std::to_string(check.reasons.size()) + ":";
  for (const auto reason : check.reasons) key += std::to_string(static_cast<int>(reason)) + ",";
  for (const int n : {check.offered, check.past, check.hidden, check.full, links.headingLevel,
                      static_cast<int>(links.setsParameters)})
    key += std::to_string(n) + ",";
  key += std::to_string(links.placeId) + "," + std::to_string(links.structureId) + "," +
         std::to_string(links.placeName.size()) + ":" + links.placeName;
  thread_local std::unordered_map<std::string, std::string> kept;
  if (auto it = kept.find(key); it != kept.end()) return it->second;
  if (kept.size() >= 256) kept.clear();
  return kept
      .emplace(std::move(key),
               views.render("partials/visibility_check", visibilityModel(check, links)))
      .first->second;
}

}  // namespace sas::http
