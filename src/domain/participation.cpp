#include "domain/participation.hpp"
#include "domain/search_text.hpp"
#include "domain/text.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace sas::domain {

namespace {

namespace fields = participation_fields;

constexpr std::chrono::minutes kCommittedPerProfessional{2 * 60};

/// Whether the words of `phrase` (folded) follow one another in `folded`, whole words.
bool hasWords(const std::string& folded, std::string_view phrase) {
  const std::string padded = " " + folded + " ";
  return padded.find(" " + std::string(phrase) + " ") != std::string::npos;
}

// The health centre's words are the guide's (§2.1); the others follow them, in the
// professional's own voice for a cabinet (the guide's avenant n°4 notice already says « mes
// disponibilités »). docs/rules.md#participation lists them.
const ParticipationWording kCentre{
    "Je participe au SAS en tant que Centre de Santé",
    "Nombre de professionnel de santé du Centre de santé participant au SAS",
    "J'accepte d'être directement contacté par la régulation afin que le Centre soit sollicité "
    "pour prendre des patients en sus de ses disponibilités",
    "Je déclare sur l'honneur mettre en visibilité à minima 2 heures de disponibilité par semaine "
    "pour chaque médecin généraliste de mon centre de santé sur mon agenda de la plateforme "
    "numérique SAS",
    "Pour participer au SAS, précisez le nombre de professionnels de santé participants et cochez "
    "les deux cases ci-dessous, puis cliquez sur « Enregistrer ».",
    "Le centre ne participe pas au SAS : il n'est pas éligible à la rémunération SAS.",
    "Sans avoir coché « J'accepte d'être directement contacté par la régulation afin que le "
    "Centre soit sollicité pour prendre des patients en sus de ses disponibilités », le centre "
    "n'est pas éligible à la rémunération SAS prévue par l'avenant n°4.",
    "Sans la déclaration sur l'honneur de mettre en visibilité au moins 2 heures de "
    "disponibilité par semaine pour chaque médecin généraliste, le centre n'est pas éligible à "
    "la rémunération SAS.",
    "Pour participer au SAS, cochez la déclaration sur l'honneur de mettre en visibilité au moins "
    "2 heures de disponibilité par semaine pour chaque médecin généraliste.",
    "Si vous renseignez directement sur l'agenda de la plateforme numérique 2 heures par semaine "
    "pour chaque médecin généraliste de votre centre sans avoir coché la section « J'accepte "
    "d'être contacté par la régulation afin d'être sollicité pour prendre des patients en sus de "
    "mes disponibilités », alors vous n'êtes pas éligible à la rémunération SAS prévue par "
    "l'avenant n°4"};

const ParticipationWording kOffice{
    "Je participe au SAS",
    "",
    "J'accepte d'être directement contacté par la régulation afin d'être sollicité pour prendre "
    "des patients en sus de mes disponibilités",
    "Je déclare sur l'honneur mettre en visibilité à minima 2 heures de disponibilité par semaine "
    "sur mon agenda de la plateforme numérique SAS",
    "Pour participer au SAS, cochez les deux cases ci-dessous, puis cliquez sur « Enregistrer ».",
    "Vous ne participez pas au SAS : vous n'êtes pas éligible à la rémunération SAS.",
    "Sans avoir coché « J'accepte d'être directement contacté par la régulation afin d'être "
    "sollicité pour prendre des patients en sus de mes disponibilités », vous n'êtes pas éligible "
    "à la rémunération SAS prévue par l'avenant n°4.",
    "Sans la déclaration sur l'honneur de mettre en visibilité au moins 2 heures de "
    "disponibilité par semaine, vous n'êtes pas éligible à la rémunération SAS.",
    "Pour participer au SAS, cochez la déclaration sur l'honneur de mettre en visibilité au moins "
    "2 heures de disponibilité par semaine.",
    "Si vous renseignez directement sur l'agenda de la plateforme numérique 2 heures par semaine "
    "sans avoir coché la section « J'accepte d'être contacté par la régulation afin d'être "
    "sollicité pour prendre des patients en sus de mes disponibilités », alors vous n'êtes pas "
    "éligible à la rémunération SAS prévue par l'avenant n°4"};

const ParticipationWording kMsp{
    "Je participe au SAS en tant que Maison de Santé Pluriprofessionnelle",
    "Nombre de professionnel de santé de la Maison de santé pluriprofessionnelle participant au "
    "SAS",
    "J'accepte d'être directement contacté par la régulation afin que la Maison de santé soit "
    "sollicitée pour prendre des patients en sus de ses disponibilités",
    "Je déclare sur l'honneur mettre en visibilité à minima 2 heures de disponibilité par semaine "
    "pour chaque médecin généraliste de ma maison de santé pluriprofessionnelle sur mon agenda de "
    "la plateforme numérique SAS",
    kCentre.intro,
    "La maison de santé ne participe pas au SAS : elle n'est pas éligible à la rémunération SAS.",
    "Sans avoir coché « J'accepte d'être directement contacté par la régulation afin que la "
    "Maison de santé soit sollicitée pour prendre des patients en sus de ses disponibilités », la "
    "maison de santé n'est pas éligible à la rémunération SAS prévue par l'avenant n°4.",
    "Sans la déclaration sur l'honneur de mettre en visibilité au moins 2 heures de "
    "disponibilité par semaine pour chaque médecin généraliste, la maison de santé n'est pas "
    "éligible à la rémunération SAS.",
    kCentre.honourMissing,
    "Si vous renseignez directement sur l'agenda de la plateforme numérique 2 heures par semaine "
    "pour chaque médecin généraliste de votre maison de santé sans avoir coché la section "
    "« J'accepte d'être contacté par la régulation afin d'être sollicité pour prendre des "
    "patients en sus de mes disponibilités », alors vous n'êtes pas éligible à la rémunération "
    "SAS prévue par l'avenant n°4"};

const ParticipationWording kSos{
    "Je participe au SAS en tant qu'association SOS Médecins",
    "Nombre de professionnel de santé de l'association SOS Médecins participant au SAS",
    "J'accepte d'être directement contacté par la régulation afin que l'association soit "
    "sollicitée pour prendre des patients en sus de ses disponibilités",
    "Je déclare sur l'honneur mettre en visibilité à minima 2 heures de disponibilité par semaine "
    "pour chaque médecin généraliste de mon association SOS Médecins sur mon agenda de la "
    "plateforme numérique SAS",
    kCentre.intro,
    "L'association ne participe pas au SAS : elle n'est pas éligible à la rémunération SAS.",
    "Sans avoir coché « J'accepte d'être directement contacté par la régulation afin que "
    "l'association soit sollicitée pour prendre des patients en sus de ses disponibilités », "
    "l'association n'est pas éligible à la rémunération SAS prévue par l'avenant n°4.",
    "Sans la déclaration sur l'honneur de mettre en visibilité au moins 2 heures de "
    "disponibilité par semaine pour chaque médecin généraliste, l'association n'est pas "
    "éligible à la rémunération SAS.",
    kCentre.honourMissing,
    "Si vous renseignez directement sur l'agenda de la plateforme numérique 2 heures par semaine "
    "pour chaque médecin généraliste de votre association sans avoir coché la section « J'accepte "
    "d'être contacté par la régulation afin d'être sollicité pour prendre des patients en sus de "
    "mes disponibilités », alors vous n'êtes pas éligible à la rémunération SAS prévue par "
    "l'avenant n°4"};

const ParticipationWording kOther{
    "Je participe au SAS en tant que structure",
    "Nombre de professionnel de santé de la structure participant au SAS",
    "J'accepte d'être directement contacté par la régulation afin que la structure soit "
    "sollicitée pour prendre des patients en sus de ses disponibilités",
    "Je déclare sur l'honneur mettre en visibilité à minima 2 heures de disponibilité par semaine "
    "pour chaque médecin généraliste de ma structure sur mon agenda de la plateforme numérique "
    "SAS",
    kCentre.intro,
    "La structure ne participe pas au SAS : elle n'est pas éligible à la rémunération SAS.",
    "Sans avoir coché « J'accepte d'être directement contacté par la régulation afin que la "
    "structure soit sollicitée pour prendre des patients en sus de ses disponibilités », la "
    "structure n'est pas éligible à la rémunération SAS prévue par l'avenant n°4.",
    "Sans la déclaration sur l'honneur de mettre en visibilité au moins 2 heures de "
    "disponibilité par semaine pour chaque médecin généraliste, la structure n'est pas éligible "
    "à la rémunération SAS.",
    kCentre.honourMissing,
    "Si vous renseignez directement sur l'agenda de la plateforme numérique 2 heures par semaine "
    "pour chaque médecin généraliste de votre structure sans avoir coché la section « J'accepte "
    "d'être contacté par la régulation afin d'être sollicité pour prendre des patients en sus de "
    "mes disponibilités », alors vous n'êtes pas éligible à la rémunération SAS prévue par "
    "l'avenant n°4"};

}  // namespace

namespace {
// The words that name a kind, in a stored type or a place's name, whole words anywhere (folded:
// « SOS-MÉDECINS » and « (MSP) » read as « sos medecins » and « msp »). One table for both, so
// that a place typed from its name reads back as the same kind. FINESS says « Maison de santé
// (L.6223-3) ».
struct KindWords {
  std::string_view words;
  StructureKind kind;
};
constexpr KindWords kKindWords[] = {
    {"maison de sante", StructureKind::Msp},
    {"maison pluriprofessionnelle de sante", StructureKind::Msp},
    {"msp", StructureKind::Msp},
    {"sos medecins", StructureKind::SosMedecins},
    {"centre de sante", StructureKind::HealthCentre},
    {"centre municipal de sante", StructureKind::HealthCentre},
    {"cds", StructureKind::HealthCentre},
};

std::optional<StructureKind> kindInWords(const std::string& folded) {
  for (const auto& k : kKindWords)
    if (hasWords(folded, k.words)) return k.kind;
  return std::nullopt;
}
}  // namespace

StructureKind structureKindOf(std::string_view type) {
  const auto folded = foldText(type);
  if (auto kind = kindInWords(folded)) return *kind;
  // Only a doctor's own practice is typed « Cabinet » (structureTypeLabel): a group practice
  // (« Cabinet de médecine générale », several doctors) counts its doctors like any structure.
  if (folded == "cabinet") return StructureKind::Office;
  return StructureKind::Other;
}

StructureKind practicePlaceKind(std::string_view siteName) {
  return kindInWords(foldText(siteName)).value_or(StructureKind::Office);
}

std::string_view structureTypeLabel(StructureKind kind) {
  switch (kind) {
    case StructureKind::HealthCentre:
      return "Centre de santé";
    case StructureKind::Office:
      return "Cabinet";
    case StructureKind::Msp:
      return "Maison de santé pluriprofessionnelle";
    case StructureKind::SosMedecins:
      return "SOS Médecins";
    case StructureKind::Other:
      break;
  }
  return "Structure";
}

const ParticipationWording& participationWording(StructureKind kind) {
  switch (kind) {
    case StructureKind::HealthCentre:
      return kCentre;
    case StructureKind::Office:
      return kOffice;
    case StructureKind::Msp:
      return kMsp;
    case StructureKind::SosMedecins:
      return kSos;
    case StructureKind::Other:
      break;
  }
  return kOther;
}

int pledgedProfessionals(const Participation& participation, StructureKind kind) {
  if (kind == StructureKind::Office) return 1;  // his own cabinet: the doctor alone
  return std::max(participation.professionals, 0);
}

Checked<Participation> checkParticipationInput(const ParticipationInput& input,
                                               StructureKind kind) {
  const auto& words = participationWording(kind);
  Participation p;
  p.participates = input.participates;
  p.acceptsContact = input.acceptsContact;
  p.honourDeclared = input.honourDeclared;
  const auto professionals = parseWholeNumber(input.professionals);

  const bool office = kind == StructureKind::Office;
  if (!input.participates) {
    // Nothing is required; a valid number is kept for the day the centre participates.
    p.professionals = office ? 1 : professionals.value_or(0);
    return Checked<Participation>::success(p);
  }

  std::vector<FieldError> errors;
  if (office) {
    // No number asked: whatever was sent, the cabinet is its doctor.
  } else if (trim(input.professionals, kBlanks).empty())
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
  if (!input.honourDeclared) errors.push_back({fields::kHonour, std::string(words.honourMissing)});
  if (!errors.empty()) return Checked<Participation>::failure(std::move(errors));
  p.professionals = office ? 1 : *professionals;
  return Checked<Participation>::success(p);
}

WeekEligibility weekEligibility(const Participation& participation,
                                const std::vector<Occurrence>& occurrences,
                                const Unavailability& unavailability, const date::time_zone& zone,
                                Day monday, StructureKind kind) {
  WeekEligibility e;
  e.monday = monday;
  e.kind = kind;
  const Day sunday = monday + date::days{6};
  for (const auto& o : occurrences) {
    if (o.values.date < monday || o.values.date > sunday) continue;
    if (!occurrenceVisible(unavailability, zone, o.start, o.end)) continue;
    // Real time, so that an occurrence across a daylight-saving change counts what it lasts.
    e.visible += std::chrono::duration_cast<std::chrono::minutes>(o.end - o.start);
  }
  // A structure that does not participate has committed nothing.
  if (participation.participates)
    e.committed = kCommittedPerProfessional * pledgedProfessionals(participation, kind);
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

std::string reasonText(const WeekEligibility& e, std::optional<Day> thisMonday) {
  const auto& words = participationWording(e.kind);
  switch (e.reason) {
    case IneligibilityReason::None:
      return {};
    case IneligibilityReason::NotParticipating:
      return std::string(words.notParticipating);
    case IneligibilityReason::ContactNotAccepted:
      return std::string(words.contactNotTicked);
    case IneligibilityReason::NotDeclared:
      return std::string(words.notDeclared);
    case IneligibilityReason::MissingHours:
      // The dashboard's next-week row must not say « cette semaine » (issue 19).
      if (!thisMonday || e.monday == *thisMonday)
        return formatHours(e.missing) + " manquantes cette semaine";
      if (e.monday == *thisMonday + date::days{7})
        return formatHours(e.missing) + " manquantes la semaine prochaine";
      return formatHours(e.missing) + " manquantes la semaine du " + formatDate(e.monday);
  }
  return {};
}

}  // namespace sas::domain
