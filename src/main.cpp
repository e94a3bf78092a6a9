// sas: the SAS platform's one binary. This file only reads the command line and dispatches;
// each subcommand is a file of src/commands/.
#include <iostream>
#include <string>
#include <vector>

#include "commands/command.hpp"

int main(int argc, char** argv) {
  namespace commands = sas::commands;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << "sas : commande manquante\n" << commands::usage();
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << commands::usage();
    return 0;
  }
  const commands::Command* command = commands::find(args[0]);
  if (!command) {
    std::cerr << "sas : commande inconnue : " << args[0] << "\n" << commands::usage();
    return 2;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (commands::asksForHelp(rest)) {
    std::cout << commands::usage(*command);
    return 0;
  }
  try {
    return command->run(commands::parse(*command, rest));
  } catch (const commands::UsageError& e) {
    std::cerr << "sas " << command->name << " : " << e.what() << "\n" << commands::usage(*command);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sas " << command->name << " : " << e.what() << "\n";
    return 1;
  }
}
