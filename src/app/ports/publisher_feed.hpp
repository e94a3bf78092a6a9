#pragma once
// Asking an interfaced booking software (a FHIR agenda publisher) for its free slots
// (docs/rules.md#publishers): one request of the SAS implementation guide's search by
// professional (INT_R01), over mutual TLS.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/publisher_feed.hpp"

namespace sas::app {

/// How to reach a publisher: PEM files named by the administrator, read from the server's disk.
struct PublisherConnection {
  std::string name;     // for logs
  std::string baseUrl;  // https://…/fhir (no trailing slash needed)
  std::string certificateFile;
  std::string keyFile;
  std::string caFile;  // the CAs trusted for the publisher's certificate
};

/// Why a request or part of an answer was refused: the publisher's page counts them by kind.
enum class FeedProblem {
  Timeout,       // no complete answer within the request's time
  Connection,    // refused, reset, DNS
  Tls,           // handshake failed (certificate refused either way)
  HttpStatus,    // not 200
  TooLarge,      // the body passed the byte cap
  NotJson,       // HTML, malformed JSON
  NotABundle,    // JSON but not a searchset Bundle
  TooManySlots,  // more Slots than the cap: the answer is refused as a whole
  SlotWithoutStart,
  DateWithoutOffset,
  BadSlot,  // no end, end ≤ start, not free, unknown professional reference…
};

/// The French words of the publisher's page for each kind.
inline const char* feedProblemLabel(FeedProblem problem) {
  switch (problem) {
    case FeedProblem::Timeout:
      return "Délai de réponse dépassé";
    case FeedProblem::Connection:
      return "Connexion impossible";
    case FeedProblem::Tls:
      return "Échec de la connexion sécurisée (certificats)";
    case FeedProblem::HttpStatus:
      return "Réponse HTTP en erreur";
    case FeedProblem::TooLarge:
      return "Réponse trop volumineuse";
    case FeedProblem::NotJson:
      return "Réponse qui n'est pas du JSON";
    case FeedProblem::NotABundle:
      return "Réponse qui n'est pas un Bundle FHIR de recherche";
    case FeedProblem::TooManySlots:
      return "Trop de créneaux dans une réponse";
    case FeedProblem::SlotWithoutStart:
      return "Créneau sans début";
    case FeedProblem::DateWithoutOffset:
      return "Date sans décalage horaire";
    case FeedProblem::BadSlot:
      return "Créneau invalide";
  }
  return "Erreur";
}

struct FeedLimits {
  std::chrono::milliseconds timeout{10'000};  // a whole request, connection to last byte
  std::size_t maxBytes = 64u << 20;
  std::size_t maxSlots = 50'000;  // per answer (25 professionals × 72 h is far below)
};

struct FeedAnswer {
  /// True when the request got a Bundle it could read (then `slots` are what passed the checks
  /// and `refused` counts the Slots left out); false when the whole request failed (`problem`).
  bool ok = false;
  FeedProblem problem = FeedProblem::Connection;
  int httpStatus = 0;
  std::string detail;  // one line for the log
  std::vector<domain::PulledSlot> slots;
  std::map<FeedProblem, int> refused;
  std::chrono::milliseconds duration{0};
};

class PublisherFeed {
 public:
  virtual ~PublisherFeed() = default;
  /// Free slots starting in [from, to] of up to 25 professionals (IDNPS). Thread-safe: the
  /// puller calls it from several threads at once. Never throws.
  virtual FeedAnswer freeSlots(const PublisherConnection& publisher,
                               const std::vector<std::string>& professionalIds,
                               domain::Instant from, domain::Instant to,
                               const FeedLimits& limits) = 0;
};

}  // namespace sas::app
