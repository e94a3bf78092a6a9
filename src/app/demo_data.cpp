#include "app/demo_data.hpp"

namespace sas::app {
namespace {

using domain::AvailabilityKind;
using domain::ConsultationType;

const char* const kDemoPassword = "Demo-SAS-2026!";

domain::ConsultationTypes typesOf(std::initializer_list<ConsultationType> list) {
  domain::ConsultationTypes t;
  for (auto x : list) t.add(x);
  return t;
}

void weekly(AgendaRepository& agenda, std::int64_t placeId, domain::Day monday,
            std::array<bool, 7> days, int from, int to, AvailabilityKind kind, int capacity,
            domain::ConsultationTypes types, domain::Instant now) {
  // Series start in this week, so the demo agenda is full from today on; on the first ticked
  // day, as the form would be filled (an unticked date would add a one-off on it).
  int first = 0;
  while (first < 6 && !days[static_cast<std::size_t>(first)]) ++first;
  domain::OccurrenceValues v{monday + date::days{first}, from, to, kind, capacity, types};
  domain::AgendaChange change;
  change.created = domain::planCreation(placeId, v, days);
  agenda.applyChange(placeId, change, {std::nullopt, "demo.availability", "", "", ""}, now);
}

}  // namespace

std::vector<DemoLogin> loadDemoData(UserRepository& users, StructureRepository& structures,
                                    AgendaRepository& agenda, AccountRepository& accounts,
                                    const PasswordHasher& hasher, const Clock& clock) {
  std::vector<DemoLogin> logins{
      {"gestionnaire.structure@sas.test", kDemoPassword,
       "gestionnaire de structure (centres de Paris 16e et de Lyon)"},
      {"gestionnaire.marcadet@sas.test", kDemoPassword,
       "gestionnaire de structure (centre de Paris 18e)"},
      {"gestionnaire.comptes@sas.test", kDemoPassword,
       "gestionnaire de comptes (ARS Île-de-France)"},
      {"administrateur@sas.test", kDemoPassword, "administrateur national"},
      {"regulateur@sas.test", kDemoPassword, "régulateur du SAS (recherche des disponibilités)"},
      {"medecin@sas.test", kDemoPassword, "effecteur de soins (médecin, son cabinet de Paris 15e)"},
  };
  if (users.findByEmail(logins[0].email)) return logins;

  const auto now = clock.now();
  const auto* paris = domain::findZone("Europe/Paris");
  const auto monday = domain::mondayOf(domain::localDay(*paris, now));

  Structure michelAnge{0,
                       "Centre de santé Michel-Ange",
                       "Centre de santé",
                       "750000001",
                       "98765432100015",
                       "01 84 60 00 01",
                       "75",
                       {true, 3, true, true}};
  michelAnge.id = structures.createStructure(michelAnge);
  const auto placeParis =
      structures.createPlace({0, michelAnge.id, "", "81 Rue Michel-Ange", "75016", "Paris", "75116",
                              48.84470, 2.26300, "Europe/Paris", "01 84 60 00 01"});

  Structure lyon{0,
                 "Centre de santé Lyon Part-Dieu",
                 "Centre de santé",
                 "690000002",
                 "",
                 "04 26 00 00 02",
                 "69",
                 {true, 2, false, true}};
  lyon.id = structures.createStructure(lyon);
  const auto placeLyon =
      structures.createPlace({0, lyon.id, "", "10 Rue de la Villette", "69003", "Lyon", "69383",
                              45.76060, 4.85970, "Europe/Paris", "04 26 00 00 02"});

  Structure marcadet{
      0, "Centre de santé Marcadet", "Centre de santé", "750000003", "", "01 84 60 00 03", "75",
      {}};
  marcadet.id = structures.createStructure(marcadet);
  const auto placeMarcadet =
      structures.createPlace({0, marcadet.id, "", "22 Rue Marcadet", "75018", "Paris", "75118",
                              48.89200, 2.35000, "Europe/Paris", "01 84 60 00 03"});

  // A doctor's own cabinet (effecteur de soins): no availability and no participation, so that
  // the regulators' searches of the demo stay those of the three centres.
  Structure cabinet{
      0, "Cabinet du Dr Béranger", "Cabinet", "", "90000000000014", "01 45 00 00 04", "75", {}};
  cabinet.id = structures.createStructure(cabinet);
  structures.createPlace({0, cabinet.id, "", "12 Rue Lecourbe", "75015", "Paris", "75115", 48.84300,
                          2.30900, "Europe/Paris", "01 45 00 00 04"});

  const auto office = typesOf({ConsultationType::Office});
  weekly(agenda, placeParis, monday, {true, false, false, true, false, false, false}, 10 * 60,
         12 * 60, AvailabilityKind::Range, 3, office, now);
  weekly(agenda, placeParis, monday, {false, true, false, false, false, false, false}, 9 * 60,
         9 * 60 + 30, AvailabilityKind::Slot, 1, typesOf({ConsultationType::Teleconsultation}),
         now);
  weekly(agenda, placeParis, monday, {false, false, false, false, true, false, false}, 14 * 60,
         16 * 60, AvailabilityKind::Range, 2,
         typesOf({ConsultationType::Office, ConsultationType::HomeVisit}), now);
  weekly(agenda, placeLyon, monday, {false, false, true, false, true, false, false}, 8 * 60 + 30,
         12 * 60, AvailabilityKind::Range, 4, office, now);
  weekly(agenda, placeMarcadet, monday, {true, false, false, false, false, false, false}, 17 * 60,
         19 * 60, AvailabilityKind::Range, 2, office, now);
  agenda.saveRegulatorNote(placeParis,
                           "Merci de nous appeler au 01 84 60 00 01 (ligne dédiée SAS) entre 8h "
                           "et 19h pour prendre le rendez-vous.",
                           {std::nullopt, "demo.note", "", "", ""}, now);
  const auto today = domain::localDay(*paris, now);
  agenda.saveUnavailability(placeLyon, {false, {{today + date::days{7}, today + date::days{9}}}},
                            {std::nullopt, "demo.unavailability", "", "", ""}, now);

  const AuditEntry demo{std::nullopt, "demo.territory", "", "", ""};
  const auto idf = accounts.createTerritory(
      {0, "ARS Île-de-France", {"75", "77", "78", "91", "92", "93", "94", "95"}}, demo, now);
  accounts.createTerritory(
      {0,
       "ARS Auvergne-Rhône-Alpes",
       {"01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"}},
      demo, now);

  auto account = [&](const DemoLogin& login, const char* first, const char* last, Role role,
                     std::vector<std::int64_t> linked, std::optional<std::int64_t> territory) {
    // A hash of its own (its own salt): one shared hash would tell that the passwords are the
    // same and let one cracking effort open every account.
    User u{0, login.email, first, last, role, hasher.hash(login.password), false};
    u.territoryId = territory;
    users.create(u, linked, now);
  };
  account(logins[0], "Camille", "Martin", Role::StructureManager, {michelAnge.id, lyon.id}, idf);
  account(logins[1], "Karim", "Benali", Role::StructureManager, {marcadet.id}, idf);
  account(logins[2], "Inès", "Moreau", Role::AccountManager, {}, idf);
  account(logins[3], "Paul", "Lefèvre", Role::Administrator, {}, std::nullopt);
  account(logins[4], "Sophie", "Durand", Role::Regulator, {}, idf);
  // A doctor comes from Pro Santé Connect, without territory; this one has also set a password,
  // so that the demo shows his space without a Pro Santé Connect server.
  account(logins[5], "Noël", "Béranger", Role::Practitioner, {cabinet.id}, std::nullopt);
  return logins;
}

}  // namespace sas::app
