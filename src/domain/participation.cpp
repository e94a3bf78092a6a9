#include "domain/participation.hpp"
#include "domain/text.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace sas::domain {

namespace {

namespace fields = participation_fields;

constexpr std::chrono::minutes kCommittedPerProfessional{2 * 60};

}  // namespace

Checked<Participation> checkParticipationInput(const ParticipationInput& input) {
  Participation p;
  p.participates = input.participates;
  p.acceptsContact = input.acceptsContact;
  p.honourDeclared = input.honourDeclared;
  const auto professionals = parseWholeNumber(input.professionals);

  if (!input.participates) {
    // Nothing is required; a valid number is kept for the day the centre participates.
    p.professionals = professionals.value_or(0);
    return Checked<Participation>::success(p);
  }

  std::vector<FieldError> errors;
  if (trim(input.professionals, kBlanks).empty())
    errors.push_back({fields::kProfessionals,
                      "Le nombre de professionnels de santé participant au SAS est obligatoire."});
  else if (!professionals || *professionals < 1)
    errors.push_back({fields::kProfessionals,
                      "Le nombre de professionnels de santé participant au SAS doit être un "
                      "nombre entier d'au moins 1."});
  if (!input.acceptsContact)
    errors.push_back({fields::kAcceptsContact,
                      "Pour participer au SAS, cochez « J'accepte d'être directement contacté par "
                      "la régulation »."});
  if (!input.honourDeclared)
    errors.push_back({fields::kHonour,
                      "Pour participer au SAS, cochez la déclaration sur l'honneur de mettre en "
                      "visibilité au moins 2 heures de disponibilité par semaine pour chaque "
                      "médecin généraliste."});
  if (!errors.empty()) return Checked<Participation>::failure(std::move(errors));
  p.professionals = *professionals;
  return Checked<Participation>::success(p);
}

WeekEligibility weekEligibility(const Participation& participation,
                                const std::vector<Occurrence>& occurrences,
                                const Unavailability& unavailability, const date::time_zone& zone,
                                Day monday) {
  WeekEligibility e;
  e.monday = monday;
  const Day sunday = monday + date::days{6};
  for (const auto& o : occurrences) {
    if (o.values.date < monday || o.values.date > sunday) continue;
    if (!occurrenceVisible(unavailability, zone, o.start, o.end)) continue;
    // Real time, so that an occurrence across a daylight-saving change counts what it lasts.
    e.visible += std::chrono::duration_cast<std::chrono::minutes>(o.end - o.start);
  }
  // A centre that does not participate has committed nothing.
  if (participation.participates)
    e.committed = kCommittedPerProfessional * std::max(participation.professionals, 0);
  if (e.committed > e.visible) e.missing = e.committed - e.visible;

  if (!participation.participates)
    e.reason = IneligibilityReason::NotParticipating;
  else if (!participation.acceptsContact)
    e.reason = IneligibilityReason::ContactNotAccepted;
  else if (!participation.honourDeclared)
    e.reason = IneligibilityReason::NotDeclared;
  else if (e.missing.count() > 0)
    e.reason = IneligibilityReason::MissingHours;
  e.eligible = e.reason == IneligibilityReason::None;
  return e;
}

std::string formatHours(std::chrono::minutes m) {
  std::string sign;
  if (m.count() < 0) {
    sign = "-";
    m = -m;
  }
  const auto hours = m.count() / 60;
  const auto minutes = m.count() % 60;
  std::string out = sign + std::to_string(hours) + " h";
  if (minutes != 0) out += (minutes < 10 ? " 0" : " ") + std::to_string(minutes);
  return out;
}

std::string reasonText(const WeekEligibility& e) {
  switch (e.reason) {
    case IneligibilityReason::None:
      return {};
    case IneligibilityReason::NotParticipating:
      return "Le centre ne participe pas au SAS : il n'est pas éligible à la rémunération SAS.";
    case IneligibilityReason::ContactNotAccepted:
      return "Sans avoir coché « J'accepte d'être directement contacté par la régulation afin que "
             "le Centre soit sollicité pour prendre des patients en sus de ses disponibilités », "
             "le centre n'est pas éligible à la rémunération SAS prévue par l'avenant n°4.";
    case IneligibilityReason::NotDeclared:
      return "Sans la déclaration sur l'honneur de mettre en visibilité au moins 2 heures de "
             "disponibilité par semaine pour chaque médecin généraliste, le centre n'est pas "
             "éligible à la rémunération SAS.";
    case IneligibilityReason::MissingHours:
      return formatHours(e.missing) + " manquantes cette semaine";
  }
  return {};
}

}  // namespace sas::domain
