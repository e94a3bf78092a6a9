#pragma once
// What « Formulaire d'assistance » needs: a store for support requests (with their emails, in
// the same transaction) and a checker of uploaded files' content.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/accounts.hpp"
#include "domain/calendar.hpp"

namespace sas::app {

/// A file received with a form, already on disk (a temporary file that its owner removes).
struct Upload {
  std::string fileName;  // as the browser sent it: a label, never a path
  std::filesystem::path tempPath;
  std::uintmax_t size = 0;
  bool tooLarge = false;  // more bytes than allowed were sent (the rest was not kept)
};

struct SupportAttachment {
  std::string fileName;     // the user's name, cleaned (shown and used in emails)
  std::string contentType;  // checked on the content
  std::string storedName;   // a server-made unique name (the outbox refers to the file by it)
  std::uintmax_t size = 0;
  std::string content;  // the bytes: written with the request, read only by `fileContent`
};

struct SupportRequest {
  std::int64_t id = 0;
  std::string reference;       // shown to the user, e.g. SAS-20260304-7KQ2MX
  std::string idempotencyKey;  // the form's hidden token: one request per form sent
  std::int64_t userId = 0;     // 0: sent without an account
  std::string userKind;        // « Vous êtes »
  std::string subject;         // « Votre demande concerne »
  std::string lastName, firstName, phone, email;
  std::int64_t territoryId = 0;  // 0: none chosen
  std::string territoryName;
  std::string message;
  std::string routedTo;  // the support address it was sent to
  domain::Instant createdAt;
  std::vector<SupportAttachment> attachments;
  std::string clientAddress;  // where it came from (the throttle), purged with the body
  /// Set once the body (names, phone, email, message, address) and files were deleted.
  std::optional<domain::Instant> purgedAt;
};

/// How many requests one typed email and one client address may send in a sliding window.
struct SupportQuota {
  int perEmail = 3;
  int perAddress = 10;
  std::chrono::seconds window{3600};

  /// Given the instants of the requests already sent in the window, newest first, and the
  /// limit that applies: when the next one is taken (the limit-th newest leaves the window).
  domain::Instant freeAt(const std::vector<domain::Instant>& newestFirst, int limit,
                         domain::Instant now) const {
    if (limit <= 0) return now + window;
    if (static_cast<int>(newestFirst.size()) < limit) return now;
    return newestFirst[static_cast<std::size_t>(limit - 1)] + window;
  }
};

/// What `SupportRepository::create` did.
struct SupportCreation {
  enum class Outcome { Created, SameKey, OverQuota };
  Outcome outcome = Outcome::Created;
  domain::Instant freeAt;  // OverQuota: when this email and address may send again
};

class SupportRepository {
 public:
  virtual ~SupportRepository() = default;
  /// The reference of the request sent with this key, if any.
  virtual std::optional<std::string> referenceOfKey(const std::string& key) = 0;
  /// Stores the request, its files and both emails in one transaction, unless a request with
  /// the same key exists (SameKey) or the quota of its email or client address is spent
  /// (OverQuota), counted in that transaction so that a burst of requests cannot pass it
  /// together. Nothing is stored in either case. `routed`'s attachments name the request's
  /// files (`supportFile`: their stored names).
  virtual SupportCreation create(SupportRequest& request, const EmailMessage& routed,
                                 const EmailMessage& acknowledgement, const SupportQuota& quota,
                                 domain::Instant now) = 0;
  /// The newest `limit` requests first, of one territory when given (a référent's, SPEC §1);
  /// attachments without their content.
  virtual std::vector<SupportRequest> list(int limit, std::optional<std::int64_t> territoryId) = 0;
  virtual std::optional<SupportRequest> find(std::int64_t id) = 0;
  /// The bytes of a request's file (none once purged).
  virtual std::optional<std::string> fileContent(std::int64_t id, std::size_t position) = 0;
  /// Deletes the body and files of the requests created at or before `createdUpTo`; how many.
  virtual int purgeCreatedUpTo(domain::Instant createdUpTo, domain::Instant now) = 0;
};

struct FileCheck {
  bool ok = false;
  std::string contentType;  // when ok
  std::string problem;      // French, names the rule broken
};

/// Checks a file's content against its extension (pdf, jpeg, png, xls, ppt, potx).
class FileInspector {
 public:
  virtual ~FileInspector() = default;
  virtual FileCheck check(const std::filesystem::path& file,
                          const std::string& extension) const = 0;
};

// « FAQ et support »: themes read from content files at request time.
struct FaqQuestion {
  std::string id;          // anchor in the page
  std::string question;    // plain text
  std::string answerHtml;  // rendered from Markdown, raw HTML removed
};

struct FaqTheme {
  std::string slug;
  std::string title;
  std::string introHtml;
  std::vector<FaqQuestion> questions;
};

class FaqSource {
 public:
  virtual ~FaqSource() = default;
  virtual std::vector<FaqTheme> themes() const = 0;
  virtual std::optional<FaqTheme> theme(const std::string& slug) const = 0;
};

// « Espace de formation »: the documents of the content folder's manifest that exist.
struct TrainingDocument {
  std::string file;  // its name in the folder (from the manifest, never from a request)
  std::string title;
  std::string kind;  // "guide", "fiche", "video"
  std::string contentType;
  std::uintmax_t size = 0;
  std::filesystem::path path;
};

struct TrainingGroup {
  std::string title;  // a user type: « Gestionnaire de structure » …
  std::string description;
  std::vector<TrainingDocument> documents;
};

class TrainingSource {
 public:
  virtual ~TrainingSource() = default;
  virtual std::vector<TrainingGroup> groups() const = 0;
  virtual std::optional<TrainingDocument> document(const std::string& file) const = 0;
};

}  // namespace sas::app
