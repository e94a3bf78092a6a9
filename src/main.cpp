// sas: the SAS platform's one binary (serve, migrate, demo-data, user add).
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/demo_data.hpp"
#include "app/directory_import.hpp"
#include "app/national_data.hpp"
#include "app/search_service.hpp"
#include "app/structure_import.hpp"
#include "domain/password_policy.hpp"
#include "geo/gazetteer.hpp"
#include "storage/account_store.hpp"
#include "storage/database.hpp"
#include "storage/psc_store.hpp"
#include "storage/search_source.hpp"
#include "wiring.hpp"

namespace {

const char* const kUsage =
    "Usage : sas <commande> [--config FICHIER] [options]\n"
    "  serve                      démarre le serveur web\n"
    "  migrate                    met la base de données à jour\n"
    "  demo-data                  charge les données de démonstration\n"
    "  backup --vers FICHIER      copie cohérente de la base SQLite, serveur en marche\n"
    "  import-structures FICHIER  importe les structures d'une extraction FINESS\n"
    "  import-directory FICHIER   importe les lieux d'exercice des professionnels de santé\n"
    "                             (Annuaire Santé, PS_LibreAcces_Personne_activite)\n"
    "  user add --email E --prenom P --nom N --role R [--structures 1,2] [--territoire ID]\n"
    "                             crée un compte ; mot de passe lu sur l'entrée standard\n"
    "  national-data --places N [--seed S]\n"
    "                             génère un jeu national reproductible (recherche, bancs d'essai)\n"
    "  token create --name NOM    émet un jeton d'API de recherche (affiché une seule fois)\n"
    "  token revoke --name NOM    révoque un jeton d'API\n"
    "  token list                 liste les jetons d'API\n"
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

// Poco's loggers have no output until given one: the server's lines (errors with their
// reference, jobs) go to standard error, one line each, for journald (docs/deploy.md).
void logToStandardError() {
  Poco::AutoPtr<Poco::PatternFormatter> format(
      new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%SZ %p %s: %t"));
  Poco::AutoPtr<Poco::FormattingChannel> channel(
      new Poco::FormattingChannel(format, new Poco::ConsoleChannel(std::cerr)));
  Poco::Logger::setChannel("", channel);  // the root and every logger made so far
}

int serve(const Args& a) {
  logToStandardError();
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
  auto logins = sas::app::loadDemoData(platform.ports().users, platform.ports().structures,
                                       platform.ports().agenda, platform.accountStore(),
                                       platform.hasher(), platform.clock());
  sas::app::addDemoSpecialties(platform.searchStore(), platform.searchStore(), platform.clock());
  // Health professionals of the directory (Pro Santé Connect's case 2, README).
  sas::storage::SqlPscStore directory(platform.database());
  sas::app::addDemoProfessionals(directory, platform.ports().structures, platform.geocoder());
  std::cout << "Comptes de démonstration :\n";
  for (const auto& l : logins)
    std::cout << "  " << l.email << " / " << l.password << "  (" << l.who << ")\n";
  return 0;
}

int nationalData(const Args& a) {
  sas::Platform platform(loadConfig(a));
  sas::app::NationalDataOptions options;
  options.places = std::stoul(option(a, "places"));
  if (auto it = a.options.find("seed"); it != a.options.end())
    options.seed = std::stoull(it->second);
  std::vector<sas::app::Town> towns;
  for (const auto& c : platform.gazetteer().communes())
    towns.push_back({c.insee, c.name, c.postalCodes.empty() ? "" : c.postalCodes.front(),
                     c.departement, sas::geo::Gazetteer::timeZoneOf(c.departement), c.population,
                     c.latitude, c.longitude});
  const auto report = sas::app::generateNationalData(
      towns, platform.ports().structures, platform.ports().agenda, platform.searchStore(),
      platform.clock(), options,
      [](std::size_t n) { std::cout << "  " << n << " lieux…" << std::endl; });
  std::cout << "Jeu national : " << report.places << " lieux, " << report.availabilities
            << " disponibilités hebdomadaires, " << report.participating << " participant au SAS, "
            << report.unavailable << " avec une indisponibilité.\n";
  return 0;
}

int token(const Args& a) {
  sas::Platform platform(loadConfig(a));
  const std::string action = a.words.size() > 1 ? a.words[1] : "";
  auto& tokens = platform.apiTokens();
  if (action == "create") {
    auto created = tokens.create(option(a, "name"));
    if (!created.ok()) {
      std::cerr << created.errors.front().message << "\n";
      return 2;
    }
    std::cout << "Jeton « " << option(a, "name") << " » (affiché une seule fois) :\n"
              << *created.value << "\n";
    return 0;
  }
  if (action == "revoke") {
    if (!tokens.revoke(option(a, "name"))) {
      std::cerr << "Aucun jeton en vigueur ne porte ce nom.\n";
      return 2;
    }
    std::cout << "Jeton révoqué : " << option(a, "name") << "\n";
    return 0;
  }
  if (action == "list") {
    for (const auto& t : tokens.list())
      std::cout << t.name << (t.revoked ? " (révoqué)" : "") << "\n";
    return 0;
  }
  std::cerr << kUsage;
  return 2;
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
  const auto id = platform.ports().users.create(user, structures, platform.clock().now());
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
    if (command == "national-data") return nationalData(args);
    if (command == "token") return token(args);
    if (command == "import-structures" && args.words.size() == 2) {
      sas::Platform platform(loadConfig(args));
      std::ifstream in(args.words[1]);
      if (!in) throw std::runtime_error("fichier illisible : " + args.words[1]);
      sas::app::StructureImport import(platform.ports().structures, platform.geocoder(),
                                       platform.clock());
      const auto report = import.run(in);
      std::cout << report.created << " structure(s) créée(s), " << report.updated
                << " mise(s) à jour, " << report.rejected.size() << " ligne(s) refusée(s)\n";
      for (const auto& r : report.rejected) std::cout << "  " << r << "\n";
      return report.rejected.empty() ? 0 : 3;
    }
    if (command == "import-directory" && args.words.size() == 2) {
      sas::Platform platform(loadConfig(args));
      std::ifstream in(args.words[1]);
      if (!in) throw std::runtime_error("fichier illisible : " + args.words[1]);
      sas::storage::SqlPscStore directory(platform.database());
      sas::app::DirectoryImport import(directory, platform.ports().structures, platform.geocoder());
      const auto report = import.run(in);
      std::cout << report.professionals << " professionnel(s), " << report.placesCreated
                << " lieu(x) d'exercice créé(s), " << report.placesKept << " déjà connu(s), "
                << report.skipped << " activité(s) sans lieu, " << report.rejected.size()
                << " ligne(s) refusée(s)\n";
      for (const auto& r : report.rejected) std::cout << "  " << r << "\n";
      return report.rejected.empty() ? 0 : 3;
    }
    if (command == "backup") {
      sas::Platform platform(loadConfig(args));
      platform.database().backupTo(option(args, "vers"));
      std::cout << "Copie écrite : " << option(args, "vers") << "\n";
      return 0;
    }
    if (command == "user" && args.words.size() > 1 && args.words[1] == "add") return userAdd(args);
    std::cerr << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sas : " << e.what() << "\n";
    return 1;
  }
}
