// Every role against the routes over real HTTP (issue 18, SPEC §1 and §12): a délégataire acts
// on the places of those who delegated to him, on their behalf, and on nothing else; the IOA
// orients and changes no agenda; the référent territorial reads his territory and changes no
// account. Each refused cell answers 403 or 404 and leaves the database as it was.
#include <gtest/gtest.h>

#include <soci/soci.h>

#include <sstream>

#include "app/ports/security.hpp"
#include "storage/account_store.hpp"
#include "storage/database.hpp"
#include "storage/support_store.hpp"
#include "support/assistance_form.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

struct AuditLine {
  long long user = 0;
  std::optional<long long> onBehalfOf;
  std::string object;
};

// Wednesday 4 March 2026, 10:00 in Paris.
class RolesTest : public ::testing::Test {
 protected:
  RolesTest() : platform_(parisTime(2026, 3, 4, 10)) {
    territory_ = platform_.addTerritory("ARS Île-de-France", {"75", "92"});
    otherTerritory_ = platform_.addTerritory("ARS Auvergne-Rhône-Alpes", {"69"});
    std::tie(centre_, centrePlace_) = platform_.addCentre("Centre de santé Michel-Ange");
    std::tie(cabinet_, cabinetPlace_) = platform_.addCentre("Cabinet du Dr Béranger");
    std::tie(other_, otherPlace_) = platform_.addCentre("Centre de santé Marcadet");
    lyon_ = platform_.structures().createStructure(
        {0, "Centre de santé Lyon", "Centre de santé", "", "", "", "69", {}});
    camille_ = addUser("camille@sas.test", "Camille", "Martin", app::Role::StructureManager,
                       {centre_}, territory_);
    // A health professional from Pro Santé Connect: no territory, his place's département.
    noel_ = addUser("noel@sas.test", "Noël", "Béranger", app::Role::Practitioner, {cabinet_},
                    std::nullopt);
    karim_ = addUser("karim@sas.test", "Karim", "Benali", app::Role::StructureManager, {other_},
                     territory_);
    lyonManager_ = addUser("lea@sas.test", "Léa", "Girard", app::Role::StructureManager, {lyon_},
                           otherTerritory_);
    platform_.addUser("ars75@sas.test", kPassword, app::Role::AccountManager, {}, territory_);
    platform_.addUser("ars69@sas.test", kPassword, app::Role::AccountManager, {}, otherTerritory_);
  }

  domain::Instant now() { return platform_.clock().now(); }

  std::int64_t addUser(const std::string& email, const std::string& first, const std::string& last,
                       app::Role role, const std::vector<std::int64_t>& structures,
                       std::optional<std::int64_t> territory) {
    app::User u{0,     email,    first, last, role, platform_.platform().hasher().hash(kPassword),
                false, territory};
    u.termsAccepted = true;  // accounts in use (new ones accept the CGU at their first login)
    return platform_.users().create(u, structures, now());
  }

  /// The account manager of Île-de-France creates an account through his pages.
  Page createAccount(const Form& form) {
    Browser ars(platform_.port());
    ars.login("ars75@sas.test", kPassword);
    ars.get("/comptes/nouveau");
    return ars.post("/comptes", form);
  }

  /// A délégataire for Camille and Noël, created by the account manager, with a password.
  std::int64_t createDelegate() {
    auto r = createAccount({{"email", "secretariat@sas.test"},
                            {"prenom", "Sophie"},
                            {"nom", "Lambert"},
                            {"role", "delegataire"},
                            {"mandants", std::to_string(camille_)},
                            {"mandants", std::to_string(noel_)}});
    EXPECT_EQ(r.status, 303) << r.body;
    auto user = platform_.users().findByEmail("secretariat@sas.test");
    if (!user) {
      ADD_FAILURE() << "no délégataire";
      return 0;
    }
    platform_.users().setPassword(user->id, platform_.platform().hasher().hash(kPassword), now());
    // As at her first login (the CGU's own tests are in account_management_test).
    platform_.platform().accountStore().acceptTerms(
        user->id, {user->id, "terms.accepted", "user:" + std::to_string(user->id), "", ""}, now());
    return user->id;
  }

  std::string place(std::int64_t id) { return "/lieux/" + std::to_string(id); }

  Page addAvailability(Browser& b, std::int64_t placeId, const std::string& from,
                       const std::string& to) {
    b.get(place(placeId) + "/agenda");
    return b.post(place(placeId) + "/disponibilites", {{"date", "2026-03-05"},
                                                       {"de", from},
                                                       {"a", to},
                                                       {"type_disponibilite", "creneau"},
                                                       {"cabinet", "1"}});
  }

  std::vector<AuditLine> audit(const std::string& action) {
    storage::Connection c(platform_.platform().database());
    std::vector<AuditLine> out;
    long long user = 0, behalf = 0;
    std::string object;
    soci::indicator userInd, behalfInd;
    soci::statement st = (c.sql().prepare << "SELECT user_id, on_behalf_of, object FROM "
                                             "audit_log WHERE action = :a ORDER BY id",
                          soci::use(action), soci::into(user, userInd),
                          soci::into(behalf, behalfInd), soci::into(object));
    st.execute();
    while (st.fetch())
      out.push_back({userInd == soci::i_ok ? user : 0,
                     behalfInd == soci::i_ok ? std::optional<long long>(behalf) : std::nullopt,
                     object});
    return out;
  }

  /// What the refused requests must leave as it was: accounts, links, delegations, agendas,
  /// notes, unavailability, participation, links sent, territories.
  std::string snapshot() {
    storage::Connection c(platform_.platform().database());
    auto& sql = c.sql();
    std::ostringstream out;
    auto rows = [&](const std::string& query) {
      soci::rowset<soci::row> rs = sql.prepare << query;
      for (const auto& row : rs) {
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (row.get_indicator(i) == soci::i_null) {
            out << "null";
          } else {
            switch (row.get_properties(i).get_data_type()) {
              case soci::dt_string:
                out << row.get<std::string>(i);
                break;
              case soci::dt_integer:
                out << row.get<int>(i);
                break;
              case soci::dt_long_long:
                out << row.get<long long>(i);
                break;
              case soci::dt_unsigned_long_long:
                out << row.get<unsigned long long>(i);
                break;
              default:
                out << "?";
            }
          }
          out << '|';
        }
        out << '\n';
      }
      out << "--\n";
    };
    rows(
        "SELECT id, email, first_name, last_name, role, disabled, territory_id FROM users "
        "ORDER BY id");
    rows("SELECT user_id, structure_id FROM user_structures ORDER BY user_id, structure_id");
    rows("SELECT delegate_id, principal_id FROM delegations ORDER BY delegate_id, principal_id");
    rows(
        "SELECT id, place_id, first_date, start_minute, end_minute FROM availabilities "
        "ORDER BY id");
    rows("SELECT COUNT(*) FROM availability_exceptions");
    rows("SELECT COUNT(*) FROM user_tokens");
    rows("SELECT COUNT(*) FROM territories");
    rows("SELECT COUNT(*) FROM outbox");
    out << platform_.agenda().unavailabilityAndNote(otherPlace_).second << '\n';
    out << platform_.agenda().unavailability(otherPlace_).indefinite << '\n';
    for (auto s : {centre_, cabinet_, other_}) {
      const auto p = platform_.structures().findStructure(s)->participation;
      out << p.participates << p.professionals << p.acceptsContact << p.honourDeclared << '\n';
    }
    return out.str();
  }

  TestPlatform platform_;
  std::int64_t territory_ = 0, otherTerritory_ = 0;
  std::int64_t centre_ = 0, centrePlace_ = 0, cabinet_ = 0, cabinetPlace_ = 0, other_ = 0,
               otherPlace_ = 0, lyon_ = 0;
  std::int64_t camille_ = 0, noel_ = 0, karim_ = 0, lyonManager_ = 0;
};

TEST_F(RolesTest, AnAccountManagerLinksADelegateToProfessionalsAndManagersOfHisTerritoryOnly) {
  Browser ars(platform_.port());
  ars.login("ars75@sas.test", kPassword);
  const auto form = ars.get("/comptes/nouveau");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<option value=\"delegataire\">Délégataire</option>"),
            std::string::npos);
  EXPECT_NE(form.body.find("<option value=\"referent_territorial\">Référent territorial</option>"),
            std::string::npos);
  EXPECT_NE(form.body.find("<option value=\"ioa\">"), std::string::npos);
  EXPECT_NE(form.body.find("Camille Martin (camille@sas.test)"), std::string::npos);
  EXPECT_NE(form.body.find("Noël Béranger (noel@sas.test)"), std::string::npos);
  EXPECT_EQ(form.body.find("lea@sas.test"), std::string::npos);  // another territory's
  const auto before = snapshot();

  // Someone of another territory is not found; none at all is refused with the form again.
  Form outside{{"email", "secretariat@sas.test"},
               {"prenom", "Sophie"},
               {"nom", "Lambert"},
               {"role", "delegataire"},
               {"mandants", std::to_string(lyonManager_)}};
  EXPECT_EQ(ars.post("/comptes", outside).status, 404);
  ars.get("/comptes/nouveau");
  auto none = ars.post("/comptes", {{"email", "secretariat@sas.test"},
                                    {"prenom", "Sophie"},
                                    {"nom", "Lambert"},
                                    {"role", "delegataire"}});
  EXPECT_EQ(none.status, 422);
  EXPECT_NE(none.body.find("Liez au moins un professionnel de santé ou un gestionnaire"),
            std::string::npos);
  EXPECT_NE(none.body.find("id=\"mandants-erreur\""), std::string::npos);
  // A structure manager or a regulator is not linked to anyone.
  ars.get("/comptes/nouveau");
  EXPECT_EQ(ars.post("/comptes", {{"email", "x@sas.test"},
                                  {"prenom", "X"},
                                  {"nom", "Y"},
                                  {"role", "delegataire"},
                                  {"mandants", "ars75@sas.test"}})
                .status,
            404);
  EXPECT_EQ(snapshot(), before);

  // An administrator's form lists every territory's people: one of another territory than the
  // one chosen is told to him with the form again, not hidden, and nothing is written.
  platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {}, std::nullopt);
  const auto withAdmin = snapshot();
  Browser admin(platform_.port());
  ASSERT_EQ(admin.login("admin@sas.test", kPassword).status, 303);
  admin.get("/comptes/nouveau");
  const auto mixed = admin.post("/comptes", {{"email", "secretariat@sas.test"},
                                             {"prenom", "Sophie"},
                                             {"nom", "Lambert"},
                                             {"role", "delegataire"},
                                             {"territoire", std::to_string(territory_)},
                                             {"mandants", std::to_string(camille_)},
                                             {"mandants", std::to_string(lyonManager_)}});
  EXPECT_EQ(mixed.status, 422);
  EXPECT_NE(mixed.body.find("doivent être du territoire du délégataire"), std::string::npos);
  EXPECT_NE(mixed.body.find("value=\"secretariat@sas.test\""), std::string::npos);
  EXPECT_EQ(snapshot(), withAdmin);

  const auto delegate = createDelegate();
  const auto user = platform_.users().findById(delegate);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->role, app::Role::Delegate);
  EXPECT_EQ(user->territoryId, territory_);
  const auto set = audit("delegation.set");
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0].object, "user:" + std::to_string(delegate));

  // His sheet shows whom he acts for; unticking one of them ends that delegation.
  auto edit = ars.get("/comptes/" + std::to_string(delegate));
  ASSERT_EQ(edit.status, 200);
  EXPECT_NE(
      edit.body.find("id=\"mandant-" + std::to_string(camille_) + "\" name=\"mandants\" value=\"" +
                     std::to_string(camille_) + "\" checked"),
      std::string::npos);
  auto saved =
      ars.post("/comptes/" + std::to_string(delegate), {{"email", "secretariat@sas.test"},
                                                        {"prenom", "Sophie"},
                                                        {"nom", "Lambert"},
                                                        {"role", "delegataire"},
                                                        {"mandants", std::to_string(noel_)}});
  EXPECT_EQ(saved.status, 303) << saved.body;
  Browser sophie(platform_.port());
  sophie.login("secretariat@sas.test", kPassword);
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 404);
  EXPECT_EQ(sophie.get(place(cabinetPlace_) + "/agenda").status, 200);
  // Another role: his delegations end with it.
  ars.get("/comptes/" + std::to_string(delegate));
  EXPECT_EQ(ars.post("/comptes/" + std::to_string(delegate), {{"email", "secretariat@sas.test"},
                                                              {"prenom", "Sophie"},
                                                              {"nom", "Lambert"},
                                                              {"role", "regulateur"}})
                .status,
            303);
  sophie.login("secretariat@sas.test", kPassword);
  EXPECT_EQ(sophie.get(place(cabinetPlace_) + "/agenda").status, 403);  // a regulator's answer
}

// SPEC §12: his principals are of his territory. Moved to another one, he keeps only those
// ticked there: no link to his former territory's people survives out of sight of the form.
TEST_F(RolesTest, ADelegateMovedToAnotherTerritoryKeepsNoPrincipalOfTheFormerOne) {
  const auto delegate = createDelegate();
  platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {}, std::nullopt);
  Browser admin(platform_.port());
  admin.login("admin@sas.test", kPassword);
  admin.get("/comptes/" + std::to_string(delegate));
  auto moved = admin.post("/comptes/" + std::to_string(delegate),
                          {{"email", "secretariat@sas.test"},
                           {"prenom", "Sophie"},
                           {"nom", "Lambert"},
                           {"role", "delegataire"},
                           {"territoire", std::to_string(otherTerritory_)},
                           {"mandants", std::to_string(lyonManager_)}});
  EXPECT_EQ(moved.status, 303) << moved.body;
  Browser sophie(platform_.port());
  sophie.login("secretariat@sas.test", kPassword);
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 404);
  EXPECT_EQ(sophie.get(place(cabinetPlace_) + "/agenda").status, 404);

  // Ticking a principal of the former territory now is told to the administrator (his form
  // lists every territory's), and nothing changes.
  admin.get("/comptes/" + std::to_string(delegate));
  const auto before = snapshot();
  EXPECT_EQ(admin
                .post("/comptes/" + std::to_string(delegate),
                      {{"email", "secretariat@sas.test"},
                       {"prenom", "Sophie"},
                       {"nom", "Lambert"},
                       {"role", "delegataire"},
                       {"territoire", std::to_string(otherTerritory_)},
                       {"mandants", std::to_string(lyonManager_)},
                       {"mandants", std::to_string(camille_)}})
                .status,
            422);
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 404);
}

TEST_F(RolesTest, TheDelegateManagesHisPrincipalsPlacesOnTheirBehalfAndNothingElse) {
  const auto delegate = createDelegate();
  Browser sophie(platform_.port());
  ASSERT_EQ(sophie.login("secretariat@sas.test", kPassword).status, 303);
  const auto dash = sophie.get("/tableau-de-bord");
  ASSERT_EQ(dash.status, 200);
  const auto pros = dash.body.find("Vos professionnels de santé liés");
  const auto managers = dash.body.find("Vos gestionnaires de structures liés");
  ASSERT_NE(pros, std::string::npos);
  ASSERT_NE(managers, std::string::npos);
  const auto noel = dash.body.find("Noël Béranger (noel@sas.test)");
  const auto camille = dash.body.find("Camille Martin (camille@sas.test)");
  EXPECT_TRUE(pros < noel && noel < managers) << dash.body;
  EXPECT_GT(camille, managers);
  EXPECT_NE(dash.body.find("href=\"/lieux/" + std::to_string(centrePlace_) + "/agenda\""),
            std::string::npos);
  EXPECT_EQ(dash.body.find("Marcadet"), std::string::npos);
  EXPECT_EQ(dash.body.find("/parametres"), std::string::npos);

  // The agenda, unavailability and extra information, as Camille and Noël would.
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 200);
  EXPECT_EQ(addAvailability(sophie, centrePlace_, "14:00", "15:00").status, 303);
  EXPECT_EQ(addAvailability(sophie, cabinetPlace_, "09:00", "10:00").status, 303);
  EXPECT_EQ(platform_.agenda().availabilitiesOfPlace(centrePlace_, domain::Day{}).size(), 1u);
  sophie.get(place(centrePlace_) + "/informations-complementaires");
  EXPECT_EQ(sophie
                .post(place(centrePlace_) + "/informations-complementaires",
                      {{"informations", "Sonner deux fois"}})
                .status,
            303);
  EXPECT_EQ(platform_.agenda().unavailabilityAndNote(centrePlace_).second, "Sonner deux fois");
  sophie.get(place(cabinetPlace_) + "/indisponibilite");
  EXPECT_EQ(sophie
                .post(place(cabinetPlace_) + "/indisponibilite",
                      {{"indetermine", "1"}, {"action", "enregistrer"}})
                .status,
            303);
  EXPECT_TRUE(platform_.agenda().unavailability(cabinetPlace_).indefinite);

  // Recorded as his, on behalf of whom.
  const auto created = audit("availability.create");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].user, delegate);
  EXPECT_EQ(created[0].onBehalfOf, camille_);
  EXPECT_EQ(created[0].object, "place:" + std::to_string(centrePlace_));
  EXPECT_EQ(created[1].onBehalfOf, noel_);
  ASSERT_EQ(audit("note.save").size(), 1u);
  EXPECT_EQ(audit("note.save")[0].onBehalfOf, camille_);
  ASSERT_EQ(audit("unavailability.save").size(), 1u);
  EXPECT_EQ(audit("unavailability.save")[0].onBehalfOf, noel_);
  // Camille's own change is hers alone.
  Browser owner(platform_.port());
  owner.login("camille@sas.test", kPassword);
  EXPECT_EQ(addAvailability(owner, centrePlace_, "16:00", "17:00").status, 303);
  const auto mine = audit("availability.create");
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(mine[2].user, camille_);
  EXPECT_EQ(mine[2].onBehalfOf, std::nullopt);
  // The owner sees what his délégataire added.
  const auto week = owner.get(place(centrePlace_) + "/agenda?semaine=2026-03-02");
  EXPECT_EQ(count(week.body, "agenda-occ__time\">14h00 - 15h00<"), 1u);
  // The journal says so: Sophie's line, for Camille; Camille's own line for nobody else.
  Browser ars(platform_.port());
  ASSERT_EQ(ars.login("ars75@sas.test", kPassword).status, 303);
  const auto journal = ars.get("/journal?objet_type=lieu&objet=" + std::to_string(centrePlace_));
  ASSERT_EQ(journal.status, 200);
  EXPECT_NE(journal.body.find("<th scope=\"col\">Pour le compte de</th>"), std::string::npos);
  EXPECT_EQ(count(journal.body,
                  "<td>Camille Martin<br><span class=\"fr-text--xs\">"
                  "camille@sas.test</span></td>"),
            3u)  // her own availability's « Personne », Sophie's two « Pour le compte de »
      << journal.body;
  const auto sophiesLine =
      ars.get("/journal?personne=secretariat%40sas.test&objet_type=lieu&objet=" +
              std::to_string(centrePlace_));
  ASSERT_EQ(sophiesLine.status, 200);
  EXPECT_EQ(count(sophiesLine.body, "<td>Camille Martin<br>"), 2u);  // the availability, the note
  EXPECT_EQ(count(sophiesLine.body, "<td></td><td>"), 0u);           // each on someone's behalf
  // Her links to those she acts for, named in words.
  const auto links = ars.get("/journal?objet_type=compte&objet=" + std::to_string(delegate));
  EXPECT_NE(links.body.find("<td>Délégataire lié à ses mandants</td>"), std::string::npos);
}

TEST_F(RolesTest, EndingADelegationRemovesTheAccessAtOnce) {
  const auto delegate = createDelegate();
  const auto id = std::to_string(delegate);
  Browser sophie(platform_.port()), owner(platform_.port()), karim(platform_.port());
  sophie.login("secretariat@sas.test", kPassword);
  owner.login("camille@sas.test", kPassword);
  karim.login("karim@sas.test", kPassword);
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 200);

  const auto list = owner.get("/compte/delegataires");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Sophie Lambert (secretariat@sas.test)"), std::string::npos);
  EXPECT_NE(list.body.find("href=\"/compte/delegataires/" + id + "/fin\""), std::string::npos);
  EXPECT_NE(owner.get("/compte").body.find("href=\"/compte/delegataires\""), std::string::npos);
  const auto confirm = owner.get("/compte/delegataires/" + id + "/fin");
  ASSERT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("Confirmer la fin de la délégation"), std::string::npos);
  // Without the CSRF token nothing ends; nor for someone the délégataire does not act for.
  EXPECT_EQ(owner.postRaw("/compte/delegataires/" + id + "/fin", {}).status, 400);
  karim.get("/compte/delegataires");
  EXPECT_EQ(karim.post("/compte/delegataires/" + id + "/fin", {}).status, 404);
  EXPECT_EQ(karim.get("/compte/delegataires/" + id + "/fin").status, 404);
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 200);
  // The délégataire has no délégataires.
  EXPECT_EQ(sophie.get("/compte/delegataires").status, 403);

  auto ended = owner.post("/compte/delegataires/" + id + "/fin", {});
  EXPECT_EQ(ended.status, 303);
  EXPECT_EQ(ended.location, "/compte/delegataires?message=fin");
  EXPECT_NE(owner.get("/compte/delegataires").body.find("Aucun délégataire n'agit pour vous"),
            std::string::npos);
  // Her session is the same one; her next request is refused.
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 404);
  const auto before = snapshot();
  EXPECT_EQ(sophie
                .post(place(centrePlace_) + "/disponibilites", {{"date", "2026-03-05"},
                                                                {"de", "14:00"},
                                                                {"a", "15:00"},
                                                                {"type_disponibilite", "creneau"},
                                                                {"cabinet", "1"}})
                .status,
            404);
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(sophie.get("/tableau-de-bord").body.find("Camille Martin"), std::string::npos);
  // Noël's delegation stays.
  EXPECT_EQ(sophie.get(place(cabinetPlace_) + "/agenda").status, 200);
  const auto end = audit("delegation.end");
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].user, camille_);
  EXPECT_EQ(end[0].object, "user:" + id);
  // Ending it twice: there is nothing left to end.
  owner.get("/compte/delegataires");
  EXPECT_EQ(owner.post("/compte/delegataires/" + id + "/fin", {}).status, 404);
}

TEST_F(RolesTest, ADisabledPrincipalLendsNothing) {
  createDelegate();
  Browser sophie(platform_.port()), ars(platform_.port());
  sophie.login("secretariat@sas.test", kPassword);
  ars.login("ars75@sas.test", kPassword);
  ars.get("/comptes/" + std::to_string(camille_));
  ASSERT_EQ(
      ars.post("/comptes/" + std::to_string(camille_), {{"email", "camille@sas.test"},
                                                        {"prenom", "Camille"},
                                                        {"nom", "Martin"},
                                                        {"role", "gestionnaire_structure"},
                                                        {"structures", std::to_string(centre_)},
                                                        {"desactive", "1"}})
          .status,
      303);
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 404);
  EXPECT_EQ(sophie.get("/tableau-de-bord").body.find("camille@sas.test"), std::string::npos);
}

TEST_F(RolesTest, APrincipalMovedToAnotherTerritoryLendsNothing) {
  const auto delegate = createDelegate();
  ASSERT_EQ(platform_.users().delegatedStructures(delegate).size(), 2u);  // Camille's, Noël's
  // Camille now manages a centre in Lyon, of the other territory; the link stays, lends nothing.
  auto camille = *platform_.users().findById(camille_);
  camille.territoryId = otherTerritory_;
  platform_.platform().accountStore().updateAccount(camille, {lyon_}, std::nullopt, std::nullopt,
                                                    std::nullopt,
                                                    {std::nullopt, "test", "", "", ""}, now());
  const auto lent = platform_.users().delegatedStructures(delegate);
  ASSERT_EQ(lent.size(), 1u);
  EXPECT_EQ(lent[0].structureId, cabinet_);
  Browser sophie(platform_.port());
  sophie.login("secretariat@sas.test", kPassword);
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 404);
  const auto dash = sophie.get("/tableau-de-bord");
  EXPECT_EQ(dash.body.find("camille@sas.test"), std::string::npos);
  EXPECT_NE(dash.body.find("noel@sas.test"), std::string::npos);
  // Back in Paris with her centre: she lends it again.
  camille.territoryId = territory_;
  platform_.platform().accountStore().updateAccount(camille, {centre_}, std::nullopt, std::nullopt,
                                                    std::nullopt,
                                                    {std::nullopt, "test", "", "", ""}, now());
  EXPECT_EQ(sophie.get(place(centrePlace_) + "/agenda").status, 200);
}

TEST_F(RolesTest, AnIoaAccountIsCreatedAndOrientsButChangesNoAgenda) {
  auto r = createAccount(
      {{"email", "ioa@sas.test"}, {"prenom", "Inès"}, {"nom", "Roux"}, {"role", "ioa"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto ioa = platform_.users().findByEmail("ioa@sas.test");
  ASSERT_TRUE(ioa);
  EXPECT_EQ(ioa->role, app::Role::Ioa);
  EXPECT_EQ(ioa->territoryId, territory_);
  platform_.users().setPassword(ioa->id, platform_.platform().hasher().hash(kPassword), now());
  platform_.platform().accountStore().acceptTerms(
      ioa->id, {ioa->id, "terms.accepted", "user:" + std::to_string(ioa->id), "", ""}, now());
  Browser b(platform_.port());
  ASSERT_EQ(b.login("ioa@sas.test", kPassword).status, 303);
  EXPECT_EQ(b.get("/tableau-de-bord").location, "/recherche");
  EXPECT_EQ(b.get("/recherche").status, 200);
  EXPECT_EQ(b.get("/orientations").status, 200);
}

TEST_F(RolesTest, EachRoleAgainstSomeoneElsesObjects) {
  createDelegate();
  addUser("ioa@sas.test", "Inès", "Roux", app::Role::Ioa, {}, territory_);
  addUser("referent@sas.test", "René", "Petit", app::Role::TerritorialReferent, {}, territory_);
  // Someone else's objects: Karim's centre (nobody delegated it), a structure of Camille's for
  // its parameters, accounts of this territory and of another.
  Browser karim(platform_.port());
  karim.login("karim@sas.test", kPassword);
  ASSERT_EQ(addAvailability(karim, otherPlace_, "11:00", "12:00").status, 303);
  const auto availability = platform_.agenda().availabilitiesOfPlace(otherPlace_, {}).at(0);
  const auto occurrence =
      place(otherPlace_) + "/disponibilites/" + std::to_string(availability.id) + "/2026-03-05";
  const Form account{
      {"email", "nouveau@sas.test"}, {"prenom", "N"}, {"nom", "N"}, {"role", "regulateur"}};
  struct Cell {
    std::string method, path;
    Form form;
  };
  const std::vector<Cell> cells{
      {"GET", place(otherPlace_) + "/agenda", {}},
      {"GET", place(otherPlace_) + "/disponibilites/nouvelle", {}},
      {"POST",
       place(otherPlace_) + "/disponibilites",
       {{"date", "2026-03-05"},
        {"de", "14:00"},
        {"a", "15:00"},
        {"type_disponibilite", "creneau"},
        {"cabinet", "1"}}},
      {"GET", occurrence + "/modifier", {}},
      {"POST",
       occurrence + "/modifier",
       {{"date", "2026-03-05"},
        {"de", "15:00"},
        {"a", "16:00"},
        {"type_disponibilite", "creneau"},
        {"cabinet", "1"},
        {"portee", "occurrence"}}},
      {"POST", occurrence + "/supprimer", {{"portee", "occurrence"}}},
      {"GET", place(otherPlace_) + "/indisponibilite", {}},
      {"POST",
       place(otherPlace_) + "/indisponibilite",
       {{"indetermine", "1"}, {"action", "enregistrer"}}},
      {"GET", place(otherPlace_) + "/informations-complementaires", {}},
      {"POST", place(otherPlace_) + "/informations-complementaires", {{"informations", "X"}}},
      {"GET", place(otherPlace_) + "/patients-adresses", {}},
      {"GET", "/structures/" + std::to_string(other_) + "/parametres", {}},
      {"POST",
       "/structures/" + std::to_string(centre_) + "/parametres",
       {{"participe", "1"},
        {"nombre_professionnels", "9"},
        {"accepte_contact", "1"},
        {"declaration_honneur", "1"}}},
      {"POST",
       "/structures/" + std::to_string(cabinet_) + "/parametres",
       {{"participe", "1"},
        {"nombre_professionnels", "1"},
        {"accepte_contact", "1"},
        {"declaration_honneur", "1"}}},
      {"GET", "/comptes/nouveau", {}},
      {"POST", "/comptes", account},
      {"POST",
       "/comptes/" + std::to_string(camille_),
       {{"email", "camille@sas.test"},
        {"prenom", "Camille"},
        {"nom", "Martin"},
        {"role", "gestionnaire_structure"},
        {"structures", std::to_string(centre_)},
        {"desactive", "1"}}},
      {"POST", "/comptes/" + std::to_string(lyonManager_), account},
      {"POST", "/comptes/" + std::to_string(camille_) + "/bienvenue", {}},
      {"POST", "/comptes/" + std::to_string(camille_) + "/reactiver", {}},
      {"GET", "/territoires", {}},
      {"POST", "/territoires", {{"nom", "Corse"}, {"departements", "2A"}}},
      {"GET", "/compte/delegataires/" + std::to_string(karim_) + "/fin", {}},
      {"POST", "/compte/delegataires/" + std::to_string(karim_) + "/fin", {}},
  };
  const auto before = snapshot();
  for (const char* email : {"secretariat@sas.test", "ioa@sas.test", "referent@sas.test"}) {
    Browser b(platform_.port());
    ASSERT_EQ(b.login(email, kPassword).status, 303) << email;
    b.get("/compte");  // a page with the session's CSRF token
    for (const auto& cell : cells) {
      const auto status =
          cell.method == "GET" ? b.get(cell.path).status : b.post(cell.path, cell.form).status;
      EXPECT_TRUE(status == 403 || status == 404)
          << email << " " << cell.method << " " << cell.path << ": " << status;
    }
    EXPECT_EQ(snapshot(), before) << email;
  }
}

TEST_F(RolesTest, TheReferentReadsHisTerritoryAndChangesNoAccount) {
  createDelegate();
  addUser("referent@sas.test", "René", "Petit", app::Role::TerritorialReferent, {}, territory_);
  Browser b(platform_.port());
  ASSERT_EQ(b.login("referent@sas.test", kPassword).status, 303);
  const auto dash = b.get("/tableau-de-bord");
  EXPECT_NE(dash.body.find("href=\"/comptes\">Comptes de votre territoire"), std::string::npos);

  // The accounts list without its actions.
  const auto list = b.get("/comptes");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("camille@sas.test"), std::string::npos);
  EXPECT_NE(list.body.find("secretariat@sas.test"), std::string::npos);
  EXPECT_EQ(list.body.find("lea@sas.test"), std::string::npos);
  EXPECT_EQ(list.body.find("Créer un compte"), std::string::npos);
  EXPECT_EQ(list.body.find("/bienvenue"), std::string::npos);
  EXPECT_EQ(list.body.find(">Modifier<"), std::string::npos);
  EXPECT_NE(list.body.find(">Consulter<"), std::string::npos);
  // A sheet, not a form; another territory's account is not found.
  const auto sheet = b.get("/comptes/" + std::to_string(camille_));
  ASSERT_EQ(sheet.status, 200);
  EXPECT_NE(sheet.body.find("Centre de santé Michel-Ange (75)"), std::string::npos);
  EXPECT_EQ(sheet.body.find("<form method=\"post\" action=\"/comptes"), std::string::npos);
  const auto delegate = platform_.users().findByEmail("secretariat@sas.test");
  const auto delegateSheet = b.get("/comptes/" + std::to_string(delegate->id));
  EXPECT_NE(delegateSheet.body.find("Camille Martin (camille@sas.test)"), std::string::npos);
  EXPECT_EQ(b.get("/comptes/" + std::to_string(lyonManager_)).status, 404);
  // His territory's structures and orientation figures.
  const auto structures = b.get("/structures");
  ASSERT_EQ(structures.status, 200);
  EXPECT_NE(structures.body.find("Centre de santé Marcadet"), std::string::npos);
  EXPECT_EQ(structures.body.find("Centre de santé Lyon"), std::string::npos);
  EXPECT_EQ(b.get("/orientations/chiffres").status, 200);
  EXPECT_EQ(b.get("/orientations/export.csv").status, 200);
  // His territory's journal, read-only; another territory's account is not found.
  const auto journal = b.get("/journal");
  ASSERT_EQ(journal.status, 200);
  EXPECT_EQ(journal.body.find("method=\"post\" action=\"/journal"), std::string::npos);
  EXPECT_EQ(b.get("/journal?personne=camille%40sas.test").status, 200);
  EXPECT_EQ(b.get("/journal?personne=lea%40sas.test").status, 404);
  EXPECT_EQ(b.get("/journal?objet_type=compte&objet=" + std::to_string(lyonManager_)).status, 404);
  // Roles that read neither.
  Browser sophie(platform_.port());
  sophie.login("secretariat@sas.test", kPassword);
  for (const char* path :
       {"/comptes", "/structures", "/orientations/chiffres", "/support", "/journal"})
    EXPECT_EQ(sophie.get(path).status, 403) << path;
}

TEST_F(RolesTest, TheReferentReceivesTheSupportRequestsOfHisTerritoryOnly) {
  addUser("referent@sas.test", "René", "Petit", app::Role::TerritorialReferent, {}, territory_);
  addUser("referent69@sas.test", "Rose", "Blanc", app::Role::TerritorialReferent, {},
          otherTerritory_);
  auto send = [&](std::int64_t territory, const std::string& email) {
    Browser visitor(platform_.port());
    auto fields = filledAssistanceForm(visitor.get("/assistance").body, email);
    for (auto& [k, v] : fields)
      if (k == "territoire") v = std::to_string(territory);
    const auto r = postMultipart(visitor, platform_.port(), "/assistance", fields, {});
    EXPECT_EQ(r.status, 303) << r.body;
  };
  send(territory_, "idf@example.fr");
  send(otherTerritory_, "ara@example.fr");
  Browser b(platform_.port()), lyon(platform_.port());
  b.login("referent@sas.test", kPassword);
  lyon.login("referent69@sas.test", kPassword);
  const auto mine = b.get("/support");
  ASSERT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("idf@example.fr"), std::string::npos);
  EXPECT_EQ(mine.body.find("ara@example.fr"), std::string::npos);
  const auto theirs = lyon.get("/support");
  EXPECT_NE(theirs.body.find("ara@example.fr"), std::string::npos);
  EXPECT_EQ(theirs.body.find("idf@example.fr"), std::string::npos);
  EXPECT_NE(b.get("/tableau-de-bord").body.find("href=\"/support\">Demandes d'assistance"),
            std::string::npos);
}

// His page lists his territory's newest requests, not his share of the whole country's: 500
// newer ones of another territory do not hide his.
TEST_F(RolesTest, TheReferentsRequestsAreNotCutByOtherTerritories) {
  addUser("referent@sas.test", "René", "Petit", app::Role::TerritorialReferent, {}, territory_);
  storage::SqlSupportStore store(platform_.platform().database());
  const app::SupportQuota unbounded{1'000'000, 1'000'000, std::chrono::seconds{1}};
  auto add = [&](std::int64_t territory, const std::string& email, int n) {
    app::SupportRequest r;
    r.reference = "SAS-TEST-" + std::to_string(n);
    r.idempotencyKey = "key-" + std::to_string(n);
    r.userKind = "Autre";
    r.subject = "Autre";
    r.lastName = "Nom";
    r.firstName = "Prénom";
    r.email = email;
    r.territoryId = territory;
    r.message = "Bonjour";
    r.routedTo = "support@sas.test";
    r.clientAddress = "192.0.2." + std::to_string(n % 200);
    const auto at = now() + std::chrono::seconds{n};
    r.createdAt = at;
    store.create(r, {"support@sas.test", "s", "t", "h", {}, false},
                 {email, "s", "t", "h", {}, false}, unbounded, at);
  };
  add(territory_, "idf@example.fr", 0);
  for (int n = 1; n <= 500; ++n) add(otherTerritory_, "ara@example.fr", n);
  Browser b(platform_.port());
  b.login("referent@sas.test", kPassword);
  const auto mine = b.get("/support");
  ASSERT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("idf@example.fr"), std::string::npos);
  EXPECT_EQ(mine.body.find("ara@example.fr"), std::string::npos);
}

}  // namespace
}  // namespace sas::test
