#include "publishers/fhir_feed.hpp"

#include <Poco/Crypto/EVPPKey.h>
#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/URI.h>
#include <date/date.h>

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <fstream>
#include <istream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>

#include "publishers/bundle_reader.hpp"

namespace sas::publishers {

namespace {

using Clock = std::chrono::steady_clock;

// Unreserved characters and « : » (a pchar) stay as they are; everything else, « | » and
// « , » inside a value included, is percent-encoded.
std::string encodeValue(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const unsigned char c : value) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == ':';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string utc(domain::Instant t) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", t);
}

// Log lines stay one line and short, whatever the library or the publisher wrote.
std::string oneLine(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  constexpr std::size_t kMax = 300;
  if (text.size() > kMax) text = text.substr(0, kMax) + "…";
  return text;
}

Poco::Timespan span(std::chrono::milliseconds ms) {
  const auto total = std::max<std::chrono::milliseconds::rep>(ms.count(), 1);
  return Poco::Timespan(static_cast<long>(total / 1000), static_cast<long>(total % 1000) * 1000);
}

// Rounded up, so that a socket's timeout never ends before the deadline it stands for.
std::chrono::milliseconds left(Clock::time_point deadline) {
  return std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
}

std::filesystem::file_time_type stamp(const std::string& file) {
  std::error_code ec;
  const auto t = std::filesystem::last_write_time(file, ec);
  return ec ? std::filesystem::file_time_type::min() : t;
}

// Where a request stood when it failed: the same exception means different things before and
// after the handshake.
enum class Phase { Connecting, Headers, Body };

}  // namespace

std::string slotSearchQuery(const std::vector<std::string>& professionalIds, domain::Instant from,
                            domain::Instant to) {
  std::string ids;
  for (const auto& id : professionalIds) {
    if (!ids.empty()) ids += ',';
    ids += encodeValue(std::string(kIdnpsSystem) + "|" + id);
  }
  return "_include=Slot:schedule&_include:iterate=Schedule:actor&start=ge" +
         encodeValue(utc(from)) + "&start=le" + encodeValue(utc(to)) +
         "&schedule.actor:Practitioner.identifier=" + ids + "&status=free";
}

// Socket timeouts bound each read, not the whole: a publisher trickling its headers or its
// chunks' sizes one byte at a time would outlive the deadline. At the deadline the watchdog
// shuts the connection down, and the read under way ends at once.
class FhirPublisherFeed::Watchdog {
 public:
  Watchdog() : thread_([this] { run(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  /// Watches `fd` until release(ticket), which must come before the socket is closed.
  std::uint64_t watch(Clock::time_point deadline, int fd) {
    std::lock_guard lock(mutex_);
    const auto ticket = ++next_;
    watched_.emplace(ticket, Watched{deadline, fd});
    // Woken only for a deadline before the one it waits for: requests share one timeout, so
    // each new deadline comes after those watched, and a pull's thousands of requests would
    // otherwise each wake this thread, at normal priority, on the cores the search uses.
    if (deadline < waitingUntil_) wake_.notify_all();
    return ticket;
  }
  void release(std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    watched_.erase(ticket);
  }

 private:
  struct Watched {
    Clock::time_point deadline;
    int fd;
  };
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      const auto now = Clock::now();
      auto next = Clock::time_point::max();
      for (auto it = watched_.begin(); it != watched_.end();) {
        if (it->second.deadline <= now) {
          // Under the lock: release() has not returned, so the descriptor is still the
          // session's. Reading only: the read under way ends, and the session's close_notify
          // later is not written to a socket shut for writing (SIGPIPE).
          ::shutdown(it->second.fd, SHUT_RD);
          it = watched_.erase(it);
        } else {
          next = std::min(next, it->second.deadline);
          ++it;
        }
      }
      waitingUntil_ = next;
      if (next == Clock::time_point::max())
        wake_.wait(lock);
      else
        wake_.wait_until(lock, next);
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t next_ = 0;
  // When run() wakes by itself; a watch() before it has first looked is seen then, under the lock.
  Clock::time_point waitingUntil_ = Clock::time_point::max();
  std::map<std::uint64_t, Watched> watched_;
  std::thread thread_;  // last: started once the rest is ready
};

FhirPublisherFeed::FhirPublisherFeed(std::string placeSystem)
    : placeSystem_(std::move(placeSystem)), watchdog_(std::make_unique<Watchdog>()) {
  // Once per process, never undone: other threads may hold sessions until exit.
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // OpenSSL writes with write(): a publisher that reset the connection would raise SIGPIPE,
    // whose default ends the process. Ignored: the write fails and the request is a failure.
    std::signal(SIGPIPE, SIG_IGN);
  });
}

FhirPublisherFeed::~FhirPublisherFeed() = default;

namespace {

// The PEM certificates of a file, in order. Not X509Certificate::readPEM: on a file without a
// certificate it throws before it frees its BIO (a leak ASan shows); each block is read from
// memory instead, where POCO frees it first.
std::vector<Poco::Crypto::X509Certificate> readCertificates(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  std::vector<Poco::Crypto::X509Certificate> out;
  for (auto at = text.find(kBegin); at != std::string::npos; at = text.find(kBegin, at)) {
    const auto end = text.find(kEnd, at);
    if (end == std::string::npos) break;
    std::istringstream block(text.substr(at, end + kEnd.size() - at) + "\n");
    out.emplace_back(block);
    at = end + kEnd.size();
  }
  return out;
}

}  // namespace

Poco::Net::Context::Ptr FhirPublisherFeed::context(const app::PublisherConnection& publisher) {
  Files files{publisher.certificateFile, publisher.keyFile, publisher.caFile};
  Stamps stamps{stamp(publisher.certificateFile), stamp(publisher.keyFile),
                stamp(publisher.caFile)};
  std::lock_guard lock(mutex_);
  if (auto it = contexts_.find(files); it != contexts_.end() && it->second.stamps == stamps)
    return it->second.context;
  // Each file readable before POCO sees it: its Context constructor, given a CA path that does
  // not exist, throws before it frees the OpenSSL context it made (a leak ASan shows).
  for (const auto* path : {&publisher.certificateFile, &publisher.keyFile, &publisher.caFile})
    if (!std::ifstream(*path).good())
      throw Poco::Net::SSLContextException("fichier illisible : " + *path);
  Poco::Net::Context::Params p;
  // The publisher's certificate must chain to its CA and name the host (POCO checks the name
  // of loopback addresses too in strict mode); ours must be there for it to check.
  p.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  p.loadDefaultCAs = false;
  p.caLocation = publisher.caFile;
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  // The certificate before the key: OpenSSL then refuses a key that is not the certificate's,
  // where loading them the other way round silently drops the key.
  const auto chain = readCertificates(publisher.certificateFile);
  if (chain.empty())
    throw Poco::Net::SSLContextException("aucun certificat dans " + publisher.certificateFile);
  ctx->useCertificate(chain.front());
  for (std::size_t i = 1; i < chain.size(); ++i) ctx->addChainCertificate(chain[i]);
  ctx->usePrivateKey(Poco::Crypto::EVPPKey("", publisher.keyFile));
  contexts_[files] = {stamps, ctx};
  return ctx;
}

app::FeedAnswer FhirPublisherFeed::freeSlots(const app::PublisherConnection& publisher,
                                             const std::vector<std::string>& professionalIds,
                                             domain::Instant from, domain::Instant to,
                                             const app::FeedLimits& limits) {
  const auto started = Clock::now();
  const auto deadline = started + limits.timeout;
  app::FeedAnswer answer;
  const auto finish = [&]() -> app::FeedAnswer {
    answer.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return std::move(answer);
  };
  const auto fail = [&](app::FeedProblem problem, const std::string& detail) {
    answer.ok = false;
    answer.problem = problem;
    answer.detail = oneLine(detail);
    answer.slots.clear();
    return finish();
  };
  const auto timeout = [&] {
    return fail(app::FeedProblem::Timeout,
                "pas de réponse complète en " + std::to_string(limits.timeout.count()) + " ms");
  };
  if (professionalIds.empty()) {
    answer.ok = true;
    return finish();
  }

  Phase phase = Phase::Connecting;
  try {
    std::string base = publisher.baseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    Poco::URI uri;
    try {
      uri = Poco::URI(base);
    } catch (const Poco::Exception&) {
      return fail(app::FeedProblem::Connection, "adresse invalide « " + base + " »");
    }
    if (uri.getScheme() != "https" || uri.getHost().empty())
      return fail(app::FeedProblem::Tls, "adresse sans https « " + base + " »");

    Poco::Net::Context::Ptr ctx;
    try {
      ctx = context(publisher);
    } catch (const Poco::Exception& e) {
      return fail(app::FeedProblem::Tls,
                  "certificat client, clé ou AC inutilisables : " + e.displayText());
    }

    Poco::Net::HTTPSClientSession session(uri.getHost(), uri.getPort(), ctx);
    session.setKeepAlive(false);
    const auto budget = left(deadline);
    if (budget.count() <= 0) return timeout();
    // POCO's TLS socket may wait twice its timeout on a read (the read, then a poll), and
    // connects within one timeout then shakes hands within up to two: thirds of what is left
    // keep the whole within the deadline.
    session.setTimeout(span(budget / 3), span(budget / 3), span(budget / 3));
    Poco::Net::HTTPRequest request(
        Poco::Net::HTTPRequest::HTTP_GET,
        uri.getPathEtc() + "/Slot?" + slotSearchQuery(professionalIds, from, to),
        Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", "application/fhir+json");
    session.sendRequest(request);
    // Connected: from here to the last byte, the deadline holds whatever the publisher sends.
    struct Watching {
      Watchdog& watchdog;
      std::uint64_t ticket;
      ~Watching() { watchdog.release(ticket); }
    } const watching{*watchdog_, watchdog_->watch(deadline, session.socket().impl()->sockfd())};

    phase = Phase::Headers;
    if (left(deadline).count() <= 0) return timeout();
    session.socket().setReceiveTimeout(span(left(deadline) / 2));
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    answer.httpStatus = static_cast<int>(response.getStatus());
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
      return fail(app::FeedProblem::HttpStatus,
                  "HTTP " + std::to_string(answer.httpStatus) + " " + response.getReason());

    phase = Phase::Body;
    const auto tooLarge = [&] {
      return fail(app::FeedProblem::TooLarge,
                  "réponse de plus de " + std::to_string(limits.maxBytes) + " octets");
    };
    if (response.hasContentLength() &&
        static_cast<std::uint64_t>(response.getContentLength64()) > limits.maxBytes)
      return tooLarge();
    // The stream's failures surface as the exceptions they are, not as a silent end.
    in.exceptions(std::ios::badbit);
    std::string body;
    if (response.hasContentLength())
      body.reserve(static_cast<std::size_t>(response.getContentLength64()));
    std::array<char, 16384> chunk;
    // One blocking read at a time (get() refills the buffer once), then what it brought: a
    // publisher sending a byte now and then is caught at the deadline, not at its last byte.
    for (;;) {
      const auto remaining = left(deadline);
      if (remaining.count() <= 0) return timeout();
      session.socket().setReceiveTimeout(span(remaining / 2));
      const int first = in.get();
      if (first == std::char_traits<char>::eof()) break;
      body += static_cast<char>(first);
      const auto n = in.readsome(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      body.append(chunk.data(), static_cast<std::size_t>(n));
      if (body.size() > limits.maxBytes) return tooLarge();
    }
    if (Clock::now() >= deadline) return timeout();
    if (response.hasContentLength() &&
        body.size() < static_cast<std::uint64_t>(response.getContentLength64()))
      return fail(app::FeedProblem::Connection,
                  "réponse tronquée : " + std::to_string(body.size()) + " octets sur " +
                      std::to_string(response.getContentLength64()));

    auto reading = readSlotBundle(body, limits.maxSlots, placeSystem_);
    if (!reading.ok) return fail(reading.problem, reading.detail);
    answer.ok = true;
    answer.slots = std::move(reading.slots);
    answer.refused = std::move(reading.refused);
    return finish();
  } catch (const Poco::TimeoutException&) {
    return timeout();
  } catch (const Poco::Net::SSLConnectionUnexpectedlyClosedException& e) {
    if (Clock::now() >= deadline) return timeout();
    // Closed in the middle of the body: a connection lost; before any answer, the handshake's
    // end as a TLS 1.3 server refusing our certificate does it.
    return fail(phase == Phase::Body ? app::FeedProblem::Connection : app::FeedProblem::Tls,
                "connexion fermée par l'éditeur : " + e.displayText());
  } catch (const Poco::Net::ConnectionResetException& e) {
    if (Clock::now() >= deadline) return timeout();
    // Reset before any answer: a TLS 1.3 server refusing our certificate after the handshake
    // closes on the request it did not read.
    return fail(phase == Phase::Body ? app::FeedProblem::Connection : app::FeedProblem::Tls,
                std::string(phase == Phase::Body ? "réponse interrompue : "
                                                 : "connexion coupée avant toute réponse "
                                                   "(certificat client refusé ?) : ") +
                    e.displayText());
  } catch (const Poco::Net::SSLException& e) {
    if (Clock::now() >= deadline) return timeout();
    return fail(app::FeedProblem::Tls, "connexion sécurisée refusée : " + e.displayText());
  } catch (const Poco::Exception& e) {
    if (Clock::now() >= deadline) return timeout();
    return fail(app::FeedProblem::Connection,
                std::string(phase == Phase::Connecting ? "éditeur injoignable : "
                                                       : "réponse interrompue : ") +
                    e.displayText());
  } catch (const std::exception& e) {
    if (Clock::now() >= deadline) return timeout();
    return fail(app::FeedProblem::Connection, std::string("requête échouée : ") + e.what());
  }
}

}  // namespace sas::publishers
