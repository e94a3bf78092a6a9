#pragma once
// A real SMTP server for the tests: aiosmtpd (Debian python3-aiosmtpd) keeping every message
// in a Maildir that the test reads.
#include <filesystem>
#include <string>
#include <vector>

namespace sas::test {

class SmtpSink {
 public:
  SmtpSink();  // starts on a free loopback port
  ~SmtpSink();
  int port() const { return port_; }
  void stop();
  void start();  // again, on the same port
  /// Raw messages received so far (quoted-printable soft line breaks undone), oldest first.
  std::vector<std::string> messages() const;
  /// Messages to this address.
  std::vector<std::string> messagesTo(const std::string& address) const;
  /// The first link in the message that starts with `prefix` (e.g. "http://x/activation/").
  static std::string link(const std::string& message, const std::string& prefix);

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  int pid_ = 0;
};

}  // namespace sas::test
