#include "support/faulty_publisher.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <ostream>

namespace sas::test {

using nlohmann::json;

struct FaultyPublisher::State {
  mutable std::mutex mutex;
  std::condition_variable stopped;
  bool stopping = false;
  Mode mode = Mode::Good;
  json bundle = FaultyPublisher::sampleBundle();
  std::string hundredThousand;  // made on first use, for this bundle
  std::vector<std::string> requests;

  /// Waits up to `ms`; true when the publisher is stopping.
  bool waitOrStop(std::chrono::milliseconds ms) {
    std::unique_lock lock(mutex);
    return stopped.wait_for(lock, ms, [&] { return stopping; });
  }
};

namespace {

using Mode = FaultyPublisher::Mode;

json outcome(const std::string& code, const std::string& text) {
  return {{"resourceType", "OperationOutcome"},
          {"issue", json::array({{{"severity", "error"}, {"code", code}, {"diagnostics", text}}})}};
}

// The bundle with its first Slot changed by `change`.
json withFirstSlot(json bundle, const std::function<void(json&)>& change) {
  for (auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == "Slot") {
      change(e["resource"]);
      break;
    }
  return bundle;
}

std::string withoutOffset(const std::string& dateTime) {
  // 2026-03-06T09:00:00+01:00 → 2026-03-06T09:00:00
  return dateTime.size() > 19 ? dateTime.substr(0, 19) : dateTime;
}

// Written as text: building 100,000 JSON values would hold the test up for seconds.
std::string hundredThousandSlots(const json& bundle) {
  json others = json::array();
  json slot;
  for (const auto& e : bundle["entry"]) {
    if (e["resource"]["resourceType"] != "Slot")
      others.push_back(e);
    else if (slot.is_null())
      slot = e;
  }
  slot["resource"]["id"] = "@ID@";
  slot["fullUrl"] = "Slot/@ID@";
  const auto text = slot.dump();
  const auto first = text.find("@ID@");
  const auto second = text.find("@ID@", first + 4);
  json head = bundle;
  head["total"] = 100'000;
  head["entry"] = std::move(others);
  auto out = head.dump();  // …"entry":[others…]…
  const auto entries = out.find("\"entry\":[") + 9;
  std::string slots;
  slots.reserve(100'000 * (text.size() + 8));
  for (int i = 0; i < 100'000; ++i) {
    const auto id = "many-" + std::to_string(i);
    slots += text.substr(0, first);
    slots += id;
    slots.append(text, first + 4, second - first - 4);
    slots += id;
    slots.append(text, second + 4);
    slots += ',';
  }
  out.insert(entries, slots);
  return out;
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<FaultyPublisher::State> state) : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    Mode mode;
    json bundle;
    {
      std::lock_guard lock(state_->mutex);
      state_->requests.push_back(request.getURI());
      mode = state_->mode;
      if (mode != Mode::HundredThousandSlots) bundle = state_->bundle;
    }
    try {
      if (mode == Mode::TrickleHeaders)
        return trickleHeaders(static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket());
      answer(mode, std::move(bundle), response);
    } catch (const Poco::Exception&) {
      // The client went away (its timeout): nothing left to answer.
    }
  }

 private:
  void answer(Mode mode, json bundle, Poco::Net::HTTPServerResponse& response) {
    switch (mode) {
      case Mode::Good:
        return send(response, 200, "application/fhir+json", bundle.dump());
      case Mode::Chunked: {
        response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        response.setContentType("application/fhir+json");
        response.setChunkedTransferEncoding(true);
        std::ostream& out = response.send();
        const auto text = bundle.dump();
        for (std::size_t at = 0; at < text.size(); at += 100)
          out << text.substr(at, 100) << std::flush;
        return;
      }
      case Mode::Slow:
        if (state_->waitOrStop(std::chrono::milliseconds(FaultyPublisher::kSlowDelayMs))) return;
        return send(response, 200, "application/fhir+json", bundle.dump());
      case Mode::Status500:
        return send(response, 500, "application/fhir+json",
                    outcome("exception", "Erreur interne").dump());
      case Mode::Html:
        return send(response, 200, "text/html; charset=utf-8",
                    "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>");
      case Mode::MalformedJson: {
        const auto text = bundle.dump();
        return send(response, 200, "application/fhir+json", text.substr(0, text.size() / 2));
      }
      case Mode::OperationOutcome:
        return send(response, 200, "application/fhir+json",
                    outcome("processing", "Recherche impossible").dump());
      case Mode::WrongProfile:
        bundle["type"] = "collection";
        return send(response, 200, "application/fhir+json", bundle.dump());
      case Mode::SlotsWithoutStart:
        return send(response, 200, "application/fhir+json",
                    withFirstSlot(bundle, [](json& s) { s.erase("start"); }).dump());
      case Mode::DatesWithoutOffset:
        return send(response, 200, "application/fhir+json", withFirstSlot(bundle, [](json& s) {
                                                              s["start"] =
                                                                  withoutOffset(s["start"]);
                                                              s["end"] = withoutOffset(s["end"]);
                                                            }).dump());
      case Mode::HundredThousandSlots: {
        std::string text;
        {
          std::lock_guard lock(state_->mutex);
          if (state_->hundredThousand.empty())
            state_->hundredThousand = hundredThousandSlots(state_->bundle);
          text = state_->hundredThousand;
        }
        return send(response, 200, "application/fhir+json", text);
      }
      case Mode::NeverCloses: {
        response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        response.setContentType("application/fhir+json");
        response.setContentLength(1000);
        response.send().flush();
        state_->waitOrStop(std::chrono::hours(1));
        return;
      }
      case Mode::TrickleHeaders:
        return;  // handled with the request's socket
      case Mode::ShortBody: {
        const auto text = bundle.dump();
        response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        response.setContentType("application/fhir+json");
        response.setContentLength64(static_cast<Poco::Int64>(text.size() + 100));
        response.send() << text << std::flush;
        return;  // the connection is not kept: it closes
      }
      case Mode::Trickle: {
        response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        response.setContentType("application/fhir+json");
        response.setContentLength(10'000'000);
        std::ostream& out = response.send();
        out << '{' << std::flush;
        while (out && !state_->waitOrStop(std::chrono::milliseconds(50))) out << ' ' << std::flush;
        return;
      }
    }
  }

  // Below POCO's response, which writes its headers in one go.
  void trickleHeaders(Poco::Net::StreamSocket& socket) {
    const std::string start = "HTTP/1.1 200 OK\r\nX-Patience: ";
    socket.sendBytes(start.data(), static_cast<int>(start.size()));
    while (!state_->waitOrStop(std::chrono::milliseconds(50))) socket.sendBytes("a", 1);
  }

  static void send(Poco::Net::HTTPServerResponse& response, int status,
                   const std::string& contentType, const std::string& body) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(contentType);
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    response.send() << body << std::flush;
  }

  std::shared_ptr<FaultyPublisher::State> state_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<FaultyPublisher::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<FaultyPublisher::State> state_;
};

}  // namespace

FaultyPublisher::FaultyPublisher(const FhirPki& pki, const std::string& certificate)
    : state_(std::make_shared<State>()) {
  Poco::Net::Context::Params p;
  p.certificateFile = pki.file(certificate + ".pem");
  p.privateKeyFile = pki.file(certificate + "-key.pem");
  p.caLocation = pki.file("ca.pem");
  p.loadDefaultCAs = false;
  // A client without a certificate of the test CA is refused at the handshake.
  p.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::SERVER_USE, p);
  // POCO would also ask the client's certificate to name the client's address.
  context->enableExtendedCertificateVerification(false);
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
  port_ = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(false);
  params->setTimeout(Poco::Timespan(5, 0));
  params->setMaxThreads(32);
  params->setMaxQueued(64);
  pool_ = std::make_unique<Poco::ThreadPool>(2, 32);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), *pool_, socket, params);
  server_->start();
}

FaultyPublisher::~FaultyPublisher() {
  server_->stop();  // no new connection
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->stopped.notify_all();
  pool_->joinAll();  // the answers under way end at once
  server_.reset();
}

void FaultyPublisher::setMode(Mode mode) {
  std::lock_guard lock(state_->mutex);
  state_->mode = mode;
}

void FaultyPublisher::setBundle(json bundle) {
  std::lock_guard lock(state_->mutex);
  state_->bundle = std::move(bundle);
  state_->hundredThousand.clear();
}

std::vector<std::string> FaultyPublisher::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

json FaultyPublisher::sampleBundle() {
  const std::string base = "https://editeur.test/fhir/";
  const auto entry = [&](const std::string& type, const std::string& id, json resource,
                         bool match) {
    resource["resourceType"] = type;
    resource["id"] = id;
    return json{{"fullUrl", base + type + "/" + id},
                {"resource", std::move(resource)},
                {"search", {{"mode", match ? "match" : "include"}}}};
  };
  const auto act = [](const std::string& code) {
    return json{
        {"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
                                 {"code", code}}})}};
  };
  json entries = json::array();
  entries.push_back(entry("Slot", "dupont-1",
                          {{"schedule", {{"reference", "Schedule/dupont"}}},
                           {"status", "free"},
                           {"serviceType", json::array({act("AMB")})},
                           {"start", "2026-03-06T09:00:00+01:00"},
                           {"end", "2026-03-06T09:20:00+01:00"},
                           {"comment", "https://editeur.test/rdv/dupont-1"}},
                          true));
  entries.push_back(entry("Slot", "dupont-2",
                          {{"schedule", {{"reference", "Schedule/dupont"}}},
                           {"status", "free"},
                           {"serviceType", json::array({act("VR")})},
                           {"start", "2026-03-06T10:00:00+01:00"},
                           {"end", "2026-03-06T10:20:00+01:00"}},
                          true));
  entries.push_back(entry("Schedule", "dupont",
                          {{"actor", json::array({{{"reference", "Practitioner/810000000009"}}})}},
                          false));
  entries.push_back(
      entry("Practitioner", "810000000009",
            {{"identifier",
              json::array({{{"type",
                             {{"coding", json::array({{{"system",
                                                        "https://hl7.fr/ig/fhir/core/CodeSystem/"
                                                        "fr-core-cs-v2-0203"},
                                                       {"code", "IDNPS"}}})}}},
                            {"system", "urn:oid:1.2.250.1.71.4.2.1"},
                            {"value", "810000000009"}}})},
             {"name", json::array({{{"family", "Dupont"}}})}},
            false));
  return {{"resourceType", "Bundle"},
          {"type", "searchset"},
          {"total", 2},
          {"entry", std::move(entries)}};
}

}  // namespace sas::test
