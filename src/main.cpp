// sas: the SAS platform's one binary (serve, migrate, demo-data, user add).
#include <csignal>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/demo_data.hpp"
#include "domain/password_policy.hpp"
#include "storage/account_store.hpp"
#include "storage/sql_store.hpp"
#include "wiring.hpp"

namespace {

const char* const kUsage =
    "Usage : sas <commande> [--config FICHIER] [options]\n"
    "  serve                      démarre le serveur web\n"
    "  migrate                    met la base de données à jour\n"
    "  demo-data                  charge les données de démonstration\n"
    "  user add --email E --prenom P --nom N --role R [--structures 1,2] [--territoire ID]\n"
    "                             crée un compte ; mot de passe lu sur l'entrée standard\n"
    "Rôles : gestionnaire_structure, gestionnaire_comptes, regulateur, administrateur\n";

struct Args {
  std::vector<std::string> words;
  std::map<std::string, std::string> options;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      if (i + 1 >= argc) throw std::invalid_argument("l'option " + s + " attend une valeur");
      a.options[s.substr(2)] = argv[++i];
    } else {
      a.words.push_back(s);
    }
  }
  return a;
}

std::string option(const Args& a, const std::string& name) {
  auto it = a.options.find(name);
  if (it == a.options.end() || it->second.empty())
    throw std::invalid_argument("l'option --" + name + " est obligatoire");
  return it->second;
}

sas::config::Config loadConfig(const Args& a) {
  auto it = a.options.find("config");
  return sas::config::loadConfig(it == a.options.end() ? "" : it->second,
                                 sas::config::processEnvironment());
}

int serve(const Args& a) {
  // Signals are taken by sigwait below, not by whichever server thread they land on.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  sas::Platform platform(loadConfig(a));
  platform.startServer();
  std::cout << "SAS : serveur démarré sur " << platform.config().baseUrl << " (port "
            << platform.port() << ")" << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  std::cout << "SAS : arrêt demandé, fin des requêtes en cours…" << std::endl;
  platform.stopServer();
  return 0;
}

int demoData(const Args& a) {
  sas::Platform platform(loadConfig(a));
  auto logins =
      sas::app::loadDemoData(platform.store(), platform.store(), platform.store(),
                             platform.accountStore(), platform.hasher(), platform.clock());
  std::cout << "Comptes de démonstration :\n";
  for (const auto& l : logins)
    std::cout << "  " << l.email << " / " << l.password << "  (" << l.who << ")\n";
  return 0;
}

int userAdd(const Args& a) {
  sas::Platform platform(loadConfig(a));
  const auto role = sas::app::roleFromCode(option(a, "role"));
  if (!role) throw std::invalid_argument("rôle inconnu : " + option(a, "role"));
  sas::app::User user{0,    option(a, "email"), option(a, "prenom"), option(a, "nom"), *role, "",
                      false};
  std::vector<std::int64_t> structures;
  if (auto it = a.options.find("structures"); it != a.options.end()) {
    std::stringstream s(it->second);
    std::string id;
    while (std::getline(s, id, ',')) structures.push_back(std::stoll(id));
  }
  if (auto it = a.options.find("territoire"); it != a.options.end())
    user.territoryId = std::stoll(it->second);
  std::string password;
  std::getline(std::cin, password);
  const auto failures = sas::domain::passwordFailures(password, user.email);
  if (!failures.empty()) {
    for (auto f : failures) std::cerr << sas::domain::describe(f) << "\n";
    return 2;
  }
  user.passwordHash = platform.hasher().hash(password);
  const auto id = platform.store().create(user, structures, platform.clock().now());
  std::cout << "Compte créé : " << user.email << " (id " << id << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args args = parse(argc, argv);
    if (args.words.empty()) {
      std::cerr << kUsage;
      return 2;
    }
    const std::string& command = args.words[0];
    if (command == "serve") return serve(args);
    if (command == "migrate") {
      sas::Platform platform(loadConfig(args));
      std::cout << "Base de données à jour.\n";
      return 0;
    }
    if (command == "demo-data") return demoData(args);
    if (command == "user" && args.words.size() > 1 && args.words[1] == "add") return userAdd(args);
    std::cerr << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sas : " << e.what() << "\n";
    return 1;
  }
}
