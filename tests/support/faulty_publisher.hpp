#pragma once
// A booking software's FHIR server for the tests of the publishers' feed (issue 21): HTTPS on
// a free loopback port with its own threads, asking for a client certificate of the test CA
// (FhirPki's server certificate and CA), answering every request the way its mode says, good
// or bad, and keeping the request targets it received.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/fhir_client.hpp"

namespace Poco {
class ThreadPool;
}
namespace Poco::Net {
class HTTPServer;
}

namespace sas::test {

class FaultyPublisher {
 public:
  enum class Mode {
    Good,                  // 200, the bundle
    Chunked,               // 200, the bundle in chunks, without Content-Length
    Slow,                  // the bundle after kSlowDelay (or nothing, when stopped first)
    Status500,             // 500 with an OperationOutcome
    Html,                  // 200, text/html
    MalformedJson,         // 200, the bundle cut in the middle
    OperationOutcome,      // 200, an OperationOutcome instead of a Bundle
    WrongProfile,          // 200, the bundle as type « collection »
    SlotsWithoutStart,     // the first Slot without start
    DatesWithoutOffset,    // the first Slot's start and end without offset
    HundredThousandSlots,  // 100,000 Slots of the bundle's first Schedule
    NeverCloses,           // headers with a Content-Length, then nothing until stopped
    Trickle,               // headers, then a byte every 50 ms until stopped
    TrickleHeaders,        // the status line, then a header's bytes one every 50 ms
    ShortBody,             // the bundle, then the connection closed before its Content-Length
  };
  /// Longer than any client timeout of the tests.
  static constexpr int kSlowDelayMs = 5'000;

  /// `certificate`: the server certificate's name in the PKI (« other-name » names another
  /// host than 127.0.0.1).
  explicit FaultyPublisher(const FhirPki& pki, const std::string& certificate = "server");
  ~FaultyPublisher();  // prompt: waiting answers give up at once
  FaultyPublisher(const FaultyPublisher&) = delete;
  FaultyPublisher& operator=(const FaultyPublisher&) = delete;

  int port() const { return port_; }
  std::string baseUrl() const { return "https://127.0.0.1:" + std::to_string(port_) + "/fhir"; }
  void setMode(Mode mode);
  /// The bundle Good answers and the other modes spoil (sampleBundle() until set).
  void setBundle(nlohmann::json bundle);
  /// The request targets (path and query, as sent) received so far, in order.
  std::vector<std::string> requests() const;

  /// A searchset Bundle of Dr Dupont (IDNPS 810000000009) with two free Slots on Friday
  /// 6 March 2026: 09:00–09:20 +01:00 in his office (AMB) with a booking link, and
  /// 10:00–10:20 +01:00 by video (VR) without one.
  static nlohmann::json sampleBundle();

  struct State;

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

}  // namespace sas::test
