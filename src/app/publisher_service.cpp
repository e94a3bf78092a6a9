#include "app/publisher_service.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "app/errors.hpp"
#include "domain/text.hpp"

namespace sas::app {
namespace {

constexpr FeedProblem kProblems[] = {
    FeedProblem::Timeout,           FeedProblem::Connection,   FeedProblem::Tls,
    FeedProblem::HttpStatus,        FeedProblem::TooLarge,     FeedProblem::NotJson,
    FeedProblem::NotABundle,        FeedProblem::TooManySlots, FeedProblem::SlotWithoutStart,
    FeedProblem::DateWithoutOffset, FeedProblem::BadSlot};

constexpr std::size_t kIdsPerRequest = 25;  // the implementation guide's bound
constexpr const char* kChooseAPublisher =
    "Choisissez l'éditeur de votre logiciel de prise de rendez-vous.";
constexpr std::size_t kNameMax = 100;

// A request worth trying again: the publisher may answer the next time.
bool transient(const FeedAnswer& a) {
  return a.problem == FeedProblem::Timeout || a.problem == FeedProblem::Connection ||
         (a.problem == FeedProblem::HttpStatus && (a.httpStatus >= 500 || a.httpStatus == 429));
}

std::string joinErrors(const std::map<FeedProblem, int>& errors) {
  std::string out;
  for (auto p : kProblems)
    if (auto it = errors.find(p); it != errors.end() && it->second > 0)
      out += (out.empty() ? "" : ";") + feedProblemCode(p) + "=" + std::to_string(it->second);
  return out;
}

bool readable(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path);
  return in.good();
}

domain::CircuitBreaker breakerOf(const PublisherHealth& h, domain::BreakerSettings settings) {
  return domain::CircuitBreaker(settings, h.breakerFailures, h.breakerOpenUntil);
}

}  // namespace

std::string feedProblemCode(FeedProblem problem) {
  switch (problem) {
    case FeedProblem::Timeout:
      return "timeout";
    case FeedProblem::Connection:
      return "connection";
    case FeedProblem::Tls:
      return "tls";
    case FeedProblem::HttpStatus:
      return "http";
    case FeedProblem::TooLarge:
      return "too-large";
    case FeedProblem::NotJson:
      return "not-json";
    case FeedProblem::NotABundle:
      return "not-bundle";
    case FeedProblem::TooManySlots:
      return "too-many-slots";
    case FeedProblem::SlotWithoutStart:
      return "no-start";
    case FeedProblem::DateWithoutOffset:
      return "no-offset";
    case FeedProblem::BadSlot:
      return "bad-slot";
  }
  return "unknown";
}

std::optional<FeedProblem> feedProblemFromCode(const std::string& code) {
  for (auto p : kProblems)
    if (feedProblemCode(p) == code) return p;
  return std::nullopt;
}

std::vector<std::pair<std::string, int>> healthErrors(const std::string& errors) {
  std::map<FeedProblem, int> counts;
  std::size_t at = 0;
  while (at < errors.size()) {
    auto end = errors.find(';', at);
    if (end == std::string::npos) end = errors.size();
    const auto item = errors.substr(at, end - at);
    at = end + 1;
    const auto eq = item.find('=');
    if (eq == std::string::npos) continue;
    int n = 0;
    const auto digits = item.substr(eq + 1);
    if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ec != std::errc{})
      continue;
    if (auto p = feedProblemFromCode(item.substr(0, eq))) counts[*p] += n;
  }
  std::vector<std::pair<std::string, int>> out;
  for (auto p : kProblems)
    if (auto it = counts.find(p); it != counts.end())
      out.emplace_back(feedProblemLabel(p), it->second);
  return out;
}

PublisherService::PublisherService(PublisherRepository& publishers, PublisherFeed& feed,
                                   PlaceChangeListener& index, const Clock& clock,
                                   PullSettings settings)
    : repository_(publishers),
      feed_(feed),
      index_(index),
      clock_(clock),
      settings_(std::move(settings)) {
  if (!settings_.wait)
    settings_.wait = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  settings_.concurrency = std::max(1, settings_.concurrency);
  settings_.attempts = std::max(1, settings_.attempts);
}

void PublisherService::requireAdministrator(const Actor& actor) const {
  if (actor.user.role != Role::Administrator)
    throw AppError(ErrorCode::Forbidden, "publishers are the administrators'");
}

std::vector<PublisherRow> PublisherService::publishers(const Actor& actor) {
  requireAdministrator(actor);
  return repository_.publishers();
}

PublisherRow PublisherService::publisher(const Actor& actor, std::int64_t id) {
  requireAdministrator(actor);
  auto row = repository_.findPublisher(id);
  if (!row) throw AppError(ErrorCode::NotFound, "publisher " + std::to_string(id));
  return std::move(*row);
}

PublisherForm PublisherService::formOf(const Publisher& p) {
  return {p.name,    p.baseUrl, p.certificateFile,
          p.keyFile, p.caFile,  std::to_string(p.periodMinutes),
          p.enabled};
}

std::vector<domain::FieldError> PublisherService::check(const PublisherForm& form,
                                                        Publisher& out) const {
  std::vector<domain::FieldError> errors;
  out.name = domain::trimmed(form.name);
  if (out.name.empty())
    errors.push_back({"nom", "Renseignez le nom de l'éditeur."});
  else if (out.name.size() > kNameMax)
    errors.push_back({"nom", "Le nom ne peut dépasser 100 caractères."});
  out.baseUrl = domain::trimmed(form.baseUrl);
  while (!out.baseUrl.empty() && out.baseUrl.back() == '/') out.baseUrl.pop_back();
  if (out.baseUrl.rfind("https://", 0) != 0 || out.baseUrl.size() <= 8 ||
      out.baseUrl.find_first_of(" \t\r\n\"<>") != std::string::npos)
    errors.push_back({"url",
                      "Renseignez l'adresse FHIR de l'éditeur, en https:// (par exemple "
                      "https://editeur.example/fhir)."});
  const auto file = [&](const std::string& value, const char* field, const char* what,
                        std::string& target) {
    target = domain::trimmed(value);
    if (target.empty())
      errors.push_back({field, std::string{"Renseignez le chemin du fichier "} + what + "."});
    else if (target.front() != '/')
      errors.push_back({field, std::string{"Le chemin du fichier "} + what +
                                   " doit être absolu (commencer par /)."});
    else if (!readable(target))
      errors.push_back({field, std::string{"Le fichier "} + what +
                                   " est introuvable ou illisible sur le serveur."});
  };
  file(form.certificateFile, "certificat", "du certificat client (PEM)", out.certificateFile);
  file(form.keyFile, "cle", "de la clé privée (PEM)", out.keyFile);
  file(form.caFile, "autorite", "de l'autorité de certification (PEM)", out.caFile);
  const auto period = domain::trimmed(form.periodMinutes);
  int minutes = 0;
  if (std::from_chars(period.data(), period.data() + period.size(), minutes).ec != std::errc{} ||
      minutes < 1 || minutes > 60 || std::to_string(minutes) != period)
    errors.push_back(
        {"periode", "La période d'interrogation est un nombre de minutes entre 1 et 60."});
  out.periodMinutes = minutes;
  out.enabled = form.enabled;
  return errors;
}

domain::Checked<std::int64_t> PublisherService::create(const Actor& actor,
                                                       const PublisherForm& form) {
  requireAdministrator(actor);
  Publisher p;
  auto errors = check(form, p);
  if (!errors.empty()) return domain::Checked<std::int64_t>::failure(std::move(errors));
  auto id = repository_.createPublisher(p, clock_.now());
  if (!id)
    return domain::Checked<std::int64_t>::failure({{"nom", "Un éditeur porte déjà ce nom."}});
  return domain::Checked<std::int64_t>::success(*id);
}

std::vector<domain::FieldError> PublisherService::update(const Actor& actor, std::int64_t id,
                                                         const PublisherForm& form) {
  const auto before = publisher(actor, id);
  Publisher p;
  auto errors = check(form, p);
  if (!errors.empty()) return errors;
  p.id = id;
  if (!repository_.updatePublisher(p)) return {{"nom", "Un éditeur porte déjà ce nom."}};
  // Switched off: its slots leave the search now, not at the next turn of the job.
  if (before.publisher.enabled && !p.enabled) tell(repository_.dropPulledSlots(id, clock_.now()));
  return {};
}

void PublisherService::pullSoon(const Actor& actor, std::int64_t id) {
  publisher(actor, id);
  repository_.pullSoon(id);
}

std::vector<Publisher> PublisherService::choices() {
  std::vector<Publisher> out;
  for (auto& row : repository_.publishers())
    if (row.publisher.enabled) out.push_back(std::move(row.publisher));
  return out;
}

std::optional<std::int64_t> PublisherService::structurePublisher(std::int64_t structureId) {
  return repository_.structurePublisher(structureId);
}

std::vector<domain::FieldError> PublisherService::setStructurePublisher(
    std::int64_t structureId, bool published, const std::string& publisherId) {
  if (!published) {
    if (repository_.structurePublisher(structureId))
      repository_.setStructurePublisher(structureId, std::nullopt, clock_.now());
    return {};
  }
  if (auto chosen = enabledPublisher(publisherId)) {
    repository_.setStructurePublisher(structureId, *chosen, clock_.now());
    return {};
  }
  return {{kPublisherField, kChooseAPublisher}};
}

std::vector<domain::FieldError> PublisherService::checkStructurePublisher(
    bool published, const std::string& publisherId) {
  if (!published || enabledPublisher(publisherId)) return {};
  return {{kPublisherField, kChooseAPublisher}};
}

std::optional<std::int64_t> PublisherService::enabledPublisher(const std::string& publisherId) {
  for (const auto& p : choices())
    if (std::to_string(p.id) == publisherId) return p.id;
  return std::nullopt;
}

void PublisherService::tell(const std::vector<std::int64_t>& places) {
  if (!settings_.tellIndex) return;
  for (auto place : places) index_.placeChanged(place);
}

std::vector<PullReport> PublisherService::pullDue() {
  std::vector<PullReport> reports;
  for (const auto& row : repository_.publishers()) {
    const auto now = clock_.now();
    const auto& h = row.health;
    PullReport dropped;
    // Switched off, or silent too long: a stale slot is worse than none.
    const bool stale = !h.lastSuccessAt || !domain::pulledSlotsShown(*h.lastSuccessAt, now);
    if (row.slots > 0 && (!row.publisher.enabled || stale)) {
      dropped.publisher = row.publisher.name;
      dropped.dropped = true;
      dropped.health = h;
      dropped.changedPlaces = repository_.dropPulledSlots(row.publisher.id, now);
      tell(dropped.changedPlaces);
    }
    std::optional<PullReport> pulled;
    if (row.publisher.enabled && h.nextPullAt <= now &&
        breakerOf(h, settings_.breaker).allows(now) &&
        repository_.claimPull(row.publisher.id, now, now + settings_.lease))
      pulled = pullClaimed(row, now);
    if (pulled) {
      pulled->dropped = dropped.dropped;
      reports.push_back(std::move(*pulled));
    } else if (dropped.dropped) {
      reports.push_back(std::move(dropped));
    }
  }
  return reports;
}

PullReport PublisherService::pull(std::int64_t publisherId) {
  const auto now = clock_.now();
  auto row = repository_.findPublisher(publisherId);
  if (!row || !row->publisher.enabled) return {};
  auto breaker = breakerOf(row->health, settings_.breaker);
  if (!breaker.allows(now)) return {};
  if (!repository_.claimPull(publisherId, now, now + settings_.lease)) return {};
  return pullClaimed(*row, now);
}

PullReport PublisherService::pullClaimed(const PublisherRow& row, domain::Instant now) {
  const auto& p = row.publisher;
  const PublisherConnection connection{p.name, p.baseUrl, p.certificateFile, p.keyFile, p.caFile};
  const auto roster = repository_.roster(p.id);
  std::unordered_map<std::string, const RosterEntry*> byId;
  std::vector<std::string> ids;
  for (const auto& entry : roster)
    if (byId.emplace(entry.nationalId, &entry).second) ids.push_back(entry.nationalId);

  std::vector<std::vector<std::string>> batches;
  for (std::size_t i = 0; i < ids.size(); i += kIdsPerRequest)
    batches.emplace_back(
        ids.begin() + static_cast<std::ptrdiff_t>(i),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + kIdsPerRequest)));
  const auto to = now + settings_.window;
  std::vector<FeedAnswer> answers(batches.size());
  std::atomic<std::size_t> next{0};
  const auto started = std::chrono::steady_clock::now();
  const auto work = [&] {
    for (auto i = next++; i < batches.size(); i = next++) {
      for (int attempt = 1;; ++attempt) {
        answers[i] = feed_.freeSlots(connection, batches[i], now, to, settings_.limits);
        if (answers[i].ok || attempt >= settings_.attempts || !transient(answers[i])) break;
        settings_.wait(domain::retryDelay(attempt, settings_.retryBase, settings_.retryCeiling));
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    const auto count =
        std::min<std::size_t>(static_cast<std::size_t>(settings_.concurrency), batches.size());
    for (std::size_t w = 1; w < count; ++w) workers.emplace_back(work);
    work();
  }

  PullReport report;
  report.publisher = p.name;
  report.ran = true;
  auto& h = report.health = row.health;
  h.lastPullAt = now;
  h.professionals = static_cast<int>(ids.size());
  h.nextPullAt = now + std::chrono::minutes{p.periodMinutes};
  std::map<FeedProblem, int> errors;
  bool failed = false;
  std::vector<StoredPulledSlot> stored;
  int received = 0, unmatched = 0;
  for (auto& a : answers) {
    for (const auto& [problem, n] : a.refused) errors[problem] += n;
    if (!a.ok) {
      failed = true;
      ++errors[a.problem];
      continue;
    }
    for (auto& slot : a.slots) {
      ++received;
      auto it = byId.find(slot.professionalId);
      auto place = it == byId.end() ? std::nullopt : domain::matchPlace(slot, it->second->places);
      // At one of his places whose structure did not choose this publisher: not its to publish.
      if (place && std::find(it->second->publishedPlaces.begin(), it->second->publishedPlaces.end(),
                             *place) == it->second->publishedPlaces.end())
        place.reset();
      if (!place) {
        ++unmatched;
        continue;
      }
      auto types = slot.types;
      if (types.empty()) types.add(domain::ConsultationType::Office);
      stored.push_back({*place, slot.start, slot.end, types, std::move(slot.bookingUrl)});
    }
  }
  h.lastDuration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  h.errors = joinErrors(errors);
  auto breaker = breakerOf(row.health, settings_.breaker);
  breaker.allows(now);  // an open breaker whose time has passed is half open: this is its trial
  if (failed) {
    // All or nothing: the slots of the professionals whose request failed would otherwise
    // leave; the last complete answer stays until it is too old (pullDue).
    breaker.failed(now);
    h.breakerFailures = breaker.failuresInARow();
    h.breakerOpenUntil = breaker.openUntil();
    repository_.savePullFailure(p.id, h);
    return report;
  }
  breaker.succeeded();
  h.breakerFailures = 0;
  h.breakerOpenUntil = {};
  h.lastSuccessAt = now;
  h.received = received;
  h.unmatched = unmatched;
  h.matched = received - unmatched;
  // The same slot twice (two professionals of one place, say) is one slot of the place.
  std::sort(stored.begin(), stored.end(), [](const StoredPulledSlot& a, const StoredPulledSlot& b) {
    return std::tie(a.placeId, a.start, a.end, a.types.bits, a.bookingUrl) <
           std::tie(b.placeId, b.start, b.end, b.types.bits, b.bookingUrl);
  });
  stored.erase(std::unique(stored.begin(), stored.end()), stored.end());
  report.changedPlaces = repository_.replacePulledSlots(p.id, stored, h, now);
  report.succeeded = true;
  tell(report.changedPlaces);
  return report;
}

}  // namespace sas::app
