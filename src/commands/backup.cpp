// sas backup: a consistent copy of the SQLite file, the server running or not.
#include <iostream>

#include "commands/command.hpp"
#include "storage/database.hpp"
#include "wiring.hpp"

namespace sas::commands {

int backup(const Arguments& arguments) {
  arguments.expectWords(0, "");
  const auto target = arguments.required("vers");
  Platform platform(loadConfig(arguments));
  platform.database().backupTo(target);
  std::cout << "Copie écrite : " << target << "\n";
  return 0;
}

}  // namespace sas::commands
