#include "publishers/bundle_reader.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "domain/fhir_format.hpp"
#include "domain/fhir_identifiers.hpp"

namespace sas::publishers {

namespace {

using app::FeedProblem;
using nlohmann::json;

// Slot.serviceType's codes (the guide's, as our own publisher writes them).
constexpr std::string_view kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
constexpr std::chrono::hours kLongestSlot{24};

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string_view textOf(const json* value) {
  if (value == nullptr || !value->is_string()) return {};
  return value->get_ref<const std::string&>();
}

std::string_view textOf(const json& object, std::string_view key) {
  return textOf(member(object, key));
}

// The elements of an array member; nothing when it is absent or not an array.
const json& elementsOf(const json& object, std::string_view key) {
  static const json kNone = json::array();
  const json* value = member(object, key);
  return value != nullptr && value->is_array() ? *value : kNone;
}

// A log line stays one line and short, whatever the publisher wrote; never cut inside a
// UTF-8 character.
std::string echo(std::string_view value) {
  constexpr std::size_t kMaxEcho = 160;
  std::string out;
  std::size_t cut = std::min(value.size(), kMaxEcho);
  while (cut > 0 && cut < value.size() && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80)
    --cut;
  for (char c : value.substr(0, cut)) out += c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
  if (cut < value.size()) out += "…";
  return out;
}

BundleReading refused(FeedProblem problem, std::string detail) {
  BundleReading r;
  r.ok = false;
  r.problem = problem;
  r.detail = std::move(detail);
  return r;
}

// The Bundle's resources by « Type/id » and by fullUrl, built once: every reference is then
// one look-up.
class Resources {
 public:
  void add(const json& entry, const json& resource) {
    const auto type = textOf(resource, "resourceType");
    const auto id = textOf(resource, "id");
    if (!type.empty() && !id.empty()) {
      std::string key(type);
      key += '/';
      key += id;
      byKey_.emplace(std::move(key), &resource);
    }
    const auto fullUrl = textOf(entry, "fullUrl");
    if (!fullUrl.empty()) byKey_.emplace(std::string(fullUrl), &resource);
  }

  /// The resource a Reference names: « #id » among `container`'s contained resources, else
  /// « Type/id », a fullUrl, or an absolute URL ending in « Type/id[/_history/v] ».
  const json* resolve(const json* reference, const json& container) const {
    if (reference == nullptr) return nullptr;
    return resolve(textOf(*reference, "reference"), container);
  }

  const json* resolve(std::string_view target, const json& container) const {
    if (target.empty()) return nullptr;
    if (target.front() == '#') {
      const auto id = target.substr(1);
      for (const auto& c : elementsOf(container, "contained"))
        if (textOf(c, "id") == id) return &c;
      return nullptr;
    }
    if (const auto* found = find(target)) return found;
    auto path = target;
    if (const auto history = path.find("/_history/"); history != std::string_view::npos)
      path = path.substr(0, history);
    const auto slash = path.rfind('/');
    if (slash == std::string_view::npos || slash == 0) return nullptr;
    const auto typeSlash = path.rfind('/', slash - 1);
    return find(typeSlash == std::string_view::npos ? path : path.substr(typeSlash + 1));
  }

 private:
  const json* find(std::string_view key) const {
    const auto it = byKey_.find(key);
    return it == byKey_.end() ? nullptr : it->second;
  }

  // Looked up by string_view: no string is built per Slot.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, const json*, Hash, std::equal_to<>> byKey_;
};

// What a Schedule gives each of its Slots, worked out once per Schedule.
struct ScheduleFacts {
  std::string professionalId;  // empty: no Practitioner actor with a valid IDNPS
  std::vector<std::string> locationIdentifiers;
  std::optional<domain::GeoPoint> position;
};

// Which resource holds the contained resources that « #id » references of `target` name: the
// one whose `reference` reached it when it is itself contained there, else `target`.
const json& holderOf(const json& reference, const json& referrer, const json& target) {
  return textOf(reference, "reference").starts_with('#') ? referrer : target;
}

class ScheduleReader {
 public:
  ScheduleReader(const Resources& resources, std::string_view placeSystem)
      : resources_(resources), placeSystem_(placeSystem) {}

  ScheduleFacts read(const json& schedule) {
    facts_ = {};
    for (const auto& actor : elementsOf(schedule, "actor")) {
      const json* target = resources_.resolve(&actor, schedule);
      if (target == nullptr) continue;
      const json& holder = holderOf(actor, schedule, *target);
      const auto type = textOf(*target, "resourceType");
      if (type == "Practitioner") {
        practitioner(*target);
      } else if (type == "Location") {
        location(*target, holder);
      } else if (type == "PractitionerRole") {
        for (const auto& l : elementsOf(*target, "location"))
          if (const json* place = resources_.resolve(&l, holder);
              place != nullptr && textOf(*place, "resourceType") == "Location")
            location(*place, holderOf(l, holder, *place));
        organization(member(*target, "organization"), holder);
      }
    }
    return std::move(facts_);
  }

 private:
  void practitioner(const json& p) {
    if (!facts_.professionalId.empty()) return;
    for (const auto& id : elementsOf(p, "identifier")) {
      if (textOf(id, "system") != domain::fhir::kProfessionalSystem) continue;
      if (auto idnps = domain::fhir::professionalIdentifier(textOf(id, "value"))) {
        facts_.professionalId = std::move(*idnps);
        return;
      }
    }
  }

  // `container` holds the resources a « #id » reference of `l` names.
  void location(const json& l, const json& container) {
    for (const auto& id : elementsOf(l, "identifier")) {
      const auto system = textOf(id, "system");
      const auto value = textOf(id, "value");
      if (system == domain::fhir::kStructureSystem) {
        structure(value);
      } else if (!placeSystem_.empty() && system == placeSystem_ && !value.empty() &&
                 value.size() <= 18 && std::all_of(value.begin(), value.end(), [](char c) {
                   return c >= '0' && c <= '9';
                 })) {
        add(domain::placeIdentifier(std::stoll(std::string(value))));
      }
    }
    if (!facts_.position) {
      if (const json* p = member(l, "position")) {
        const json* latitude = member(*p, "latitude");
        const json* longitude = member(*p, "longitude");
        if (latitude != nullptr && longitude != nullptr && latitude->is_number() &&
            longitude->is_number()) {
          const double lat = latitude->get<double>();
          const double lon = longitude->get<double>();
          if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) facts_.position = {lat, lon};
        }
      }
    }
    organization(member(l, "managingOrganization"), container);
  }

  // A Reference to an Organization: to a resource of the Bundle, or by its identifier alone
  // (as our PractitionerRole.organization is written).
  void organization(const json* reference, const json& container) {
    if (reference == nullptr) return;
    if (const json* logical = member(*reference, "identifier");
        logical != nullptr && textOf(*logical, "system") == domain::fhir::kStructureSystem)
      structure(textOf(*logical, "value"));
    const json* o = resources_.resolve(reference, container);
    if (o == nullptr || textOf(*o, "resourceType") != "Organization") return;
    for (const auto& id : elementsOf(*o, "identifier"))
      if (textOf(id, "system") == domain::fhir::kStructureSystem) structure(textOf(id, "value"));
  }

  void structure(std::string_view idnst) {
    if (auto normalised = domain::fhir::structureIdentifier(idnst)) add(std::move(*normalised));
  }

  void add(std::string identifier) {
    auto& ids = facts_.locationIdentifiers;
    if (std::find(ids.begin(), ids.end(), identifier) == ids.end())
      ids.push_back(std::move(identifier));
  }

  const Resources& resources_;
  std::string_view placeSystem_;  // our places' identifier system, « <site>/lieux »
  ScheduleFacts facts_;
};

domain::ConsultationTypes typesOf(const json& slot) {
  domain::ConsultationTypes types;
  for (const auto& service : elementsOf(slot, "serviceType")) {
    for (const auto& c : elementsOf(service, "coding")) {
      const json* system = member(c, "system");
      if (system != nullptr && textOf(system) != kActCode) continue;
      const auto code = textOf(c, "code");
      if (code == "AMB") types.add(domain::ConsultationType::Office);
      if (code == "VR") types.add(domain::ConsultationType::Teleconsultation);
      if (code == "HH") types.add(domain::ConsultationType::HomeVisit);
    }
  }
  if (types.empty()) types.add(domain::ConsultationType::Office);
  return types;
}

// One Slot's date: the instant, or why the Slot is refused.
struct DateOrProblem {
  domain::Instant at;
  std::optional<FeedProblem> problem;
};

DateOrProblem dateOf(const json& slot, std::string_view key, FeedProblem whenMissing) {
  const json* value = member(slot, key);
  if (value == nullptr || value->is_null() || (value->is_string() && textOf(value).empty()))
    return {{}, whenMissing};
  if (!value->is_string()) return {{}, FeedProblem::BadSlot};
  const auto written = domain::fhir::readDateTime(textOf(value));
  if (!written) return {{}, FeedProblem::BadSlot};
  const auto at = domain::fhir::instantWithOffset(*written);
  if (!at) return {{}, FeedProblem::DateWithoutOffset};
  return {*at, std::nullopt};
}

// A Slot checked as far as it can be alone; its Schedule may come later in the Bundle.
struct PendingSlot {
  domain::PulledSlot slot;
  std::string schedule;  // the reference, as written
};

std::optional<FeedProblem> readAlone(const json& slot, PendingSlot& out) {
  const auto start = dateOf(slot, "start", FeedProblem::SlotWithoutStart);
  if (start.problem) return start.problem;
  const auto end = dateOf(slot, "end", FeedProblem::BadSlot);
  if (end.problem) return end.problem;
  // Longer than a day is no consultation slot (and more than the search keeps: PackedSlot).
  if (end.at <= start.at || end.at - start.at > kLongestSlot) return FeedProblem::BadSlot;
  if (textOf(slot, "status") != "free") return FeedProblem::BadSlot;
  const json* schedule = member(slot, "schedule");
  out.schedule = schedule == nullptr ? std::string_view{} : textOf(*schedule, "reference");
  out.slot.start = start.at;
  out.slot.end = end.at;
  out.slot.types = typesOf(slot);
  const auto comment = textOf(slot, "comment");
  if (comment.starts_with("https://") || comment.starts_with("http://"))
    out.slot.bookingUrl = comment;
  return std::nullopt;
}

// Goes through the parse: each Slot entry is checked and dropped as soon as it is read, so
// that 100,000 Slots never stand as a tree at once; the other entries are kept, with only
// the elements the reader looks at, for the Slots' references.
class EntryFilter {
 public:
  explicit EntryFilter(std::size_t maxSlots) : maxSlots_(maxSlots) {}

  bool keep(int depth, json::parse_event_t event, json& parsed) {
    using Event = json::parse_event_t;
    // Depths: 0 the Bundle, 1 its members, 2 an entry, 3 the entry's members, 4 the resource's.
    if (event == Event::key) {
      if (depth == 1) inEntries_ = parsed == "entry";
      if (!inEntries_) return true;
      if (depth == 3) {
        inResource_ = parsed == "resource";
        return inResource_ || parsed == "fullUrl";
      }
      if (depth == 4 && inResource_) return read(parsed);
      return true;
    }
    if (depth == 2 && inEntries_ && event == Event::object_end) {
      const json* resource = member(parsed, "resource");
      if (resource == nullptr || textOf(*resource, "resourceType") != "Slot") return true;
      if (++slotCount_ <= maxSlots_) check(*resource);
      return false;
    }
    return true;
  }

  std::size_t slotCount() const { return slotCount_; }
  std::vector<PendingSlot>& pending() { return pending_; }
  std::map<FeedProblem, int>& refused() { return refused_; }

 private:
  // The elements of any resource the reader looks at; the rest (meta, text, extensions,
  // names, telecom…) is not kept.
  static bool read(const json& key) {
    static const std::array<std::string_view, 15> kRead = {
        "resourceType", "id",           "start",    "end",       "status",
        "schedule",     "serviceType",  "comment",  "actor",     "identifier",
        "location",     "organization", "position", "contained", "managingOrganization"};
    const auto name = textOf(&key);
    return std::find(kRead.begin(), kRead.end(), name) != kRead.end();
  }

  void check(const json& slot) {
    PendingSlot s;
    std::optional<FeedProblem> problem;
    try {
      problem = readAlone(slot, s);
    } catch (const std::exception&) {
      problem = FeedProblem::BadSlot;  // a value of an unexpected JSON type somewhere in it
    }
    if (problem)
      ++refused_[*problem];
    else
      pending_.push_back(std::move(s));
  }

  std::size_t maxSlots_;
  std::size_t slotCount_ = 0;
  bool inEntries_ = false;
  bool inResource_ = false;
  std::vector<PendingSlot> pending_;
  std::map<FeedProblem, int> refused_;
};

}  // namespace

BundleReading readSlotBundle(std::string_view body, std::size_t maxSlots,
                             std::string_view placeSystem) {
  EntryFilter filter(maxSlots);
  json bundle;
  try {
    bundle = json::parse(body, [&filter](int depth, json::parse_event_t event, json& parsed) {
      return filter.keep(depth, event, parsed);
    });
  } catch (const json::exception& e) {
    return refused(FeedProblem::NotJson,
                   body.empty() ? "réponse vide" : "JSON illisible : " + echo(e.what()));
  }
  const auto type = textOf(bundle, "resourceType");
  if (type != "Bundle") {
    std::string detail = bundle.is_object() ? "ressource « " + echo(type) + " » au lieu d'un Bundle"
                                            : "JSON qui n'est pas une ressource FHIR";
    // An OperationOutcome tells why in its first issue.
    const auto& issues = elementsOf(bundle, "issue");
    if (!issues.empty()) {
      const auto diagnostics = textOf(issues.front(), "diagnostics");
      if (!diagnostics.empty()) detail += " : " + echo(diagnostics);
    }
    return refused(FeedProblem::NotABundle, std::move(detail));
  }
  if (textOf(bundle, "type") != "searchset")
    return refused(FeedProblem::NotABundle,
                   "Bundle de type « " + echo(textOf(bundle, "type")) + " » au lieu de searchset");
  const json* entries = member(bundle, "entry");
  if (entries != nullptr && !entries->is_array())
    return refused(FeedProblem::NotABundle, "Bundle dont « entry » n'est pas une liste");
  // Counted during the parse, before any Slot beyond the cap was checked or kept.
  if (filter.slotCount() > maxSlots)
    return refused(FeedProblem::TooManySlots, std::to_string(filter.slotCount()) +
                                                  " créneaux (au plus " + std::to_string(maxSlots) +
                                                  ")");

  Resources resources;
  for (const auto& e : elementsOf(bundle, "entry"))
    if (const json* r = member(e, "resource")) resources.add(e, *r);

  BundleReading reading;
  reading.ok = true;
  reading.refused = std::move(filter.refused());
  reading.slots.reserve(filter.pending().size());
  ScheduleReader schedules(resources, placeSystem);
  std::unordered_map<const json*, ScheduleFacts> facts;  // each Schedule read once
  const json noContainer = json::object();  // a Slot's « #id » reference names nothing kept
  for (auto& p : filter.pending()) {
    const json* schedule = resources.resolve(p.schedule, noContainer);
    if (schedule == nullptr || textOf(*schedule, "resourceType") != "Schedule") {
      ++reading.refused[FeedProblem::BadSlot];
      continue;
    }
    auto known = facts.find(schedule);
    if (known == facts.end()) known = facts.emplace(schedule, schedules.read(*schedule)).first;
    const auto& f = known->second;
    if (f.professionalId.empty()) {
      ++reading.refused[FeedProblem::BadSlot];
      continue;
    }
    p.slot.professionalId = f.professionalId;
    p.slot.locationIdentifiers = f.locationIdentifiers;
    p.slot.position = f.position;
    reading.slots.push_back(std::move(p.slot));
  }
  return reading;
}

}  // namespace sas::publishers
