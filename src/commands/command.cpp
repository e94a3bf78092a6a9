#include "commands/command.hpp"

#include <algorithm>
#include <charconv>

namespace sas::commands {

std::string Arguments::required(const std::string& name) const {
  auto value = optional(name);
  if (!value || value->empty()) throw UsageError("l'option --" + name + " est obligatoire");
  return *value;
}

std::optional<std::string> Arguments::optional(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint64_t> Arguments::number(const std::string& name) const {
  auto value = optional(name);
  if (!value) return std::nullopt;
  std::uint64_t n = 0;
  const char* end = value->data() + value->size();
  auto [stop, error] = std::from_chars(value->data(), end, n);
  if (value->empty() || error != std::errc() || stop != end)
    throw UsageError("l'option --" + name + " attend un nombre entier positif, pas « " + *value +
                     " »");
  return n;
}

void Arguments::expectWords(std::size_t count, std::string_view what) const {
  if (words.size() < count) throw UsageError(std::string(what) + " manquant");
  if (words.size() > count) throw UsageError("argument inattendu : " + words[count]);
}

const std::vector<Command>& table() {
  static const std::vector<Command> commands = {
      {"serve",
       {{"serve", "démarre le serveur web"}},
       "Sert les pages sur le port de la configuration (server.port, ou SAS_PORT) jusqu'à\n"
       "SIGINT ou SIGTERM, puis finit les requêtes en cours.\n",
       {},
       serve},
      {"migrate",
       {{"migrate", "met la base de données à jour"}},
       "Applique les migrations de migrations/ qui manquent à la base configurée.\n",
       {},
       migrate},
      {"demo-data",
       {{"demo-data", "charge les données de démonstration"}},
       "Crée les structures, agendas et comptes de démonstration et affiche leurs identifiants.\n",
       {},
       demoData},
      {"national-data",
       {{"national-data --places N [--seed S] [--ajouter]",
         "génère un jeu national reproductible (recherche, bancs d'essai)"}},
       "N lieux répartis sur les communes selon leur population ; la même graine S donne le\n"
       "même jeu. Sur une base qui a déjà des lieux, refusé sans --ajouter : les lieux générés\n"
       "s'ajoutent à ceux qui y sont (deux passages donnent deux fois plus de lieux).\n",
       {"places", "seed", "ajouter"},
       nationalData,
       {"ajouter"}},
      {"backup",
       {{"backup --vers FICHIER", "copie cohérente de la base SQLite, serveur en marche"}},
       "Écrit dans FICHIER une copie de la base SQLite, même pendant que le serveur tourne.\n",
       {"vers"},
       backup},
      {"import-structures",
       {{"import-structures FICHIER", "importe les structures d'une extraction FINESS"}},
       "Crée ou met à jour les structures ; les colonnes attendues sont décrites dans\n"
       "src/app/structure_import.hpp. Sort avec le statut 3 si des lignes sont refusées.\n",
       {},
       importStructures},
      {"import-directory",
       {{"import-directory FICHIER",
         "importe les lieux d'exercice des professionnels de santé\n"
         "(Annuaire Santé, PS_LibreAcces_Personne_activite)"}},
       "Colonnes décrites dans src/app/directory_import.hpp. Sort avec le statut 3 si des\n"
       "lignes sont refusées.\n",
       {},
       importDirectory},
      {"geocode",
       {{"geocode ADRESSE", "dit où le géocodeur place une adresse, une commune, un code postal"},
        {"geocode --again", "place de nouveau les lieux à la position approximative"}},
       "Le géocodeur est celui de la configuration (geocoder.ban_url, sinon hors ligne :\n"
       "communes et arrondissements de data/). --again replace les lieux enregistrés au centre\n"
       "de leur commune ou arrondissement (imports) et dit combien il en a déplacé.\n",
       {"again"},
       geocode,
       {"again"}},
      {"user",
       {{"user add --email E --prenom P --nom N --role R [--structures 1,2] [--territoire ID]",
         "crée un compte ; mot de passe lu sur l'entrée standard"}},
       "Rôles : gestionnaire_structure, gestionnaire_comptes, regulateur, administrateur.\n"
       "--structures : identifiants des structures liées, séparés par des virgules.\n",
       {"email", "prenom", "nom", "role", "structures", "territoire"},
       user},
      {"token",
       {{"token create --name NOM [--scope recherche,orientation] [--user EMAIL]",
         "émet un jeton d'API (affiché une seule fois)"},
        {"token revoke --name NOM", "révoque un jeton d'API"},
        {"token list", "liste les jetons d'API, leurs portées et leur compte"}},
       "Jetons de l'API JSON (docs/api.md).\n"
       "--scope : portées séparées par des virgules ; tout jeton lit la recherche (recherche),\n"
       "  orientation lui permet aussi d'adresser des patients et d'annuler.\n"
       "--user : le compte de régulateur ou d'IOA au nom duquel le jeton oriente (exigé pour\n"
       "  la portée orientation).\n",
       {"name", "scope", "user"},
       token},
  };
  return commands;
}

const Command* find(std::string_view name) {
  for (const auto& c : table())
    if (c.name == name) return &c;
  return nullptr;
}

namespace {

// A form's description, beside it when the form is short, else on the lines below; each of
// its lines indented to `column`.
std::string describe(std::string_view form, std::string_view description, std::size_t column) {
  std::string out(form);
  std::string pad(column, ' ');
  if (form.size() + 1 < column) {
    out.append(column - form.size(), ' ');
  } else {
    out += "\n" + pad;
  }
  for (char c : description) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out + "\n";
}

}  // namespace

std::string usage() {
  std::string out = "Usage : sas <commande> [--config FICHIER] [options]\n";
  for (const auto& c : table())
    for (const auto& [form, description] : c.forms)
      out += describe("  " + std::string(form), description, 29);
  out +=
      "Rôles : gestionnaire_structure, gestionnaire_comptes, regulateur, administrateur\n"
      "Aide d'une commande : sas <commande> --help\n";
  return out;
}

std::string usage(const Command& command) {
  std::string out = "Usage :\n";
  for (const auto& [form, description] : command.forms)
    out += "  sas " + std::string(form) + "\n" + describe("", description, 6);
  return out + std::string(command.details) +
         "Option commune : --config FICHIER (par défaut config/sas.properties).\n";
}

bool asksForHelp(const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [](const std::string& w) { return w == "--help" || w == "-h"; });
}

Arguments parse(const Command& command, const std::vector<std::string>& rest) {
  Arguments a;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& s = rest[i];
    if (s.rfind("--", 0) != 0) {
      a.words.push_back(s);
      continue;
    }
    std::string name = s.substr(2), value;
    const auto equals = name.find('=');
    const bool inline_value = equals != std::string::npos;
    if (inline_value) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }
    if (name != "config" &&
        std::find(command.options.begin(), command.options.end(), name) == command.options.end())
      throw UsageError("option inconnue pour « " + std::string(command.name) + " » : --" + name);
    const bool isFlag =
        std::find(command.flags.begin(), command.flags.end(), name) != command.flags.end();
    if (isFlag) {
      if (inline_value) throw UsageError("l'option --" + name + " ne prend pas de valeur");
    } else if (!inline_value) {
      if (i + 1 >= rest.size()) throw UsageError("l'option --" + name + " attend une valeur");
      value = rest[++i];
    }
    a.options[name] = value;
  }
  return a;
}

config::Config loadConfig(const Arguments& arguments) {
  return config::loadConfig(arguments.optional("config").value_or(""),
                            config::processEnvironment());
}

}  // namespace sas::commands
