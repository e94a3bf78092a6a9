#include "support/raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace sas::test {

RawSocket::RawSocket(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect");
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawSocket::~RawSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawSocket::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

long RawSocket::readSome(std::chrono::milliseconds within) {
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(within.count()));
  if (ready <= 0) return -1;
  char chunk[16384];
  const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n < 0 && errno == ECONNRESET) reset_ = true;
  if (n <= 0) return 0;  // end of file, or reset
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return n;
}

bool RawSocket::closedWithin(std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return false;
    const long n = readSome(left);
    if (n == 0) return true;
    if (n < 0) return false;
  }
}

bool RawSocket::quietFor(std::chrono::milliseconds during) {
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(during.count())) == 0;
}

std::optional<RawResponse> RawSocket::response(std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  auto waitFor = [&](auto enough) {
    while (!enough()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() < 0 || readSome(left) <= 0) return enough();
    }
    return true;
  };
  std::size_t end = std::string::npos;
  if (!waitFor([&] { return (end = buffer_.find("\r\n\r\n")) != std::string::npos; }))
    return std::nullopt;
  RawResponse r;
  const std::string head = buffer_.substr(0, end);
  if (head.size() < 12) return std::nullopt;
  r.status = std::stoi(head.substr(9, 3));
  std::size_t start = head.find("\r\n");
  while (start != std::string::npos && start < head.size()) {
    start += 2;
    auto stop = head.find("\r\n", start);
    const auto line =
        head.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      auto& h = r.headers[name];
      h += (h.empty() ? "" : "\n") + value;
    }
    start = stop;
  }
  std::size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end())
    length = std::stoul(it->second);
  const std::size_t total = end + 4 + length;
  if (!waitFor([&] { return buffer_.size() >= total; })) return std::nullopt;
  r.body = buffer_.substr(end + 4, length);
  buffer_.erase(0, total);
  return r;
}

}  // namespace sas::test
