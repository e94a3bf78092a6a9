// « Adresser un patient » over real HTTP and a real SMTP server (docs/rules.md#orientation): the
// three steps from a place's sheet without JavaScript, « Modifier » that keeps what was typed, a
// refused reference, the last place taken meanwhile (409), the place's managers told by email
// at each orientation and cancellation, beyond availabilities, and who may see which page.
#include <gtest/gtest.h>

#include "app/orientation_service.hpp"
#include "app/ports/accounts.hpp"
#include "app/search_service.hpp"
#include "storage/account_store.hpp"
#include "support/days.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using domain::AvailabilityKind;
using domain::Day;

const char* const kPassword = "Correct-Horse-42!";

using test::ymd;

bool has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

// The first href after `label` in `body`, its &amp; undone.
std::string hrefBefore(const std::string& body, const std::string& label) {
  const auto at = body.find(label);
  if (at == std::string::npos) return "";
  const auto href = body.rfind("href=\"", at);
  if (href == std::string::npos) return "";
  auto url = body.substr(href + 6, body.find('"', href + 6) - href - 6);
  for (std::size_t p; (p = url.find("&amp;")) != std::string::npos;) url.replace(p, 5, "&");
  return url;
}

// The hidden fields of the first form posting to `action`.
Form hiddenFields(const std::string& body, const std::string& action) {
  Form out;
  const auto form = body.find("action=\"" + action + "\"");
  if (form == std::string::npos) return out;
  const auto end = body.find("</form>", form);
  for (auto p = body.find("type=\"hidden\"", form); p < end;
       p = body.find("type=\"hidden\"", p + 1)) {
    const auto name = body.find("name=\"", p) + 6;
    const auto value = body.find("value=\"", p) + 7;
    out.emplace_back(body.substr(name, body.find('"', name) - name),
                     body.substr(value, body.find('"', value) - value));
  }
  return out;
}

// A quoted-printable text as read (the sink undoes only the soft line breaks).
std::string unquoted(const std::string& mail) {
  std::string out;
  for (std::size_t i = 0; i < mail.size(); ++i) {
    if (mail[i] == '=' && i + 2 < mail.size() &&
        std::isxdigit(static_cast<unsigned char>(mail[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(mail[i + 2]))) {
      out += static_cast<char>(std::stoi(mail.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += mail[i];
    }
  }
  return out;
}

Form with(Form form, const std::vector<std::pair<std::string, std::string>>& more) {
  for (const auto& [k, v] : more) {
    bool replaced = false;
    for (auto& field : form)
      if (field.first == k) field.second = v, replaced = true;
    if (!replaced) form.emplace_back(k, v);
  }
  return form;
}

// Wednesday 4 March 2026, 10:00 in Paris; a plage on Thursday 5, 14h00–16h00.
class OrientationPagesTest : public ::testing::Test {
 protected:
  OrientationPagesTest()
      : platform_(parisTime(2026, 3, 4, 10), [this](config::Config& c) {
          c.mailTransport = "smtp";
          c.smtpHost = "127.0.0.1";
          c.smtpPort = smtp_.port();
        }) {
    auto& accounts = platform_.platform().accountStore();
    const app::AuditEntry audit{std::nullopt, "test", "", "", ""};
    const auto idf = accounts.createTerritory({0, "ARS Île-de-France", {"75"}}, audit, now());
    const auto ara =
        accounts.createTerritory({0, "ARS Auvergne-Rhône-Alpes", {"69"}}, audit, now());
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    platform_.addUser("a@sas.test", kPassword, app::Role::Regulator, {}, idf);
    platform_.addUser("b@sas.test", kPassword, app::Role::Regulator, {}, idf);
    platform_.addUser("lyon@sas.test", kPassword, app::Role::Regulator, {}, ara);
    platform_.addManager("gestion@sas.test", kPassword, {structure_});
  }

  domain::Instant now() { return platform_.clock().now(); }

  void offer(AvailabilityKind kind, int capacity) {
    domain::Availability a;
    a.placeId = place_;
    domain::ConsultationTypes office;
    office.add(domain::ConsultationType::Office);
    a.base = {ymd(2026, 3, 5), 14 * 60, 16 * 60, kind, capacity, office};
    domain::AgendaChange change;
    change.created.push_back(a);
    platform_.agenda().applyChange(place_, change, {std::nullopt, "test", "", "", ""}, now());
    platform_.platform().search().placeChanged(place_);
  }

  std::string sheetPath() { return "/recherche/lieux/" + std::to_string(place_); }

  // Step 1 from the sheet's « Adresser un patient ».
  Page firstStep(Browser& b) {
    const auto sheet = b.get(sheetPath());
    EXPECT_EQ(sheet.status, 200);
    const auto link = hrefBefore(sheet.body, "Adresser un patient<span");
    EXPECT_EQ(link.rfind("/orientations/nouvelle?", 0), 0u) << link;
    return b.get(link);
  }

  // Steps 1 → 2 → 3 with this reference; the orientation's page.
  Page orient(Browser& b, const std::string& reference) {
    auto step1 = firstStep(b);
    auto step2 = b.post(
        "/orientations/confirmation",
        with(hiddenFields(step1.body, "/orientations/confirmation"), {{"reference", reference}}));
    EXPECT_EQ(step2.status, 200) << step2.body;
    auto done = b.post("/orientations", hiddenFields(step2.body, "/orientations"));
    EXPECT_EQ(done.status, 303) << done.body;
    return done;
  }

  SmtpSink smtp_;
  TestPlatform platform_;
  std::int64_t structure_ = 0, place_ = 0;
};

TEST_F(OrientationPagesTest, ThreeStepsFromTheSheetTellTheManagerByEmail) {
  offer(AvailabilityKind::Range, 2);
  Browser regulator(platform_.port());
  regulator.login("a@sas.test", kPassword);
  auto step1 = firstStep(regulator);
  ASSERT_EQ(step1.status, 200) << step1.body;
  EXPECT_TRUE(has(step1.body, "Enregistrement"));
  EXPECT_TRUE(has(step1.body, "Étape 1 sur 3"));
  EXPECT_TRUE(has(step1.body, "Nombre de patients adressés : <strong>0 / 2</strong>"));
  EXPECT_TRUE(has(step1.body, "Référence du dossier de régulation"));

  const auto fields = hiddenFields(step1.body, "/orientations/confirmation");
  auto step2 =
      regulator.post("/orientations/confirmation", with(fields, {{"reference", "DR-2026-0001"}}));
  ASSERT_EQ(step2.status, 200) << step2.body;
  EXPECT_TRUE(has(step2.body,
                  "Vous adressez un patient à Centre de santé Michel-Ange le jeudi "
                  "05/03/26 sur la plage 14h00 - 16h00"))
      << step2.body;
  EXPECT_TRUE(has(step2.body, "Modifier"));
  EXPECT_TRUE(has(step2.body, "Confirmer"));

  // « Modifier » brings step 1 back with the reference typed.
  auto again = regulator.post("/orientations/confirmation",
                              with(hiddenFields(step2.body, "/orientations"), {{"modifier", "1"}}));
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(has(again.body, "Étape 1 sur 3"));
  EXPECT_TRUE(has(again.body, "value=\"DR-2026-0001\""));
  EXPECT_TRUE(smtp_.messages().empty() && platform_.platform().deliverMail() == 0);

  auto done = regulator.post("/orientations", hiddenFields(step2.body, "/orientations"));
  ASSERT_EQ(done.status, 303) << done.body;
  ASSERT_EQ(done.location.rfind("/orientations/", 0), 0u);
  auto page = regulator.get(done.location);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Étape 3 sur 3"));
  EXPECT_TRUE(has(page.body,
                  "Vous avez adressé un patient le jeudi 05/03/26 à Centre de santé "
                  "Michel-Ange"));
  EXPECT_TRUE(has(page.body, "Plage de 14h00 à 16h00"));
  EXPECT_TRUE(has(page.body, "En attente"));
  EXPECT_TRUE(has(page.body, "Fermer"));

  // The sheet now counts it; the manager is told.
  EXPECT_TRUE(has(regulator.get(sheetPath()).body, "1 / 2"));
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  const auto mails = smtp_.messagesTo("gestion@sas.test");
  ASSERT_EQ(mails.size(), 1u);
  const auto mail = unquoted(mails[0]);
  for (const char* text : {"La régulation du SAS (ARS Île-de-France) vous adresse un patient",
                           "Centre de santé Michel-Ange", "Date : jeudi 5 mars 2026",
                           "Plage de 14h00 à 16h00", "Consultation en cabinet", "« Réservés »"})
    EXPECT_TRUE(has(mail, text)) << text << "\n" << mail;
  // (the sink undoes the "=3D" of the link)
  EXPECT_TRUE(has(
      mails[0], "http://sas.test/lieux/" + std::to_string(place_) + "/agenda?semaine=2026-03-05"));
  EXPECT_FALSE(has(mail, "DR-2026-0001"));  // the reference stays with the regulation
}

TEST_F(OrientationPagesTest, AReferenceOfThirtyOneCharactersIsRefusedKeepingWhatWasTyped) {
  offer(AvailabilityKind::Range, 2);
  Browser regulator(platform_.port());
  regulator.login("a@sas.test", kPassword);
  auto step1 = firstStep(regulator);
  const auto fields = hiddenFields(step1.body, "/orientations/confirmation");
  const std::string thirty(30, 'R'), thirtyOne(31, 'R');
  auto refused =
      regulator.post("/orientations/confirmation", with(fields, {{"reference", thirtyOne}}));
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body, "value=\"" + thirtyOne + "\""));
  EXPECT_TRUE(has(refused.body, "fr-error-text"));
  // Forged past step 2: still refused, and nothing is taken.
  auto forged = regulator.post("/orientations", with(fields, {{"reference", thirtyOne}}));
  EXPECT_EQ(forged.status, 422);
  EXPECT_TRUE(has(regulator.get(sheetPath()).body, "0 / 2"));
  auto accepted =
      regulator.post("/orientations/confirmation", with(fields, {{"reference", thirty}}));
  EXPECT_EQ(accepted.status, 200);
}

TEST_F(OrientationPagesTest, TheLastPlaceTakenMeanwhileAnswers409AndTheCreneauLeavesTheSheet) {
  offer(AvailabilityKind::Slot, 1);
  Browser a(platform_.port()), b(platform_.port());
  a.login("a@sas.test", kPassword);
  b.login("b@sas.test", kPassword);
  auto aStep1 = firstStep(a);
  auto bStep1 = firstStep(b);
  auto aStep2 =
      a.post("/orientations/confirmation", hiddenFields(aStep1.body, "/orientations/confirmation"));
  auto bStep2 =
      b.post("/orientations/confirmation", hiddenFields(bStep1.body, "/orientations/confirmation"));
  ASSERT_EQ(aStep2.status, 200);
  ASSERT_EQ(bStep2.status, 200);
  EXPECT_EQ(a.post("/orientations", hiddenFields(aStep2.body, "/orientations")).status, 303);
  auto lost = b.post("/orientations", hiddenFields(bStep2.body, "/orientations"));
  EXPECT_EQ(lost.status, 409);
  EXPECT_TRUE(has(lost.body, "Ce créneau vient d&apos;être pris : choisissez-en un autre."));
  EXPECT_TRUE(has(lost.body, "Retour aux résultats"));
  EXPECT_FALSE(has(b.get(sheetPath()).body, "Adresser un patient<span"));
  // A link to it from an older page answers the same.
  EXPECT_EQ(
      b.post("/orientations/confirmation", hiddenFields(bStep1.body, "/orientations/confirmation"))
          .status,
      409);
}

// A plage under way (14h00–16h00, at 15h10) is offered until 15h30 and its steps say until when
// the patient may come; one second past 15h30 its link answers 409.
TEST_F(OrientationPagesTest, AStartedPlageIsOrientedUntilItClosesAndItsStepsSayUntilWhen) {
  offer(AvailabilityKind::Range, 3);
  platform_.clock().set(parisTime(2026, 3, 5, 15, 10));
  Browser a(platform_.port());
  a.login("a@sas.test", kPassword);
  EXPECT_TRUE(has(a.get(sheetPath()).body, "en cours, jusqu&apos;à 16h00"));
  auto step1 = firstStep(a);
  ASSERT_EQ(step1.status, 200);
  EXPECT_TRUE(has(step1.body, "de 14h00 à 16h00 · <strong>en cours, jusqu&apos;à 16h00</strong>"));
  auto step2 =
      a.post("/orientations/confirmation", hiddenFields(step1.body, "/orientations/confirmation"));
  ASSERT_EQ(step2.status, 200);
  EXPECT_TRUE(has(step2.body, "sur la plage 14h00 - 16h00"));
  EXPECT_TRUE(
      has(step2.body,
          "La plage est en cours : le patient peut s&apos;y présenter jusqu&apos;à 16h00."));
  platform_.clock().set(parisTime(2026, 3, 5, 15, 30));
  EXPECT_EQ(a.post("/orientations", hiddenFields(step2.body, "/orientations")).status, 303);
  platform_.clock().advance(std::chrono::seconds{1});
  auto late =
      a.post("/orientations/confirmation", hiddenFields(step1.body, "/orientations/confirmation"));
  EXPECT_EQ(late.status, 409);
  EXPECT_TRUE(has(late.body, "Ce créneau vient d&apos;être pris : choisissez-en un autre."));
  EXPECT_FALSE(has(a.get(sheetPath()).body, "Adresser un patient<span"));
}

TEST_F(OrientationPagesTest, CancellingFreesThePlaceAndTellsTheManager) {
  offer(AvailabilityKind::Range, 2);
  Browser regulator(platform_.port()), colleague(platform_.port()), lyon(platform_.port());
  regulator.login("a@sas.test", kPassword);
  auto done = orient(regulator, "");
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  const auto id =
      done.location.substr(std::string("/orientations/").size(), done.location.find('?') - 14);
  const auto page = regulator.get(done.location);
  EXPECT_TRUE(has(page.body, "Annuler l'orientation"));

  // Another territory's regulator neither sees nor cancels it.
  lyon.login("lyon@sas.test", kPassword);
  lyon.get("/recherche");
  EXPECT_EQ(lyon.get("/orientations/" + id).status, 404);
  EXPECT_EQ(lyon.post("/orientations/" + id + "/annulation", {}).status, 404);

  // A regulator of the same territory may.
  colleague.login("b@sas.test", kPassword);
  colleague.get("/orientations/" + id);
  auto cancelled = colleague.post("/orientations/" + id + "/annulation", {});
  ASSERT_EQ(cancelled.status, 303) << cancelled.body;
  auto after = colleague.get(cancelled.location);
  EXPECT_TRUE(has(after.body, "L&apos;orientation a été annulée."));
  EXPECT_TRUE(has(after.body, "Annulée"));
  EXPECT_FALSE(has(after.body, "Annuler l'orientation"));
  EXPECT_TRUE(has(regulator.get(sheetPath()).body, "0 / 2"));
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  const auto mails = smtp_.messagesTo("gestion@sas.test");
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_TRUE(has(unquoted(mails[1]), "annulée")) << unquoted(mails[1]);

  // Twice: the page says it can no longer be cancelled.
  auto twice = colleague.post("/orientations/" + id + "/annulation", {});
  EXPECT_EQ(twice.status, 409);
}

TEST_F(OrientationPagesTest, BeyondAvailabilitiesTakesADateAndATimeNotInThePast) {
  Browser regulator(platform_.port());
  regulator.login("a@sas.test", kPassword);
  const auto beyondPath = "/lieux/" + std::to_string(place_) + "/orientation-hors-creneaux";
  EXPECT_FALSE(has(regulator.get(sheetPath()).body, "Adresser un patient hors créneaux"));
  EXPECT_EQ(regulator.get(beyondPath).status, 404);  // the place does not accept it

  auto s = *platform_.structures().findStructure(structure_);
  s.participation.participates = true;
  s.participation.acceptsContact = true;
  platform_.structures().saveParticipation(structure_, s.participation,
                                           {std::nullopt, "test", "", "", ""}, now());
  platform_.platform().search().placeChanged(place_);
  const auto link =
      hrefBefore(regulator.get(sheetPath()).body, "Adresser un patient hors créneaux");
  ASSERT_EQ(link.rfind(beyondPath, 0), 0u) << link;
  auto step1 = regulator.get(link);
  ASSERT_EQ(step1.status, 200);
  EXPECT_TRUE(has(step1.body, "Adresser un patient hors créneaux"));
  const auto fields = hiddenFields(step1.body, "/orientations/hors-creneaux/confirmation");

  auto past = regulator.post("/orientations/hors-creneaux/confirmation",
                             with(fields, {{"date", "2026-03-04"}, {"heure", "09:45"}}));
  EXPECT_EQ(past.status, 422);
  EXPECT_TRUE(
      has(past.body, "Il n&apos;est pas possible de saisir une date ou une heure dans le passé."));
  EXPECT_TRUE(has(past.body, "value=\"09:45\""));
  auto offQuarter = regulator.post("/orientations/hors-creneaux/confirmation",
                                   with(fields, {{"date", "2026-03-04"}, {"heure", "10:10"}}));
  EXPECT_EQ(offQuarter.status, 422);

  auto step2 = regulator.post("/orientations/hors-creneaux/confirmation",
                              with(fields, {{"date", "2026-03-04"}, {"heure", "10:00"}}));
  ASSERT_EQ(step2.status, 200) << step2.body;
  EXPECT_TRUE(has(step2.body,
                  "Vous adressez un patient à Centre de santé Michel-Ange le "
                  "mercredi 04/03/26 à 10h00"));
  auto done = regulator.post("/orientations/hors-creneaux",
                             hiddenFields(step2.body, "/orientations/hors-creneaux"));
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_TRUE(has(regulator.get(done.location).body, "Hors créneaux, à 10h00"));
}

TEST_F(OrientationPagesTest, MesOrientationsListsTheTerritorysLastSevenDays) {
  offer(AvailabilityKind::Range, 2);
  Browser a(platform_.port()), b(platform_.port()), lyon(platform_.port()),
      manager(platform_.port());
  a.login("a@sas.test", kPassword);
  EXPECT_TRUE(has(a.get("/orientations").body, "Aucun patient n'a été adressé"));
  EXPECT_TRUE(has(a.get("/recherche").body, "href=\"/orientations\">Mes orientations"));
  const auto done = orient(a, "DR-2026-0042");
  const auto id = done.location.substr(0, done.location.find('?'));

  auto mine = a.get("/orientations");
  ASSERT_EQ(mine.status, 200);
  EXPECT_TRUE(has(mine.body, "Orientations des 7 derniers jours (1)"));
  EXPECT_TRUE(has(mine.body, "04/03/2026 10h00"));
  EXPECT_TRUE(has(mine.body, "jeudi 05/03/26<br>Plage de 14h00 à 16h00"));
  EXPECT_TRUE(has(mine.body, "<td>Vous</td>"));
  EXPECT_TRUE(has(mine.body, "DR-2026-0042"));
  EXPECT_TRUE(has(mine.body, "Voir ou annuler"));
  // Its page leads back to the list.
  const auto link = hrefBefore(mine.body, "Voir ou annuler");
  EXPECT_EQ(link, id + "?retour=%2Forientations");
  EXPECT_TRUE(has(a.get(link).body, "href=\"/orientations\">Fermer"));

  b.login("b@sas.test", kPassword);
  EXPECT_TRUE(has(b.get("/orientations").body, "Un régulateur de votre territoire"));
  lyon.login("lyon@sas.test", kPassword);
  auto far = lyon.get("/orientations");
  EXPECT_FALSE(has(far.body, "DR-2026-0042"));
  EXPECT_TRUE(has(far.body, "Aucun patient"));
  manager.login("gestion@sas.test", kPassword);
  EXPECT_EQ(manager.get("/orientations").status, 403);

  // Seven days after it was made it is still listed (no longer cancellable); a second later not.
  platform_.clock().advance(std::chrono::hours{7 * 24});
  a.login("a@sas.test", kPassword);  // the session has ended meanwhile
  auto week = a.get("/orientations");
  ASSERT_EQ(week.status, 200);
  EXPECT_TRUE(has(week.body, "DR-2026-0042"));
  EXPECT_FALSE(has(week.body, "Voir ou annuler"));
  platform_.clock().advance(std::chrono::seconds{1});
  auto later = a.get("/orientations");
  ASSERT_EQ(later.status, 200);
  EXPECT_FALSE(has(later.body, "DR-2026-0042"));
  EXPECT_TRUE(has(later.body, "Aucun patient"));
}

TEST_F(OrientationPagesTest, ManagersDoNotOrientAndLinksThatNameNothingAre404) {
  offer(AvailabilityKind::Range, 2);
  Browser regulator(platform_.port()), manager(platform_.port());
  regulator.login("a@sas.test", kPassword);
  const auto link = hrefBefore(regulator.get(sheetPath()).body, "Adresser un patient<span");
  manager.login("gestion@sas.test", kPassword);
  EXPECT_EQ(manager.get(link).status, 403);
  auto step1 = regulator.get(link);
  manager.get("/tableau-de-bord");
  Form forged;
  for (const auto& field : hiddenFields(step1.body, "/orientations/confirmation"))
    if (field.first != "csrf") forged.push_back(field);  // the manager's own token is sent
  EXPECT_EQ(manager.post("/orientations/confirmation", forged).status, 403);
  EXPECT_EQ(manager.post("/orientations", forged).status, 403);
  EXPECT_EQ(regulator.get("/orientations/nouvelle").status, 404);
  EXPECT_EQ(regulator.get("/orientations/nouvelle?lieu=x&debut=1&fin=2&type=plage").status, 404);
  EXPECT_EQ(regulator.get("/orientations/999999").status, 404);
  // A way back that leaves the site is not followed.
  auto outside = regulator.get(link + "&retour=https://ailleurs.example/");
  EXPECT_FALSE(has(outside.body, "ailleurs.example"));
}

}  // namespace
}  // namespace sas::test
