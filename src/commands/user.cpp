// sas user add: an account made from the command line, its password read on standard input.
#include <charconv>
#include <iostream>
#include <sstream>

#include "app/model.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/security.hpp"
#include "commands/command.hpp"
#include "domain/password_policy.hpp"
#include "wiring.hpp"

namespace sas::commands {

namespace {

std::vector<std::int64_t> structureIds(const std::string& list) {
  std::vector<std::int64_t> ids;
  std::stringstream s(list);
  std::string id;
  while (std::getline(s, id, ',')) {
    std::int64_t n = 0;
    auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), n);
    if (id.empty() || error != std::errc() || end != id.data() + id.size())
      throw UsageError("--structures attend des identifiants séparés par des virgules, pas « " +
                       list + " »");
    ids.push_back(n);
  }
  return ids;
}

}  // namespace

int user(const Arguments& arguments) {
  if (arguments.words.empty() || arguments.words[0] != "add")
    throw UsageError("sous-commande attendue : user add");
  arguments.expectWords(1, "");
  const auto role = app::roleFromCode(arguments.required("role"));
  if (!role) throw UsageError("rôle inconnu : " + arguments.required("role"));
  app::User account{0,
                    arguments.required("email"),
                    arguments.required("prenom"),
                    arguments.required("nom"),
                    *role,
                    "",
                    false};
  std::vector<std::int64_t> structures;
  if (auto list = arguments.optional("structures")) structures = structureIds(*list);
  if (auto territory = arguments.number("territoire"))
    account.territoryId = static_cast<std::int64_t>(*territory);

  Platform platform(loadConfig(arguments));
  std::string password;
  std::getline(std::cin, password);
  const auto failures = domain::passwordFailures(password, account.email);
  if (!failures.empty()) {
    for (auto f : failures) std::cerr << domain::describe(f) << "\n";
    return 2;
  }
  account.passwordHash = platform.hasher().hash(password);
  const auto id = platform.ports().users.create(account, structures, platform.clock().now());
  std::cout << "Compte créé : " << account.email << " (id " << id << ")\n";
  return 0;
}

}  // namespace sas::commands
