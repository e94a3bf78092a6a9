#include "domain/orientation.hpp"

#include <algorithm>
#include <array>

#include "domain/text.hpp"

namespace sas::domain {
namespace {

struct StatusName {
  OrientationStatus status;
  const char* code;
  const char* label;
};
constexpr std::array<StatusName, 4> kStatuses{{
    {OrientationStatus::Pending, "en_attente", "En attente"},
    {OrientationStatus::Received, "recu", "Patient reçu"},
    {OrientationStatus::NoShow, "non_venu", "Patient non venu"},
    {OrientationStatus::Cancelled, "annulee", "Annulée"},
}};

struct KindName {
  OrientationKind kind;
  const char* code;
};
constexpr std::array<KindName, 3> kKinds{{
    {OrientationKind::Slot, "creneau"},
    {OrientationKind::Range, "plage"},
    {OrientationKind::Beyond, "hors_creneaux"},
}};

constexpr int kQuarter = 15;

}  // namespace

std::string statusCode(OrientationStatus status) {
  for (const auto& s : kStatuses)
    if (s.status == status) return s.code;
  return {};
}

std::optional<OrientationStatus> statusFromCode(std::string_view code) {
  for (const auto& s : kStatuses)
    if (code == s.code) return s.status;
  return std::nullopt;
}

std::string statusLabel(OrientationStatus status) {
  for (const auto& s : kStatuses)
    if (s.status == status) return s.label;
  return {};
}

std::string orientationKindCode(OrientationKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.code;
  return {};
}

std::optional<OrientationKind> orientationKindFromCode(std::string_view code) {
  for (const auto& k : kKinds)
    if (code == k.code) return k.kind;
  return std::nullopt;
}

void applyTakings(std::vector<Occurrence>& occurrences, const std::vector<Taking>& takings) {
  if (takings.empty()) return;
  for (auto& o : occurrences) {
    auto it = std::find_if(takings.begin(), takings.end(), [&](const Taking& t) {
      return t.availabilityId == o.availabilityId && t.originalDate == o.originalDate;
    });
    if (it != takings.end()) o.taken = it->taken;
  }
}

Instant offeredUntil(AvailabilityKind kind, Instant start, Instant end,
                     std::chrono::seconds plageCloses) {
  if (kind == AvailabilityKind::Slot) return start;
  return std::max(start, end - plageCloses);
}

bool orientable(const Occurrence& o, Instant now, std::chrono::seconds plageCloses) {
  return hasRoom(o) && now <= offeredUntil(o, plageCloses);
}

Checked<std::string> checkRegulationReference(std::string_view text) {
  const auto value = trimmed(text);
  if (characterCount(value) > kMaxRegulationReference)
    return Checked<std::string>::failure(
        {{orientation_fields::kReference,
          "La référence du dossier de régulation ne doit pas dépasser 30 caractères."}});
  // One line of printable text: it is shown in lists and written to the CSV export.
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
    return Checked<std::string>::failure(
        {{orientation_fields::kReference,
          "La référence du dossier de régulation ne peut contenir que du texte sur une ligne."}});
  return Checked<std::string>::success(value);
}

Checked<Instant> checkBeyondInput(std::string_view date, std::string_view time,
                                  const date::time_zone& zone, Instant now) {
  namespace fields = orientation_fields;
  std::vector<FieldError> errors;
  const auto day = parseDate(trim(date, kBlanks));
  if (trim(date, kBlanks).empty())
    errors.push_back({fields::kDate, "La date est obligatoire."});
  else if (!day)
    errors.push_back(
        {fields::kDate, "La date n'est pas valide : saisissez-la au format jj/mm/aaaa."});
  const auto minute = parseTime(trim(time, kBlanks));
  const int minuteOfDay = minute.value_or(-1);
  if (trim(time, kBlanks).empty())
    errors.push_back({fields::kTime, "L'heure est obligatoire."});
  else if (minuteOfDay < 0)
    errors.push_back({fields::kTime, "L'heure n'est pas valide : saisissez-la au format hh:mm."});
  else if (minuteOfDay % kQuarter != 0)
    errors.push_back({fields::kTime, "L'heure doit être un quart d'heure (00, 15, 30 ou 45)."});
  if (!errors.empty()) return Checked<Instant>::failure(std::move(errors));
  const auto at = localToInstant(zone, *day, minuteOfDay);
  if (at < now)
    return Checked<Instant>::failure(
        {{fields::kTime, "Il n'est pas possible de saisir une date ou une heure dans le passé."}});
  return Checked<Instant>::success(at);
}

bool cancellable(OrientationStatus status, Instant start, Instant now) {
  return status == OrientationStatus::Pending && now < start;
}

bool outcomeSettable(OrientationStatus from, OrientationStatus to, Instant start, Instant now) {
  if (to != OrientationStatus::Received && to != OrientationStatus::NoShow) return false;
  if (from == OrientationStatus::Cancelled) return false;
  return now >= start;
}

}  // namespace sas::domain
