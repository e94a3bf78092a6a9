// The JSON API's text: escaping in the writer, and local times with their offset.
#include <gtest/gtest.h>

#include "domain/calendar.hpp"
#include "http/api/json_writer.hpp"
#include "http/api/search_model.hpp"

namespace sas::http {
namespace {

std::string written(std::string_view text) {
  std::string out;
  JsonWriter w(out);
  w.beginObject().field("k", text).endObject();
  return out;
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(written("plain"), R"({"k":"plain"})");
  EXPECT_EQ(written("a\"b"), R"({"k":"a\"b"})");
  EXPECT_EQ(written("a\\b"), R"({"k":"a\\b"})");
  EXPECT_EQ(written("l1\nl2\r\tx"), R"({"k":"l1\nl2\r\tx"})");
  EXPECT_EQ(written(std::string_view("\x01z\x1f", 3)), R"({"k":"\u0001z\u001f"})");
  EXPECT_EQ(written(std::string_view("a\0b", 3)), R"({"k":"a\u0000b"})");
  EXPECT_EQ(written("\"\""), R"({"k":"\"\""})");  // escapes at both ends, nothing between
  EXPECT_EQ(written(""), R"({"k":""})");
}

TEST(JsonWriter, PassesUtf8ThroughAndSeparatesMembers) {
  std::string out;
  JsonWriter w(out);
  w.beginObject().field("nom", "Maison de santé « Léo »").key("types").beginArray();
  w.value("C").value("T").endArray().field("n", 3).field("ok", true).endObject();
  EXPECT_EQ(out, R"({"nom":"Maison de santé « Léo »","types":["C","T"],"n":3,"ok":true})");
}

domain::Instant utc(int y, unsigned m, unsigned d, int hour, int minute) {
  return domain::Instant{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} +
         std::chrono::hours{hour} + std::chrono::minutes{minute};
}

TEST(IsoLocalText, FollowsTheOffsetAcrossAChangeOfTime) {
  const auto& paris = *domain::findZone("Europe/Paris");
  IsoLocalText iso(paris);
  // Paris moves to summer time on 29 March 2026 at 01:00 UTC; one writer for both sides.
  EXPECT_EQ(iso(utc(2026, 3, 29, 0, 59)), "2026-03-29T01:59:00+01:00");
  EXPECT_EQ(iso(utc(2026, 3, 29, 1, 0)), "2026-03-29T03:00:00+02:00");
  EXPECT_EQ(iso(utc(2026, 3, 29, 0, 30)), "2026-03-29T01:30:00+01:00");  // and back again
  EXPECT_EQ(iso(utc(2026, 10, 25, 1, 0)), "2026-10-25T02:00:00+01:00");
  EXPECT_EQ(isoLocal(paris, utc(2026, 12, 31, 23, 30)), "2027-01-01T00:30:00+01:00");
}

TEST(IsoLocalText, WritesTheDayAgainAtLocalMidnight) {
  IsoLocalText iso(*domain::findZone("Europe/Paris"));
  EXPECT_EQ(iso(utc(2026, 3, 4, 22, 59)), "2026-03-04T23:59:00+01:00");
  EXPECT_EQ(iso(utc(2026, 3, 4, 23, 0)), "2026-03-05T00:00:00+01:00");
  EXPECT_EQ(iso(utc(2026, 3, 4, 22, 0)), "2026-03-04T23:00:00+01:00");
}

TEST(IsoLocalText, WritesNegativeAndHalfHourOffsets) {
  IsoLocalText cayenne(*domain::findZone("America/Cayenne"));
  EXPECT_EQ(cayenne(utc(2026, 3, 4, 2, 5)), "2026-03-03T23:05:00-03:00");
  EXPECT_EQ(isoLocal(*domain::findZone("Asia/Kolkata"), utc(2026, 3, 4, 2, 5)),
            "2026-03-04T07:35:00+05:30");
  EXPECT_EQ(utcOffset(*domain::findZone("Indian/Reunion"), utc(2026, 3, 4, 2, 5)), "UTC+04:00");
}

// What AvailabilityMembers must write: the same members written one by one through JsonWriter.
std::string memberByMember(const date::time_zone& zone, const domain::SearchSlot& s,
                           domain::Instant until) {
  std::string out;
  JsonWriter w(out);
  w.beginObject()
      .field("start", isoLocal(zone, s.start))
      .field("end", isoLocal(zone, s.end))
      .field("kind", s.kind == domain::AvailabilityKind::Slot ? "creneau" : "plage")
      .field("capacity", s.capacity)
      .field("offered_until", isoLocal(zone, until))
      .key("types")
      .beginArray();
  const std::pair<domain::ConsultationType, const char*> letters[] = {
      {domain::ConsultationType::Office, "C"},
      {domain::ConsultationType::Teleconsultation, "T"},
      {domain::ConsultationType::HomeVisit, "D"}};
  for (const auto& [type, letter] : letters)
    if (s.types.has(type)) w.value(letter);
  w.endArray().endObject();
  return out.substr(1, out.size() - 2);
}

TEST(AvailabilityMembers, WritesWhatTheWriterWouldMemberByMember) {
  const auto& paris = *domain::findZone("Europe/Paris");
  const auto& cayenne = *domain::findZone("America/Cayenne");
  using domain::ConsultationType;
  domain::SearchSlot slot{.start = utc(2026, 3, 28, 23, 0), .end = utc(2026, 3, 29, 1, 30)};
  slot.types.add(ConsultationType::Office);
  domain::SearchSlot plage{.start = utc(2026, 3, 29, 7, 0),
                           .end = utc(2026, 3, 29, 11, 0),
                           .kind = domain::AvailabilityKind::Range,
                           .capacity = 2147483647};
  plage.types.add(ConsultationType::Office);
  plage.types.add(ConsultationType::Teleconsultation);
  plage.types.add(ConsultationType::HomeVisit);
  domain::SearchSlot visits = plage;
  visits.capacity = 12;
  visits.types = {};
  visits.types.add(ConsultationType::HomeVisit);
  visits.types.add(ConsultationType::Teleconsultation);
  for (const auto* zone : {&paris, &cayenne}) {
    AvailabilityMembers members(*zone);
    // One writer for slots across a change of time, a day apart, and back.
    for (const auto& s : {slot, plage, visits, slot}) {
      const auto until = s.end - std::chrono::minutes{30};
      EXPECT_EQ(members(s, until), memberByMember(*zone, s, until));
    }
  }
  AvailabilityMembers members(paris);
  EXPECT_EQ(members(visits, visits.start),
            R"("start":"2026-03-29T09:00:00+02:00","end":"2026-03-29T13:00:00+02:00",)"
            R"("kind":"plage","capacity":12,"offered_until":"2026-03-29T09:00:00+02:00",)"
            R"("types":["T","D"])");
}

}  // namespace
}  // namespace sas::http
