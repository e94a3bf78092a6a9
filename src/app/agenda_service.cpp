#include "app/agenda_service.hpp"

#include <algorithm>
#include <tuple>

#include "app/errors.hpp"
#include "domain/text.hpp"

namespace sas::app {

using domain::characterCount;
using domain::Checked;
using domain::Day;

void StatusCounts::add(domain::OrientationStatus status) {
  switch (status) {
    case domain::OrientationStatus::Received:
      ++received;
      break;
    case domain::OrientationStatus::NoShow:
      ++noShow;
      break;
    case domain::OrientationStatus::Pending:
      ++pending;
      break;
    case domain::OrientationStatus::Cancelled:
      ++cancelled;
      break;
  }
}

StatusCounts countStatuses(const std::vector<Orientation>& orientations) {
  StatusCounts counts;
  for (const auto& o : orientations) counts.add(o.status);
  return counts;
}

AgendaService::AgendaService(StructureRepository& structures, AgendaRepository& agenda,
                             OrientationRepository& orientations, const Clock& clock)
    : structures_(structures), agenda_(agenda), orientations_(orientations), clock_(clock) {}

PlaceContext AgendaService::placeFor(const Actor& actor, std::int64_t placeId) {
  // Regulators read agendas through the search only: they change nothing
  // (docs/rules.md#roles-and-access).
  if (regulates(actor.user.role)) throw AppError(ErrorCode::Forbidden, "regulator");
  auto found = structures_.findPlaceWithStructure(placeId);
  // Not found and not yours answer the same, so that ids of others cannot be probed.
  if (!found || !actor.managesStructure(found->first.structureId))
    throw AppError(ErrorCode::NotFound, "place " + std::to_string(placeId));
  auto& [place, structure] = *found;
  const date::time_zone* zone = domain::findZone(place.timeZone);
  if (!zone) throw AppError(ErrorCode::Internal, "unknown time zone " + place.timeZone);
  return {std::move(place), std::move(structure), zone};
}

WeekView AgendaService::week(const Actor& actor, std::int64_t placeId, std::optional<Day> day) {
  WeekView view;
  view.context = placeFor(actor, placeId);
  view.now = clock_.now();
  view.today = domain::localDay(*view.context.zone, view.now);
  view.monday = domain::mondayOf(day.value_or(view.today));
  // Read with the place, before the week: a change committed meanwhile leaves a newer week
  // under an older version, which the next view, reading the newer version, does not take.
  view.version = weeks_ ? view.context.place.agendaVersion : -1;
  view.content = weekContent(view.context, view.monday, view.version);
  return view;
}

std::shared_ptr<const WeekContent> AgendaService::weekContent(const PlaceContext& context,
                                                              Day monday, long long version) {
  const auto placeId = context.place.id;
  if (weeks_ && version >= 0)
    if (auto kept = weeks_->find(placeId, monday, version, context.zone)) return kept;
  auto content = std::make_shared<WeekContent>();
  const Day sunday = monday + date::days{6};
  for (const auto& a : agenda_.availabilitiesOfPlace(placeId, monday)) {
    auto occ = domain::occurrencesBetween(a, *context.zone, monday, sunday);
    content->occurrences.insert(content->occurrences.end(), occ.begin(), occ.end());
  }
  // An exception may move an occurrence up to a week: the takings from the Monday before.
  domain::applyTakings(content->occurrences,
                       orientations_.takingsOfPlace(placeId, monday - date::days{7}));
  std::sort(content->occurrences.begin(), content->occurrences.end(),
            [](const auto& a, const auto& b) {
              return std::tie(a.start, a.end, a.availabilityId) <
                     std::tie(b.start, b.end, b.availabilityId);
            });
  std::tie(content->unavailability, content->regulatorNote) =
      agenda_.unavailabilityAndNote(placeId);
  if (weeks_ && version >= 0) weeks_->store(placeId, monday, version, context.zone, content);
  return content;
}

EditTarget AgendaService::editTarget(const Actor& actor, const OccurrenceRef& ref) {
  EditTarget target;
  target.context = placeFor(actor, ref.placeId);
  auto availability = agenda_.findAvailability(ref.availabilityId);
  if (!availability || availability->placeId != ref.placeId)
    throw AppError(ErrorCode::NotFound, "availability " + std::to_string(ref.availabilityId));
  auto occurrence = domain::findOccurrence(*availability, *target.context.zone, ref.originalDate);
  if (!occurrence) throw AppError(ErrorCode::NotFound, "occurrence");
  target.availability = std::move(*availability);
  target.occurrence = *occurrence;
  target.occurrence.taken = takenOf(target.context, target.occurrence);
  target.past = occurrence->start < clock_.now();
  return target;
}

int AgendaService::takenOf(const PlaceContext& context, const domain::Occurrence& occurrence) {
  const auto from = std::min(occurrence.originalDate, occurrence.values.date);
  for (const auto& t : orientations_.takingsOfPlace(context.place.id, from))
    if (t.availabilityId == occurrence.availabilityId && t.originalDate == occurrence.originalDate)
      return t.taken;
  return 0;
}

std::vector<domain::Occurrence> AgendaService::takenLater(const EditTarget& target) {
  std::vector<domain::Occurrence> out;
  for (const auto& t :
       orientations_.takingsOfPlace(target.context.place.id, target.occurrence.originalDate)) {
    if (t.availabilityId != target.availability.id ||
        t.originalDate <= target.occurrence.originalDate)
      continue;
    if (auto o = domain::findOccurrence(target.availability, *target.context.zone, t.originalDate))
      out.push_back(*o);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.originalDate < y.originalDate; });
  return out;
}

bool AgendaService::apply(OccurrenceChange& out, const OccurrenceRef& ref, domain::EditScope scope,
                          AuditEntry audit) {
  auto& change = *out.result.value;
  const auto now = clock_.now();
  if (scope != domain::EditScope::AllWeeks) {
    agenda_.applyChange(ref.placeId, change, audit, now);
    return true;
  }
  // The series is cut at this occurrence: its later taken occurrences stay as they were, as
  // one-offs that their orientations follow (docs/rules.md#orientation).
  const auto kept = domain::keepTakenOccurrences(change, takenLater(out.target));
  if (!kept.empty()) audit.detail += " kept:" + std::to_string(kept.size());
  if (!agenda_.applyChangeKeeping(ref.placeId, change, ref.availabilityId, ref.originalDate, kept,
                                  audit, now)) {
    out.result = Checked<domain::AgendaChange>::failure({{"", kTakenMeanwhile}});
    out.conflict = true;
    return false;
  }
  out.kept = kept.size();
  return true;
}

std::vector<Orientation> AgendaService::coveredBy(const PlaceContext& context,
                                                  const domain::Unavailability& u) {
  std::vector<Orientation> out;
  if (!u.indefinite && u.periods.empty()) return out;
  const auto now = clock_.now();
  // The periods end within a few years; an indefinite one covers whatever comes.
  for (auto& o :
       orientations_.orientationsOfPlace(context.place.id, now, now + date::days{366 * 10}))
    if (o.status == domain::OrientationStatus::Pending &&
        !domain::occurrenceVisible(u, *context.zone, o.start, o.end))
      out.push_back(std::move(o));
  return out;
}

ReferredWeek AgendaService::referred(const Actor& actor, std::int64_t placeId,
                                     std::optional<Day> day) {
  ReferredWeek out;
  out.context = placeFor(actor, placeId);
  out.now = clock_.now();
  out.today = domain::localDay(*out.context.zone, out.now);
  out.monday = domain::mondayOf(day.value_or(out.today));
  const auto& zone = *out.context.zone;
  out.orientations = orientations_.orientationsOfPlace(
      placeId, domain::localToInstant(zone, out.monday, 0),
      domain::localToInstant(zone, out.monday + date::days{7}, 0));
  out.counts = countStatuses(out.orientations);
  return out;
}

namespace {
/// What the self-check knows of a place from its context alone.
domain::VisibilityFacts placeFacts(const PlaceContext& context) {
  domain::VisibilityFacts facts;
  facts.participates = context.structure.participation.participates;
  // Not found by the geocoder: stored at 0, 0 (docs/rules.md#search).
  facts.positioned = context.place.latitude != 0 || context.place.longitude != 0;
  facts.approximate = context.place.approximate;
  return facts;
}
}  // namespace

domain::VisibilityCheck checkPlaceVisibility(AgendaRepository& agenda,
                                             OrientationRepository& orientations,
                                             const PlaceContext& context, domain::Instant now,
                                             std::chrono::seconds plageCloses) {
  const auto& zone = *context.zone;
  domain::VisibilityFacts facts = placeFacts(context);
  facts.unavailability = agenda.unavailability(context.place.id);
  // From yesterday (a plage of the evening before may still be offered) to the window's last
  // day; an exception may move an occurrence up to a week, hence the takings from a week back.
  const Day today = domain::localDay(zone, now);
  const Day first = today - date::days{1};
  const Day last = today + date::days{3};
  for (const auto& a : agenda.availabilitiesOfPlace(context.place.id, first)) {
    auto occ = domain::occurrencesBetween(a, zone, first, last);
    facts.occurrences.insert(facts.occurrences.end(), occ.begin(), occ.end());
  }
  domain::applyTakings(facts.occurrences,
                       orientations.takingsOfPlace(context.place.id, first - date::days{7}));
  return domain::checkVisibility(facts, zone, now, plageCloses);
}

PlaceVisibility AgendaService::visibility(const Actor& actor, const WeekView& view) {
  const auto& context = view.context;
  domain::VisibilityFacts facts = placeFacts(context);
  facts.unavailability = view.unavailability();
  // The search's window runs from today to the day after tomorrow: this week's and, near a
  // Sunday, the next one's, each as the agenda keeps it (with its takings).
  const Day first = domain::mondayOf(view.today),
            last = domain::mondayOf(view.today + date::days{2});
  for (Day monday = first; monday <= last; monday += date::days{7}) {
    const auto week =
        monday == view.monday ? view.content : weekContent(context, monday, view.version);
    facts.occurrences.insert(facts.occurrences.end(), week->occurrences.begin(),
                             week->occurrences.end());
  }
  PlaceVisibility out;
  out.check = domain::checkVisibility(facts, *context.zone, view.now, plageCloses_);
  out.setsParameters = actor.setsParameters(context.structure.id);
  return out;
}

NewAvailability AgendaService::newAvailability(const Actor& actor, std::int64_t placeId,
                                               std::optional<Day> asked) {
  NewAvailability out;
  out.context = placeFor(actor, placeId);
  const auto today = domain::localDay(*out.context.zone, clock_.now());
  out.date = asked && *asked >= today ? *asked : today;
  return out;
}

PlaceNotes AgendaService::notes(const Actor& actor, std::int64_t placeId) {
  PlaceNotes out;
  out.context = placeFor(actor, placeId);
  out.today = domain::localDay(*out.context.zone, clock_.now());
  std::tie(out.unavailability, out.regulatorNote) = agenda_.unavailabilityAndNote(placeId);
  out.covered = coveredBy(out.context, out.unavailability);
  return out;
}

AvailabilityCreation AgendaService::createAvailability(const Actor& actor, std::int64_t placeId,
                                                       const domain::AvailabilityInput& input) {
  AvailabilityCreation out;
  out.context = placeFor(actor, placeId);
  const auto now = clock_.now();
  auto checked = domain::checkAvailabilityInput(input, *out.context.zone, now);
  if (!checked.ok()) {
    out.result = Checked<std::vector<std::int64_t>>::failure(std::move(checked.errors));
    return out;
  }
  // A one-off only: the hours of a series are those of every week, which the clock keeps.
  const bool series =
      std::any_of(input.weekdays.begin(), input.weekdays.end(), [](bool ticked) { return ticked; });
  if (!series)
    if (auto error = domain::leaveClockGap(*checked.value, *out.context.zone, out.movedOutOfGap)) {
      out.result = Checked<std::vector<std::int64_t>>::failure({*error});
      return out;
    }
  domain::AgendaChange change;
  change.created = domain::planCreation(placeId, *checked.value, input.weekdays);
  auto ids =
      agenda_.applyChange(placeId, change, audit(actor, "availability.create", out.context), now);
  notify(placeId);
  out.result = Checked<std::vector<std::int64_t>>::success(std::move(ids));
  out.day = checked.value->date;
  out.adviseRange =
      checked.value->kind == domain::AvailabilityKind::Slot && domain::adviseRange(*checked.value);
  return out;
}

OccurrenceChange AgendaService::modifyOccurrence(const Actor& actor, const OccurrenceRef& ref,
                                                 domain::AvailabilityInput input,
                                                 domain::EditScope scope) {
  OccurrenceChange out;
  out.target = editTarget(actor, ref);
  const auto& target = out.target;
  const auto now = clock_.now();
  // In « toutes les semaines » mode the series keeps its weekday: the date is the occurrence's.
  if (scope == domain::EditScope::AllWeeks) input.date = domain::formatIsoDate(ref.originalDate);
  input.weekdays = {};
  if (target.occurrence.taken > 0) {
    out.result = Checked<domain::AgendaChange>::failure({{"", kOccurrenceTaken}});
    out.conflict = true;
    return out;
  }
  auto checked = domain::checkAvailabilityInput(input, *target.context.zone, now);
  if (!checked.ok()) {
    out.result = Checked<domain::AgendaChange>::failure(std::move(checked.errors));
    return out;
  }
  if (scope == domain::EditScope::ThisOccurrence)
    if (auto error =
            domain::leaveClockGap(*checked.value, *target.context.zone, out.movedOutOfGap)) {
      out.result = Checked<domain::AgendaChange>::failure({*error});
      return out;
    }
  out.result = domain::planModification(target.availability, ref.originalDate, *checked.value,
                                        scope, *target.context.zone, now);
  if (!out.result.ok()) return out;
  if (!apply(out, ref, scope,
             audit(actor, "availability.modify", target.context,
                   "availability:" + std::to_string(ref.availabilityId) + " " +
                       domain::formatIsoDate(ref.originalDate) +
                       (scope == domain::EditScope::AllWeeks ? " all" : " one"))))
    return out;
  notify(ref.placeId);
  out.day = checked.value->date;
  return out;
}

OccurrenceChange AgendaService::removeOccurrence(const Actor& actor, const OccurrenceRef& ref,
                                                 domain::EditScope scope) {
  OccurrenceChange out;
  out.target = editTarget(actor, ref);
  const auto& target = out.target;
  const auto now = clock_.now();
  out.day = target.occurrence.values.date;
  if (target.occurrence.taken > 0) {
    out.result = Checked<domain::AgendaChange>::failure({{"", kOccurrenceTaken}});
    out.conflict = true;
    return out;
  }
  out.result =
      domain::planDeletion(target.availability, ref.originalDate, scope, *target.context.zone, now);
  if (!out.result.ok()) return out;
  if (!apply(out, ref, scope,
             audit(actor, "availability.delete", target.context,
                   "availability:" + std::to_string(ref.availabilityId) + " " +
                       domain::formatIsoDate(ref.originalDate) +
                       (scope == domain::EditScope::AllWeeks ? " all" : " one"))))
    return out;
  notify(ref.placeId);
  return out;
}

UnavailabilityChange AgendaService::submitUnavailability(const Actor& actor, std::int64_t placeId,
                                                         const domain::UnavailabilityInput& input) {
  UnavailabilityChange out;
  out.context = placeFor(actor, placeId);
  const auto now = clock_.now();
  const auto current = agenda_.unavailability(placeId);
  out.result =
      domain::checkUnavailabilityInput(input, current, domain::localDay(*out.context.zone, now));
  if (!out.result.ok()) return out;
  // Saved even over orientations: the manager is shown them, to call the regulation.
  agenda_.saveUnavailability(placeId, *out.result.value,
                             audit(actor, "unavailability.save", out.context), now);
  notify(placeId);
  out.covered = coveredBy(out.context, *out.result.value);
  return out;
}

PlaceChange<std::string> AgendaService::submitRegulatorNote(const Actor& actor,
                                                            std::int64_t placeId,
                                                            const std::string& text) {
  PlaceChange<std::string> out;
  out.context = placeFor(actor, placeId);
  std::string note;
  note.reserve(text.size());
  for (char c : text)
    if (c != '\r') note.push_back(c);  // one line-break convention, whatever the browser sends
  if (characterCount(note) > kMaxRegulatorNoteLength) {
    out.result = Checked<std::string>::failure(
        {{"informations", "Les informations complémentaires ne peuvent pas dépasser " +
                              std::to_string(kMaxRegulatorNoteLength) + " caractères."}});
    return out;
  }
  agenda_.saveRegulatorNote(placeId, note, audit(actor, "note.save", out.context), clock_.now());
  notify(placeId);
  out.result = Checked<std::string>::success(std::move(note));
  return out;
}

std::vector<CopyPlace> AgendaService::copyPlaces(const Actor& actor, const PlaceContext& context) {
  // « The same manager »: the actor's own structures; a délégataire's, those of the one he acts
  // for on this place, so that a copy never crosses from one principal to another.
  std::vector<std::int64_t> ids;
  if (const auto principal = actor.onBehalfOf(context.structure.id)) {
    for (const auto& d : actor.delegated)
      if (d.principalId == *principal) ids.push_back(d.structureId);
  } else {
    ids = actor.structureIds;
  }
  std::vector<CopyPlace> out{{context.place, context.structure.name}};
  for (const auto& s : structures_.structuresByIds(ids)) {
    if (!actor.managesStructure(s.id)) continue;
    for (auto& p : structures_.placesOfStructure(s.id))
      if (p.id != context.place.id) out.push_back({std::move(p), s.name});
  }
  return out;
}

WeekCopy AgendaService::weekCopyForm(const Actor& actor, std::int64_t placeId,
                                     std::optional<Day> day) {
  WeekCopy out;
  out.context = placeFor(actor, placeId);
  out.monday = domain::mondayOf(day.value_or(domain::localDay(*out.context.zone, clock_.now())));
  out.places = copyPlaces(actor, out.context);
  return out;
}

WeekCopy AgendaService::planCopy(const Actor& actor, std::int64_t placeId, Day day,
                                 const WeekCopyInput& input, domain::Instant now) {
  WeekCopy out;
  out.context = placeFor(actor, placeId);
  out.monday = domain::mondayOf(day);
  out.places = copyPlaces(actor, out.context);
  // A place that is not one of them answers as a place that does not exist, before anything
  // of it is read (docs/rules.md#roles-and-access).
  for (auto id : input.places)
    if (std::none_of(out.places.begin(), out.places.end(),
                     [&](const CopyPlace& p) { return p.place.id == id; }))
      throw AppError(ErrorCode::NotFound, "copy to place " + std::to_string(id));
  for (auto id : input.places) out.versions[id] = agenda_.agendaVersion(id);
  domain::WeekCopySource source{placeId, out.monday,
                                agenda_.availabilitiesOfPlace(placeId, out.monday)};
  std::vector<domain::WeekCopyTarget> targets;
  for (const auto& p : out.places) {
    if (!out.versions.count(p.place.id)) continue;
    const date::time_zone* zone = domain::findZone(p.place.timeZone);
    if (!zone) throw AppError(ErrorCode::Internal, "unknown time zone " + p.place.timeZone);
    targets.push_back({p.place.id, zone,
                       p.place.id == placeId
                           ? source.availabilities
                           : agenda_.availabilitiesOfPlace(p.place.id, out.monday)});
  }
  out.result = domain::planWeekCopy(source, input.weeks, targets, now);
  return out;
}

WeekCopy AgendaService::previewWeekCopy(const Actor& actor, std::int64_t placeId, Day day,
                                        const WeekCopyInput& input) {
  return planCopy(actor, placeId, day, input, clock_.now());
}

WeekCopy AgendaService::copyWeek(const Actor& actor, std::int64_t placeId, Day day,
                                 const WeekCopyInput& input) {
  const auto now = clock_.now();
  // Planned again: what was previewed may have changed since (a copy now past, or made).
  auto out = planCopy(actor, placeId, day, input, now);
  auto& result = *out.result;
  if (!result.ok()) return out;
  const auto& plan = *result.value;
  if (plan.copies.empty()) {
    // The plan stays, so that the page says why each copy is left out.
    result.errors.push_back({"", kNothingToCopy});
    return out;
  }
  std::vector<PlaceAgendaChange> changes;
  for (const auto& copy : plan.copies) {
    if (changes.empty() || changes.back().placeId != copy.placeId)
      changes.push_back({copy.placeId, {}, {}});
    domain::Availability a;
    a.placeId = copy.placeId;
    a.base = copy.values;
    changes.back().change.created.push_back(std::move(a));
  }
  for (auto& change : changes) {
    const auto& target = *std::find_if(out.places.begin(), out.places.end(),
                                       [&](const auto& p) { return p.place.id == change.placeId; });
    change.audit = actor.auditEntry(
        "availability.copy", "place:" + std::to_string(change.placeId), target.place.structureId,
        "from:place:" + std::to_string(placeId) + " week:" + domain::formatIsoDate(out.monday) +
            " weeks:" + std::to_string(plan.weeks) +
            " created:" + std::to_string(change.change.created.size()));
  }
  for (auto& change : changes) change.expectedVersion = out.versions.at(change.placeId);
  if (!agenda_.applyChanges(changes, now)) {
    // Changed meanwhile (the same copy confirmed twice, in two tabs): the plan as it is now.
    out = planCopy(actor, placeId, day, input, now);
    if (out.result->ok()) out.result->errors.push_back({"", kAgendaChangedMeanwhile});
    return out;
  }
  for (const auto& change : changes) notify(change.placeId);
  out.written = true;
  return out;
}

Checked<std::vector<std::int64_t>> AgendaService::create(const Actor& actor, std::int64_t placeId,
                                                         const domain::AvailabilityInput& input) {
  return createAvailability(actor, placeId, input).result;
}

Checked<domain::AgendaChange> AgendaService::modify(const Actor& actor, const OccurrenceRef& ref,
                                                    domain::AvailabilityInput input,
                                                    domain::EditScope scope) {
  return modifyOccurrence(actor, ref, std::move(input), scope).result;
}

Checked<domain::AgendaChange> AgendaService::remove(const Actor& actor, const OccurrenceRef& ref,
                                                    domain::EditScope scope) {
  return removeOccurrence(actor, ref, scope).result;
}

Checked<domain::Unavailability> AgendaService::saveUnavailability(
    const Actor& actor, std::int64_t placeId, const domain::UnavailabilityInput& input) {
  return submitUnavailability(actor, placeId, input).result;
}

Checked<std::string> AgendaService::saveRegulatorNote(const Actor& actor, std::int64_t placeId,
                                                      const std::string& text) {
  return submitRegulatorNote(actor, placeId, text).result;
}

AuditEntry AgendaService::audit(const Actor& actor, std::string action, const PlaceContext& context,
                                std::string detail) const {
  return actor.auditEntry(std::move(action), "place:" + std::to_string(context.place.id),
                          context.structure.id, std::move(detail));
}

void AgendaService::notify(std::int64_t placeId) {
  for (auto* l : listeners_) l->placeChanged(placeId);
}

}  // namespace sas::app
