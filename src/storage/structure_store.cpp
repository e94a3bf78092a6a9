#include "storage/structure_store.hpp"

#include <soci/soci.h>

#include "storage/prepared.hpp"
#include "storage/rows.hpp"

namespace sas::storage {
namespace {

const char* const kPlaceColumns =
    "SELECT id, structure_id, name, street, postal_code, town, insee_code, latitude, longitude, "
    "time_zone, phone, approximate FROM places ";
const char* const kStructureColumns =
    "SELECT id, name, type, finess, siret, phone, departement, participates, professionals, "
    "accepts_contact, honour_declared, rpps_rang FROM structures ";
const char* const kPlaceWithStructure =
    "SELECT p.id, p.structure_id, p.name, p.street, p.postal_code, p.town, p.insee_code, "
    "p.latitude, p.longitude, p.time_zone, p.phone, p.approximate, s.id, s.name, s.type, "
    "s.finess, s.siret, s.phone, s.departement, s.participates, s.professionals, "
    "s.accepts_contact, s.honour_declared, s.rpps_rang, p.agenda_version FROM places p JOIN "
    "structures s ON s.id = p.structure_id WHERE p.id = :id";
const char* const kSaveParticipation =
    "UPDATE structures SET participates = :p, professionals = :n, accepts_contact = :c, "
    "honour_declared = :h, updated_at = :at WHERE id = :id";
const char* const kFirstPlaceOfStructure = "SELECT MIN(id) FROM places WHERE structure_id = :id";
const char* const kInsertStructure =
    "INSERT INTO structures (name, type, finess, siret, phone, departement, participates, "
    "professionals, accepts_contact, honour_declared, rpps_rang) VALUES (:name, :type, :finess, "
    ":siret, :phone, :dep, :p, :n, :c, :h, :rang) RETURNING id";
const char* const kInsertImportedStructure =
    "INSERT INTO structures (name, type, finess, siret, phone, departement) VALUES (:name, "
    ":type, :finess, :siret, :phone, :dep) RETURNING id";
const char* const kUpdateImportedStructure =
    "UPDATE structures SET name = :name, type = :type, finess = :finess, siret = :siret, phone = "
    ":phone, departement = :dep WHERE id = :id";
const char* const kInsertPlace =
    "INSERT INTO places (structure_id, name, street, postal_code, town, insee_code, latitude, "
    "longitude, time_zone, phone, approximate) VALUES (:s, :name, :street, :pc, :town, :insee, "
    ":lat, :lon, :tz, :phone, :approx) RETURNING id";
const char* const kUpdateImportedPlace =
    "UPDATE places SET street = :street, postal_code = :pc, town = :town, insee_code = :insee, "
    "latitude = :lat, longitude = :lon, time_zone = :tz, phone = :phone, approximate = :approx "
    "WHERE id = :id";
const char* const kPlaceAgain =
    "UPDATE places SET latitude = :lat, longitude = :lon, approximate = :approx WHERE id = :id";
const char* const kApproximatePlaces = "WHERE approximate = :a ORDER BY id";
const char* const kStructureByFiness = "SELECT MIN(id) FROM structures WHERE finess = :f";
const char* const kStructureBySiret = "SELECT MIN(id) FROM structures WHERE siret = :s";
const char* const kStructureById = "WHERE id = :id";
const char* const kPlacesOfStructure = "WHERE structure_id = :id ORDER BY id";

struct PlaceRow {
  long long id = 0, structureId = 0;
  std::string name, street, postalCode, town, insee, timeZone, phone;
  double latitude = 0, longitude = 0;
  int approximate = 0;

  app::Place place() const {
    return {id,    structureId, name,      street,   postalCode, town,
            insee, latitude,    longitude, timeZone, phone,      approximate != 0};
  }
};

struct StructureRow {
  long long id = 0;
  std::string name, type, finess, siret, phone, departement, rppsRang;
  int participates = 0, professionals = 0, acceptsContact = 0, honour = 0;

  app::Structure structure() const {
    app::Structure s{id, name, type, finess, siret, phone, departement, {}, rppsRang};
    s.participation = {participates != 0, professionals, acceptsContact != 0, honour != 0};
    return s;
  }
};

std::vector<app::Place> queryPlaces(soci::session& sql, const std::string& where, long long key) {
  PlaceRow r;
  std::vector<app::Place> out;
  soci::statement st = (sql.prepare << std::string(kPlaceColumns) + where, soci::use(key),
                        soci::into(r.id), soci::into(r.structureId), soci::into(r.name),
                        soci::into(r.street), soci::into(r.postalCode), soci::into(r.town),
                        soci::into(r.insee), soci::into(r.latitude), soci::into(r.longitude),
                        soci::into(r.timeZone), soci::into(r.phone), soci::into(r.approximate));
  st.execute();
  while (st.fetch()) out.push_back(r.place());
  return out;
}

// The statements of every agenda page, prepared once per connection (storage/prepared.hpp).

struct PlaceWithStructureQuery final : PreparedQuery {
  long long key = 0, version = -1;
  PlaceRow p;
  StructureRow s;
  soci::statement statement;
  explicit PlaceWithStructureQuery(soci::session& sql)
      : statement((sql.prepare << kPlaceWithStructure, soci::use(key), soci::into(p.id),
                   soci::into(p.structureId), soci::into(p.name), soci::into(p.street),
                   soci::into(p.postalCode), soci::into(p.town), soci::into(p.insee),
                   soci::into(p.latitude), soci::into(p.longitude), soci::into(p.timeZone),
                   soci::into(p.phone), soci::into(p.approximate), soci::into(s.id),
                   soci::into(s.name), soci::into(s.type), soci::into(s.finess),
                   soci::into(s.siret), soci::into(s.phone), soci::into(s.departement),
                   soci::into(s.participates), soci::into(s.professionals),
                   soci::into(s.acceptsContact), soci::into(s.honour), soci::into(s.rppsRang),
                   soci::into(version))) {}
};

struct StructureByIdQuery final : PreparedQuery {
  long long key = 0;
  StructureRow r;
  soci::statement statement;
  explicit StructureByIdQuery(soci::session& sql)
      : statement((sql.prepare << std::string(kStructureColumns) + kStructureById, soci::use(key),
                   soci::into(r.id), soci::into(r.name), soci::into(r.type), soci::into(r.finess),
                   soci::into(r.siret), soci::into(r.phone), soci::into(r.departement),
                   soci::into(r.participates), soci::into(r.professionals),
                   soci::into(r.acceptsContact), soci::into(r.honour), soci::into(r.rppsRang))) {}
};

std::optional<app::Structure> structureById(Connection& c, long long id) {
  auto& q = c.statements().get<StructureByIdQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.key = id;
  if (!q.statement.execute(true)) return std::nullopt;
  return q.r.structure();
}

}  // namespace

std::optional<app::Structure> SqlStructureStore::findStructure(std::int64_t id) {
  Connection c(db_);
  return structureById(c, id);
}

std::vector<app::Structure> SqlStructureStore::structuresByIds(
    const std::vector<std::int64_t>& ids) {
  Connection c(db_);
  std::vector<app::Structure> out;
  for (auto id : ids)
    if (auto s = structureById(c, id)) out.push_back(std::move(*s));
  return out;
}

std::vector<app::Place> SqlStructureStore::placesOfStructure(std::int64_t structureId) {
  Connection c(db_);
  return queryPlaces(c.sql(), kPlacesOfStructure, structureId);
}

std::optional<std::pair<app::Place, app::Structure>> SqlStructureStore::findPlaceWithStructure(
    std::int64_t id) {
  Connection c(db_);
  auto& q = c.statements().get<PlaceWithStructureQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.key = id;
  if (!q.statement.execute(true)) return std::nullopt;
  auto place = q.p.place();
  place.agendaVersion = q.version;
  return std::make_pair(std::move(place), q.s.structure());
}

void SqlStructureStore::saveParticipation(std::int64_t structureId, const domain::Participation& p,
                                          const app::AuditEntry& audit, domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = structureId, at = seconds(now);
  int participates = p.participates, contact = p.acceptsContact, honour = p.honourDeclared;
  sql << kSaveParticipation, soci::use(participates), soci::use(p.professionals),
      soci::use(contact), soci::use(honour), soci::use(at), soci::use(id);
  writeAudit(c, audit, now);
  recordStructureChange(c, structureId, now);
  tx.commit();
}

std::int64_t SqlStructureStore::createStructure(const app::Structure& s) {
  Connection c(db_);
  long long id = 0;
  int participates = s.participation.participates, contact = s.participation.acceptsContact,
      honour = s.participation.honourDeclared, professionals = s.participation.professionals;
  c.sql() << kInsertStructure, soci::use(s.name), soci::use(s.type), soci::use(s.finess),
      soci::use(s.siret), soci::use(s.phone), soci::use(s.departement), soci::use(participates),
      soci::use(professionals), soci::use(contact), soci::use(honour), soci::use(s.rppsRang),
      soci::into(id);
  return id;
}

std::int64_t SqlStructureStore::createPlace(const app::Place& p) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = 0, structure = p.structureId;
  double lat = p.latitude, lon = p.longitude;
  int approximate = p.approximate;
  sql << kInsertPlace, soci::use(structure), soci::use(p.name), soci::use(p.street),
      soci::use(p.postalCode), soci::use(p.town), soci::use(p.inseeCode), soci::use(lat),
      soci::use(lon), soci::use(p.timeZone), soci::use(p.phone), soci::use(approximate),
      soci::into(id);
  // The search index of every process hears of the new place.
  recordChange(c, id, clock_.now());
  tx.commit();
  return id;
}

std::optional<app::Structure> SqlStructureStore::findByIdentifiers(const std::string& finess,
                                                                   const std::string& siret) {
  Connection c(db_);
  long long id = 0;
  soci::indicator ind = soci::i_null;
  if (!finess.empty()) c.sql() << kStructureByFiness, soci::use(finess), soci::into(id, ind);
  if (ind != soci::i_ok && !siret.empty())
    c.sql() << kStructureBySiret, soci::use(siret), soci::into(id, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return structureById(c, id);
}

std::int64_t SqlStructureStore::saveImported(const app::Structure& s, const app::Place& p,
                                             domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = s.id, placeId = 0;
  if (id == 0) {
    sql << kInsertImportedStructure, soci::use(s.name), soci::use(s.type), soci::use(s.finess),
        soci::use(s.siret), soci::use(s.phone), soci::use(s.departement), soci::into(id);
  } else {
    sql << kUpdateImportedStructure, soci::use(s.name), soci::use(s.type), soci::use(s.finess),
        soci::use(s.siret), soci::use(s.phone), soci::use(s.departement), soci::use(id);
  }
  soci::indicator placeInd = soci::i_null;
  sql << kFirstPlaceOfStructure, soci::use(id), soci::into(placeId, placeInd);
  double lat = p.latitude, lon = p.longitude;
  int approximate = p.approximate;
  if (placeInd != soci::i_ok) {
    sql << kInsertPlace, soci::use(id), soci::use(p.name), soci::use(p.street),
        soci::use(p.postalCode), soci::use(p.town), soci::use(p.inseeCode), soci::use(lat),
        soci::use(lon), soci::use(p.timeZone), soci::use(p.phone), soci::use(approximate),
        soci::into(placeId);
  } else {
    sql << kUpdateImportedPlace, soci::use(p.street), soci::use(p.postalCode), soci::use(p.town),
        soci::use(p.inseeCode), soci::use(lat), soci::use(lon), soci::use(p.timeZone),
        soci::use(p.phone), soci::use(approximate), soci::use(placeId);
  }
  writeAudit(c,
             {std::nullopt, "structure.import", "structure:" + std::to_string(id),
              s.finess.empty() ? s.siret : s.finess, ""},
             now);
  recordChange(c, placeId, now);
  tx.commit();
  return id;
}

std::vector<app::Place> SqlStructureStore::approximatePlaces() {
  Connection c(db_);
  return queryPlaces(c.sql(), kApproximatePlaces, 1);
}

void SqlStructureStore::placeAgain(std::int64_t placeId, double latitude, double longitude,
                                   bool approximate, const app::AuditEntry& audit,
                                   domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = placeId;
  int approx = approximate;
  sql << kPlaceAgain, soci::use(latitude), soci::use(longitude), soci::use(approx), soci::use(id);
  writeAudit(c, audit, now);
  recordChange(c, placeId, now);
  tx.commit();
}

}  // namespace sas::storage
