// « Journal des modifications » (docs/rules.md#account-list-and-journal): the audit trail,
// read-only, for administrators (every line) and account managers (their territory's).
#include <string_view>
#include <utility>

#include "app/journal_service.hpp"
#include "http/pages/pages.hpp"
#include "http/wire.hpp"

namespace sas::http {
namespace {

struct ActionLabel {
  std::string_view code;
  std::string_view label;
};

// What each action written to the audit log is called on the page (the code where none is).
constexpr ActionLabel kActionLabels[] = {
    {"login", "Connexion"},
    {"login_failed", "Échec de connexion"},
    {"logout", "Déconnexion"},
    {"password_check_failed", "Mot de passe actuel erroné"},
    {"account.create", "Création du compte"},
    {"account.create_refused", "Création refusée (adresse d'un compte d'un autre territoire)"},
    {"account.update", "Modification du compte"},
    {"account.update_refused", "Modification refusée (adresse d'un compte d'un autre territoire)"},
    {"account.welcome_resent", "Mail de bienvenue renvoyé"},
    {"account.activated", "Activation du compte"},
    {"account.reactivate", "Réactivation du compte"},
    {"account.inactivity_warning", "Avertissement d'inactivité envoyé"},
    {"account.disabled_inactive", "Désactivation pour inactivité"},
    {"password.changed", "Changement du mot de passe"},
    {"password.reset", "Réinitialisation du mot de passe"},
    {"password.reset_requested", "Demande de réinitialisation du mot de passe"},
    {"password.expiry_warning", "Avertissement d'expiration du mot de passe"},
    {"email.change_requested", "Demande de changement d'adresse électronique"},
    {"email.changed", "Changement d'adresse électronique"},
    {"terms.accepted", "Acceptation des CGU"},
    {"availability.create", "Création de disponibilités"},
    {"availability.modify", "Modification de disponibilités"},
    {"availability.delete", "Suppression de disponibilités"},
    {"availability.copy", "Semaine dupliquée"},
    {"place.freshness_reminder", "Rappel : aucune disponibilité dans les 72 prochaines heures"},
    {"demo.availability", "Disponibilités de démonstration"},
    {"demo.unavailability", "Indisponibilité de démonstration"},
    {"demo.note", "Informations complémentaires de démonstration"},
    {"demo.territory", "Territoire de démonstration"},
    {"unavailability.save", "Indisponibilité enregistrée"},
    {"note.save", "Informations complémentaires enregistrées"},
    {"calendar_link.create", "Lien d'abonnement iCalendar créé"},
    {"calendar_link.revoke", "Lien d'abonnement iCalendar révoqué"},
    {"participation.save", "Paramètres de participation enregistrés"},
    {"structure.import", "Import de la structure"},
    {"place.geocode", "Position du lieu"},
    {"territory.create", "Création du territoire"},
    {"user.create", "Création du compte (ligne de commande)"},
    {"delegation.set", "Délégataire lié à ses mandants"},
    {"delegation.end", "Fin d'une délégation"},
    {"orientation.create", "Patient adressé"},
    {"orientation.create_beyond", "Patient adressé hors créneaux"},
    {"orientation.cancel", "Orientation annulée"},
    {"orientation.status", "Statut d'une orientation"},
    {"psc.login", "Connexion par Pro Santé Connect"},
    {"psc.account_created", "Compte créé par Pro Santé Connect"},
    {"psc.account_exists", "Pro Santé Connect : le compte existe déjà"},
    {"psc.link", "Pro Santé Connect lié au compte"},
    {"psc.link_sent", "Lien Pro Santé Connect envoyé"},
    {"psc.verification_sent", "Vérification Pro Santé Connect envoyée"},
    {"psc.failed", "Échec de Pro Santé Connect"},
    {"psc.no_rights", "Pro Santé Connect sans habilitation"},
    {"psc.not_linked", "Pro Santé Connect non lié"},
    {"api_token.create", "Création d'un jeton d'API"},
    {"api_token.revoke", "Révocation d'un jeton d'API"},
    {"support.request_sent", "Demande d'assistance envoyée"},
    {"support.request_purged", "Demande d'assistance purgée"},
};

std::string actionLabel(const std::string& code) {
  for (const auto& a : kActionLabels)
    if (a.code == code) return std::string(a.label);
  if (code.rfind("demo.", 0) == 0) return "Données de démonstration";
  return code;
}

/// « Compte n° 12 » and the page of that account (accounts only: the others have no page of
/// their own for a manager).
std::pair<std::string, std::string> objectLabel(const std::string& object) {
  const auto colon = object.find(':');
  if (colon == std::string::npos) return {object, ""};
  const auto kind = object.substr(0, colon), id = object.substr(colon + 1);
  if (kind == "user") return {"Compte n° " + id, "/comptes/" + id};
  if (kind == "structure") return {"Structure n° " + id, ""};
  if (kind == "place") return {"Lieu n° " + id, ""};
  if (kind == "orientation") return {"Orientation n° " + id, ""};
  return {object, ""};
}

const char* const kObjectKinds[][2] = {
    {"compte", "Compte"}, {"structure", "Structure"}, {"lieu", "Lieu"}};

std::string journalQuery(const app::JournalForm& f, int page) {
  std::string q;
  for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"du", f.from},
                                    {"au", f.to},
                                    {"personne", f.person},
                                    {"objet_type", f.objectKind},
                                    {"objet", f.objectId}})
    if (!value.empty()) q += std::string("&") + name + "=" + wire::percentEncode(value);
  return "/journal?page=" + std::to_string(page) + q;
}

Response showJournal(AccountPageServices& s, Request& req) {
  const auto& actor = req.actor();
  app::JournalForm form{req.param("du"),         req.param("au"),    req.param("personne"),
                        req.param("objet_type"), req.param("objet"), req.param("page")};
  auto result = s.journal->read(actor, form);
  auto model = layoutModel(req, "Journal des modifications");
  model["all"] = !app::journalScope(actor).has_value();
  model["values"] = {
      {"du", form.from}, {"au", form.to}, {"personne", form.person}, {"objet", form.objectId}};
  nlohmann::json kinds = nlohmann::json::array();
  for (const auto& k : kObjectKinds)
    kinds.push_back({{"code", k[0]}, {"label", k[1]}, {"selected", form.objectKind == k[0]}});
  model["kinds"] = kinds;
  model["errors"] = errorsModel(result.errors);
  if (!result.errors.empty()) {
    model["shown"] = false;
    return Response::html(s.views.page("pages/journal", model), result.outOfScope ? 404 : 422);
  }
  static const date::time_zone* paris = domain::findZone("Europe/Paris");
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : result.lines) {
    const auto [object, link] = objectLabel(l.object);
    lines.push_back({{"at", domain::formatDate(domain::localDay(*paris, l.at)) + " à " +
                                domain::formatTime(domain::localMinute(*paris, l.at))},
                     {"person", l.personName.empty() ? (l.userId ? "Compte supprimé" : "Plateforme")
                                                     : l.personName},
                     {"email", l.personEmail},
                     {"onBehalf", l.onBehalfName},
                     {"onBehalfEmail", l.onBehalfEmail},
                     {"action", actionLabel(l.action)},
                     {"object", object},
                     {"objectLink", link},
                     {"detail", l.detail}});
  }
  model["shown"] = true;
  model["lines"] = lines;
  model["any"] = !lines.empty();
  model["page"] = result.page;
  if (result.page > 1) model["previous"] = journalQuery(form, result.page - 1);
  if (result.hasNext) model["next"] = journalQuery(form, result.page + 1);
  model["paged"] = result.page > 1 || result.hasNext;
  return Response::html(s.views.page("pages/journal", model));
}

}  // namespace

void addJournalPages(Router& router, AccountPageServices& s) {
  router.add("GET", "/journal", handle(s, showJournal));
}

}  // namespace sas::http
