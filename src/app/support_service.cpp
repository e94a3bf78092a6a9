#include "app/support_service.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/errors.hpp"
#include "domain/reference.hpp"
#include "domain/text.hpp"

namespace sas::app {

using domain::FieldError;

namespace {

const std::vector<std::string> kExtensions{"pdf", "jpeg", "jpg", "png", "xls", "ppt", "potx"};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string extensionOf(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? "" : lower(name.substr(dot + 1));
}

std::string labelOf(const std::vector<Choice>& choices, const std::string& code) {
  for (const auto& c : choices)
    if (c.code == code) return c.label;
  return "";
}

std::string readWhole(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw AppError(ErrorCode::Internal, "upload unreadable: " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string megabytes(std::uintmax_t bytes) {
  return std::to_string(bytes / (1024 * 1024)) + " Mo";
}

/// « 42 minutes », « 1 heure et 5 minutes »: how long before the form is taken again.
std::string waitText(std::chrono::seconds wait) {
  const auto minutes = (wait.count() + 59) / 60;
  auto unit = [](long long n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n > 1 ? many : one);
  };
  if (minutes < 60) return unit(minutes, "minute", "minutes");
  const auto hours = minutes / 60, rest = minutes % 60;
  return unit(hours, "heure", "heures") + (rest ? " et " + unit(rest, "minute", "minutes") : "");
}

}  // namespace

std::string cleanFileName(const std::string& name) {
  // Browsers may send a full path (old Internet Explorer) or a crafted one: keep the last part.
  auto base = name;
  const auto slash = base.find_last_of("/\\");
  if (slash != std::string::npos) base = base.substr(slash + 1);
  std::string out;
  for (unsigned char c : base)
    if (c >= 0x20 && c != 0x7f && c != '"') out.push_back(static_cast<char>(c));
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  if (out.size() > 150) out = out.substr(out.size() - 150);
  return out.empty() ? "fichier" : out;
}

SupportService::SupportService(SupportRepository& requests, AccountRepository& accounts,
                               const FileInspector& inspector, const EmailTemplates& emails,
                               const Tokens& tokens, const Clock& clock, SupportSettings settings)
    : requests_(requests),
      accounts_(accounts),
      inspector_(inspector),
      emails_(emails),
      tokens_(tokens),
      clock_(clock),
      settings_(std::move(settings)) {}

const std::vector<Choice>& SupportService::userKinds() {
  static const std::vector<Choice> kinds{
      {"gestionnaire_structure", "Gestionnaire de structure"},
      {"effecteur", "Effecteur de soins"},
      {"gestionnaire_comptes", "Gestionnaire de comptes"},
      {"delegataire", "Délégataire"},
      {"regulateur", "Régulateur / OSNP"},
      {"ioa", "Infirmier d'Orientation et d'Accueil (IOA)"},
      {"autre", "Autre"},
  };
  return kinds;
}

const std::vector<Choice>& SupportService::subjects() {
  static const std::vector<Choice> subjects{
      {"connexion", "La connexion ou le mot de passe"},
      {"compte", "La création ou la modification d'un compte"},
      {"disponibilites", "Les disponibilités ou les indisponibilités"},
      {"participation", "La participation au SAS ou la rémunération"},
      {"recherche", "La recherche de disponibilités (régulation)"},
      {"autre", "Autre demande"},
  };
  return subjects;
}

std::vector<Territory> SupportService::territories() {
  return accounts_.territories();
}

std::string SupportService::routeFor(std::int64_t territoryId, const std::string& subject) const {
  if (auto it = settings_.addressByTerritory.find(territoryId);
      territoryId != 0 && it != settings_.addressByTerritory.end())
    return it->second;
  if (auto it = settings_.addressBySubject.find(subject); it != settings_.addressBySubject.end())
    return it->second;
  return settings_.defaultAddress;
}

SupportSubmission SupportService::submit(const std::optional<Actor>& actor,
                                         const SupportInput& in) {
  std::vector<FieldError> errors;
  if (in.formKey.size() < 16 || in.formKey.size() > 100)
    return SupportSubmission{domain::Checked<std::string>::failure(
        {{"", "Le formulaire n'est plus valable : rechargez la page et recommencez."}})};
  // The same form sent again (reload, double click): the first request's reference.
  if (auto ref = requests_.referenceOfKey(in.formKey))
    return SupportSubmission{domain::Checked<std::string>::success(*ref)};

  SupportRequest r;
  r.idempotencyKey = in.formKey;
  r.userId = actor ? actor->user.id : 0;
  r.userKind = in.userKind;
  r.subject = in.subject;
  r.lastName = domain::trimmed(in.lastName);
  r.firstName = domain::trimmed(in.firstName);
  r.phone = domain::trimmed(in.phone);
  r.email = normalizeEmail(in.email);
  r.message = domain::trimmed(in.message);
  if (labelOf(userKinds(), in.userKind).empty())
    errors.push_back({"vous_etes", "Indiquez qui vous êtes."});
  if (labelOf(subjects(), in.subject).empty())
    errors.push_back({"concerne", "Indiquez ce que votre demande concerne."});
  if (r.lastName.empty() || r.lastName.size() > 100)
    errors.push_back({"nom", "Indiquez votre nom (100 caractères au plus)."});
  if (r.firstName.empty() || r.firstName.size() > 100)
    errors.push_back({"prenom", "Indiquez votre prénom (100 caractères au plus)."});
  if (r.phone.size() > 30 || !std::all_of(r.phone.begin(), r.phone.end(), [](unsigned char c) {
        return std::isdigit(c) || c == ' ' || c == '+' || c == '.' || c == '-';
      }))
    errors.push_back({"telephone", "Le numéro de téléphone ne peut contenir que des chiffres."});
  if (!plausibleEmail(r.email) || r.email.size() > 254)
    errors.push_back({"email",
                      "Indiquez une adresse électronique valide, par exemple "
                      "nom@domaine.fr."});
  if (!in.territory.empty()) {
    for (const auto& t : accounts_.territories())
      if (std::to_string(t.id) == in.territory) {
        r.territoryId = t.id;
        r.territoryName = t.name;
      }
    if (r.territoryId == 0)
      errors.push_back({"territoire", "Choisissez un territoire de la liste."});
  }
  if (r.message.empty() || r.message.size() > 10000)
    errors.push_back({"message", "Décrivez votre demande (10 000 caractères au plus)."});

  // The files: how many, how big, which format, checked on the content.
  if (static_cast<int>(in.files.size()) > settings_.maxFiles) {
    errors.push_back({"pieces_jointes", "Le nombre maximal de pièces jointes est de " +
                                            std::to_string(settings_.maxFiles) + "."});
  } else {
    for (const auto& f : in.files) {
      const auto name = cleanFileName(f.fileName);
      const auto ext = extensionOf(name);
      SupportAttachment a{name, "", "", f.size};
      if (f.tooLarge || f.size > settings_.maxFileBytes) {
        errors.push_back(
            {"pieces_jointes", "« " + name + " » : la taille maximale d'une pièce jointe est de " +
                                   megabytes(settings_.maxFileBytes) + "."});
        continue;
      }
      if (std::find(kExtensions.begin(), kExtensions.end(), ext) == kExtensions.end()) {
        errors.push_back(
            {"pieces_jointes",
             "« " + name + " » : les formats autorisés sont pdf, jpeg, png, xls, ppt, potx."});
        continue;
      }
      if (f.size == 0) {
        errors.push_back({"pieces_jointes", "« " + name + " » est vide."});
        continue;
      }
      const auto check = inspector_.check(f.tempPath, ext == "jpg" ? "jpeg" : ext);
      if (!check.ok) {
        errors.push_back({"pieces_jointes", "« " + name + " » : " + check.problem});
        continue;
      }
      a.contentType = check.contentType;
      r.attachments.push_back(a);
    }
  }
  if (!errors.empty())
    return SupportSubmission{domain::Checked<std::string>::failure(std::move(errors))};

  // The files go into the database with the request, so that every server process can send
  // and serve them; a server-made name identifies each (the user's name is only a label).
  for (std::size_t i = 0; i < r.attachments.size(); ++i) {
    auto& a = r.attachments[i];
    a.storedName = tokens_.random().substr(0, 32) + "." + extensionOf(a.fileName);
    a.content = readWhole(in.files[i].tempPath);
    if (a.content.size() != a.size)
      throw AppError(ErrorCode::Internal, "upload changed size while read: " + a.fileName);
  }

  const auto now = clock_.now();
  r.createdAt = now;
  r.clientAddress = in.clientAddress;
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(now)};
  char date[16];
  std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  r.reference = std::string("SAS-") + date + "-" + domain::readableCode(tokens_.randomBytes(6));
  r.routedTo = routeFor(r.territoryId, r.subject);

  std::string fileList;
  for (const auto& a : r.attachments) fileList += (fileList.empty() ? "" : ", ") + a.fileName;
  const std::map<std::string, std::string> values{
      {"reference", r.reference},
      {"vous_etes", labelOf(userKinds(), r.userKind)},
      {"concerne", labelOf(subjects(), r.subject)},
      {"nom", r.lastName},
      {"prenom", r.firstName},
      {"telephone", r.phone.empty() ? "non indiqué" : r.phone},
      {"email", r.email},
      {"territoire", r.territoryName.empty() ? "non indiqué" : r.territoryName},
      {"message", r.message},
      {"fichiers", fileList.empty() ? "aucune" : fileList},
      {"compte", actor ? actor->user.email : "envoyée sans être connecté"},
  };
  auto routed = emails_.render("support_request", r.routedTo, values);
  for (const auto& a : r.attachments)
    routed.attachments.push_back({a.fileName, a.contentType, "", a.storedName, ""});
  // The acknowledgement goes to whatever address was typed: nothing the visitor wrote goes
  // with it (names, message, file names), only what the platform chose.
  const auto ack = emails_.render("support_ack", r.email,
                                  {{"reference", r.reference},
                                   {"concerne", labelOf(subjects(), r.subject)},
                                   {"fichiers", std::to_string(r.attachments.size())}});

  const auto created = requests_.create(r, routed, ack, settings_.quota, now);
  switch (created.outcome) {
    case SupportCreation::Outcome::Created:
      return SupportSubmission{domain::Checked<std::string>::success(r.reference)};
    case SupportCreation::Outcome::SameKey:
      // Sent twice at the same moment: the other one was stored first.
      if (auto ref = requests_.referenceOfKey(in.formKey))
        return SupportSubmission{domain::Checked<std::string>::success(*ref)};
      throw AppError(ErrorCode::Internal, "support request neither stored nor found");
    case SupportCreation::Outcome::OverQuota:
      break;
  }
  // The form comes back with what was typed and when to send it again.
  const auto wait = std::max(std::chrono::seconds{1}, created.freeAt - now);
  return {domain::Checked<std::string>::failure(
              {{"",
                "Plusieurs demandes ont déjà été envoyées avec cette adresse électronique ou "
                "depuis ce poste. Vous pourrez envoyer celle-ci dans " +
                    waitText(wait) + "."}}),
          wait};
}

int SupportService::purgeExpired() {
  const auto now = clock_.now();
  return requests_.purgeCreatedUpTo(now - settings_.retention, now);
}

void SupportService::requireReader(const Actor& actor) const {
  if (actor.user.role == Role::Administrator) return;
  if (actor.user.role == Role::TerritorialReferent && actor.user.territoryId) return;
  throw AppError(ErrorCode::Forbidden, "support requests: administrators and referents only");
}

std::vector<SupportRequest> SupportService::list(const Actor& actor) {
  requireReader(actor);
  // A référent receives the requests routed to his territory (SPEC §1): the newest of his
  // territory, not his share of the newest of all.
  return requests_.list(
      500, actor.user.role == Role::Administrator ? std::nullopt : actor.user.territoryId);
}

SupportRequest SupportService::find(const Actor& actor, std::int64_t id) {
  requireReader(actor);
  auto r = requests_.find(id);
  if (!r || (actor.user.role != Role::Administrator && r->territoryId != actor.user.territoryId))
    throw AppError(ErrorCode::NotFound, "no support request " + std::to_string(id));
  return *r;
}

SupportFile SupportService::file(const Actor& actor, std::int64_t id, std::size_t index) {
  const auto r = find(actor, id);
  if (index >= r.attachments.size()) throw AppError(ErrorCode::NotFound, "no such attachment");
  const auto& a = r.attachments[index];
  auto content = requests_.fileContent(id, index);
  if (!content) throw AppError(ErrorCode::NotFound, "attachment content missing");
  return {std::move(*content), a.fileName, a.contentType};
}

}  // namespace sas::app
