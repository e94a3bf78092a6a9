#pragma once
// A bare TCP connection to the server, for what an HTTP client library will not send: half a
// request, a body that stops, a 17 KiB header, a malformed Content-Length, pipelined requests.
// Every wait is on the socket (poll), never a sleep.
#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace sas::test {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class RawSocket {
 public:
  explicit RawSocket(int port);
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  /// Sends all of `bytes`; false when the server has closed the connection.
  bool send(const std::string& bytes);
  /// Waits up to `within` for the server to close the connection (end of file or reset),
  /// reading and keeping whatever comes first. True when it closed in time.
  bool closedWithin(std::chrono::milliseconds within);
  /// Whether the connection stays open, with nothing to read, for `during`.
  bool quietFor(std::chrono::milliseconds during);
  /// Reads one response (head, then Content-Length bytes of body) within `within`.
  std::optional<RawResponse> response(std::chrono::milliseconds within = std::chrono::seconds{10});
  /// Whether the server reset the connection (rather than closing it cleanly).
  bool wasReset() const { return reset_; }
  /// Everything received so far that no response() took.
  const std::string& received() const { return buffer_; }

 private:
  /// Reads what is there within `within`: >0 bytes read, 0 closed, -1 nothing in time.
  long readSome(std::chrono::milliseconds within);
  int fd_ = -1;
  bool reset_ = false;
  std::string buffer_;
};

}  // namespace sas::test
