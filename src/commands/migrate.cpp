// sas migrate: opening the platform applies the migrations it lacks.
#include <iostream>

#include "commands/command.hpp"
#include "wiring.hpp"

namespace sas::commands {

int migrate(const Arguments& arguments) {
  arguments.expectWords(0, "");
  Platform platform(loadConfig(arguments));
  std::cout << "Base de données à jour.\n";
  return 0;
}

}  // namespace sas::commands
