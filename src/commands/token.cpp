// sas token create|revoke|list: the search API's tokens (docs/api.md).
#include <iostream>

#include "app/search_service.hpp"
#include "commands/command.hpp"
#include "wiring.hpp"

namespace sas::commands {

int token(const Arguments& arguments) {
  const std::string action = arguments.words.empty() ? "" : arguments.words[0];
  if (action != "create" && action != "revoke" && action != "list")
    throw UsageError("action attendue : token create, token revoke ou token list");
  arguments.expectWords(1, "");
  // The name is checked before the database is opened, so a typo costs nothing.
  const std::string name = action == "list" ? "" : arguments.required("name");
  Platform platform(loadConfig(arguments));
  auto& tokens = platform.apiTokens();
  if (action == "create") {
    auto created = tokens.create(name);
    if (!created.ok()) {
      std::cerr << created.errors.front().message << "\n";
      return 2;
    }
    std::cout << "Jeton « " << name << " » (affiché une seule fois) :\n" << *created.value << "\n";
    return 0;
  }
  if (action == "revoke") {
    if (!tokens.revoke(name)) {
      std::cerr << "Aucun jeton en vigueur ne porte ce nom.\n";
      return 2;
    }
    std::cout << "Jeton révoqué : " << name << "\n";
    return 0;
  }
  for (const auto& t : tokens.list())
    std::cout << t.name << (t.revoked ? " (révoqué)" : "") << "\n";
  return 0;
}

}  // namespace sas::commands
