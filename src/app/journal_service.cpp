#include "app/journal_service.hpp"

#include <algorithm>
#include <charconv>

#include "app/errors.hpp"
#include "domain/text.hpp"

namespace sas::app {

namespace {

std::optional<std::int64_t> positive(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

const date::time_zone& platformZone() {
  static const date::time_zone* zone = domain::findZone("Europe/Paris");
  return *zone;
}

}  // namespace

std::optional<std::int64_t> journalScope(const Actor& actor) {
  switch (actor.user.role) {
    case Role::Administrator:
      return std::nullopt;
    case Role::AccountManager:
    case Role::TerritorialReferent:  // reads what his territory's account manager reads
      if (actor.user.territoryId) return actor.user.territoryId;
      break;
    default:
      break;
  }
  throw AppError(ErrorCode::Forbidden, "journal");
}

JournalService::JournalService(JournalRepository& journal, UserRepository& users)
    : journal_(journal), users_(users) {}

std::string JournalService::objectName(const std::string& kind, const std::string& id) {
  const auto n = positive(id);
  if (!n) return {};
  if (kind == "compte") return "user:" + std::to_string(*n);
  if (kind == "structure") return "structure:" + std::to_string(*n);
  if (kind == "lieu") return "place:" + std::to_string(*n);
  return {};
}

JournalResult JournalService::read(const Actor& actor, const JournalForm& form) {
  const auto scope = journalScope(actor);
  JournalResult out;
  JournalQuery q;
  q.territory = scope;
  const auto& zone = platformZone();
  std::optional<domain::Day> from, to;
  auto readDay = [&](const std::string& text, const char* field, std::optional<domain::Day>& day) {
    const auto typed = domain::trimmed(text);
    if (typed.empty()) return;
    day = domain::parseDate(typed);
    if (!day) out.errors.push_back({field, "Saisissez une date au format jj/mm/aaaa."});
  };
  readDay(form.from, "du", from);
  readDay(form.to, "au", to);
  if (from && to && *to < *from)
    out.errors.push_back(
        {"au", "La date de fin doit être le même jour que la date de début ou après."});
  if (from) q.from = domain::localToInstant(zone, *from, 0);
  if (to) q.to = domain::localToInstant(zone, *to + date::days{1}, 0);

  // The person and the object are checked as objects: outside the scope, or unknown, the same
  // answer (nobody learns which accounts exist elsewhere).
  if (const auto email = normalizeEmail(form.person); !email.empty()) {
    const auto user = users_.findByEmail(email);
    const bool visible =
        user && (!scope || (user->territoryId == scope && user->role != Role::Administrator));
    if (visible) {
      q.personId = user->id;
    } else {
      out.errors.push_back({"personne", scope
                                            ? "Aucun compte de votre territoire n'a cette adresse."
                                            : "Aucun compte n'a cette adresse."});
      out.outOfScope = true;
    }
  }
  const auto kind = domain::trimmed(form.objectKind), id = domain::trimmed(form.objectId);
  if (!id.empty() || !kind.empty()) {
    q.object = objectName(kind, id);
    if (kind.empty())
      out.errors.push_back({"objet_type", "Choisissez le type de l'objet."});
    else if (id.empty())
      out.errors.push_back({"objet", "Saisissez le numéro de l'objet."});
    else if (q.object.empty())
      out.errors.push_back({"objet", "Le numéro est un nombre entier, par exemple 12."});
    else if (scope && !journal_.objectInTerritory(q.object, *scope)) {
      out.errors.push_back({"objet", "Aucun objet de votre territoire n'a ce numéro."});
      out.outOfScope = true;
    }
  }
  if (!out.errors.empty()) return out;
  out.page = static_cast<int>(std::min<std::int64_t>(positive(form.page).value_or(1), 100000));
  q.limit = kJournalPageSize + 1;  // one more: is there a next page?
  q.offset = (out.page - 1) * kJournalPageSize;
  out.lines = journal_.journal(q);
  if (out.lines.size() > static_cast<std::size_t>(kJournalPageSize)) {
    out.hasNext = true;
    out.lines.resize(kJournalPageSize);
  }
  return out;
}

}  // namespace sas::app
