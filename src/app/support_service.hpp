#pragma once
// « Formulaire d'assistance » (docs/rules.md#help): a request with up to three checked files,
// stored, routed by email to the support address of its territory and subject, acknowledged
// with a reference number; administrators list the requests and read their files.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/actor.hpp"
#include "app/ports/accounts.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/security.hpp"
#include "app/ports/support.hpp"
#include "domain/checked.hpp"

namespace sas::app {

struct SupportSettings {
  int maxFiles = 3;
  std::uintmax_t maxFileBytes = 10485760;  // 10 Mo
  /// The body and files of a request are deleted this long after it was sent.
  std::chrono::seconds retention{std::chrono::hours{24 * 90}};
  SupportQuota quota;  // requests per typed email and per client address
  std::string defaultAddress = "support@sas.localhost";
  std::map<std::int64_t, std::string> addressByTerritory;  // territory id → address
  std::map<std::string, std::string> addressBySubject;     // subject code → address
};

struct SupportInput {
  std::string formKey;        // the hidden token of the form (one request per form)
  std::string clientAddress;  // where it comes from (throttle)
  std::string userKind, subject, lastName, firstName, phone, email, territory, message;
  std::vector<Upload> files;  // file fields left empty are not here
};

struct Choice {
  std::string code;
  std::string label;
};

/// A stored file ready to be sent back to an administrator.
struct SupportFile {
  std::string content;
  std::string fileName;
  std::string contentType;
};

/// « Envoyer » of the support form: the reference of the request stored, or the errors of the
/// refused form; over the quota, also how long before a request is taken again.
struct SupportSubmission {
  domain::Checked<std::string> result;
  std::chrono::seconds retryAfter{0};  // > 0: refused for now (the quota)
};

class SupportService {
 public:
  SupportService(SupportRepository& requests, AccountRepository& accounts,
                 const FileInspector& inspector, const EmailTemplates& emails, const Tokens& tokens,
                 const Clock& clock, SupportSettings settings);

  static const std::vector<Choice>& userKinds();  // « Vous êtes »
  static const std::vector<Choice>& subjects();   // « Votre demande concerne »
  std::vector<Territory> territories();
  const SupportSettings& settings() const { return settings_; }
  /// A fresh key for a form shown.
  std::string newFormKey() const { return tokens_.random(); }
  /// The support address for this territory (0: none) and subject.
  std::string routeFor(std::int64_t territoryId, const std::string& subject) const;

  /// Checks and stores the request; its reference. Sent twice with the same form key, the
  /// second answer is the first request's reference and nothing more is stored or sent.
  /// Refused for now (with the wait and a message saying it) once the typed email or the
  /// client address has sent its quota of requests in the window.
  SupportSubmission submit(const std::optional<Actor>& actor, const SupportInput& in);
  /// Deletes the body and files of the requests sent `retention` ago or more; how many.
  int purgeExpired();

  /// Administrators: every request; a référent territorial: those routed to his territory
  /// (another's is NotFound); Forbidden for anybody else.
  std::vector<SupportRequest> list(const Actor& actor);
  SupportRequest find(const Actor& actor, std::int64_t id);
  SupportFile file(const Actor& actor, std::int64_t id, std::size_t index);

 private:
  void requireReader(const Actor& actor) const;

  SupportRepository& requests_;
  AccountRepository& accounts_;
  const FileInspector& inspector_;
  const EmailTemplates& emails_;
  const Tokens& tokens_;
  const Clock& clock_;
  SupportSettings settings_;
};

/// The user's file name cleaned to a plain label: no folders, no control characters.
std::string cleanFileName(const std::string& name);

}  // namespace sas::app
