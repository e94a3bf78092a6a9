#pragma once
// The subcommands of `sas` (serve, migrate, …): one file each in src/commands/; main.cpp only
// parses the command line and dispatches through the table below.
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace sas::commands {

/// A command line the user got wrong (unknown option, missing value…): the message, then the
/// command's usage, go to standard error and `sas` exits with status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What follows the command's name: its words (`add` of `user add`, a file name) and its
/// `--name value` options.
struct Arguments {
  std::vector<std::string> words;
  std::map<std::string, std::string> options;

  /// The option's value; a UsageError when it is missing or empty.
  std::string required(const std::string& name) const;
  std::optional<std::string> optional(const std::string& name) const;
  /// A whole number (no sign, no fraction); a UsageError naming the option otherwise.
  std::optional<std::uint64_t> number(const std::string& name) const;
  /// Whether a flag (an option without a value, such as `--again`) was given.
  bool flag(const std::string& name) const { return options.count(name) > 0; }
  /// A UsageError unless there are exactly `count` words; `what` names them for the message.
  void expectWords(std::size_t count, std::string_view what) const;
};

struct Command {
  std::string_view name;
  /// Its forms (`token list`…), each with what it does, for the usage.
  std::vector<std::pair<std::string_view, std::string_view>> forms;
  /// What `sas NAME --help` adds below its forms.
  std::string_view details;
  /// The options it accepts, without their `--`; every command also takes `config`.
  std::vector<std::string_view> options;
  int (*run)(const Arguments&);
  /// The options among `options` that take no value (`--again`).
  std::vector<std::string_view> flags = {};
};

/// Every subcommand, in the order of the usage.
const std::vector<Command>& table();
const Command* find(std::string_view name);

/// `sas --help`: every command's forms.
std::string usage();
/// `sas NAME --help`: its forms and details.
std::string usage(const Command& command);

/// Whether the words ask for help (`--help` or `-h`), which wins over any mistake beside it.
bool asksForHelp(const std::vector<std::string>& words);

/// Splits what follows the command's name. A UsageError for an option the command does not
/// take or one without its value.
Arguments parse(const Command& command, const std::vector<std::string>& rest);

/// The configuration of `--config FICHIER` (or the defaults), with the environment's overrides.
config::Config loadConfig(const Arguments& arguments);

int serve(const Arguments& arguments);
int migrate(const Arguments& arguments);
int demoData(const Arguments& arguments);
int nationalData(const Arguments& arguments);
int backup(const Arguments& arguments);
int importStructures(const Arguments& arguments);
int importDirectory(const Arguments& arguments);
int user(const Arguments& arguments);
int token(const Arguments& arguments);
int geocode(const Arguments& arguments);

}  // namespace sas::commands
