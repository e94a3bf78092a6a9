#pragma once
// SAS participation of a structure (a health centre, an MSP, SOS Médecins, a doctor's own
// cabinet) and the avenant n°4 eligibility (docs/rules.md#participation).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/availability.hpp"
#include "domain/checked.hpp"
#include "domain/unavailability.hpp"

namespace sas::domain {

/// What a structure is, for the words of its participation and its 2 h pledge: the guide's
/// wording is a health centre's; a doctor's own cabinet speaks for himself alone.
enum class StructureKind { HealthCentre, Office, Msp, SosMedecins, Other };

/// The kind of a stored structure type (« Centre de santé », « Centre de Santé », « Cabinet »,
/// « Maison de santé pluriprofessionnelle », « SOS Médecins » …); Other when none fits.
StructureKind structureKindOf(std::string_view type);
/// The kind of a practice place from its name (Pro Santé Connect's « raison sociale », the
/// directory's): « MAISON DE SANTE DES LILAS » is an MSP, « CENTRE DE SANTE … » a centre,
/// « SOS MEDECINS … » SOS Médecins; anything else the professional's own cabinet.
StructureKind practicePlaceKind(std::string_view siteName);
/// The type stored for a kind: « Centre de santé », « Cabinet »,
/// « Maison de santé pluriprofessionnelle », « SOS Médecins », « Structure ».
std::string_view structureTypeLabel(StructureKind kind);

/// The words of « Vos paramètres », of the eligibility reasons and of the agenda's avenant n°4
/// notice for a kind (docs/rules.md#participation).
struct ParticipationWording {
  std::string_view participates;   // the toggle: « Je participe au SAS … »
  std::string_view professionals;  // the number's label; empty: not asked (a cabinet is one)
  std::string_view acceptsContact;
  std::string_view honour;
  std::string_view intro;             // the sentence above the form
  std::string_view notParticipating;  // the reasons of weekEligibility
  std::string_view contactNotTicked;
  std::string_view notDeclared;
  std::string_view honourMissing;  // the form's message when the declaration is not ticked
  std::string_view avenantNotice;  // above the agenda
};
const ParticipationWording& participationWording(StructureKind kind);

struct Participation {
  bool participates = false;  // « Je participe au SAS [en tant que Centre de Santé] »
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
/// required (a number typed is kept if it is a valid whole number ≥ 0). A cabinet is not asked
/// for a number: it is its doctor alone (1).
Checked<Participation> checkParticipationInput(const ParticipationInput& input,
                                               StructureKind kind = StructureKind::HealthCentre);

/// The professionals the 2 h pledge counts: 1 for a cabinet, else the number declared.
int pledgedProfessionals(const Participation& participation, StructureKind kind);

enum class IneligibilityReason {
  None,
  NotParticipating,
  ContactNotAccepted,  // the guide's avenant n°4 notice
  NotDeclared,
  MissingHours,
};

struct WeekEligibility {
  Day monday;
  StructureKind kind = StructureKind::HealthCentre;  // the words of its reason
  std::chrono::minutes visible{0};
  std::chrono::minutes committed{0};  // 2 h × pledgedProfessionals
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
                                Day monday, StructureKind kind = StructureKind::HealthCentre);

/// « 4 h » , « 1 h 30 ».
std::string formatHours(std::chrono::minutes m);
/// The French sentence for a reason (« 2 h manquantes cette semaine » …), in the words of
/// the week's kind; empty for None.
/// `thisMonday`, the Monday of the current week, names the week of the missing hours: « cette
/// semaine », « la semaine prochaine », else « la semaine du 16/03/2026 »; none: « cette
/// semaine ».
std::string reasonText(const WeekEligibility& e, std::optional<Day> thisMonday = std::nullopt);

}  // namespace sas::domain
