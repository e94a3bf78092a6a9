// « A doctor is a doctor » (docs/rules.md#participation): « Vos paramètres », the dashboard and
// the agenda's avenant n°4 notice speak as the structure is: the guide's words for a health
// centre, the doctor's own for his cabinet (who pledges 2 h for himself alone), and words of
// their own for an MSP and SOS Médecins. Over real HTTP, on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <soci/soci.h>

#include "storage/database.hpp"
#include "storage/psc_store.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

/// The text as the pages write it (apostrophes escaped).
std::string html(std::string text) {
  std::string out;
  for (char c : text) out += c == '\'' ? std::string("&apos;") : std::string(1, c);
  return out;
}

bool has(const std::string& page, const std::string& text) {
  return page.find(html(text)) != std::string::npos;
}

// The guide's centre words, which only a health centre's pages may hold.
const char* const kCentreWords[] = {
    "Je participe au SAS en tant que Centre de Santé",
    "Nombre de professionnel de santé du Centre de santé participant au SAS",
    "afin que le Centre soit sollicité",
    "Le centre ne participe pas au SAS",
    "médecin généraliste de mon centre de santé",
    "médecin généraliste de votre centre",
};

// Monday 9 March 2026, 09:00 in Paris.
class ParticipationWordingTest : public ::testing::Test {
 protected:
  ParticipationWordingTest()
      : platform_(parisTime(2026, 3, 9, 9)), doctor_(platform_.port()), manager_(platform_.port()) {
    std::tie(centre_, centrePlace_) =
        addStructure("Centre de santé Michel-Ange", "Centre de santé");
    std::tie(cabinet_, cabinetPlace_) = addStructure("Cabinet du Dr Lieux", "Cabinet");
    std::tie(msp_, mspPlace_) =
        addStructure("Maison de santé des Lilas", "Maison de santé pluriprofessionnelle");
    std::tie(sos_, sosPlace_) = addStructure("SOS Médecins Paris", "SOS Médecins");
    // The doctor: his cabinet and the MSP where he also practises, as Pro Santé Connect makes
    // them, his CGU accepted (this platform has no Pro Santé Connect configured).
    const auto doctor = platform_.addUser("claire.lieux@cabinet.test", kPassword,
                                          app::Role::Practitioner, {cabinet_, msp_});
    storage::SqlPscStore(platform_.platform().database())
        .acceptTerms(doctor, {doctor, "terms.accepted", "", "", ""}, platform_.clock().now());
    doctor_.login("claire.lieux@cabinet.test", kPassword);
    platform_.addManager("camille@sas.test", kPassword, {centre_, sos_});
    manager_.login("camille@sas.test", kPassword);
  }

  std::pair<std::int64_t, std::int64_t> addStructure(const std::string& name,
                                                     const std::string& type) {
    app::Structure s{0, name, type, "", "", "01 00 00 00 00", "75", {}};
    const auto sid = platform_.structures().createStructure(s);
    const auto pid =
        platform_.structures().createPlace({0, sid, "", "81 Rue Michel-Ange", "75016", "Paris",
                                            "75116", 48.8447, 2.263, "Europe/Paris", ""});
    return {sid, pid};
  }

  static std::string parameters(std::int64_t structure) {
    return "/structures/" + std::to_string(structure) + "/parametres";
  }
  static std::string agenda(std::int64_t place) {
    return "/lieux/" + std::to_string(place) + "/agenda";
  }

  void expectNoCentreWords(const std::string& page, const std::string& where) {
    for (const char* words : kCentreWords) EXPECT_FALSE(has(page, words)) << where << ": " << words;
  }

  TestPlatform platform_;
  Browser doctor_, manager_;
  std::int64_t centre_ = 0, centrePlace_ = 0, cabinet_ = 0, cabinetPlace_ = 0, msp_ = 0,
               mspPlace_ = 0, sos_ = 0, sosPlace_ = 0;
};

TEST_F(ParticipationWordingTest, AHealthCentreKeepsTheGuidesWords) {
  auto form = manager_.get(parameters(centre_));
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(has(form.body, "Je participe au SAS en tant que Centre de Santé</label>"));
  EXPECT_TRUE(has(
      form.body, "Nombre de professionnel de santé du Centre de santé participant au SAS</label>"));
  EXPECT_TRUE(has(form.body,
                  "J'accepte d'être directement contacté par la régulation afin que le Centre "
                  "soit sollicité pour prendre des patients en sus de ses disponibilités</label>"));
  EXPECT_TRUE(has(form.body,
                  "pour chaque médecin généraliste de mon centre de santé sur mon agenda de la "
                  "plateforme numérique SAS</label>"));
  EXPECT_TRUE(has(form.body, "id=\"nombre_professionnels\""));
  EXPECT_TRUE(has(manager_.get("/tableau-de-bord").body,
                  "Le centre ne participe pas au SAS : il n'est pas éligible à la rémunération "
                  "SAS."));
  EXPECT_TRUE(has(manager_.get(agenda(centrePlace_)).body,
                  "2 heures par semaine pour chaque médecin généraliste de votre centre sans avoir "
                  "coché"));
}

TEST_F(ParticipationWordingTest, ADoctorsCabinetSpeaksForHimAlone) {
  auto form = doctor_.get(parameters(cabinet_));
  ASSERT_EQ(form.status, 200) << form.location;
  EXPECT_TRUE(has(form.body, "for=\"participe\">Je participe au SAS</label>"));
  EXPECT_TRUE(has(form.body,
                  "J'accepte d'être directement contacté par la régulation afin d'être sollicité "
                  "pour prendre des patients en sus de mes disponibilités</label>"));
  EXPECT_TRUE(has(form.body,
                  "Je déclare sur l'honneur mettre en visibilité à minima 2 heures de "
                  "disponibilité par semaine sur mon agenda de la plateforme numérique "
                  "SAS</label>"));
  EXPECT_TRUE(has(form.body, "Pour participer au SAS, cochez les deux cases ci-dessous"));
  // No number to give: he is one.
  EXPECT_FALSE(has(form.body, "nombre_professionnels"));
  EXPECT_FALSE(has(form.body, "Nombre de professionnel"));
  expectNoCentreWords(form.body, "parameters");

  // His dashboard: the cabinet in his words, the MSP in its own; no centre anywhere.
  auto dash = doctor_.get("/tableau-de-bord");
  ASSERT_EQ(dash.status, 200);
  EXPECT_TRUE(has(dash.body,
                  "Vous ne participez pas au SAS : vous n'êtes pas éligible à la rémunération "
                  "SAS."));
  EXPECT_TRUE(has(dash.body,
                  "La maison de santé ne participe pas au SAS : elle n'est pas éligible à la "
                  "rémunération SAS."));
  expectNoCentreWords(dash.body, "dashboard");

  auto page = doctor_.get(agenda(cabinetPlace_));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body,
                  "Si vous renseignez directement sur l'agenda de la plateforme numérique 2 heures "
                  "par semaine sans avoir coché la section"));
  expectNoCentreWords(page.body, "agenda");
}

TEST_F(ParticipationWordingTest, AnMspAndSosMedecinsHaveTheirOwnWords) {
  auto msp = doctor_.get(parameters(msp_));
  ASSERT_EQ(msp.status, 200);
  EXPECT_TRUE(has(msp.body,
                  "Je participe au SAS en tant que Maison de Santé Pluriprofessionnelle</label>"));
  EXPECT_TRUE(has(msp.body,
                  "Nombre de professionnel de santé de la Maison de santé pluriprofessionnelle "
                  "participant au SAS</label>"));
  EXPECT_TRUE(has(msp.body, "afin que la Maison de santé soit sollicitée"));
  EXPECT_TRUE(has(msp.body, "médecin généraliste de ma maison de santé pluriprofessionnelle"));
  expectNoCentreWords(msp.body, "MSP parameters");
  auto mspAgenda = doctor_.get(agenda(mspPlace_));
  EXPECT_TRUE(has(mspAgenda.body, "médecin généraliste de votre maison de santé sans avoir coché"));
  expectNoCentreWords(mspAgenda.body, "MSP agenda");

  auto sos = manager_.get(parameters(sos_));
  ASSERT_EQ(sos.status, 200);
  EXPECT_TRUE(has(sos.body, "Je participe au SAS en tant qu'association SOS Médecins</label>"));
  EXPECT_TRUE(has(sos.body,
                  "Nombre de professionnel de santé de l'association SOS Médecins participant au "
                  "SAS</label>"));
  EXPECT_TRUE(has(sos.body, "afin que l'association soit sollicitée"));
  EXPECT_TRUE(has(sos.body, "médecin généraliste de mon association SOS Médecins"));
  expectNoCentreWords(sos.body, "SOS parameters");
  auto sosAgenda = manager_.get(agenda(sosPlace_));
  EXPECT_TRUE(has(sosAgenda.body, "médecin généraliste de votre association sans avoir coché"));
  expectNoCentreWords(sosAgenda.body, "SOS agenda");
  // The manager's dashboard: each structure in its words.
  auto dash = manager_.get("/tableau-de-bord");
  EXPECT_TRUE(has(dash.body, "Le centre ne participe pas au SAS"));
  EXPECT_TRUE(has(dash.body, "L'association ne participe pas au SAS"));
}

TEST_F(ParticipationWordingTest, ACabinetPledgesTwoHoursForItsDoctorAlone) {
  // A number sent by hand changes nothing: the cabinet is its doctor.
  doctor_.get(parameters(cabinet_));
  auto saved = doctor_.post(parameters(cabinet_), {{"participe", "1"},
                                                   {"nombre_professionnels", "4"},
                                                   {"accepte_contact", "1"},
                                                   {"declaration_honneur", "1"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  const auto p = platform_.structures().findStructure(cabinet_)->participation;
  EXPECT_TRUE(p.participates);
  EXPECT_EQ(p.professionals, 1);
  auto dash = doctor_.get("/tableau-de-bord");
  EXPECT_TRUE(has(dash.body, "Cabinet · participe au SAS</p>"));
  EXPECT_FALSE(has(dash.body, "participe au SAS (1 professionnel(s) de santé)"));
  // This week: 0 h visible of 2 h committed.
  EXPECT_TRUE(has(dash.body, "<td>0 h</td><td>2 h</td>"));
  EXPECT_TRUE(has(dash.body, "2 h manquantes cette semaine"));

  // A boundary on each side: 1 h 45 is 15 minutes short; 2 h is eligible.
  doctor_.get(agenda(cabinetPlace_));
  auto created = doctor_.post("/lieux/" + std::to_string(cabinetPlace_) + "/disponibilites",
                              {{"date", "2026-03-10"},
                               {"de", "10:00"},
                               {"a", "11:45"},
                               {"type_disponibilite", "creneau"},
                               {"cabinet", "1"}});
  ASSERT_EQ(created.status, 303) << created.body;
  dash = doctor_.get("/tableau-de-bord");
  EXPECT_TRUE(has(dash.body, "<td>1 h 45</td><td>2 h</td>"));
  EXPECT_TRUE(has(dash.body, "0 h 15 manquantes cette semaine"));
  doctor_.get(agenda(cabinetPlace_));
  created = doctor_.post("/lieux/" + std::to_string(cabinetPlace_) + "/disponibilites",
                         {{"date", "2026-03-11"},
                          {"de", "10:00"},
                          {"a", "10:15"},
                          {"type_disponibilite", "creneau"},
                          {"cabinet", "1"}});
  ASSERT_EQ(created.status, 303) << created.body;
  dash = doctor_.get("/tableau-de-bord");
  EXPECT_TRUE(has(dash.body,
                  "<td>2 h</td><td>2 h</td><td><span class=\"fr-badge fr-badge--success\">"
                  "Éligible</span>"));
  EXPECT_FALSE(has(dash.body, "0 h 15 manquantes"));

  // A centre of 3 with the same form keeps its number: 6 h.
  manager_.get(parameters(centre_));
  ASSERT_EQ(manager_
                .post(parameters(centre_), {{"participe", "1"},
                                            {"nombre_professionnels", "3"},
                                            {"accepte_contact", "1"},
                                            {"declaration_honneur", "1"}})
                .status,
            303);
  EXPECT_EQ(platform_.structures().findStructure(centre_)->participation.professionals, 3);
  EXPECT_TRUE(has(manager_.get("/tableau-de-bord").body, "<td>0 h</td><td>6 h</td>"));
}

TEST_F(ParticipationWordingTest, ACabinetsRefusalIsInTheDoctorsWords) {
  doctor_.get(parameters(cabinet_));
  auto refused = doctor_.post(parameters(cabinet_), {{"participe", "1"}, {"accepte_contact", "1"}});
  ASSERT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body,
                  "Pour participer au SAS, cochez la déclaration sur l'honneur de mettre en "
                  "visibilité au moins 2 heures de disponibilité par semaine."));
  // No number asked, so none refused.
  EXPECT_FALSE(has(refused.body, "Le nombre de professionnels de santé participant au SAS"));
  expectNoCentreWords(refused.body, "refused parameters");
  EXPECT_FALSE(platform_.structures().findStructure(cabinet_)->participation.participates);
}

// Migration 057: the places Pro Santé Connect made before, all « Cabinet », get their kind from
// their name, and a town that was PSC's post office loses its postal code.
TEST_F(ParticipationWordingTest, EarlierPracticePlacesAreRetyped) {
  auto [lilas, lilasPlace] = addStructure("MAISON DE SANTE DES LILAS", "Cabinet");
  auto [sos, sosPlace] = addStructure("SOS MEDECINS PARIS", "Cabinet");
  auto [cds, cdsPlace] = addStructure("Centre de santé municipal", "Cabinet");
  auto [dr, drPlace] = addStructure("CABINET DU DR LIEUX", "Cabinet");
  auto [generated, generatedPlace] =
      addStructure("Maison médicale du Parc", "Cabinet de médecine générale");
  auto& db = platform_.platform().database();
  {
    storage::Connection c(db);
    c.sql() << "UPDATE places SET town = '75016 PARIS' WHERE id = :i", soci::use(lilasPlace);
    c.sql() << "UPDATE places SET town = '75016 PARIS CEDEX 16' WHERE id = :i",
        soci::use(generatedPlace);
    c.sql() << "DELETE FROM schema_migrations WHERE version = '057_practice_place_types'";
  }
  EXPECT_EQ(db.migrate(std::filesystem::path(SAS_SOURCE_DIR) / "migrations"), 1);
  auto type = [&](std::int64_t id) { return platform_.structures().findStructure(id)->type; };
  EXPECT_EQ(type(lilas), "Maison de santé pluriprofessionnelle");
  EXPECT_EQ(type(sos), "SOS Médecins");
  EXPECT_EQ(type(cds), "Centre de santé");
  EXPECT_EQ(type(dr), "Cabinet");
  EXPECT_EQ(type(generated), "Cabinet de médecine générale");  // not an import's: left alone
  auto town = [&](std::int64_t structure) {
    return platform_.structures().placesOfStructure(structure).front().town;
  };
  EXPECT_EQ(town(lilas), "PARIS");
  EXPECT_EQ(town(generated), "75016 PARIS CEDEX 16");
  EXPECT_EQ(town(dr), "Paris");
  (void)sosPlace;
  (void)cdsPlace;
  (void)drPlace;
}

}  // namespace
}  // namespace sas::test
