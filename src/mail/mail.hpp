#pragma once
// Email adapters: Mustache templates, delivery by SMTP (POCO, STARTTLS and login when
// configured), or to a folder of .eml files (the embedded default, for a newcomer to read).
#include <filesystem>
#include <memory>
#include <string>

#include "app/ports/accounts.hpp"

namespace sas::mail {

/// Whether the outbox forgets the body of this template's emails once sent (one-time links).
bool forgetsBodyOnceSent(const std::string& templateName);

class MustacheEmailTemplates final : public app::EmailTemplates {
 public:
  explicit MustacheEmailTemplates(const std::filesystem::path& dir);
  ~MustacheEmailTemplates() override;
  app::EmailMessage render(const std::string& name, const std::string& to,
                           const std::map<std::string, std::string>& values) const override;

 private:
  std::filesystem::path dir_;
};

struct SmtpSettings {
  std::string host = "127.0.0.1";
  int port = 25;
  bool startTls = false;
  std::string username;
  std::string password;
  std::string from = "Plateforme SAS <nepasrepondre@sas.localhost>";
  int timeoutSeconds = 10;
};

class SmtpTransport final : public app::MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {}
  void send(const app::EmailMessage& message) override;

 private:
  SmtpSettings settings_;
};

/// Writes each email as an .eml file named by time and recipient.
class FileTransport final : public app::MailTransport {
 public:
  FileTransport(std::filesystem::path dir, std::string from);
  void send(const app::EmailMessage& message) override;

 private:
  std::filesystem::path dir_;
  std::string from_;
};

}  // namespace sas::mail
