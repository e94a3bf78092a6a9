// Interfaced booking software (issue 21, docs/benchmarks.md « Publishers' pull »): three
// synthetic publishers over mutual TLS, each publishing for a third of the directory
// professionals that bench/publishers_bench.sh seeded (one per place, at a structure with a
// SIRET), pulled as the background job pulls them, while the regulators' search is timed.
// Not part of CI.
//
//   bench_publishers --db sqlite:F --pki DIR [--concurrency 4] [--queries 5000]
//                    [--every-us 2000] [--seed 1] [--pull-nice 0|N|idle] [--publishers-nice
//                    0|N|idle]
//                    [--first-pull-only 1] [--trace FILE] [--server-allocator 1|0]
//
// --server-allocator 0: glibc's malloc as it comes, not as `sas serve` sets it
// (http/allocator_policy.hpp).
//
// --trace FILE: one line per question (phase, seconds since the first, wall and CPU time, the
// searching thread's page faults and context switches) and per event of the other threads (a
// store transaction, an index job's batch): to find what a slow question ran beside.
//
// The publishers' answers are searchset Bundles written by our own FHIR publisher's writer
// (http::fhir::searchBundle), pre-rendered per professional before anything is timed, so that
// the publishers' side costs a TLS handshake and a copy (on this machine, beside the pull).
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <soci/soci.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/publisher_service.hpp"
#include "app/search_service.hpp"
#include "domain/search_index.hpp"
#include "domain/unavailability.hpp"
#include "geo/gazetteer.hpp"
#include "geo/offline_geocoder.hpp"
#include "http/allocator_policy.hpp"
#include "http/fhir/bundle.hpp"
#include "publishers/fhir_feed.hpp"
#include "storage/database.hpp"
#include "storage/publisher_store.hpp"
#include "storage/search_source.hpp"

namespace {

using Steady = std::chrono::steady_clock;
using nlohmann::json;
using sas::domain::Instant;

constexpr int kPublishers = 3;
constexpr auto kSlotLength = std::chrono::minutes{20};

std::map<std::string, std::string> options(int argc, char** argv) {
  std::map<std::string, std::string> o;
  for (int i = 1; i + 1 < argc; i += 2) o[std::string(argv[i]).substr(2)] = argv[i + 1];
  return o;
}

std::string need(const std::map<std::string, std::string>& o, const std::string& k) {
  auto it = o.find(k);
  if (it == o.end()) throw std::invalid_argument("--" + k + " manque");
  return it->second;
}

std::string optional(const std::map<std::string, std::string>& o, const std::string& k,
                     const std::string& fallback) {
  auto it = o.find(k);
  return it == o.end() ? fallback : it->second;
}

// Resident memory once freed blocks went back to the system: what the index holds, not what
// a pull's buffers left in malloc's free lists.
long rssKb() {
  malloc_trim(0);
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

double threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::min<double>(v.size() - 1, p * (v.size() - 1) + 0.5))];
}

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// This process's CPU time (all threads: the pull, the index's job, the searches, and the
// publishers' servers), for a figure that the other programs on the machine do not move.
double processCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double secondsSince(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

std::uint64_t mix(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Questions and the other threads' events, in one file, when --trace is given.
struct Trace {
  std::mutex m;
  std::ofstream out;
  Steady::time_point origin = Steady::now();
  std::string phase = "-";
  double at() const { return std::chrono::duration<double>(Steady::now() - origin).count(); }
  void event(const std::string& what, double start, double seconds) {
    std::lock_guard lock(m);
    out << "E " << what << " " << start << " " << seconds * 1e3 << "\n";
  }
};
Trace* gTrace = nullptr;

// Whether this thread allocates from malloc's main arena, the one the searching (main) thread
// uses: a block from the sbrk heap rather than a mapped one. A busy thread sharing it makes the
// questions wait and miss the cache on the arena's lock and lists.
extern "C" char end;  // NOLINT: the linker's end of the data segment, where the sbrk heap starts
bool onMainArena() {
  void* p = std::malloc(64);
  const bool main = static_cast<char*>(p) >= &end && p < sbrk(0);
  std::free(p);
  return main;
}
struct ArenaCounts {
  std::atomic<long> feed{0}, feedMain{0}, served{0}, servedMain{0}, job{0}, jobMain{0};
};
ArenaCounts gArenas;

// The thread's own page faults and context switches, to tell a slow question's cause.
std::array<long, 4> threadEvents() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return {u.ru_minflt, u.ru_majflt, u.ru_nvcsw, u.ru_nivcsw};
}

// Where a pull's time goes, told by wrapping the service's three ports: the requests (their
// time summed over the workers, and the pull's wall-clock span until the last answer), the
// store's transaction, and the index's refresh of the places that changed.
struct Spent {
  std::atomic<long> feedUs{0}, storeUs{0}, rosterUs{0}, indexUs{0};
  std::atomic<long> requests{0};
  void reset() { feedUs = storeUs = rosterUs = indexUs = requests = 0; }
};

long usSince(Steady::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - t).count();
}

class TimedFeed final : public sas::app::PublisherFeed {
 public:
  TimedFeed(sas::app::PublisherFeed& feed, Spent& spent) : feed_(feed), spent_(spent) {}
  sas::app::FeedAnswer freeSlots(const sas::app::PublisherConnection& publisher,
                                 const std::vector<std::string>& ids, Instant from, Instant to,
                                 const sas::app::FeedLimits& limits) override {
    const auto t = Steady::now();
    ++gArenas.feed;
    gArenas.feedMain += onMainArena();
    auto answer = feed_.freeSlots(publisher, ids, from, to, limits);
    spent_.feedUs += usSince(t);
    ++spent_.requests;
    return answer;
  }

 private:
  sas::app::PublisherFeed& feed_;
  Spent& spent_;
};

class TimedStore final : public sas::app::PublisherRepository {
 public:
  TimedStore(sas::app::PublisherRepository& store, Spent& spent) : s_(store), spent_(spent) {}
  std::vector<sas::app::PublisherRow> publishers() override { return s_.publishers(); }
  std::optional<sas::app::PublisherRow> findPublisher(std::int64_t id) override {
    return s_.findPublisher(id);
  }
  std::optional<std::int64_t> createPublisher(const sas::app::Publisher& p, Instant now) override {
    return s_.createPublisher(p, now);
  }
  bool updatePublisher(const sas::app::Publisher& p) override { return s_.updatePublisher(p); }
  bool claimPull(std::int64_t id, Instant now, Instant until) override {
    return s_.claimPull(id, now, until);
  }
  std::vector<sas::app::RosterEntry> roster(std::int64_t id) override {
    const auto t = Steady::now();
    auto r = s_.roster(id);
    spent_.rosterUs += usSince(t);
    return r;
  }
  void pullSoon(std::int64_t id) override { s_.pullSoon(id); }
  std::vector<std::int64_t> replacePulledSlots(std::int64_t id,
                                               const std::vector<sas::app::StoredPulledSlot>& slots,
                                               const sas::app::PublisherHealth& health,
                                               Instant now) override {
    const auto t = Steady::now();
    const double at = gTrace ? gTrace->at() : 0;
    auto r = s_.replacePulledSlots(id, slots, health, now);
    spent_.storeUs += usSince(t);
    if (gTrace) gTrace->event("store", at, static_cast<double>(usSince(t)) / 1e6);
    return r;
  }
  void savePullFailure(std::int64_t id, const sas::app::PublisherHealth& health) override {
    s_.savePullFailure(id, health);
  }
  std::vector<std::int64_t> dropPulledSlots(std::int64_t id, Instant now) override {
    return s_.dropPulledSlots(id, now);
  }
  std::vector<sas::app::StoredPulledSlot> pulledSlotsOfPlace(std::int64_t id, Instant from,
                                                             Instant to) override {
    return s_.pulledSlotsOfPlace(id, from, to);
  }
  std::optional<std::int64_t> structurePublisher(std::int64_t id) override {
    return s_.structurePublisher(id);
  }
  void setStructurePublisher(std::int64_t id, std::optional<std::int64_t> publisher,
                             Instant now) override {
    s_.setStructurePublisher(id, publisher, now);
  }

 private:
  sas::app::PublisherRepository& s_;
  Spent& spent_;
};

class TimedIndex final : public sas::app::PlaceChangeListener {
 public:
  TimedIndex(sas::app::PlaceChangeListener& index, Spent& spent) : i_(index), spent_(spent) {}
  void placeChanged(std::int64_t place) override {
    const auto t = Steady::now();
    i_.placeChanged(place);
    spent_.indexUs += usSince(t);
  }
  void placeChanged(std::int64_t place, std::int64_t change) override {
    const auto t = Steady::now();
    i_.placeChanged(place, change);
    spent_.indexUs += usSince(t);
  }
  void occurrenceTaken(std::int64_t place, std::int64_t change,
                       const sas::domain::Occurrence& o) override {
    i_.occurrenceTaken(place, change, o);
  }

 private:
  sas::app::PlaceChangeListener& i_;
  Spent& spent_;
};

// One professional of one publisher, and the slots each version of its answers offers.
struct Professional {
  sas::app::SearchRecord record;
  int publisher = 0;  // 0, 1 or 2
  std::array<std::vector<sas::domain::SearchSlot>, 2> slots;
};

// 11 to 23 slots of 20 minutes (17 on average) at distinct 20-minute marks of the next 72 h;
// the second version moves each 10 minutes later and drops the last one of every third
// professional, so that every place changes.
void drawSlots(Professional& p, std::size_t rank, Instant first, std::uint64_t seed) {
  std::uint64_t state = seed * 1'000'003 + rank;
  const auto count = 11 + mix(state++) % 13;
  std::vector<int> marks;
  while (marks.size() < count) {
    const int m = static_cast<int>(mix(state++) % 210);  // 70 h of 20-minute marks
    if (std::find(marks.begin(), marks.end(), m) == marks.end()) marks.push_back(m);
  }
  std::sort(marks.begin(), marks.end());
  for (int version = 0; version < 2; ++version)
    for (std::size_t i = 0; i < marks.size(); ++i) {
      if (version == 1 && rank % 3 == 0 && i + 1 == marks.size()) continue;
      sas::domain::SearchSlot s;
      s.start = first + kSlotLength * marks[i] + std::chrono::minutes{version * 10};
      s.end = s.start + kSlotLength;
      s.kind = sas::domain::AvailabilityKind::Slot;
      s.types.add(mix(state + i) % 5 == 0 ? sas::domain::ConsultationType::Teleconsultation
                                          : sas::domain::ConsultationType::Office);
      p.slots[version].push_back(s);
    }
}

// A publisher's pre-rendered answers: per professional, the Bundle entries of each version
// (Slots, Schedule, Practitioner, PractitionerRole with its contained Location), joined by
// commas, and how many Slots they hold.
struct Rendered {
  std::string entries;
  int slots = 0;
};

struct PublisherData {
  std::string siteBase;
  std::array<std::unordered_map<std::string, Rendered>, 2> byId;
  std::atomic<int> version{0};
  std::atomic<long> requests{0};
};

void render(PublisherData& data, const Professional& p, int version) {
  sas::http::fhir::BundleRequest request;
  const auto& id = p.record.professionals.front().nationalId;
  request.identifiers = {id};
  request.fhirBase = data.siteBase + "/fhir";
  request.siteBase = data.siteBase;
  request.selfUrl = request.fhirBase + "/Slot";
  sas::app::PublishedPlace place;
  place.details.place = p.record.place;
  place.details.structure = p.record.structure;
  place.details.professionals = p.record.professionals;
  place.zone = sas::domain::findZone(p.record.place.timeZone);
  place.slots = p.slots[version];
  const auto bundle = sas::http::fhir::searchBundle(request, {place});
  Rendered r;
  for (const auto& e : bundle.at("entry")) {
    if (!r.entries.empty()) r.entries += ',';
    r.entries += e.dump();
  }
  r.slots = static_cast<int>(place.slots.size());
  data.byId[static_cast<std::size_t>(version)][id] = std::move(r);
}

// The by-professional search: the IDNPS of `schedule.actor:Practitioner.identifier`, each
// « system|value », the list separated by commas.
std::vector<std::string> askedIds(const std::string& target) {
  const std::string key = "schedule.actor:Practitioner.identifier=";
  auto at = target.find(key);
  if (at == std::string::npos) return {};
  at += key.size();
  const auto end = target.find('&', at);
  std::string value;
  Poco::URI::decode(target.substr(at, end == std::string::npos ? end : end - at), value);
  std::vector<std::string> ids;
  std::size_t from = 0;
  while (from <= value.size()) {
    auto comma = value.find(',', from);
    if (comma == std::string::npos) comma = value.size();
    const auto token = value.substr(from, comma - from);
    const auto bar = token.find('|');
    ids.push_back(bar == std::string::npos ? token : token.substr(bar + 1));
    from = comma + 1;
  }
  return ids;
}

// This thread (and those it starts, which inherit it) at a nice value, or « idle »: Linux's
// SCHED_IDLE, run only when no other thread wants the core.
void lowerThisThread(const std::string& how) {
  if (how == "idle") {
    sched_param none{};
    if (sched_setscheduler(0, SCHED_IDLE, &none) != 0) throw std::runtime_error("SCHED_IDLE");
  } else if (how != "0") {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), std::stoi(how));
  }
}

// While set, the publishers hold their answers: the pull waits, idle (the interleaved phase).
std::atomic<bool> gPublishersHold{false};

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(PublisherData& data) : data_(data) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    while (gPublishersHold) std::this_thread::sleep_for(std::chrono::milliseconds{1});
    ++data_.requests;
    ++gArenas.served;
    gArenas.servedMain += onMainArena();
    const auto& answers = data_.byId[static_cast<std::size_t>(data_.version.load())];
    std::string entries;
    int total = 0;
    for (const auto& id : askedIds(request.getURI())) {
      auto it = answers.find(id);
      if (it == answers.end()) continue;
      if (!entries.empty()) entries += ',';
      entries += it->second.entries;
      total += it->second.slots;
    }
    std::string body =
        "{\"resourceType\":\"Bundle\",\"meta\":{\"profile\":[\"http://sas.fr/fhir/"
        "StructureDefinition/BundleAgregateur\"]},\"type\":\"searchset\",\"total\":" +
        std::to_string(total) + ",\"link\":[{\"relation\":\"self\",\"url\":\"" + data_.siteBase +
        "/fhir/Slot\"}],\"entry\":[" + entries + "]}";
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("application/fhir+json");
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    response.send().write(body.data(), static_cast<std::streamsize>(body.size())).flush();
  }

 private:
  PublisherData& data_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(PublisherData& data) : data_(data) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(data_);
  }

 private:
  PublisherData& data_;
};

// One publisher's HTTPS server on a free loopback port, asking for a client certificate of
// the bench CA.
class Server {
 public:
  Server(const std::string& pki, PublisherData& data) : pool_(2, 16) {
    Poco::Net::Context::Params p;
    p.certificateFile = pki + "/server.pem";
    p.privateKeyFile = pki + "/server-key.pem";
    p.caLocation = pki + "/ca.pem";
    p.loadDefaultCAs = false;
    p.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::SERVER_USE, p);
    context->enableExtendedCertificateVerification(false);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
    port_ = socket.address().port();
    auto params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    params->setMaxThreads(16);
    params->setMaxQueued(64);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(data), pool_, socket, params);
    server_->start();
  }
  ~Server() {
    server_->stop();
    pool_.joinAll();
  }
  int port() const { return port_; }

 private:
  Poco::ThreadPool pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

// Towns drawn by population (as bench_search draws its questions), 20 km, one type by turns,
// the first page of 20 with its total up to the service's cut-off.
std::vector<sas::domain::SearchQuery> questions(const sas::geo::Gazetteer& g, std::size_t n,
                                                Instant now, std::uint64_t seed) {
  std::vector<double> cumulative;
  double total = 0;
  for (const auto& c : g.communes()) cumulative.push_back(total += std::max(1L, c.population));
  std::vector<sas::domain::SearchQuery> out;
  const std::array<std::uint8_t, 3> types{1, 2, 4};
  for (std::size_t k = 0; k < n; ++k) {
    const auto z = mix(seed * 7'919 + k);
    const double pick = static_cast<double>(z >> 11) * 0x1.0p-53 * total;
    const auto& town = g.communes()[static_cast<std::size_t>(
        std::lower_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin())];
    sas::domain::SearchQuery q;
    q.centre = {town.latitude, town.longitude};
    q.radiusMetres = 20'000;
    q.now = now;
    q.types = sas::domain::ConsultationTypes{types[z % 3]};
    q.limit = 20;
    q.countLimit = sas::app::SearchSettings{}.countLimit;
    out.push_back(q);
  }
  return out;
}

struct Timings {
  std::vector<double> wall, cpu;
  void add(double w, double c) {
    wall.push_back(w);
    cpu.push_back(c);
  }
  std::string line(const std::string& name) const {
    std::ostringstream s;
    s << std::setprecision(4) << name << "_n=" << wall.size() << " " << name
      << "_p50_ms=" << percentile(wall, 0.5) << " " << name << "_p99_ms=" << percentile(wall, 0.99)
      << " " << name << "_cpu_p50_ms=" << percentile(cpu, 0.5) << " " << name
      << "_cpu_p99_ms=" << percentile(cpu, 0.99);
    return s.str();
  }
};

// One question every `every`, timed alone, until `more` says stop; each filed in the timings
// `into()` names when it is asked (none: asked, not filed).
template <class Into, class More>
void askFiling(sas::app::SearchService& search, const std::vector<sas::domain::SearchQuery>& qs,
               std::chrono::microseconds every, std::size_t& next, Into into, More more) {
  auto due = Steady::now();
  while (more()) {
    Timings* filed = into();
    const auto& q = qs[next++ % qs.size()];
    const auto events0 = gTrace ? threadEvents() : std::array<long, 4>{};
    const double at = gTrace ? gTrace->at() : 0;
    const double cpu0 = threadCpuMs();
    const auto a = Steady::now();
    const auto answer = search.query(q);
    const double wall = std::chrono::duration<double, std::milli>(Steady::now() - a).count();
    const double cpu = threadCpuMs() - cpu0;
    if (filed) filed->add(wall, cpu);
    if (gTrace) {
      const auto events = threadEvents();
      std::lock_guard lock(gTrace->m);
      gTrace->out << "Q " << gTrace->phase << (filed ? "" : "-") << " " << at << " " << wall << " "
                  << cpu;
      for (std::size_t i = 0; i < events.size(); ++i) gTrace->out << " " << events[i] - events0[i];
      gTrace->out << "\n";
    }
    if (answer.hits.empty() && answer.total > 0) throw std::logic_error("page vide");
    due += every;
    std::this_thread::sleep_until(due);
  }
}

template <class More>
void ask(sas::app::SearchService& search, const std::vector<sas::domain::SearchQuery>& qs,
         std::chrono::microseconds every, Timings& into, std::size_t& next, More more) {
  askFiling(
      search, qs, every, next, [&] { return &into; }, more);
}

struct PullFigures {
  double seconds = 0;
  double cpuS = 0;  // the process's, during the pull
  double feedS = 0, rosterS = 0, storeS = 0, indexS = 0;
  int received = 0, matched = 0, unmatched = 0, professionals = 0;
  std::size_t changedPlaces = 0;
  long feedOnMainArena = 0;  // requests made from a thread sharing the searching thread's arena
  bool ok = true;
  std::string problems;
  std::string parts(const std::string& name) const {
    std::ostringstream s;
    s << std::setprecision(4) << name << "_cpu_s=" << cpuS << " " << name << "_requests_s=" << feedS
      << " " << name << "_roster_s=" << rosterS << " " << name << "_store_s=" << storeS << " "
      << name << "_index_s=" << indexS << " " << name
      << "_requests_on_main_arena=" << feedOnMainArena;
    return s.str();
  }
};

PullFigures pullAll(sas::app::PublisherService& service, Spent& spent) {
  PullFigures f;
  spent.reset();
  const auto t0 = Steady::now();
  const double cpu0 = processCpuSeconds();
  const long main0 = gArenas.feedMain.load();
  const auto reports = service.pullDue();
  f.feedOnMainArena = gArenas.feedMain.load() - main0;
  f.seconds = secondsSince(t0);
  f.cpuS = processCpuSeconds() - cpu0;
  f.feedS = static_cast<double>(spent.feedUs) / 1e6;
  f.rosterS = static_cast<double>(spent.rosterUs) / 1e6;
  f.storeS = static_cast<double>(spent.storeUs) / 1e6;
  f.indexS = static_cast<double>(spent.indexUs) / 1e6;
  if (reports.size() != kPublishers) {
    f.ok = false;
    f.problems += std::to_string(reports.size()) + " pulls ran; ";
  }
  for (const auto& r : reports) {
    if (!r.ran || !r.succeeded || !r.health.errors.empty()) {
      f.ok = false;
      f.problems += r.publisher + ": " + r.health.errors + "; ";
    }
    f.received += r.health.received;
    f.matched += r.health.matched;
    f.unmatched += r.health.unmatched;
    f.professionals += r.health.professionals;
    f.changedPlaces += r.changedPlaces.size();
  }
  return f;
}

int run(const std::map<std::string, std::string>& o) {
  const std::string pki = need(o, "pki");
  const int concurrency = std::stoi(optional(o, "concurrency", "4"));
  const std::size_t queryCount = std::stoul(optional(o, "queries", "5000"));
  const std::chrono::microseconds every{std::stol(optional(o, "every-us", "2000"))};
  const std::uint64_t seed = std::stoull(optional(o, "seed", "1"));
  const std::string pullNice = optional(o, "pull-nice", "0");
  const std::string publishersNice = optional(o, "publishers-nice", "0");
  // As `sas serve`: each thread its own arena (the searching thread shares none with the pull).
  const bool serverAllocator = optional(o, "server-allocator", "1") == "1";
  if (serverAllocator) sas::http::useServerAllocatorPolicy();
  Trace trace;
  if (const auto file = optional(o, "trace", ""); !file.empty()) {
    trace.out.open(file);
    trace.out << std::setprecision(6) << std::fixed;
    // The origin on CLOCK_MONOTONIC, to line the file up with samples taken outside.
    trace.out << "O " << std::chrono::duration<double>(trace.origin.time_since_epoch()).count()
              << "\n";
    gTrace = &trace;
  }
  const auto phase = [&](const std::string& name) {
    std::lock_guard lock(trace.m);
    if (trace.phase != name && gTrace) {
      // What ran on the main arena so far (counts since the start): requests made, answered,
      // the index's job.
      std::ifstream status("/proc/self/status");
      std::string threads;
      for (std::string line; std::getline(status, line);)
        if (line.rfind("Threads:", 0) == 0) threads = line.substr(8);
      trace.out << "A " << trace.phase << " feed " << gArenas.feedMain.load() << "/"
                << gArenas.feed.load() << " served " << gArenas.servedMain.load() << "/"
                << gArenas.served.load() << " job " << gArenas.jobMain.load() << "/"
                << gArenas.job.load() << " threads" << threads << "\n";
    }
    trace.phase = name;
  };

  sas::app::SystemClock clock;
  const Instant now = clock.now();
  sas::storage::Database db(need(o, "db"), 8);
  sas::storage::SqlSearchSource source(db);
  sas::geo::Gazetteer gazetteer(std::filesystem::path(SAS_SOURCE_DIR) / "data");
  sas::geo::OfflineGeocoder geocoder(gazetteer);
  sas::app::SearchSettings searchSettings;
  searchSettings.rebuildInBackground = true;  // as `sas serve`: its job keeps the index
  sas::app::SearchService search(source, geocoder, gazetteer, clock, searchSettings);

  // The professionals the script seeded: one per place, at a structure whose SIRET starts
  // with 9; a third of them for each publisher.
  std::vector<Professional> pros;
  source.forEachPlace(
      sas::domain::Day{},
      [&](sas::app::SearchRecord&& r) {
        if (r.structure.siret.size() == 14 && r.structure.siret[0] == '9' &&
            r.professionals.size() == 1)
          pros.push_back({std::move(r), 0, {}});
      },
      1);
  std::sort(pros.begin(), pros.end(), [](const Professional& a, const Professional& b) {
    return a.record.structure.id < b.record.structure.id;
  });
  const auto first = std::chrono::ceil<std::chrono::minutes>(now) + std::chrono::minutes{30};
  // Offered, and of them searchable: a slot during its place's unavailability is stored but
  // not indexed (docs/rules.md#search).
  std::array<long, 2> expected{0, 0}, visible{0, 0};
  for (std::size_t i = 0; i < pros.size(); ++i) {
    pros[i].publisher = static_cast<int>(i % kPublishers);
    drawSlots(pros[i], i, first, seed);
    const auto* zone = sas::domain::findZone(pros[i].record.place.timeZone);
    for (std::size_t v = 0; v < 2; ++v) {
      expected[v] += static_cast<long>(pros[i].slots[v].size());
      for (const auto& s : pros[i].slots[v])
        visible[v] += zone && sas::domain::occurrenceVisible(pros[i].record.unavailability, *zone,
                                                             s.start, s.end);
    }
  }
  std::cout << "professionals: " << pros.size() << "; slots offered: " << expected[0]
            << " (first version, " << visible[0] << " outside unavailability), " << expected[1]
            << " (second, " << visible[1] << ")" << std::endl;
  if (pros.empty()) throw std::runtime_error("aucun professionnel : lancer le script");

  auto t = Steady::now();
  std::array<PublisherData, kPublishers> data;
  for (int k = 0; k < kPublishers; ++k)
    data[static_cast<std::size_t>(k)].siteBase =
        "https://editeur-" + std::to_string(k + 1) + ".test";
  {
    // Rendered by two threads: nothing is timed yet.
    std::vector<std::jthread> renderers;
    for (int part = 0; part < 2; ++part)
      renderers.emplace_back([&, part] {
        for (std::size_t i = static_cast<std::size_t>(part); i < pros.size(); i += 2)
          for (int v = 0; v < 2; ++v) {
            auto& d = data[static_cast<std::size_t>(pros[i].publisher)];
            static std::mutex m;  // the maps are shared by both threads
            PublisherData scratch;
            scratch.siteBase = d.siteBase;
            render(scratch, pros[i], v);
            std::lock_guard lock(m);
            for (auto& [id, r] : scratch.byId[static_cast<std::size_t>(v)])
              d.byId[static_cast<std::size_t>(v)].emplace(id, std::move(r));
          }
      });
  }
  std::size_t bytes = 0;
  for (const auto& d : data)
    for (const auto& [id, r] : d.byId[0]) bytes += r.entries.size();
  std::cout << std::fixed << std::setprecision(1) << "answers rendered in " << secondsSince(t)
            << " s: " << bytes / 1e6 << " MB of Bundle entries (first version)" << std::endl;

  std::vector<std::unique_ptr<Server>> servers;
  // Started from a thread at `--publishers-nice`: their acceptor and request threads inherit it.
  // A real publisher runs on its own machine; at 19 these take only what the platform leaves.
  std::thread([&] {
    lowerThisThread(publishersNice);
    for (auto& d : data) servers.push_back(std::make_unique<Server>(pki, d));
  }).join();

  sas::storage::SqlPublisherStore store(db);
  sas::publishers::FhirPublisherFeed feed("https://sas.test/lieux");
  sas::app::PullSettings pullSettings;
  pullSettings.concurrency = concurrency;
  // As `sas serve` with its background jobs (below, maintain() every 250 ms): the job applies
  // the pull's change rows (src/wiring.cpp, pullSettings).
  pullSettings.tellIndex = false;
  Spent spent;
  TimedStore timedStore(store, spent);
  TimedFeed timedFeed(feed, spent);
  TimedIndex timedIndex(search, spent);
  sas::app::PublisherService service(timedStore, timedFeed, timedIndex, clock, pullSettings);
  sas::app::Actor admin;
  admin.user.id = 1;
  admin.user.role = sas::app::Role::Administrator;
  std::array<std::int64_t, kPublishers> ids{};
  for (int k = 0; k < kPublishers; ++k) {
    sas::app::PublisherForm f;
    f.name = "Éditeur de banc " + std::to_string(k + 1);
    f.baseUrl =
        "https://127.0.0.1:" + std::to_string(servers[static_cast<std::size_t>(k)]->port()) +
        "/fhir";
    f.certificateFile = pki + "/client.pem";
    f.keyFile = pki + "/client-key.pem";
    f.caFile = pki + "/ca.pem";
    auto id = service.create(admin, f);
    if (!id.ok()) throw std::runtime_error("éditeur refusé : " + id.errors.front().message);
    ids[static_cast<std::size_t>(k)] = *id.value;
  }
  {
    // « publiées par mon logiciel » for every seeded structure, in one transaction.
    std::vector<long long> structures, publishers;
    for (const auto& p : pros) {
      structures.push_back(p.record.structure.id);
      publishers.push_back(ids[static_cast<std::size_t>(p.publisher)]);
    }
    sas::storage::Connection c(db);
    c.sql().begin();
    c.sql() << "UPDATE structures SET publisher_id = :p WHERE id = :s", soci::use(publishers),
        soci::use(structures);
    c.sql().commit();
  }

  t = Steady::now();
  search.rebuild();
  // The questions' time: not before the index's horizon starts, or every search would ask the
  // job for a new index.
  const Instant asked = clock.now();
  std::cout << "index: " << search.placeCount() << " places, " << search.slotCount()
            << " occurrences, built in " << secondsSince(t) << " s" << std::endl;
  std::atomic<bool> stop{false};
  // As `sas serve`'s job: the committed changes applied four times a second.
  std::jthread keeper([&] {
    pthread_setname_np(pthread_self(), "index-job");  // named for perf and /proc
    while (!stop) {
      const double at = trace.at();
      const auto t0 = Steady::now();
      search.maintain();
      if (gTrace && Steady::now() - t0 > std::chrono::milliseconds{1}) {
        gTrace->event("job", at, secondsSince(t0));
        ++gArenas.job;
        gArenas.jobMain += onMainArena();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{250});
    }
  });
  const auto caughtUp = [&] {
    const auto t0 = Steady::now();
    while (search.status().pendingChanges > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    return secondsSince(t0);
  };

  std::ostringstream result;
  result << std::setprecision(4) << "RESULT professionals=" << pros.size()
         << " concurrency=" << concurrency << " slots_a=" << expected[0]
         << " slots_b=" << expected[1] << " visible_a=" << visible[0] << " visible_b=" << visible[1]
         << " entries_mb=" << bytes / 1'000'000;
  bool ok = true;
  const auto check = [&](bool good, const std::string& what) {
    if (!good) {
      ok = false;
      std::cout << "CHECK FAILED: " << what << std::endl;
    }
  };

  // 1. The first pull: nothing held yet, every slot new.
  const auto slots0 = search.slotCount();
  const long rss0 = rssKb();
  std::cout << "== first pull (load " << loadAverage() << ")" << std::endl;
  const auto load1 = loadAverage();
  const auto a = pullAll(service, spent);
  const double catch1 = caughtUp();
  const auto slots1 = search.slotCount();
  const long rss1 = rssKb();
  check(a.ok, "first pull: " + a.problems);
  check(a.received == expected[0] && a.matched == expected[0] && a.unmatched == 0,
        "first pull: received " + std::to_string(a.received) + ", matched " +
            std::to_string(a.matched));
  check(static_cast<long>(slots1 - slots0) == visible[0],
        "index grew by " + std::to_string(slots1 - slots0));
  check(a.changedPlaces == pros.size(), "first pull changed " + std::to_string(a.changedPlaces));
  std::cout << "first pull: " << a.seconds << " s, " << a.received << " slots, " << a.changedPlaces
            << " places; index caught up " << catch1 << " s later; RSS " << rss0 / 1024 << " → "
            << rss1 / 1024 << " MB, occurrences " << slots0 << " → " << slots1 << std::endl;
  result << " pull_a_s=" << a.seconds << " catchup_a_s=" << catch1 << " load_a=\"" << load1
         << "\" received_a=" << a.received << " matched_a=" << a.matched
         << " changed_a=" << a.changedPlaces << " rss_before_mb=" << rss0 / 1024
         << " rss_after_mb=" << rss1 / 1024 << " occurrences_before=" << slots0
         << " occurrences_after=" << slots1 << " " << a.parts("a") << " mb_per_million="
         << (slots1 > slots0 ? static_cast<double>(rss1 - rss0) / 1024 * 1e6 /
                                   static_cast<double>(slots1 - slots0)
                             : 0.0);

  if (optional(o, "first-pull-only", "0") == "1") {  // for profiling
    stop = true;
    std::cout << result.str() << std::endl;
    return ok ? 0 : 3;
  }

  // 2. The search alone, then during a pull where every place changes, then alone again.
  const auto qs = questions(gazetteer, queryCount, asked, seed);
  std::size_t next = 0;
  Timings warm, alone, during, catching, after;
  std::size_t n = 0;
  phase("warm");
  ask(search, qs, std::chrono::microseconds{0}, warm, next, [&] { return n++ < qs.size(); });
  next = 0;
  phase("alone");
  std::cout << "== search alone (load " << loadAverage() << ")" << std::endl;
  ask(search, qs, every, alone, next, [&] { return alone.wall.size() < qs.size(); });
  for (auto& d : data) d.version = 1;
  for (auto id : ids) service.pullSoon(admin, id);
  std::cout << "== second pull, every place changed, with the search (load " << loadAverage() << ")"
            << std::endl;
  const auto load2 = loadAverage();
  // A pull in a thread of its own at the puller's priority, as the job runs it; `pulling` false
  // once it ended.
  const auto pullAside = [&](PullFigures& into, std::atomic<bool>& pulling) {
    pulling = true;
    return std::jthread([&] {
      pthread_setname_np(pthread_self(), "puller");
      lowerThisThread(pullNice);
      into = pullAll(service, spent);
      pulling = false;
    });
  };
  std::atomic<bool> pulling;
  PullFigures b;
  phase("during");
  auto puller = pullAside(b, pulling);
  ask(search, qs, every, during, next, [&] { return pulling.load(); });
  puller.join();
  const auto pulledAt = Steady::now();
  phase("catchup");
  ask(search, qs, every, catching, next, [&] { return search.status().pendingChanges > 0; });
  const double catch2 = secondsSince(pulledAt);
  const auto slots2 = search.slotCount();
  phase("after");
  ask(search, qs, every, after, next, [&] { return after.wall.size() < qs.size(); });
  check(b.ok, "second pull: " + b.problems);
  check(b.received == expected[1] && b.matched == expected[1],
        "second pull: received " + std::to_string(b.received));
  check(b.changedPlaces == pros.size(), "second pull changed " + std::to_string(b.changedPlaces));
  check(static_cast<long>(slots2) - static_cast<long>(slots1) == visible[1] - visible[0],
        "index moved by " + std::to_string(static_cast<long>(slots2) - static_cast<long>(slots1)));
  std::cout << "second pull: " << b.seconds << " s, " << b.changedPlaces
            << " places changed; index caught up " << catch2 << " s later" << std::endl;
  result << " pull_b_s=" << b.seconds << " catchup_b_s=" << catch2 << " load_b=\"" << load2 << "\" "
         << b.parts("b") << " received_b=" << b.received << " changed_b=" << b.changedPlaces << " "
         << alone.line("alone") << " " << during.line("during") << " " << catching.line("catchup")
         << " " << after.line("after");

  // 3. The same answers again: nothing to write.
  phase("c");
  for (auto id : ids) service.pullSoon(admin, id);
  const auto load3 = loadAverage();
  const auto c = pullAll(service, spent);
  check(c.ok && c.received == expected[1], "third pull: " + c.problems);
  check(c.changedPlaces == 0, "third pull changed " + std::to_string(c.changedPlaces));
  std::cout << "third pull (unchanged): " << c.seconds << " s" << std::endl;
  result << " " << c.parts("c") << " pull_c_s=" << c.seconds << " load_c=\"" << load3 << "\"";
  // 4. With and without a pull, interleaved: every place changes back to the first version while
  // the publishers answer for one second and hold their answers the next, over and over, the
  // questions asked throughout and each filed by whether the pull was let run when it started
  // (not in the 20 ms after a switch, while the answers in flight are read). The machine's drift
  // over minutes, larger than the 10 % the target allows, then falls on both sides alike.
  for (auto& d : data) d.version = 0;
  for (auto id : ids) service.pullSoon(admin, id);
  std::atomic<bool> pullingD;
  PullFigures fourth;
  auto pullerD = pullAside(fourth, pullingD);
  Timings running, held;
  const auto started = Steady::now();
  bool hold = false, settled = false;
  askFiling(
      search, qs, every, next,
      [&]() -> Timings* {
        if (gTrace) phase(hold ? "held" : "running");
        return settled ? (hold ? &held : &running) : nullptr;
      },
      [&] {
        const auto since = std::chrono::duration<double>(Steady::now() - started).count();
        hold = static_cast<long>(since) % 2 == 1;
        settled = since - std::floor(since) >= 0.02;
        if (gPublishersHold != hold) gPublishersHold = hold;
        return pullingD.load();
      });
  gPublishersHold = false;
  pullerD.join();
  phase("end");
  caughtUp();
  check(fourth.ok && fourth.received == expected[0] && fourth.matched == expected[0],
        "fourth pull: received " + std::to_string(fourth.received) + ", matched " +
            std::to_string(fourth.matched) + "; " + fourth.problems);
  // Back to the first answers: the index holds what it held after pull (a).
  check(search.slotCount() == slots1, "after the fourth pull the index holds " +
                                          std::to_string(search.slotCount()) + " occurrences, " +
                                          std::to_string(slots1) + " after the first");
  check(fourth.changedPlaces == pros.size(),
        "fourth pull changed " + std::to_string(fourth.changedPlaces));
  check(held.wall.size() > 1000 && running.wall.size() > 1000, "too few interleaved questions");
  std::cout << "fourth pull (interleaved): " << fourth.seconds << " s; search p99 running "
            << percentile(running.wall, 0.99) << " ms, held " << percentile(held.wall, 0.99)
            << " ms" << std::endl;
  // With the server's policy, no thread of the pulls run beside the questions, nor of the
  // publishers, allocates from the searching thread's arena (in (a) and (c), asked from the main
  // thread, that thread is one of the pull's workers).
  check(!serverAllocator ||
            (b.feedOnMainArena == 0 && fourth.feedOnMainArena == 0 && gArenas.servedMain == 0),
        "threads sharing the searching thread's arena: " + std::to_string(b.feedOnMainArena) +
            " requests of (b), " + std::to_string(fourth.feedOnMainArena) + " of (d), " +
            std::to_string(gArenas.servedMain.load()) + " answered");
  result << " " << fourth.parts("d")
         << " publishers_answers_on_main_arena=" << gArenas.servedMain.load();
  result << " pull_d_s=" << fourth.seconds << " " << running.line("running") << " "
         << held.line("held") << " running_over_held_p99="
         << percentile(running.wall, 0.99) / percentile(held.wall, 0.99);

  long requests = 0;
  for (const auto& d : data) requests += d.requests;
  // More than one build: the index was read again meanwhile (its count then moves with the
  // time of the build as well).
  const auto builds = search.status().builds;
  check(builds == 1, std::to_string(builds) + " index builds");
  result << " requests=" << requests << " index_builds=" << builds
         << " checks=" << (ok ? "ok" : "FAILED");
  stop = true;
  std::cout << result.str() << std::endl;
  return ok ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(options(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "bench_publishers: " << e.what() << "\n";
    return 1;
  }
}
