#include "http/fhir/bundle.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "domain/fhir_format.hpp"
#include "domain/fhir_identifiers.hpp"
#include "domain/ordinal_specialty.hpp"

namespace sas::http::fhir {
namespace {

using domain::fhir::SearchShape;
using nlohmann::json;

// The guide's profiles (StructureDefinition urls of ans.fhir.fr.sas 1.2.0).
constexpr const char* kPs = "http://sas.fr/fhir/StructureDefinition/";
constexpr const char* kIg = "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/";
// Code systems.
constexpr const char* kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
constexpr const char* kAppointmentType = "http://terminology.hl7.org/CodeSystem/v2-0276";
constexpr const char* kSlotSecurity =
    "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau";
constexpr const char* kSpecialty =
    "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale";
constexpr const char* kIdentifierType = "http://interopsante.org/fhir/CodeSystem/fr-v2-0203";
constexpr const char* kLocationIdentifierType =
    "http://interopsante.org/fhir/CodeSystem/fr-location-identifier-type";
constexpr const char* kServiceTypeReference =
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType";
// Ours: how many patients a plage takes, and how many places it has left (the guide's Slot
// has no element for either; a WALKIN slot without them would read as one patient).
constexpr const char* kPlageExtension = "urn:sas-plateforme:fhir:extension:plage";

std::string profile(SearchShape shape, const char* resource) {
  const std::string r = resource;
  if (shape == SearchShape::ByStructure) return kIg + ("sas-sos-" + r + "-aggregator");
  if (shape == SearchShape::ByProfessionalCpts &&
      (r == "slot" || r == "bundle" || r == "healthcareservice" || r == "organization"))
    return kIg + ("sas-cpts-" + r + "-aggregator");
  if (r == "bundle") return std::string{kPs} + "BundleAgregateur";
  if (r == "slot") return std::string{kPs} + "FrSlotAgregateur";
  if (r == "schedule") return std::string{kPs} + "FrScheduleAgregateur";
  if (r == "practitioner") return std::string{kPs} + "FrPractitionerAgregateur";
  if (r == "practitionerrole") return std::string{kPs} + "FrPractitionerRoleExerciceAgregateur";
  return std::string{kPs} + "FrLocationAgregateur";
}

json meta(SearchShape shape, const char* resource) {
  return {{"profile", json::array({profile(shape, resource)})}};
}

json coding(const std::string& system, const std::string& code) {
  return {{"coding", json::array({{{"system", system}, {"code", code}}})}};
}

json identifierOf(const char* typeSystem, const char* type, std::string_view system,
                  const std::string& value) {
  return {{"type", coding(typeSystem, type)}, {"system", system}, {"value", value}};
}

/// The IDNST of a place's structure: FINESS, else SIRET, else its practice's RPPS rang.
std::optional<std::string> idnstOf(const app::Structure& s) {
  return domain::fhir::organisationIdentifier(s.finess, s.siret, s.rppsRang);
}

/// `Slot.specialty`: the professional's TRE_R38 specialty with its label; null when his
/// specialty is unknown or of no ordinal code.
json specialtyOf(const domain::SearchProfessional& pro) {
  auto s = domain::ordinalSpecialty(pro.specialty, pro.profession);
  if (!s) return nullptr;
  return json::array(
      {{{"coding",
         json::array({{{"system", kSpecialty}, {"code", s->code}, {"display", s->display}}})},
        {"text", s->display}}});
}

json telecom(const std::string& phone) {
  auto number = domain::fhir::internationalPhone(phone);
  if (!number) return nullptr;
  return json::array({{{"system", "phone"}, {"value", *number}}});
}

// Adds `value` under `key` unless it is null or empty: the guide's readers refuse empty
// elements.
void put(json& object, const char* key, json value) {
  if (value.is_null() ||
      ((value.is_array() || value.is_object() || value.is_string()) && value.empty()))
    return;
  object[key] = std::move(value);
}

class Writer {
 public:
  explicit Writer(const BundleRequest& request) : r_(request) {
    slotMeta_ = meta(r_.shape, "slot");
    slotMeta_["security"] = json::array({{{"system", kSlotSecurity}, {"code", "SNP"}}});
  }

  void place(const app::PublishedPlace& p) {
    if (!p.zone) return;  // not searchable either: its days cannot be told
    if (r_.shape == SearchShape::ByStructure) {
      const auto schedule = "agenda-" + std::to_string(p.details.place.id);
      add("Schedule", schedule,
          {{"resourceType", "Schedule"},
           {"id", schedule},
           {"meta", meta(r_.shape, "schedule")},
           {"actor", json::array({{{"reference", "Location/" + locationId(p)}}})}},
          true);
      slots(p, schedule, nullptr);
      add("Location", locationId(p), location(p), false);
      if (auto org = organization(p)) add("Organization", organizationId(p), *org, false);
      return;
    }
    for (const auto& pro : p.details.professionals) {
      if (std::find(r_.identifiers.begin(), r_.identifiers.end(), pro.nationalId) ==
          r_.identifiers.end())
        continue;
      const auto schedule = pro.nationalId + "-" + std::to_string(p.details.place.id);
      slots(p, schedule, specialtyOf(pro));
      add("Schedule", schedule,
          {{"resourceType", "Schedule"},
           {"id", schedule},
           {"meta", meta(r_.shape, "schedule")},
           {"actor", json::array({{{"reference", "Practitioner/" + pro.nationalId}},
                                  {{"reference", "PractitionerRole/" + schedule}}})}},
          false);
      add("Practitioner", pro.nationalId, practitioner(pro), false);
      add("PractitionerRole", schedule, role(p, pro, schedule), false);
      if (r_.shape == SearchShape::ByProfessionalCpts) {
        if (auto org = organization(p)) {
          add("HealthcareService", serviceId(p),
              {{"resourceType", "HealthcareService"},
               {"id", serviceId(p)},
               {"meta", meta(r_.shape, "healthcareservice")},
               {"providedBy", {{"reference", "Organization/" + organizationId(p)}}}},
              false);
          add("Organization", organizationId(p), *org, false);
        }
      }
    }
  }

  json bundle() const {
    json b{{"resourceType", "Bundle"},
           {"meta", meta(r_.shape, "bundle")},
           {"type", "searchset"},
           {"total", matches_},
           {"link", json::array({{{"relation", "self"}, {"url", r_.selfUrl}}})}};
    put(b, "entry", entries_);
    return b;
  }

 private:
  void add(const std::string& type, const std::string& id, json resource, bool match) {
    if (!seen_.insert(type + "/" + id).second) return;  // each resource once
    if (match) ++matches_;
    entries_.push_back({{"fullUrl", r_.fhirBase + "/" + type + "/" + id},
                        {"resource", std::move(resource)},
                        {"search", {{"mode", match ? "match" : "include"}}}});
  }

  void slots(const app::PublishedPlace& p, const std::string& schedule, const json& specialty) {
    std::map<std::int64_t, int> sameStart;  // ids stay apart when two occurrences start together
    const bool serviceReference = r_.shape == SearchShape::ByProfessionalCpts && hasOrganization(p);
    for (const auto& s : p.slots) {
      const auto start = s.start.time_since_epoch().count();
      const int n = sameStart[start]++;
      auto id = schedule + "-" + std::to_string(start);
      if (n > 0) id += "-" + std::to_string(n + 1);
      json slot{{"resourceType", "Slot"}, {"id", id}, {"meta", slotMeta_}};
      json types = json::array();
      if (s.types.has(domain::ConsultationType::Office)) types.push_back(coding(kActCode, "AMB"));
      if (s.types.has(domain::ConsultationType::Teleconsultation))
        types.push_back(coding(kActCode, "VR"));
      if (s.types.has(domain::ConsultationType::HomeVisit)) types.push_back(coding(kActCode, "HH"));
      if (serviceReference)
        types.push_back(
            {{"extension", json::array({{{"url", kServiceTypeReference},
                                         {"valueReference",
                                          {{"reference", "HealthcareService/" + serviceId(p)}}}}})},
             {"text", p.details.structure.type.empty() ? p.details.structure.name
                                                       : p.details.structure.type}});
      put(slot, "serviceType", std::move(types));
      if (!specialty.is_null()) slot["specialty"] = specialty;
      const bool plage = s.kind == domain::AvailabilityKind::Range;
      slot["appointmentType"] = coding(kAppointmentType, plage ? "WALKIN" : "ROUTINE");
      if (plage)
        slot["extension"] = json::array(
            {{{"url", kPlageExtension},
              {"extension",
               json::array({{{"url", "capacite"}, {"valueInteger", s.capacity}},
                            {{"url", "restantes"}, {"valueInteger", s.capacity - s.taken}}})}}});
      slot["schedule"] = {{"reference", "Schedule/" + schedule}};
      slot["status"] = "free";
      slot["start"] = domain::fhir::formatInstant(s.start, *p.zone);
      slot["end"] = domain::fhir::formatInstant(s.end, *p.zone);
      slot["comment"] = r_.siteBase + "/recherche/lieux/" + std::to_string(p.details.place.id);
      add("Slot", id, std::move(slot), r_.shape != SearchShape::ByStructure);
    }
  }

  static bool hasOrganization(const app::PublishedPlace& p) {
    return idnstOf(p.details.structure).has_value();
  }
  static std::string locationId(const app::PublishedPlace& p) {
    return "lieu-" + std::to_string(p.details.place.id);
  }
  static std::string organizationId(const app::PublishedPlace& p) {
    return "structure-" + std::to_string(p.details.structure.id);
  }
  static std::string serviceId(const app::PublishedPlace& p) {
    return "service-" + std::to_string(p.details.structure.id);
  }

  json location(const app::PublishedPlace& p) const {
    const auto& place = p.details.place;
    json l{{"resourceType", "Location"},
           {"id", locationId(p)},
           {"meta", meta(r_.shape, "location")},
           {"identifier",
            json::array({identifierOf(kLocationIdentifierType, "INTRN", r_.siteBase + "/lieux",
                                      std::to_string(place.id))})}};
    put(l, "name", p.details.name());
    put(l, "telecom", telecom(p.details.phone()));
    json address = json::object();
    put(address, "line", place.street.empty() ? json() : json::array({place.street}));
    put(address, "city", place.town);
    if (place.postalCode.size() == 5) address["postalCode"] = place.postalCode;
    put(l, "address", std::move(address));
    l["position"] = {{"longitude", place.longitude}, {"latitude", place.latitude}};
    if (r_.shape == SearchShape::ByStructure && hasOrganization(p))
      l["managingOrganization"] = {{"reference", "Organization/" + organizationId(p)}};
    return l;
  }

  std::optional<json> organization(const app::PublishedPlace& p) const {
    const auto& s = p.details.structure;
    auto idnst = idnstOf(s);
    if (!idnst) return std::nullopt;
    json o{{"resourceType", "Organization"},
           {"id", organizationId(p)},
           {"meta", meta(r_.shape, "organization")},
           {"identifier", json::array({identifierOf(kIdentifierType, "IDNST",
                                                    domain::fhir::kStructureSystem, *idnst)})}};
    put(o, "name", s.name);
    put(o, "telecom", telecom(s.phone));
    return o;
  }

  json practitioner(const domain::SearchProfessional& pro) const {
    json name = json::object();
    put(name, "family", pro.lastName);
    put(name, "given", pro.firstName.empty() ? json() : json::array({pro.firstName}));
    json r{{"resourceType", "Practitioner"},
           {"id", pro.nationalId},
           {"meta", meta(r_.shape, "practitioner")},
           {"identifier",
            json::array({identifierOf(kIdentifierType, "IDNPS", domain::fhir::kProfessionalSystem,
                                      pro.nationalId)})}};
    if (!name.empty()) r["name"] = json::array({std::move(name)});
    return r;
  }

  json role(const app::PublishedPlace& p, const domain::SearchProfessional& pro,
            const std::string& id) const {
    auto contained = location(p);
    json r{{"resourceType", "PractitionerRole"},
           {"id", id},
           {"meta", meta(r_.shape, "practitionerrole")},
           {"contained", json::array({std::move(contained)})},
           {"practitioner", {{"reference", "Practitioner/" + pro.nationalId}}}};
    const auto& s = p.details.structure;
    if (auto idnst = idnstOf(s))
      r["organization"] = {{"identifier", identifierOf(kIdentifierType, "IDNST",
                                                       domain::fhir::kStructureSystem, *idnst)}};
    r["location"] = json::array({{{"reference", "#" + locationId(p)}}});
    put(r, "telecom", telecom(p.details.phone()));
    return r;
  }

  const BundleRequest& r_;
  json slotMeta_;  // the same for every Slot of the answer
  json entries_ = json::array();
  std::set<std::string> seen_;
  int matches_ = 0;
};

}  // namespace

nlohmann::json searchBundle(const BundleRequest& request,
                            const std::vector<app::PublishedPlace>& places) {
  Writer w(request);
  for (const auto& p : places) w.place(p);
  return w.bundle();
}

}  // namespace sas::http::fhir
