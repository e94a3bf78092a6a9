// Seeds a database for the agenda-page benchmark: one health centre whose place has 50 weekly
// series this week, and a structure manager. Prints the place id.
#include <iostream>

#include "app/ports/repositories.hpp"
#include "app/ports/security.hpp"
#include "config/config.hpp"
#include "domain/availability.hpp"
#include "wiring.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: bench_seed_agenda sqlite:/path/to/db.sqlite\n";
    return 2;
  }
  sas::config::Config c;
  c.databaseUrl = argv[1];
  c.root = SAS_SOURCE_DIR;
  c.passwordHashing = "minimal";
  sas::Platform platform(c);
  auto& users = platform.ports().users;
  auto& structures = platform.ports().structures;
  const auto now = platform.clock().now();
  const auto sid = structures.createStructure({0,
                                               "Centre de santé Banc d'essai",
                                               "Centre de santé",
                                               "",
                                               "",
                                               "01 00 00 00 00",
                                               "75",
                                               {true, 4, true, true}});
  const auto pid =
      structures.createPlace({0, sid, "", "81 Rue Michel-Ange", "75016", "Paris", "75116", 48.8447,
                              2.263, "Europe/Paris", "01 00 00 00 00"});
  users.create({0, "bench@sas.test", "Banc", "Essai", sas::app::Role::StructureManager,
                platform.hasher().hash("Bench-Password-1!"), false},
               {sid}, now);
  const auto* zone = sas::domain::findZone("Europe/Paris");
  const auto monday = sas::domain::mondayOf(sas::domain::localDay(*zone, now));
  sas::domain::AgendaChange change;
  for (int i = 0; i < 50; ++i) {
    sas::domain::Availability a;
    a.placeId = pid;
    a.weekly = true;
    const int start = 7 * 60 + (i % 10) * 60;  // 07h00 … 16h00, five series a day
    sas::domain::ConsultationTypes types;
    types.add(sas::domain::ConsultationType::Office);
    if (i % 3 == 0) types.add(sas::domain::ConsultationType::Teleconsultation);
    a.base = {monday + date::days{i % 7},
              start,
              start + 90,
              i % 2 ? sas::domain::AvailabilityKind::Range : sas::domain::AvailabilityKind::Slot,
              i % 2 ? 3 : 1,
              types};
    change.created.push_back(a);
  }
  platform.ports().agenda.applyChange(pid, change, {std::nullopt, "bench.seed", "", "", ""}, now);
  std::cout << pid << "\n";
  return 0;
}
