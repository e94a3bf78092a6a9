#include "support/smtp_sink.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/child_process.hpp"

namespace sas::test {

SmtpSink::SmtpSink() {
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() / ("sas-smtp-" + std::to_string(rd()));
  std::filesystem::create_directories(dir_);
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = probe.address().port();
  probe.close();
  start();
}

SmtpSink::~SmtpSink() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void SmtpSink::start() {
  const std::string listen = "127.0.0.1:" + std::to_string(port_);
  const std::string maildir = (dir_ / "maildir").string();
  pid_ = fork();
  if (pid_ == 0) {
    execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
          "aiosmtpd.handlers.Mailbox", maildir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (!acceptsConnections(port_, std::chrono::seconds{5}))
    throw std::runtime_error("aiosmtpd did not start (is python3-aiosmtpd installed?)");
}

void SmtpSink::stop() {
  endChild(pid_);
}

std::vector<std::string> SmtpSink::messages() const {
  std::vector<std::filesystem::path> files;
  for (const char* sub : {"new", "cur"}) {
    const auto d = dir_ / "maildir" / sub;
    if (!std::filesystem::exists(d)) continue;
    for (const auto& e : std::filesystem::directory_iterator(d)) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return std::filesystem::last_write_time(a) < std::filesystem::last_write_time(b);
  });
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string text = std::regex_replace(s.str(), std::regex("=\r?\n"), "");
    text = std::regex_replace(text, std::regex("=3D"), "=");
    out.push_back(text);
  }
  return out;
}

std::vector<std::string> SmtpSink::messagesTo(const std::string& address) const {
  std::vector<std::string> out;
  for (auto& m : messages())
    if (m.find("To: " + address) != std::string::npos) out.push_back(m);
  return out;
}

std::string SmtpSink::link(const std::string& message, const std::string& prefix) {
  const auto pos = message.find(prefix);
  if (pos == std::string::npos) return {};
  auto end = pos + prefix.size();
  while (end < message.size() && (std::isalnum(static_cast<unsigned char>(message[end])) ||
                                  message[end] == '-' || message[end] == '_'))
    ++end;
  return message.substr(pos, end - pos);
}

}  // namespace sas::test
