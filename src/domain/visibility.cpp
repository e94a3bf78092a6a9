#include "domain/visibility.hpp"

#include <algorithm>

#include "domain/orientation.hpp"
#include "domain/search_index.hpp"

namespace sas::domain {

bool VisibilityCheck::has(InvisibilityReason reason) const {
  return std::find(reasons.begin(), reasons.end(), reason) != reasons.end();
}

bool VisibilityCheck::visible() const {
  return offered > 0 && !has(InvisibilityReason::UnavailableNow) &&
         !has(InvisibilityReason::NotPositioned);
}

VisibilityCheck checkVisibility(const VisibilityFacts& facts, const date::time_zone& zone,
                                Instant now, std::chrono::seconds plageCloses) {
  VisibilityCheck out;
  out.windowEnd = windowEnd(zone, now);
  // Today's occurrences already over count as past: the manager sees them on today's agenda
  // and may wonder why they are not offered.
  const Instant todayStarts = localToInstant(zone, localDay(zone, now), 0);
  for (const auto& o : facts.occurrences) {
    if (o.start >= out.windowEnd || o.end <= todayStarts) continue;
    // The search's order of tests (SearchIndex::put, then the search's time), so that an
    // occurrence the search would drop for two reasons is counted under the same one.
    if (now > offeredUntil(o, plageCloses))
      ++out.past;
    else if (!occurrenceVisible(facts.unavailability, zone, o.start, o.end))
      ++out.hidden;
    else if (!hasRoom(o))
      ++out.full;
    else
      ++out.offered;
  }
  const bool unavailableNow = !placeVisibleAt(facts.unavailability, zone, now);
  if (unavailableNow) out.reasons.push_back(InvisibilityReason::UnavailableNow);
  const int inWindow = out.offered + out.past + out.hidden + out.full;
  if (inWindow == 0)
    out.reasons.push_back(InvisibilityReason::NoAvailability);
  else if (out.offered == 0 && !unavailableNow)
    // While an unavailability is in force, that reason says it all.
    out.reasons.push_back(InvisibilityReason::NoneOffered);
  if (!facts.positioned) out.reasons.push_back(InvisibilityReason::NotPositioned);
  if (!facts.participates) out.reasons.push_back(InvisibilityReason::NotParticipating);
  if (facts.positioned && facts.approximate) out.reasons.push_back(InvisibilityReason::Approximate);
  return out;
}

std::string availabilityCount(int n) {
  if (n <= 0) return "aucune disponibilité";
  return std::to_string(n) + (n == 1 ? " disponibilité" : " disponibilités");
}

namespace {

// « 2 passées, 1 complète et 1 sous une indisponibilité ».
std::string noneOfferedDetail(const VisibilityCheck& c) {
  std::vector<std::string> parts;
  const auto plural = [](int n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  if (c.past > 0) parts.push_back(plural(c.past, "passée", "passées"));
  if (c.full > 0) parts.push_back(plural(c.full, "complète", "complètes"));
  if (c.hidden > 0) parts.push_back(std::to_string(c.hidden) + " sous une indisponibilité");
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " et " : ", ";
    out += parts[i];
  }
  return out;
}

}  // namespace

std::string reasonText(InvisibilityReason reason, const VisibilityCheck& check) {
  switch (reason) {
    case InvisibilityReason::UnavailableNow:
      return "Une indisponibilité est en cours : le lieu n'apparaît dans aucune recherche des "
             "régulateurs, même avec ses disponibilités des jours suivants.";
    case InvisibilityReason::NoAvailability:
      return "Aucune disponibilité dans les 72 h : les régulateurs ne voient que les "
             "disponibilités d'ici la fin d'après-demain.";
    case InvisibilityReason::NoneOffered:
      return "Aucune de vos disponibilités des 72 h n'est proposée aux régulateurs : " +
             noneOfferedDetail(check) + ".";
    case InvisibilityReason::NotPositioned:
      return "Le lieu n'a pas de coordonnées : aucune recherche autour de son adresse ne le "
             "trouve.";
    case InvisibilityReason::NotParticipating:
      return "La participation au SAS n'est pas déclarée : le lieu apparaît après tous les "
             "participants dans les résultats.";
    case InvisibilityReason::Approximate:
      return "Le lieu est placé au centre de sa commune, pas à son adresse : sa distance et son "
             "rang dans les résultats sont approximatifs.";
  }
  return {};
}

std::string visibleText(const VisibilityCheck& check) {
  return "Visible des régulateurs : " + availabilityCount(check.offered) + " dans les 72 h";
}

}  // namespace sas::domain
