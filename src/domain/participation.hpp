#pragma once
// SAS participation of a health centre and the avenant n°4 eligibility
// (docs/rules.md#participation).
#include <chrono>
#include <string>
#include <vector>

#include "domain/availability.hpp"
#include "domain/checked.hpp"
#include "domain/unavailability.hpp"

namespace sas::domain {

struct Participation {
  bool participates = false;  // « Je participe au SAS en tant que Centre de Santé »
  int professionals = 0;      // « Nombre de professionnel de santé … participant au SAS »
  bool acceptsContact = false;  // « J'accepte d'être directement contacté par la régulation … »
  bool honourDeclared = false;  // « Je déclare sur l'honneur … »
  bool operator==(const Participation&) const = default;
};

struct ParticipationInput {
  bool participates = false;
  std::string professionals;
  bool acceptsContact = false;
  bool honourDeclared = false;
};

namespace participation_fields {
inline constexpr const char* kParticipates = "participe";
inline constexpr const char* kProfessionals = "nombre_professionnels";
inline constexpr const char* kAcceptsContact = "accepte_contact";
inline constexpr const char* kHonour = "declaration_honneur";
}  // namespace participation_fields

/// To participate: a whole number ≥ 1 and both boxes. Without participation nothing is
/// required (a number typed is kept if it is a valid whole number ≥ 0).
Checked<Participation> checkParticipationInput(const ParticipationInput& input);

enum class IneligibilityReason {
  None,
  NotParticipating,
  ContactNotAccepted,  // the guide's avenant n°4 notice
  NotDeclared,
  MissingHours,
};

struct WeekEligibility {
  Day monday;
  std::chrono::minutes visible{0};
  std::chrono::minutes committed{0};  // 2 h × professionals
  bool eligible = false;
  IneligibilityReason reason = IneligibilityReason::None;
  std::chrono::minutes missing{0};  // committed − visible when positive
};

/// docs/rules.md#participation: visible = sum of the durations of the occurrences whose local
/// date lies in the ISO week starting `monday` and that an unavailability does not hide
/// (overlapping ones each count; a plage counts its duration once).
WeekEligibility weekEligibility(const Participation& participation,
                                const std::vector<Occurrence>& occurrences,
                                const Unavailability& unavailability, const date::time_zone& zone,
                                Day monday);

/// « 4 h » , « 1 h 30 ».
std::string formatHours(std::chrono::minutes m);
/// The French sentence for a reason (« 2 h manquantes cette semaine » …); empty for None.
std::string reasonText(const WeekEligibility& e);

}  // namespace sas::domain
