#include "http/pages/visibility_view.hpp"

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

}  // namespace sas::http
