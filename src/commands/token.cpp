// sas token create|revoke|list: the JSON API's tokens and their scopes (docs/api.md).
#include <iostream>
#include <sstream>

#include "app/search_service.hpp"
#include "commands/command.hpp"
#include "wiring.hpp"

namespace sas::commands {

namespace {

std::vector<std::string> splitScopes(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

}  // namespace

int token(const Arguments& arguments) {
  const std::string action = arguments.words.empty() ? "" : arguments.words[0];
  if (action != "create" && action != "revoke" && action != "list")
    throw UsageError("action attendue : token create, token revoke ou token list");
  // `token create NOM` is taken as `token create --name NOM`.
  const bool nameAsWord =
      action != "list" && arguments.words.size() == 2 && !arguments.optional("name").has_value();
  if (!nameAsWord) arguments.expectWords(1, "");
  // The name is checked before the database is opened, so a typo costs nothing.
  const std::string name =
      action == "list" ? "" : (nameAsWord ? arguments.words[1] : arguments.required("name"));
  Platform platform(loadConfig(arguments));
  auto& tokens = platform.apiTokens();
  if (action == "create") {
    auto created = tokens.create(name, splitScopes(arguments.optional("scope").value_or("")),
                                 arguments.optional("user").value_or(""));
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
  for (const auto& t : tokens.list()) {
    std::cout << t.name << " [" << t.scopes << "]";
    if (t.userId) std::cout << " compte " << *t.userId;
    std::cout << (t.revoked ? " (révoqué)" : "") << "\n";
  }
  return 0;
}

}  // namespace sas::commands
