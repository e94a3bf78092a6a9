#include "mail/mail.hpp"

#include <Poco/Net/FilePartSource.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/MultipartWriter.h>
#include <Poco/Net/QuotedPrintableEncoder.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Timestamp.h>
#include <Poco/UUIDGenerator.h>
#include <kainjow/mustache.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace sas::mail {

namespace mustache = kainjow::mustache;

namespace {

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("email template missing: " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string renderText(const std::string& source, const mustache::data& data, bool escapeHtml) {
  mustache::mustache tmpl(source);
  // Text parts and subjects are not HTML: nothing to escape there.
  if (!escapeHtml) tmpl.set_custom_escape([](const std::string& s) { return s; });
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) throw std::runtime_error("email template: " + tmpl.error_message());
  return out;
}

const char* const kAlternativeBoundary = "=_sas_alternative_7d1c0f2b";

std::string alternativeType() {
  return std::string("multipart/alternative; boundary=\"") + kAlternativeBoundary + "\"";
}

/// The body of a multipart/alternative part (text, then HTML), quoted-printable: 7-bit text.
std::string alternative(const app::EmailMessage& message) {
  std::ostringstream out;
  const std::pair<const char*, const std::string*> parts[] = {
      {"text/plain; charset=UTF-8", &message.text}, {"text/html; charset=UTF-8", &message.html}};
  for (const auto& [type, body] : parts) {
    out << "--" << kAlternativeBoundary << "\r\n"
        << "Content-Type: " << type << "\r\n"
        << "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    Poco::Net::QuotedPrintableEncoder qp(out);
    qp << *body;
    qp.close();
    out << "\r\n";
  }
  out << "--" << kAlternativeBoundary << "--\r\n";
  return out.str();
}

/// The domain of "Name <user@domain>" or "user@domain" ("localhost" when there is none).
std::string domainOf(const std::string& from) {
  const auto at = from.rfind('@');
  if (at == std::string::npos) return "localhost";
  auto end = from.find_first_of("> \t", at);
  auto domain = from.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
  return domain.empty() ? "localhost" : domain;
}

void fillMessage(Poco::Net::MailMessage& m, const std::string& from,
                 const app::EmailMessage& message) {
  m.setSender(from);
  // RFC 5322 asks for both: spam filters mark mail without them, and threads need the id.
  m.setDate(Poco::Timestamp());
  m.set("Message-ID", "<" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString() +
                          "@" + domainOf(from) + ">");
  m.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, message.to));
  m.setSubject(Poco::Net::MailMessage::encodeWord(message.subject, "UTF-8"));
  if (!message.attachments.empty()) {
    // multipart/mixed: the text and HTML versions (one multipart/alternative part), then files.
    m.setContentType("multipart/mixed");
    m.addPart("", new Poco::Net::StringPartSource(alternative(message), alternativeType()),
              Poco::Net::MailMessage::CONTENT_INLINE, Poco::Net::MailMessage::ENCODING_7BIT);
    // The sender's file name in both places: mail readers name the file after the
    // Content-Disposition filename, not after the server's stored name.
    for (const auto& a : message.attachments) {
      const auto name = Poco::Net::MailMessage::encodeWord(a.fileName, "UTF-8");
      if (a.storedPath.empty())
        m.addAttachment(name, new Poco::Net::StringPartSource(a.content, a.contentType, name),
                        Poco::Net::MailMessage::ENCODING_BASE64);
      else
        m.addAttachment(name, new Poco::Net::FilePartSource(a.storedPath, name, a.contentType),
                        Poco::Net::MailMessage::ENCODING_BASE64);
    }
    return;
  }
  m.setContentType("multipart/alternative");
  m.addPart("", new Poco::Net::StringPartSource(message.text, "text/plain; charset=UTF-8"),
            Poco::Net::MailMessage::CONTENT_INLINE,
            Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
  m.addPart("", new Poco::Net::StringPartSource(message.html, "text/html; charset=UTF-8"),
            Poco::Net::MailMessage::CONTENT_INLINE,
            Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
}

}  // namespace

bool forgetsBodyOnceSent(const std::string& templateName) {
  // One-time links (activation, reset, email change, Pro Santé Connect): a copy at rest would
  // be a working key. The routed support request: a copy of a request that is purged in time.
  static const std::set<std::string> names{"welcome",  "reset",      "email_change",
                                           "psc_link", "psc_verify", "support_request"};
  return names.contains(templateName);
}

MustacheEmailTemplates::MustacheEmailTemplates(const std::filesystem::path& dir) : dir_(dir) {}
MustacheEmailTemplates::~MustacheEmailTemplates() = default;

app::EmailMessage MustacheEmailTemplates::render(
    const std::string& name, const std::string& to,
    const std::map<std::string, std::string>& values) const {
  mustache::data data{mustache::data::type::object};
  for (const auto& [k, v] : values) data.set(k, v);
  app::EmailMessage m;
  m.to = to;
  m.forgetBodyOnceSent = forgetsBodyOnceSent(name);
  m.subject = renderText(readFile(dir_ / (name + ".subject.mustache")), data, false);
  while (!m.subject.empty() && (m.subject.back() == '\n' || m.subject.back() == '\r'))
    m.subject.pop_back();
  m.text = renderText(readFile(dir_ / (name + ".txt.mustache")), data, false);
  m.html = renderText(readFile(dir_ / (name + ".html.mustache")), data, true);
  return m;
}

void SmtpTransport::send(const app::EmailMessage& message) {
  Poco::Net::MailMessage m;
  fillMessage(m, settings_.from, message);
  const Poco::Timespan timeout(settings_.timeoutSeconds, 0);
  if (settings_.startTls) {
    Poco::Net::SecureSMTPClientSession session(settings_.host,
                                               static_cast<Poco::UInt16>(settings_.port));
    session.setTimeout(timeout);
    session.login();
    if (!session.startTLS()) throw std::runtime_error("the SMTP server refused STARTTLS");
    if (!settings_.username.empty())
      session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, settings_.username,
                    settings_.password);
    session.sendMessage(m);
    session.close();
  } else {
    Poco::Net::SMTPClientSession session(settings_.host, static_cast<Poco::UInt16>(settings_.port));
    session.setTimeout(timeout);
    if (settings_.username.empty())
      session.login();
    else
      session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, settings_.username,
                    settings_.password);
    session.sendMessage(m);
    session.close();
  }
}

FileTransport::FileTransport(std::filesystem::path dir, std::string from)
    : dir_(std::move(dir)), from_(std::move(from)) {
  std::filesystem::create_directories(dir_);
}

void FileTransport::send(const app::EmailMessage& message) {
  static std::atomic<unsigned> counter{0};
  Poco::Net::MailMessage m;
  fillMessage(m, from_, message);
  const auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  std::string safe;
  for (char ch : message.to) safe += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  const auto path =
      dir_ / (std::to_string(stamp) + "-" + std::to_string(counter++) + "-" + safe + ".eml");
  std::ofstream out(path, std::ios::binary);
  m.write(out);
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace sas::mail
