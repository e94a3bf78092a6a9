// « En cas de difficulté… » (docs/rules.md#help): the FAQ by themes, « Formulaire
// d'assistance » with its files, « Espace de formation », and the administrators' list of
// support requests.
#include <chrono>
#include <cstdio>

#include "app/errors.hpp"
#include "domain/calendar.hpp"
#include "http/errors.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

std::string humanSize(std::uintmax_t bytes) {
  char out[32];
  if (bytes >= 1024 * 1024)
    std::snprintf(out, sizeof out, "%.1f Mo", static_cast<double>(bytes) / (1024.0 * 1024.0));
  else
    std::snprintf(out, sizeof out, "%ju Ko", (bytes + 1023) / 1024);
  std::string s = out;
  for (auto& c : s)
    if (c == '.') c = ',';
  return s;
}

std::string parisTime(domain::Instant t) {
  const auto* zone = domain::findZone("Europe/Paris");
  return domain::formatDate(domain::localDay(*zone, t)) + " à " +
         domain::formatTime(domain::localMinute(*zone, t));
}

/// Content-Disposition for a user's or a manifest's file name: ASCII fallback + RFC 5987.
std::string disposition(const std::string& kind, const std::string& name) {
  std::string ascii, encoded;
  for (unsigned char c : name) {
    ascii.push_back(c < 0x80 && c >= 0x20 && c != '"' && c != '\\' ? static_cast<char>(c) : '_');
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      encoded += hex;
    }
  }
  return kind + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Response fileResponse(const std::filesystem::path& path, const std::string& type,
                      const std::string& name, bool inlineView) {
  Response r;
  r.file = path;
  r.contentType = type;
  r.headers.emplace_back("Content-Disposition",
                         disposition(inlineView ? "inline" : "attachment", name));
  return r;
}

Response bytesResponse(std::string content, const std::string& type, const std::string& name) {
  Response r;
  r.body = std::move(content);
  r.contentType = type;
  r.headers.emplace_back("Content-Disposition", disposition("attachment", name));
  return r;
}

std::string kindOf(app::Role role) {
  switch (role) {
    case app::Role::StructureManager:
      return "gestionnaire_structure";
    case app::Role::AccountManager:
      return "gestionnaire_comptes";
    case app::Role::Regulator:
      return "regulateur";
    case app::Role::Ioa:
      return "ioa";
    case app::Role::Delegate:
      return "delegataire";
    case app::Role::Practitioner:
      return "effecteur";
    case app::Role::Administrator:
    case app::Role::TerritorialReferent:
      return "autre";
  }
  return "";
}

nlohmann::json choices(const std::vector<app::Choice>& list, const std::string& selected) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : list)
    out.push_back({{"code", c.code}, {"label", c.label}, {"selected", c.code == selected}});
  return out;
}

Response supportForm(HelpPageServices& s, const Request& req, const app::SupportInput& in,
                     const std::vector<domain::FieldError>& errors, bool filesDropped,
                     int status = 0) {
  auto model = layoutModel(req, "Formulaire d'assistance");
  model["formKey"] = in.formKey;
  model["values"] = {{"nom", in.lastName},
                     {"prenom", in.firstName},
                     {"telephone", in.phone},
                     {"email", in.email},
                     {"message", in.message}};
  model["kinds"] = choices(app::SupportService::userKinds(), in.userKind);
  model["subjects"] = choices(app::SupportService::subjects(), in.subject);
  nlohmann::json territories = nlohmann::json::array();
  for (const auto& t : s.support.territories())
    territories.push_back({{"id", std::to_string(t.id)},
                           {"name", t.name},
                           {"selected", std::to_string(t.id) == in.territory}});
  model["territories"] = territories;
  const auto& settings = s.support.settings();
  model["maxFiles"] = std::to_string(settings.maxFiles);
  model["maxSize"] = std::to_string(settings.maxFileBytes / (1024 * 1024)) + " Mo";
  model["errors"] = errorsModel(errors);
  nlohmann::json fileErrors = nlohmann::json::array();
  for (const auto& e : errors)
    if (e.field == "pieces_jointes") fileErrors.push_back(e.message);
  model["fileErrors"] = fileErrors;
  model["filesDropped"] = filesDropped;
  if (status == 0) status = errors.empty() ? 200 : 422;
  return Response::html(s.views.page("pages/support_form", model), status);
}

Response showFaq(HelpPageServices& s, Request& req) {
  auto model = layoutModel(req, "FAQ et support");
  nlohmann::json themes = nlohmann::json::array();
  for (const auto& t : s.faq.themes())
    themes.push_back(
        {{"slug", t.slug}, {"title", t.title}, {"count", std::to_string(t.questions.size())}});
  model["themes"] = themes;
  return Response::html(s.views.page("pages/faq", model));
}

Response showFaqTheme(HelpPageServices& s, Request& req) {
  auto theme = s.faq.theme(req.pathParams.at("theme"));
  if (!theme) throw app::AppError(app::ErrorCode::NotFound, "no FAQ theme");
  auto model = layoutModel(req, theme->title);
  model["intro"] = theme->introHtml;
  nlohmann::json questions = nlohmann::json::array();
  for (const auto& q : theme->questions)
    questions.push_back({{"id", q.id}, {"question", q.question}, {"answer", q.answerHtml}});
  model["questions"] = questions;
  return Response::html(s.views.page("pages/faq_theme", model));
}

Response showSupportForm(HelpPageServices& s, Request& req) {
  app::SupportInput in;
  in.formKey = s.support.newFormKey();
  if (req.session) {
    const auto& user = req.session->actor.user;
    in.userKind = kindOf(user.role);
    in.lastName = user.lastName;
    in.firstName = user.firstName;
    in.email = user.email;
    if (user.territoryId) in.territory = std::to_string(*user.territoryId);
  }
  if (auto subject = req.param("sujet"); !subject.empty()) in.subject = subject;
  return supportForm(s, req, in, {}, false);
}

Response sendSupportForm(HelpPageServices& s, Request& req) {
  app::SupportInput in;
  in.formKey = req.param("cle");
  in.userKind = req.param("vous_etes");
  in.subject = req.param("concerne");
  in.lastName = req.param("nom");
  in.firstName = req.param("prenom");
  in.phone = req.param("telephone");
  in.email = req.param("email");
  in.territory = req.param("territoire");
  in.message = req.param("message");
  for (const auto& f : req.files)
    in.files.push_back({f.fileName, f.path, f.size, f.tooLarge || f.path.empty()});
  in.clientAddress = req.clientAddress;
  std::optional<app::Actor> actor;
  if (req.session) actor = req.session->actor;
  const auto sent = s.support.submit(actor, in);
  if (sent.retryAfter.count() > 0) {
    // Refused for now: the form comes back with what was typed and when to send it again.
    auto page = supportForm(s, req, in, sent.result.errors, !req.files.empty(),
                            statusOf(app::ErrorCode::TooManyRequests));
    page.headers.emplace_back("Retry-After", std::to_string(sent.retryAfter.count()));
    return page;
  }
  if (!sent.result.ok()) return supportForm(s, req, in, sent.result.errors, !req.files.empty());
  return Response::redirect("/assistance/envoyee/" + *sent.result.value);
}

Response showSupportSent(HelpPageServices& s, Request& req) {
  auto model = layoutModel(req, "Demande envoyée");
  model["reference"] = req.pathParams.at("reference");
  return Response::html(s.views.page("pages/support_sent", model));
}

Response showTraining(HelpPageServices& s, Request& req) {
  auto model = layoutModel(req, "Espace de formation");
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& g : s.training.groups()) {
    nlohmann::json docs = nlohmann::json::array();
    for (const auto& d : g.documents)
      docs.push_back({{"file", d.file},
                      {"title", d.title},
                      {"video", d.kind == "video"},
                      {"type", d.contentType == "application/pdf" ? "PDF" : "Vidéo"},
                      {"size", humanSize(d.size)}});
    groups.push_back({{"title", g.title}, {"description", g.description}, {"documents", docs}});
  }
  model["groups"] = groups;
  model["empty"] = groups.empty();
  return Response::html(s.views.page("pages/training", model));
}

Response downloadTraining(HelpPageServices& s, Request& req) {
  auto doc = s.training.document(req.pathParams.at("fichier"));
  if (!doc) throw app::AppError(app::ErrorCode::NotFound, "no training document");
  return fileResponse(doc->path, doc->contentType, doc->file, doc->kind == "video");
}

Response listSupportRequests(HelpPageServices& s, Request& req) {
  auto list = s.support.list(req.actor());
  auto model = layoutModel(req, "Demandes d'assistance");
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : list) {
    nlohmann::json files = nlohmann::json::array();
    for (std::size_t i = 0; i < r.attachments.size(); ++i)
      files.push_back(
          {{"href", "/support/" + std::to_string(r.id) + "/fichiers/" + std::to_string(i + 1)},
           {"name", r.attachments[i].fileName},
           {"size", humanSize(r.attachments[i].size)}});
    std::string kind, subject;
    for (const auto& c : app::SupportService::userKinds())
      if (c.code == r.userKind) kind = c.label;
    for (const auto& c : app::SupportService::subjects())
      if (c.code == r.subject) subject = c.label;
    nlohmann::json row = {{"reference", r.reference},
                          {"date", parisTime(r.createdAt)},
                          {"name", r.firstName + " " + r.lastName},
                          {"email", r.email},
                          {"kind", kind},
                          {"subject", subject},
                          {"routedTo", r.routedTo},
                          {"message", r.message},
                          {"files", files}};
    // Mustache (kainjow) opens a section on an empty string: optional fields only when given.
    if (!r.phone.empty()) row["phone"] = r.phone;
    if (!r.territoryName.empty()) row["territory"] = r.territoryName;
    if (r.purgedAt) row["purged"] = parisTime(*r.purgedAt);
    rows.push_back(row);
  }
  model["requests"] = rows;
  model["empty"] = rows.empty();
  return Response::html(s.views.page("pages/support_list", model));
}

Response downloadSupportFile(HelpPageServices& s, Request& req) {
  const auto n = req.pathId("n");
  auto f = s.support.file(req.actor(), req.pathId("id"), static_cast<std::size_t>(n - 1));
  return bytesResponse(std::move(f.content), f.contentType, f.fileName);
}

}  // namespace

void addHelpPages(Router& router, HelpPageServices& s) {
  router.add("GET", "/faq", handle(s, showFaq));
  router.add("GET", "/faq/{theme}", handle(s, showFaqTheme));
  router.add("GET", "/assistance", handle(s, showSupportForm));
  router.add("POST", "/assistance", handle(s, sendSupportForm));
  router.add("GET", "/assistance/envoyee/{reference}", handle(s, showSupportSent));
  router.add("GET", "/formation", handle(s, showTraining));
  router.add("GET", "/formation/{fichier}", handle(s, downloadTraining));
  router.add("GET", "/support", handle(s, listSupportRequests));
  router.add("GET", "/support/{id}/fichiers/{n}", handle(s, downloadSupportFile));
}

}  // namespace sas::http
