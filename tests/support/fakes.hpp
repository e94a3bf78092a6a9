#pragma once
// In-memory stand-ins of the storage and geocoding ports, for unit tests of the app services
// without a database. They keep what a real store keeps and nothing more: the SQL stores
// themselves are tested by the integration tests, on SQLite and PostgreSQL.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/geocoder.hpp"
#include "app/ports/orientations.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/search_source.hpp"

namespace sas::fakes {

class FixedClock final : public app::Clock {
 public:
  explicit FixedClock(domain::Instant t) : now_(t) {}
  domain::Instant now() const override { return now_; }
  void set(domain::Instant t) { now_ = t; }
  void advance(std::chrono::seconds d) { now_ += d; }

 private:
  domain::Instant now_;
};

/// What the fakes below share, as one database would: tests seed and read it directly.
struct Data {
  std::map<std::int64_t, app::User> users;
  std::map<std::int64_t, std::vector<std::int64_t>> links;        // user → structures
  std::map<std::int64_t, std::vector<std::int64_t>> delegations;  // délégataire → principals
  std::map<std::int64_t, app::Structure> structures;
  std::map<std::int64_t, app::Place> places;
  std::map<std::int64_t, domain::Availability> availabilities;
  std::map<std::int64_t, domain::Unavailability> unavailabilities;
  std::map<std::int64_t, std::string> notes;
  std::map<std::int64_t, std::string> specialties;  // structure → « Pédiatrie »
  std::map<std::int64_t, std::vector<domain::SearchProfessional>> professionals;  // structure →
  std::vector<app::AuditEntry> audit;
  std::vector<app::ChangeRow> changes;
  std::map<std::int64_t, std::vector<domain::Taking>> takings;  // place → its taken occurrences
  std::vector<app::Orientation> orientations;
  std::int64_t nextId = 1;

  std::int64_t newId() { return nextId++; }
  void changed(std::int64_t placeId) {
    changes.push_back({static_cast<std::int64_t>(changes.size()) + 1, placeId});
  }
};

class FakeUsers final : public app::UserRepository {
 public:
  explicit FakeUsers(Data& d) : d_(d) {}
  std::optional<app::User> findByEmail(const std::string& email) override {
    for (const auto& [id, u] : d_.users)
      if (u.email == email) return u;
    return std::nullopt;
  }
  std::optional<app::User> findById(std::int64_t id) override {
    const auto it = d_.users.find(id);
    return it == d_.users.end() ? std::nullopt : std::optional(it->second);
  }
  std::int64_t create(const app::User& user, const std::vector<std::int64_t>& structureIds,
                      domain::Instant) override {
    auto u = user;
    u.id = d_.newId();
    d_.users[u.id] = u;
    d_.links[u.id] = structureIds;
    d_.audit.push_back({std::nullopt, "user.create", "user:" + std::to_string(u.id), u.email, ""});
    return u.id;
  }
  void setPassword(std::int64_t userId, const std::string& hash, domain::Instant now) override {
    d_.users.at(userId).passwordHash = hash;
    d_.users.at(userId).passwordChangedAt = now;
  }
  std::vector<std::int64_t> linkedStructureIds(std::int64_t userId) override {
    return d_.links[userId];
  }
  std::vector<app::DelegatedStructure> delegatedStructures(std::int64_t delegateId) override {
    std::map<std::int64_t, std::int64_t> first;  // structure → the principal of lowest id
    for (auto p : d_.delegations[delegateId]) {
      const auto& u = d_.users.at(p);
      if (u.disabled ||
          (u.role != app::Role::StructureManager && u.role != app::Role::Practitioner))
        continue;
      for (auto s : d_.links[p])
        if (!first.count(s) || p < first[s]) first[s] = p;
    }
    std::vector<app::DelegatedStructure> out;
    for (auto [s, p] : first) out.push_back({s, p});
    return out;
  }

 private:
  Data& d_;
};

class FakeStructures final : public app::StructureRepository {
 public:
  explicit FakeStructures(Data& d) : d_(d) {}
  std::optional<app::Structure> findStructure(std::int64_t id) override {
    const auto it = d_.structures.find(id);
    return it == d_.structures.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<app::Structure> structuresByIds(const std::vector<std::int64_t>& ids) override {
    std::vector<app::Structure> out;
    for (auto id : ids)
      if (auto s = findStructure(id)) out.push_back(*s);
    return out;
  }
  std::vector<app::Place> placesOfStructure(std::int64_t structureId) override {
    std::vector<app::Place> out;
    for (const auto& [id, p] : d_.places)
      if (p.structureId == structureId) out.push_back(p);
    return out;
  }
  std::optional<std::pair<app::Place, app::Structure>> findPlaceWithStructure(
      std::int64_t id) override {
    const auto it = d_.places.find(id);
    if (it == d_.places.end()) return std::nullopt;
    auto place = it->second;
    place.agendaVersion = static_cast<long long>(d_.changes.size());  // as agendaVersion()
    return std::make_pair(std::move(place), d_.structures.at(it->second.structureId));
  }
  void saveParticipation(std::int64_t structureId, const domain::Participation& p,
                         const app::AuditEntry& audit, domain::Instant) override {
    d_.structures.at(structureId).participation = p;
    d_.audit.push_back(audit);
    for (const auto& place : placesOfStructure(structureId)) d_.changed(place.id);
  }
  std::int64_t createStructure(const app::Structure& s) override {
    auto copy = s;
    copy.id = d_.newId();
    d_.structures[copy.id] = copy;
    return copy.id;
  }
  std::int64_t createPlace(const app::Place& p) override {
    auto copy = p;
    copy.id = d_.newId();
    d_.places[copy.id] = copy;
    d_.changed(copy.id);
    return copy.id;
  }
  std::optional<app::Structure> findByIdentifiers(const std::string& finess,
                                                  const std::string& siret) override {
    for (const auto& [id, s] : d_.structures)
      if (!finess.empty() && s.finess == finess) return s;
    for (const auto& [id, s] : d_.structures)
      if (!siret.empty() && s.siret == siret) return s;
    return std::nullopt;
  }
  std::int64_t saveImported(const app::Structure& s, const app::Place& place,
                            domain::Instant) override {
    auto structure = s;
    if (structure.id == 0)
      structure.id = d_.newId();
    else
      structure.participation = d_.structures.at(structure.id).participation;
    d_.structures[structure.id] = structure;
    auto places = placesOfStructure(structure.id);
    auto p = place;
    p.structureId = structure.id;
    p.id = places.empty() ? d_.newId() : places.front().id;
    d_.places[p.id] = p;
    d_.changed(p.id);
    return structure.id;
  }
  std::vector<app::Place> approximatePlaces() override {
    std::vector<app::Place> out;
    for (const auto& [id, p] : d_.places)
      if (p.approximate) out.push_back(p);
    return out;
  }
  void placeAgain(std::int64_t placeId, double latitude, double longitude, bool approximate,
                  const app::AuditEntry& audit, domain::Instant) override {
    auto& p = d_.places.at(placeId);
    p.latitude = latitude;
    p.longitude = longitude;
    p.approximate = approximate;
    d_.audit.push_back(audit);
    d_.changed(placeId);
  }

 private:
  Data& d_;
};

class FakeAgenda final : public app::AgendaRepository {
 public:
  explicit FakeAgenda(Data& d) : d_(d) {}
  std::vector<domain::Availability> availabilitiesOfPlace(std::int64_t placeId,
                                                          domain::Day) override {
    std::vector<domain::Availability> out;
    for (const auto& [id, a] : d_.availabilities)
      if (a.placeId == placeId) out.push_back(a);
    return out;
  }
  // Moves with the changes recorded through this fake (tests that edit Data directly don't).
  long long agendaVersion(std::int64_t) override {
    return static_cast<long long>(d_.changes.size());
  }
  std::optional<domain::Availability> findAvailability(std::int64_t id) override {
    const auto it = d_.availabilities.find(id);
    return it == d_.availabilities.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<std::int64_t> applyChange(std::int64_t placeId, const domain::AgendaChange& change,
                                        const app::AuditEntry& audit, domain::Instant) override {
    for (auto id : change.deleted) d_.availabilities.erase(id);
    for (const auto& a : change.updated) d_.availabilities[a.id] = a;
    std::vector<std::int64_t> ids;
    for (auto a : change.created) {
      a.id = d_.newId();
      a.placeId = placeId;
      d_.availabilities[a.id] = a;
      ids.push_back(a.id);
    }
    d_.audit.push_back(audit);
    d_.changed(placeId);
    return ids;
  }
  std::optional<std::vector<std::int64_t>> applyChangeKeeping(
      std::int64_t placeId, const domain::AgendaChange& change, std::int64_t seriesId, domain::Day,
      const std::vector<domain::KeptOccurrence>& kept, const app::AuditEntry& audit,
      domain::Instant now) override {
    auto ids = applyChange(placeId, change, audit, now);
    for (const auto& k : kept)
      for (auto& t : d_.takings[placeId])
        if (t.availabilityId == seriesId && t.originalDate == k.originalDate) {
          t.availabilityId = ids.at(k.createdIndex);
          t.originalDate = k.date;
        }
    return ids;
  }
  // All or nothing, as the SQL store's transaction: a place that does not exist fails the
  // whole before anything is written.
  std::optional<std::vector<std::vector<std::int64_t>>> applyChanges(
      const std::vector<app::PlaceAgendaChange>& changes, domain::Instant now) override {
    for (const auto& one : changes)
      if (!d_.places.count(one.placeId))
        throw std::runtime_error("no place " + std::to_string(one.placeId));
    for (const auto& one : changes)
      if (one.expectedVersion && *one.expectedVersion != agendaVersion(one.placeId))
        return std::nullopt;
    std::vector<std::vector<std::int64_t>> ids;
    for (const auto& one : changes)
      ids.push_back(applyChange(one.placeId, one.change, one.audit, now));
    return ids;
  }
  domain::Unavailability unavailability(std::int64_t placeId) override {
    return d_.unavailabilities[placeId];
  }
  void saveUnavailability(std::int64_t placeId, const domain::Unavailability& u,
                          const app::AuditEntry& audit, domain::Instant) override {
    d_.unavailabilities[placeId] = u;
    d_.audit.push_back(audit);
    d_.changed(placeId);
  }
  std::pair<domain::Unavailability, std::string> unavailabilityAndNote(
      std::int64_t placeId) override {
    return {d_.unavailabilities[placeId], d_.notes[placeId]};
  }
  void saveRegulatorNote(std::int64_t placeId, const std::string& note,
                         const app::AuditEntry& audit, domain::Instant) override {
    d_.notes[placeId] = note;
    d_.audit.push_back(audit);
    d_.changed(placeId);
  }

 private:
  Data& d_;
};

/// Orientations as the agenda reads them: the takings and orientations put in Data by the test.
class FakeOrientations final : public app::OrientationRepository {
 public:
  explicit FakeOrientations(Data& d) : d_(d) {}
  std::optional<Taken> orient(const app::Orientation&, int, const app::AuditEntry&,
                              const std::vector<app::EmailMessage>&) override {
    return std::nullopt;
  }
  std::optional<app::Orientation> findOrientation(std::int64_t id) override {
    for (const auto& o : d_.orientations)
      if (o.id == id) return o;
    return std::nullopt;
  }
  bool moveStatus(std::int64_t, domain::OrientationStatus, domain::OrientationStatus, std::int64_t,
                  const app::AuditEntry&, domain::Instant,
                  const std::vector<app::EmailMessage>&) override {
    return false;
  }
  app::OrientationContacts contacts(std::int64_t, std::optional<std::int64_t>) override {
    return {};
  }
  std::vector<domain::Taking> takingsOfPlace(std::int64_t placeId, domain::Day from) override {
    std::vector<domain::Taking> out;
    for (const auto& t : d_.takings[placeId])
      if (t.originalDate >= from - date::days{1}) out.push_back(t);
    return out;
  }
  std::vector<app::Orientation> orientationsOfPlace(std::int64_t placeId, domain::Instant from,
                                                    domain::Instant to) override {
    std::vector<app::Orientation> out;
    for (const auto& o : d_.orientations)
      if (o.placeId == placeId && o.start >= from && o.start < to) out.push_back(o);
    return out;
  }
  std::vector<app::OrientationLine> orientationsMade(domain::Instant, domain::Instant,
                                                     std::optional<std::int64_t>) override {
    return {};
  }

 private:
  Data& d_;
};

class FakeAuditLog final : public app::AuditLog {
 public:
  explicit FakeAuditLog(Data& d) : d_(d) {}
  void record(const app::AuditEntry& entry, domain::Instant) override { d_.audit.push_back(entry); }

 private:
  Data& d_;
};

/// The search's reads, answered from the same Data as the stores above.
class FakeSearchSource final : public app::SearchSource {
 public:
  explicit FakeSearchSource(Data& d) : d_(d) {}
  void forEachPlace(domain::Day from, const std::function<void(app::SearchRecord&&)>& visit,
                    std::size_t) override {
    for (const auto& [id, p] : d_.places) visit(*findPlace(id, from));
  }
  std::optional<app::SearchRecord> findPlace(std::int64_t placeId, domain::Day) override {
    ++placeReads;
    const auto it = d_.places.find(placeId);
    if (it == d_.places.end()) return std::nullopt;
    app::SearchRecord r;
    r.place = it->second;
    r.structure = d_.structures.at(r.place.structureId);
    r.specialties = d_.specialties[r.structure.id];
    r.professionals = d_.professionals[r.structure.id];
    r.regulatorNote = d_.notes[placeId];
    r.unavailability = d_.unavailabilities[placeId];
    for (const auto& [id, a] : d_.availabilities)
      if (a.placeId == placeId) r.availabilities.push_back(a);
    return r;
  }
  std::int64_t lastChange() override { return static_cast<std::int64_t>(d_.changes.size()); }
  std::int64_t placeCount() override { return static_cast<std::int64_t>(d_.places.size()); }
  std::vector<app::ChangeRow> changesSince(std::int64_t after) override {
    std::vector<app::ChangeRow> out;
    for (const auto& c : d_.changes)
      if (c.id > after) out.push_back(c);
    return out;
  }
  app::PendingChanges changesAfter(std::int64_t after) override {
    return {static_cast<std::int64_t>(changesSince(after).size()), std::nullopt};
  }
  void pruneChanges(domain::Instant) override {}

  int placeReads = 0;  // findPlace's calls, forEachPlace's included

 private:
  Data& d_;
};

/// A geocoder that knows the places it is told, by the exact text typed.
class FakeGeocoder final : public app::Geocoder {
 public:
  void add(const std::string& text, app::Location where) { known_[text] = std::move(where); }
  /// `text` will answer with a short list of these locations (keys "1", "2", …).
  void addAmbiguous(const std::string& text, const std::vector<app::Location>& locations) {
    ambiguous_[text] = locations;
  }

  app::GeocodeResult geocode(const std::string& text) override {
    if (auto it = known_.find(text); it != known_.end())
      return {app::GeocodeResult::Status::Found, it->second, {}};
    if (auto it = ambiguous_.find(text); it != ambiguous_.end()) {
      app::GeocodeResult r;
      r.status = app::GeocodeResult::Status::Ambiguous;
      for (std::size_t i = 0; i < it->second.size(); ++i) {
        const auto key = text + "#" + std::to_string(i + 1);
        known_[key] = it->second[i];
        r.choices.push_back({key, it->second[i].label});
      }
      return r;
    }
    return {};
  }
  app::GeocodeResult resolve(const std::string& key) override {
    if (auto it = known_.find(key); it != known_.end())
      return {app::GeocodeResult::Status::Found, it->second, {}};
    return {};
  }

 private:
  std::map<std::string, app::Location> known_;
  std::map<std::string, std::vector<app::Location>> ambiguous_;
};

/// No published radius anywhere: the search's fallback radius applies.
class NoAreas final : public app::SearchAreas {
 public:
  std::optional<app::DepartementArea> departement(const std::string&) const override {
    return std::nullopt;
  }
};

}  // namespace sas::fakes
