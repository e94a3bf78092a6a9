#pragma once
// A professional's specialty as a code of the ANS nomenclature TRE_R38 « Spécialité ordinale »,
// from its label as the directory extraction and Pro Santé Connect write it (« Médecine
// Générale », « Pédiatrie », « Qualifié en Médecine Générale »): the FHIR publisher's
// `Slot.specialty` (docs/fhir.md#mapping).
#include <optional>
#include <string_view>

namespace sas::domain {

struct OrdinalSpecialty {
  std::string_view code;     // « SM54 »
  std::string_view display;  // « Médecine générale »
};

/// The specialty whose label is `label`, accents, case, punctuation and a trailing « (SM) »
/// ignored; none for a label of no ordinal specialty. A label that names both a physician's
/// and a dental surgeon's specialty (« Chirurgie orale ») is the dental one when `profession`
/// is « Chirurgien-Dentiste ».
std::optional<OrdinalSpecialty> ordinalSpecialty(std::string_view label,
                                                 std::string_view profession = {});

}  // namespace sas::domain
