#include "domain/ordinal_specialty.hpp"

#include <array>
#include <string>
#include <unordered_map>

#include "domain/search_text.hpp"

namespace sas::domain {

namespace {

// TRE_R38's codes for physicians (SM) and dental surgeons (SCD), with their labels (the
// nomenclature's, without its « (SM) » suffix). Facts of the ANS nomenclature, kept by hand:
// a new code is one line here.
constexpr std::array<OrdinalSpecialty, 98> kSpecialties{{
    {"SM01", "Anatomie et cytologie pathologiques"},
    {"SM02", "Anesthésie-réanimation"},
    {"SM03", "Biologie médicale"},
    {"SM04", "Cardiologie et maladies vasculaires"},
    {"SM05", "Chirurgie générale"},
    {"SM06", "Chirurgie maxillo-faciale"},
    {"SM07", "Chirurgie maxillo-faciale et stomatologie"},
    {"SM08", "Chirurgie orthopédique et traumatologie"},
    {"SM09", "Chirurgie infantile"},
    {"SM10", "Chirurgie plastique reconstructrice et esthétique"},
    {"SM11", "Chirurgie thoracique et cardio-vasculaire"},
    {"SM12", "Chirurgie urologique"},
    {"SM13", "Chirurgie vasculaire"},
    {"SM14", "Chirurgie viscérale et digestive"},
    {"SM15", "Dermatologie et vénéréologie"},
    {"SM16", "Endocrinologie et métabolisme"},
    {"SM17", "Génétique médicale"},
    {"SM18", "Gériatrie"},
    {"SM19", "Gynécologie médicale"},
    {"SM20", "Gynécologie-obstétrique"},
    {"SM21", "Hématologie"},
    {"SM22", "Hématologie, option maladie du sang"},
    {"SM23", "Hématologie, option onco-hématologie"},
    {"SM24", "Gastro-entérologie et hépatologie"},
    {"SM25", "Médecine du travail"},
    {"SM26", "Qualifié en médecine générale"},
    {"SM27", "Médecine interne"},
    {"SM28", "Médecine nucléaire"},
    {"SM29", "Médecine physique et de réadaptation"},
    {"SM30", "Néphrologie"},
    {"SM31", "Neuro-chirurgie"},
    {"SM32", "Neurologie"},
    {"SM33", "Neuro-psychiatrie"},
    {"SM34", "ORL et chirurgie cervico-faciale"},
    {"SM35", "Oncologie, option onco-hématologie"},
    {"SM36", "Oncologie, option médicale"},
    {"SM37", "Oncologie, option radiothérapie"},
    {"SM38", "Ophtalmologie"},
    {"SM39", "Oto-rhino-laryngologie"},
    {"SM40", "Pédiatrie"},
    {"SM41", "Pneumologie"},
    {"SM42", "Psychiatrie"},
    {"SM43", "Psychiatrie, option enfant et adolescent"},
    {"SM44", "Radio-diagnostic"},
    {"SM45", "Radio-thérapie"},
    {"SM46", "Médecine intensive-réanimation"},
    {"SM47", "Recherche médicale"},
    {"SM48", "Rhumatologie"},
    {"SM49", "Santé publique et médecine sociale"},
    {"SM50", "Stomatologie"},
    {"SM51", "Gynéco-obstétrique et gynéco-médicale, option gynéco-obstétrique"},
    {"SM52", "Gynéco-obstétrique et gynéco-médicale, option gynéco-médicale"},
    {"SM53", "Spécialiste en médecine générale"},
    {"SM54", "Médecine générale"},
    {"SM55", "Radio-diagnostic et radio-thérapie"},
    {"SM56", "Chirurgie orale"},
    {"SM57", "Allergologie"},
    {"SM58", "Maladies infectieuses et tropicales"},
    {"SM59", "Médecine d'urgence"},
    {"SM60", "Médecine légale et expertises médicales"},
    {"SM61", "Médecine vasculaire"},
    {"SM62", "Endocrinologie, diabétologie, nutrition"},
    {"SM63", "Biologie médicale option biologie générale"},
    {"SM64", "Biologie médicale option médecine moléculaire, génétique et pharmacologie"},
    {"SM65", "Biologie médicale option hématologie et immunologie"},
    {"SM66", "Biologie médicale option agents infectieux"},
    {"SM67", "Biologie médicale option biologie de la reproduction"},
    {"SM68", "Chirurgie maxillo-faciale (réforme 2017)"},
    {"SM69", "Chirurgie pédiatrique option chirurgie viscérale pédiatrique"},
    {"SM70", "Chirurgie pédiatrique option orthopédie pédiatrique"},
    {"SM71", "Hématologie (réforme 2017)"},
    {"SM72", "Médecine interne et immunologie clinique"},
    {"SM73", "Médecine cardiovasculaire"},
    {"SM74", "Radiologie et imagerie médicale"},
    {"SM75", "Santé publique"},
    {"SM76", "Anesthésie-réanimation option anesthésie-pédiatrique"},
    {"SM77", "Chirurgie maxillo-faciale option orthodontie des dysmorphies maxillo-faciales"},
    {"SM78", "Chirurgie viscérale et digestive option endoscopie chirurgicale"},
    {"SM79", "Médecine cardiovasculaire option cardiologie interventionnelle"},
    {"SM80", "Médecine cardiovasculaire option imagerie cardio d'expert"},
    {"SM81",
     "Médecine cardiovasculaire option rythmologie interventionnelle et stimulation cardiaque"},
    {"SM82", "Médecine intensive-réanimation option réanimation pédiatrique"},
    {"SM83", "Néphrologie option soins intensifs néphrologiques"},
    {"SM84", "Neurologie option traitement interventionnel de l'ischémie cérébrale aigüe"},
    {"SM85", "Ophtalmo option chirurgie ophtalmopédiatrique et strabologique"},
    {"SM86", "ORL et chirurgie cervico-faciale option audiophonologie"},
    {"SM87", "Pédiatrie option néonatologie"},
    {"SM88", "Pédiatrie option neuropédiatrie"},
    {"SM89", "Pédiatrie option pneumopédiatrie"},
    {"SM90", "Pédiatrie option réanimation pédiatrique"},
    {"SM91", "Pneumologie option soins intensifs respiratoires"},
    {"SM92", "Psychiatrie option enfant et adolescent"},
    {"SM93", "Psychiatrie option psychiatrie personne âgée"},
    {"SM94", "Radiologie imagerie médicale option radiologie interventionnelle avancée"},
    {"SM95", "Santé publique option administration de la santé"},
    {"SCD01", "Orthopédie dento-faciale"},
    {"SCD02", "Chirurgie orale"},
    {"SCD03", "Médecine bucco-dentaire"},
}};

std::string keyOf(std::string_view label) {
  auto folded = foldText(label);
  for (std::string_view suffix : {" sm", " scd"})
    if (folded.size() > suffix.size() &&
        folded.compare(folded.size() - suffix.size(), suffix.size(), suffix) == 0) {
      folded.resize(folded.size() - suffix.size());
      break;
    }
  return folded;
}

struct Index {
  std::unordered_map<std::string, const OrdinalSpecialty*> physician, dentist;
  Index() {
    for (const auto& s : kSpecialties) {
      auto& by = s.code.starts_with("SCD") ? dentist : physician;
      by.emplace(keyOf(s.display), &s);
    }
  }
};

}  // namespace

std::optional<OrdinalSpecialty> ordinalSpecialty(std::string_view label,
                                                 std::string_view profession) {
  static const Index index;
  const auto key = keyOf(label);
  if (key.empty()) return std::nullopt;
  const bool dentist = foldText(profession).find("dentiste") != std::string::npos;
  const auto& first = dentist ? index.dentist : index.physician;
  const auto& second = dentist ? index.physician : index.dentist;
  if (auto it = first.find(key); it != first.end()) return *it->second;
  if (auto it = second.find(key); it != second.end()) return *it->second;
  return std::nullopt;
}

}  // namespace sas::domain
