#include "http/fhir/metadata.hpp"

namespace sas::http::fhir {

namespace {

using nlohmann::json;

// Changed with what the statement says: FHIR wants the date of its last change.
constexpr const char* kStatementDate = "2026-12-03";

// The guide's profiles written with the older base (PS individual, CPTS Schedule) and the newer.
constexpr const char* kOldProfiles = "http://sas.fr/fhir/StructureDefinition/";

std::string guide(const std::string& path) {
  return std::string(kGuide) + "/" + path;
}

json searchParam(const char* name, const std::string& definition, const char* type,
                 const char* documentation) {
  json p = {{"name", name}, {"type", type}, {"documentation", documentation}};
  if (!definition.empty()) p["definition"] = definition;
  return p;
}

json slotResource() {
  return {
      {"type", "Slot"},
      {"supportedProfile", json::array({std::string(kOldProfiles) + "FrSlotAgregateur",
                                        guide("StructureDefinition/sas-cpts-slot-aggregator"),
                                        guide("StructureDefinition/sas-sos-slot-aggregator")})},
      {"interaction", json::array({{{"code", "search-type"}}})},
      {"searchInclude",
       json::array({"Slot:schedule", "Schedule:actor", "Slot:service-type-reference",
                    "HealthcareService:organization"})},
      {"searchParam",
       json::array(
           {searchParam("start", guide("SearchParameter/slot-sp-start"), "date",
                        "Début de la disponibilité : deux bornes, ge et le, une date ou une "
                        "date et heure."),
            searchParam("status", "http://hl7.org/fhir/SearchParameter/Slot-status", "token",
                        "free : les disponibilités libres."),
            searchParam("schedule", "http://hl7.org/fhir/SearchParameter/Slot-schedule",
                        "reference",
                        "Chaînée : schedule.actor:Practitioner.identifier, l'identifiant national "
                        "des professionnels (urn:oid:1.2.250.1.71.4.2.1|…, 25 au plus).")})},
  };
}

json scheduleResource() {
  return {
      {"type", "Schedule"},
      {"supportedProfile", json::array({std::string(kOldProfiles) + "FrScheduleAgregateur",
                                        guide("StructureDefinition/sas-sos-schedule-aggregator")})},
      {"interaction", json::array({{{"code", "search-type"}}})},
      {"searchInclude", json::array({"Schedule:actor:Location", "Location:organization"})},
      {"searchRevInclude", json::array({"Slot:schedule"})},
      {"searchParam",
       json::array(
           {searchParam("actor", "http://hl7.org/fhir/SearchParameter/Schedule-actor", "reference",
                        "Chaînée : actor:Location.organization.identifier, l'identifiant "
                        "de la structure (urn:oid:1.2.250.1.71.4.2.2|…)."),
            searchParam("_has", "", "special",
                        "_has:Slot:schedule:start (ge, le) et "
                        "_has:Slot:schedule:status=free : les agendas qui ont une "
                        "disponibilité libre dans la période.")})},
  };
}

}  // namespace

json capabilityStatement(const std::string& baseUrl) {
  json implementation = {{"description", "Disponibilités de la plateforme SAS"}};
  if (!baseUrl.empty()) implementation["url"] = baseUrl;
  return {
      {"resourceType", "CapabilityStatement"},
      {"name", "PlateformeSASDisponibilites"},
      {"title", "Disponibilités de la plateforme SAS"},
      {"status", "active"},
      {"date", kStatementDate},
      {"publisher", "Plateforme SAS"},
      {"description",
       "Les disponibilités des professionnels et des structures de la plateforme, publiées comme "
       "le fait un gestionnaire d'agenda selon le guide d'implémentation SAS."},
      {"kind", "instance"},
      {"instantiates", json::array({guide("CapabilityStatement/SAS-GestionnaireAgenda-PsIndiv"),
                                    guide("CapabilityStatement/SAS-GestionnaireAgenda-SOS")})},
      {"software", {{"name", "Plateforme SAS"}}},
      {"implementation", implementation},
      {"fhirVersion", "4.0.1"},
      {"format", json::array({"json"})},
      {"implementationGuide", json::array({kGuide})},
      {"rest",
       json::array({{
           {"mode", "server"},
           {"security",
            {{"cors", false},
             {"description",
              "TLS 1.2 ou plus, certificat client obligatoire (sauf pour /metadata), émis par "
              "l'autorité convenue et autorisé par la plateforme."}}},
           {"resource", json::array({slotResource(), scheduleResource()})},
       }})},
  };
}

}  // namespace sas::http::fhir
