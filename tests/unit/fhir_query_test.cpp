// The SAS implementation guide's slot searches read from the raw query string
// (domain/fhir_query): shapes, bounds, identifiers, status, _format and each refusal.
#include "domain/fhir_query.hpp"

#include <gtest/gtest.h>

namespace sas::domain::fhir {
namespace {

constexpr const char* kRpps1 = "urn:oid:1.2.250.1.71.4.2.1|810000000009";
constexpr const char* kRpps2 = "urn:oid:1.2.250.1.71.4.2.1|810000000017";
constexpr const char* kSiret = "urn:oid:1.2.250.1.71.4.2.2|312345678200010";

Instant utc(int y, unsigned m, unsigned d, int h, int mi, int s = 0) {
  return Instant{date::sys_days{date::year{y} / m / d}} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s};
}

std::string professionalQuery(const std::string& ge, const std::string& le,
                              const std::string& ids = kRpps1) {
  return "_include=Slot:schedule&_include:iterate=Schedule:actor&start=ge" + ge + "&start=le" + le +
         "&schedule.actor:Practitioner.identifier=" + ids + "&status=free";
}

std::string structureQuery(const std::string& ge, const std::string& le,
                           const std::string& ids = kSiret) {
  return "_revinclude=Slot:schedule&_include=Schedule:actor:Location&_include:iterate=Location:"
         "organization&_has:Slot:schedule:start=ge" +
         ge + "&_has:Slot:schedule:start=le" + le +
         "&_has:Slot:schedule:status=free&actor:Location.organization.identifier=" + ids;
}

SlotSearch accepted(SearchedType type, const std::string& query, const SearchLimits& limits = {}) {
  auto result = parseSlotSearch(type, query, limits);
  if (const auto* error = std::get_if<QueryError>(&result)) {
    ADD_FAILURE() << query << "\n  refused: " << error->diagnostics;
    return {};
  }
  return std::get<SlotSearch>(result);
}

QueryError refused(SearchedType type, const std::string& query, const SearchLimits& limits = {}) {
  auto result = parseSlotSearch(type, query, limits);
  if (!std::holds_alternative<QueryError>(result)) {
    ADD_FAILURE() << query << "\n  accepted";
    return {};
  }
  return std::get<QueryError>(result);
}

// The instant `ge` (or `le`) is read as, in a search whose other bound is the earliest (the
// latest) moment of the same date anywhere, so that it is always on the right side.
Instant lowerOf(const std::string& ge, const SearchLimits& limits = {}) {
  const auto le = ge.substr(0, 10) + "T23:59:59-12:00";
  return accepted(SearchedType::Slot, professionalQuery(ge, le), limits).from;
}
Instant upperOf(const std::string& le, const SearchLimits& limits = {}) {
  const auto ge = le.substr(0, 10) + "T00:00:00%2B14:00";
  return accepted(SearchedType::Slot, professionalQuery(ge, le), limits).to;
}

void expectBadRequest(const QueryError& error, const char* code) {
  EXPECT_EQ(error.kind, QueryErrorKind::BadRequest);
  EXPECT_EQ(error.issueCode, code);
  EXPECT_NE(error.diagnostics.find(" / "), std::string::npos) << error.diagnostics;
}

// --- shapes ---

TEST(FhirQuery, ProfessionalSearchAsIntR01WritesIt) {
  const auto s = accepted(SearchedType::Slot, professionalQuery("2026-12-03T10:00:00+01:00",
                                                                "2026-12-05T10:00:00+01:00"));
  EXPECT_EQ(s.shape, SearchShape::ByProfessional);
  EXPECT_EQ(s.from, utc(2026, 12, 3, 9, 0));
  EXPECT_EQ(s.to, utc(2026, 12, 5, 9, 0));
  EXPECT_EQ(s.identifiers, std::vector<std::string>{"810000000009"});
  EXPECT_TRUE(s.free);
  EXPECT_TRUE(s.ignored.empty());
}

TEST(FhirQuery, TheGuidesPsIndivExampleRequest) {
  // Bundle-ExampleBundlePSIndiv's self link: « | » encoded, milliseconds, _count.
  const auto s = accepted(
      SearchedType::Slot,
      "_include=Slot:schedule&_include:iterate=Schedule:actor&status=free&start=ge2021-11-04T14:"
      "19:35.760+00:00&start=le2021-11-06T23:59:59.999+00:00&schedule.actor:Practitioner."
      "identifier=urn:oid:1.2.250.1.71.4.2.1%7C810002673899,urn:oid:1.2.250.1.71.4.2.1%"
      "7C810100050075&_count=1000");
  EXPECT_EQ(s.shape, SearchShape::ByProfessional);
  EXPECT_EQ(s.from, utc(2021, 11, 4, 14, 19, 36));  // rounded up: no start at .760 but after
  EXPECT_EQ(s.to, utc(2021, 11, 6, 23, 59, 59));
  EXPECT_EQ(s.identifiers, (std::vector<std::string>{"810002673899", "810100050075"}));
  EXPECT_EQ(s.ignored, std::vector<std::string>{"_count=1000"});
}

TEST(FhirQuery, CptsSearchAsIntR04WritesIt) {
  const auto s = accepted(
      SearchedType::Slot,
      "_include=Slot:service-type-reference&_include:iterate=HealthcareService:organization&"
      "start=ge2026-12-03T10:00:00+01:00&start=le2026-12-03T12:00:00+01:00&schedule.actor:"
      "Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|810000000009&status=free");
  EXPECT_EQ(s.shape, SearchShape::ByProfessionalCpts);
  EXPECT_EQ(s.from, utc(2026, 12, 3, 9, 0));
  EXPECT_EQ(s.to, utc(2026, 12, 3, 11, 0));
  // The guide's CPTS example asks for the service alone, after the PS includes.
  const auto example = accepted(
      SearchedType::Slot,
      "_include=Slot:schedule&_include:iterate=Schedule:actor&start=ge2024-06-12T16:20:00.000+"
      "02:00&start=le2024-06-12T17:20:00.000+02:00&schedule.actor:Practitioner.identifier=urn:"
      "oid:1.2.250.1.71.4.2.1|810002909371&status=free&_include=Slot:service-type-reference");
  EXPECT_EQ(example.shape, SearchShape::ByProfessionalCpts);
  EXPECT_EQ(example.from, utc(2024, 6, 12, 14, 20));
  EXPECT_EQ(example.to, utc(2024, 6, 12, 15, 20));
  EXPECT_EQ(example.identifiers, std::vector<std::string>{"810002909371"});
  EXPECT_TRUE(example.ignored.empty());
}

TEST(FhirQuery, ProfessionalSearchWithoutIncludesIsStillOne) {
  const auto s = accepted(SearchedType::Slot,
                          "start=ge2026-12-03&start=le2026-12-03&schedule.actor:Practitioner."
                          "identifier=810000000009");
  EXPECT_EQ(s.shape, SearchShape::ByProfessional);
  EXPECT_TRUE(s.free);
}

TEST(FhirQuery, TheGuidesSosExampleRequest) {
  // Bundle-ExampleBundleAgregateurSOS's self link.
  const auto s = accepted(
      SearchedType::Schedule,
      "_revinclude=Slot:schedule&_include=Schedule:actor:Location&_include:iterate=Location:"
      "organization&_has:Slot:schedule:start=ge2023-08-18T09:00:00+02:00&_has:Slot:schedule:"
      "start=le2023-08-20T08:00:00+02:00&_has:Slot:schedule:status=free&actor:Location."
      "organization.identifier=urn:oid:1.2.250.1.71.4.2.2%7C334173748400020,urn:oid:1.2.250.1."
      "71.4.2.2%7C392080466300010&_count=1000");
  EXPECT_EQ(s.shape, SearchShape::ByStructure);
  EXPECT_EQ(s.from, utc(2023, 8, 18, 7, 0));
  EXPECT_EQ(s.to, utc(2023, 8, 20, 6, 0));
  EXPECT_EQ(s.identifiers, (std::vector<std::string>{"334173748400020", "392080466300010"}));
  EXPECT_TRUE(s.free);
  EXPECT_EQ(s.ignored, std::vector<std::string>{"_count=1000"});
}

TEST(FhirQuery, StructureSearchByFiness) {
  const auto s =
      accepted(SearchedType::Schedule,
               structureQuery("2026-12-03", "2026-12-04", "urn:oid:1.2.250.1.71.4.2.2|1690000013"));
  EXPECT_EQ(s.identifiers, std::vector<std::string>{"1690000013"});
}

TEST(FhirQuery, EachSearchReadsOnlyItsOwnParameters) {
  // A Slot search's bounds and identifiers mean nothing to a Schedule search, and back.
  const auto onSchedule =
      refused(SearchedType::Schedule, professionalQuery("2026-12-03", "2026-12-04", kSiret));
  expectBadRequest(onSchedule, "required");
  const auto onSlot =
      refused(SearchedType::Slot, structureQuery("2026-12-03", "2026-12-04", kRpps1));
  expectBadRequest(onSlot, "required");
}

TEST(FhirQuery, UnservedParametersAreReportedAsIgnored) {
  const auto s =
      accepted(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-04") +
                                       "&_count=1000&_pretty=true&_summary&specialty=SM54"
                                       "&_include=Slot:foo&_revinclude=Slot:schedule");
  EXPECT_EQ(s.ignored,
            (std::vector<std::string>{"_count=1000", "_pretty=true", "_summary=", "specialty=SM54",
                                      "_include=Slot:foo", "_revinclude=Slot:schedule"}));
  EXPECT_EQ(s.shape, SearchShape::ByProfessional);
}

// --- the « + » of an offset ---

TEST(FhirQuery, PlusOfAnOffsetSentRawEncodedOrAsASpace) {
  const auto t = utc(2026, 12, 3, 9, 0);
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00+01:00"), t);
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00%2B01:00"), t);
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00%2b01:00"), t);
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00%2001:00"), t);  // a « + » a client decoded to a space
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00 01:00"), t);
  EXPECT_EQ(lowerOf("2026-12-03T10%3A00%3A00%2B01%3A00"), t);
  EXPECT_EQ(lowerOf("2026-12-03T09:00:00Z"), t);
  EXPECT_EQ(lowerOf("2026-12-03T05:00:00-04:00"), t);
  EXPECT_EQ(lowerOf("2026-12-03T09:00:00+00:00"), t);
  EXPECT_EQ(lowerOf("2026-12-03T09:00:00-00:00"), t);
  EXPECT_EQ(lowerOf("2026-12-03T23:00:00+14:00"), t);
  EXPECT_EQ(upperOf("2026-12-03T10:00:00 01:00"), t);
}

// --- dates ---

TEST(FhirQuery, DateAloneCoversItsWholeParisDay) {
  const auto winter = accepted(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-05"));
  EXPECT_EQ(winter.from, utc(2026, 12, 2, 23, 0));
  EXPECT_EQ(winter.to, utc(2026, 12, 5, 22, 59, 59));
  const auto summer = accepted(SearchedType::Slot, professionalQuery("2026-07-03", "2026-07-03"));
  EXPECT_EQ(summer.from, utc(2026, 7, 2, 22, 0));
  EXPECT_EQ(summer.to, utc(2026, 7, 3, 21, 59, 59));
  // The days the clock changes: 23 and 25 hours long.
  const auto march = accepted(SearchedType::Slot, professionalQuery("2026-03-29", "2026-03-29"));
  EXPECT_EQ(march.from, utc(2026, 3, 28, 23, 0));
  EXPECT_EQ(march.to, utc(2026, 3, 29, 21, 59, 59));
  const auto october = accepted(SearchedType::Slot, professionalQuery("2026-10-25", "2026-10-25"));
  EXPECT_EQ(october.from, utc(2026, 10, 24, 22, 0));
  EXPECT_EQ(october.to, utc(2026, 10, 25, 22, 59, 59));
}

TEST(FhirQuery, DateAloneInReunion) {
  SearchLimits reunion;
  reunion.zone = date::locate_zone("Indian/Reunion");
  const auto s =
      accepted(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-03"), reunion);
  EXPECT_EQ(s.from, utc(2026, 12, 2, 20, 0));
  EXPECT_EQ(s.to, utc(2026, 12, 3, 19, 59, 59));
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00", reunion), utc(2026, 12, 3, 6, 0));
  // An explicit offset does not depend on the zone.
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00+01:00", reunion), utc(2026, 12, 3, 9, 0));
}

TEST(FhirQuery, FractionOfASecondRoundsInwards) {
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00.000+01:00"), utc(2026, 12, 3, 9, 0, 0));
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00.001+01:00"), utc(2026, 12, 3, 9, 0, 1));
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00.5Z"), utc(2026, 12, 3, 10, 0, 1));
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00.000000001Z"), utc(2026, 12, 3, 10, 0, 0));  // < 1 µs
  EXPECT_EQ(upperOf("2026-12-03T10:00:00.999+01:00"), utc(2026, 12, 3, 9, 0, 0));
  EXPECT_EQ(upperOf("2026-12-03T10:00:00.000Z"), utc(2026, 12, 3, 10, 0, 0));
  EXPECT_EQ(upperOf("2026-12-03T10:00:00.999999999Z"), utc(2026, 12, 3, 10, 0, 0));
  // Both bounds within one second: no whole second lies between them.
  const auto s = accepted(SearchedType::Slot, professionalQuery("2026-12-03T10:00:00.200Z",
                                                                "2026-12-03T10:00:00.500Z"));
  EXPECT_EQ(s.from, utc(2026, 12, 3, 10, 0, 1));
  EXPECT_EQ(s.to, utc(2026, 12, 3, 10, 0, 0));
}

TEST(FhirQuery, NoOffsetIsParisTimeInWinterAndSummer) {
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00"), utc(2026, 12, 3, 9, 0));
  EXPECT_EQ(lowerOf("2026-12-03T10:00"), utc(2026, 12, 3, 9, 0));
  EXPECT_EQ(lowerOf("2026-12-03T10:00:00.250"), utc(2026, 12, 3, 9, 0, 1));
  EXPECT_EQ(upperOf("2026-07-03T10:00:00"), utc(2026, 7, 3, 8, 0));
  EXPECT_EQ(upperOf("2026-07-03T23:59:59.999"), utc(2026, 7, 3, 21, 59, 59));
}

TEST(FhirQuery, NoOffsetOnTheDaysTheClockChanges) {
  // 29 March: 01:59:59 is followed by 03:00:00; a skipped time takes the winter offset.
  EXPECT_EQ(lowerOf("2026-03-29T01:59:59"), utc(2026, 3, 29, 0, 59, 59));
  EXPECT_EQ(lowerOf("2026-03-29T02:30:00"), utc(2026, 3, 29, 1, 30));  // = 03:30 summer time
  EXPECT_EQ(lowerOf("2026-03-29T03:00:00"), utc(2026, 3, 29, 1, 0));
  // 25 October: 02:00 to 02:59 happen twice; the first, in summer time, is taken.
  EXPECT_EQ(upperOf("2026-10-25T01:59:59"), utc(2026, 10, 24, 23, 59, 59));
  EXPECT_EQ(upperOf("2026-10-25T02:30:00"), utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(upperOf("2026-10-25T03:00:00"), utc(2026, 10, 25, 2, 0));
}

TEST(FhirQuery, BadDatesAreRefused) {
  for (const char* bad : {"",
                          "2026",
                          "2026-12",
                          "2026-12-3",
                          "26-12-03",
                          "03/12/2026",
                          "2026-02-29",
                          "2026-13-01",
                          "2026-12-32",
                          "2026-12-03T",
                          "2026-12-03T10",
                          "2026-12-03T10:0",
                          "2026-12-03T24:00:00Z",
                          "2026-12-03T10:60:00Z",
                          "2026-12-03T10:00:60Z",
                          "2026-12-03T10:00:00.Z",
                          "2026-12-03T10:00:00.",
                          "2026-12-03t10:00:00Z",
                          "2026-12-03 10:00:00Z",
                          "2026-12-03T10:00:00z",
                          "2026-12-03T10:00:00Zx",
                          "2026-12-03T10:00:00+1:00",
                          "2026-12-03T10:00:00+0100",
                          "2026-12-03T10:00:00+01",
                          "2026-12-03T10:00:00+01:60",
                          "2026-12-03T10:00:00+14:01",
                          "2026-12-03T10:00:00+15:00",
                          "2026-12-03T10:00:00++01:00",
                          "2026-12-03T10:00:00+01:00 ",
                          "2026-12-03T10:00:00%2B01:00%20",
                          "2026-12-03X",
                          "2026-12-03T10:00:00.250.5Z",
                          "２026-12-03"}) {
    const auto error = refused(SearchedType::Slot, professionalQuery(bad, "2026-12-05"));
    expectBadRequest(error, "value");
    EXPECT_NE(error.diagnostics.find("Date invalide dans start"), std::string::npos)
        << error.diagnostics;
  }
  expectBadRequest(refused(SearchedType::Slot, professionalQuery("2026-12-03", "2026-02-30")),
                   "value");
}

TEST(FhirQuery, OnlyGeAndLePrefixes) {
  for (const char* prefix : {"gt", "lt", "eq", "ne", "sa", "eb", "ap"}) {
    const auto error = refused(SearchedType::Slot,
                               "start=" + std::string(prefix) + "2026-12-03&start=le2026-12-04&" +
                                   "schedule.actor:Practitioner.identifier=810000000009");
    expectBadRequest(error, "not-supported");
    EXPECT_NE(error.diagnostics.find(prefix), std::string::npos) << error.diagnostics;
  }
  for (const char* noPrefix : {"2026-12-03", "GE2026-12-03", "g2026-12-03"})
    expectBadRequest(refused(SearchedType::Slot, "start=" + std::string(noPrefix) +
                                                     "&start=le2026-12-04&schedule."
                                                     "actor:Practitioner.identifier=8"
                                                     "10000000009"),
                     "not-supported");
}

TEST(FhirQuery, MissingOrRepeatedBoundIsRefused) {
  const std::string ids = "&schedule.actor:Practitioner.identifier=810000000009";
  const auto noUpper = refused(SearchedType::Slot, "start=ge2026-12-03" + ids);
  expectBadRequest(noUpper, "required");
  EXPECT_NE(noUpper.diagnostics.find("start=le"), std::string::npos) << noUpper.diagnostics;
  const auto noLower = refused(SearchedType::Slot, "start=le2026-12-03" + ids);
  expectBadRequest(noLower, "required");
  EXPECT_NE(noLower.diagnostics.find("start=ge"), std::string::npos) << noLower.diagnostics;
  expectBadRequest(refused(SearchedType::Slot, ids.substr(1)), "required");
  expectBadRequest(refused(SearchedType::Slot, "start=" + ids), "not-supported");
  expectBadRequest(
      refused(SearchedType::Slot, "start=ge2026-12-03&start=ge2026-12-04&start=le2026-12-05" + ids),
      "invalid");
  expectBadRequest(
      refused(SearchedType::Slot, "start=ge2026-12-03&start=le2026-12-04&start=le2026-12-05" + ids),
      "invalid");
  const auto sos = refused(SearchedType::Schedule,
                           "_has:Slot:schedule:start=ge2026-12-03&actor:Location.organization."
                           "identifier=" +
                               std::string(kSiret));
  expectBadRequest(sos, "required");
  EXPECT_NE(sos.diagnostics.find("_has:Slot:schedule:start=le"), std::string::npos)
      << sos.diagnostics;
}

TEST(FhirQuery, UpperBoundEqualToTheLowerIsAcceptedEarlierIsRefused) {
  const auto same = accepted(
      SearchedType::Slot, professionalQuery("2026-12-03T10:00:00+01:00", "2026-12-03T09:00:00Z"));
  EXPECT_EQ(same.from, utc(2026, 12, 3, 9, 0));
  EXPECT_EQ(same.to, same.from);
  const auto earlier = refused(
      SearchedType::Slot, professionalQuery("2026-12-03T10:00:00+01:00", "2026-12-03T08:59:59Z"));
  expectBadRequest(earlier, "value");
  EXPECT_NE(earlier.diagnostics.find("précède"), std::string::npos) << earlier.diagnostics;
  // Compared before rounding: .500 then .200 within one second is earlier.
  expectBadRequest(refused(SearchedType::Slot, professionalQuery("2026-12-03T10:00:00.500Z",
                                                                 "2026-12-03T10:00:00.200Z")),
                   "value");
  expectBadRequest(refused(SearchedType::Slot, professionalQuery("2026-12-04", "2026-12-03")),
                   "value");
}

// --- the window ---

TEST(FhirQuery, WindowOfExactlySevenDaysIsAcceptedOneSecondMoreIsTooCostly) {
  const auto seven = accepted(SearchedType::Slot, professionalQuery("2026-12-03T10:00:00+01:00",
                                                                    "2026-12-10T10:00:00+01:00"));
  EXPECT_EQ(seven.to - seven.from, std::chrono::hours{7 * 24});
  const auto more = refused(SearchedType::Slot, professionalQuery("2026-12-03T10:00:00+01:00",
                                                                  "2026-12-10T10:00:01+01:00"));
  EXPECT_EQ(more.kind, QueryErrorKind::TooCostly);
  EXPECT_EQ(more.issueCode, "too-costly");
  EXPECT_NE(more.diagnostics.find("7 jours"), std::string::npos) << more.diagnostics;
  // Seven whole days given as dates; an eighth is too much.
  accepted(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-09"));
  EXPECT_EQ(refused(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-10")).kind,
            QueryErrorKind::TooCostly);
  // A millisecond over is over.
  EXPECT_EQ(refused(SearchedType::Slot,
                    professionalQuery("2026-12-03T10:00:00.000Z", "2026-12-10T10:00:00.001Z"))
                .kind,
            QueryErrorKind::TooCostly);
}

TEST(FhirQuery, WindowLimitIsAParameter) {
  SearchLimits three;
  three.maxWindowDays = 3;
  accepted(SearchedType::Schedule, structureQuery("2026-12-03T00:00:00Z", "2026-12-06T00:00:00Z"),
           three);
  const auto more = refused(SearchedType::Schedule,
                            structureQuery("2026-12-03T00:00:00Z", "2026-12-06T00:00:01Z"), three);
  EXPECT_EQ(more.kind, QueryErrorKind::TooCostly);
  EXPECT_NE(more.diagnostics.find("3 jours"), std::string::npos) << more.diagnostics;
}

TEST(FhirQuery, WindowAcrossTheSpringChangeCountsRealTime) {
  // Local midnight to local midnight seven days on: 7 × 24 h less the hour skipped.
  const auto s =
      accepted(SearchedType::Slot, professionalQuery("2026-03-26T00:00:00", "2026-04-02T00:00:00"));
  EXPECT_EQ(s.to - s.from, std::chrono::hours{7 * 24 - 1});
  // Across the autumn change the same local week is an hour too long.
  EXPECT_EQ(
      refused(SearchedType::Slot, professionalQuery("2026-10-22T00:00:00", "2026-10-29T00:00:00"))
          .kind,
      QueryErrorKind::TooCostly);
}

TEST(FhirQuery, BadRequestComesBeforeTooCostly) {
  const auto error = refused(SearchedType::Slot, professionalQuery("2026-12-01", "2026-12-31",
                                                                   "urn:oid:1.2.250.1.71.4.2.1|x"));
  expectBadRequest(error, "value");
}

// --- identifiers ---

std::string rppsList(int count) {
  std::string list;
  for (int i = 0; i < count; ++i) {
    if (i) list += ',';
    list += "urn:oid:1.2.250.1.71.4.2.1|8" + std::to_string(10000000000LL + i);
  }
  return list;
}

TEST(FhirQuery, TwentyFiveIdentifiersAreAcceptedTwentySixRefused) {
  const auto s =
      accepted(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-04", rppsList(25)));
  ASSERT_EQ(s.identifiers.size(), 25u);
  EXPECT_EQ(s.identifiers.front(), "810000000000");
  EXPECT_EQ(s.identifiers.back(), "810000000024");
  const auto error =
      refused(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-04", rppsList(26)));
  expectBadRequest(error, "invalid");
  EXPECT_NE(error.diagnostics.find("26 identifiants"), std::string::npos) << error.diagnostics;
  // The values sent are counted, duplicates too.
  expectBadRequest(refused(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-04",
                                                                 rppsList(25) + "," + kRpps1)),
                   "invalid");
  SearchLimits two;
  two.maxIdentifiers = 2;
  accepted(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-04", rppsList(2)), two);
  expectBadRequest(
      refused(SearchedType::Slot, professionalQuery("2026-12-03", "2026-12-04", rppsList(3)), two),
      "invalid");
}

TEST(FhirQuery, StructureIdentifiersAreLimitedAlike) {
  std::string list;
  for (int i = 0; i < 26; ++i) {
    if (i) list += ',';
    list += "urn:oid:1.2.250.1.71.4.2.2|3" + std::to_string(12345678200000LL + i);
  }
  expectBadRequest(
      refused(SearchedType::Schedule, structureQuery("2026-12-03", "2026-12-04", list)), "invalid");
  list = list.substr(list.find(',') + 1);
  EXPECT_EQ(accepted(SearchedType::Schedule, structureQuery("2026-12-03", "2026-12-04", list))
                .identifiers.size(),
            25u);
}

TEST(FhirQuery, IdentifiersTrimmedNormalisedAndEachOnce) {
  const auto s = accepted(
      SearchedType::Slot,
      professionalQuery("2026-12-03", "2026-12-04",
                        "%20urn:oid:1.2.250.1.71.4.2.1|810000000009%20,%09urn:oid:1.2.250.1.71.4."
                        "2.1%7C10000000017,,10000000009, 810000000017 ,urn:oid:1.2.250.1.71.4.2."
                        "1|0751234567,urn:oid:1.2.250.1.71.4.2.1|02a1234567,"));
  EXPECT_EQ(s.identifiers,
            (std::vector<std::string>{"810000000009", "810000000017", "0751234567", "02A1234567"}));
}

TEST(FhirQuery, IdentifiersOfAnotherSystemMatchNothing) {
  const auto s = accepted(
      SearchedType::Slot,
      professionalQuery("2026-12-03", "2026-12-04",
                        "urn:oid:1.2.250.1.71.4.2.2|810000000009,|810000000017,https://editeur."
                        "com|42,urn:oid:1.2.250.1.71.4.2.1|3456780581/11242343"));
  EXPECT_TRUE(s.identifiers.empty());
  const auto mixed = accepted(SearchedType::Slot,
                              professionalQuery("2026-12-03", "2026-12-04",
                                                "https://editeur.com|42," + std::string(kRpps2)));
  EXPECT_EQ(mixed.identifiers, std::vector<std::string>{"810000000017"});
}

TEST(FhirQuery, MalformedIdentifierIsRefused) {
  for (const char* bad : {"urn:oid:1.2.250.1.71.4.2.1|8100000000", "urn:oid:1.2.250.1.71.4.2.1|",
                          "urn:oid:1.2.250.1.71.4.2.1|RPPS810000000009", "8 10000000009",
                          "Jean DUPONT", "urn:oid:1.2.250.1.71.4.2.1|312345678200010"}) {
    const auto error =
        refused(SearchedType::Slot,
                professionalQuery("2026-12-03", "2026-12-04", std::string(kRpps1) + "," + bad));
    expectBadRequest(error, "value");
    EXPECT_NE(error.diagnostics.find("Identifiant mal formé"), std::string::npos)
        << error.diagnostics;
    EXPECT_NE(error.diagnostics.find("RPPS"), std::string::npos) << error.diagnostics;
  }
  const auto structure = refused(
      SearchedType::Schedule,
      structureQuery("2026-12-03", "2026-12-04", "urn:oid:1.2.250.1.71.4.2.2|12345678200010"));
  expectBadRequest(structure, "value");
  EXPECT_NE(structure.diagnostics.find("SIRET"), std::string::npos) << structure.diagnostics;
}

TEST(FhirQuery, MissingOrRepeatedIdentifierIsRefused) {
  const std::string bounds = "start=ge2026-12-03&start=le2026-12-04";
  for (const std::string& ids :
       {std::string{}, std::string{"&schedule.actor:Practitioner.identifier="},
        std::string{"&schedule.actor:Practitioner.identifier"},
        std::string{"&schedule.actor:Practitioner.identifier=,%20,"},
        std::string{"&schedule.actor.identifier=810000000009"}}) {
    const auto error = refused(SearchedType::Slot, bounds + ids);
    expectBadRequest(error, "required");
    EXPECT_NE(error.diagnostics.find("schedule.actor:Practitioner.identifier"), std::string::npos)
        << error.diagnostics;
  }
  expectBadRequest(
      refused(SearchedType::Slot, bounds + "&schedule.actor:Practitioner.identifier=810000000009" +
                                      "&schedule.actor:Practitioner.identifier=810000000017"),
      "invalid");
  expectBadRequest(refused(SearchedType::Schedule,
                           "_has:Slot:schedule:start=ge2026-12-03&_has:Slot:schedule:start=le2026-"
                           "12-04"),
                   "required");
}

// --- status ---

TEST(FhirQuery, StatusIsOptionalAndFreeUnlessOnlyOthersAreAsked) {
  const std::string base =
      "start=ge2026-12-03&start=le2026-12-04&schedule.actor:Practitioner.identifier=810000000009";
  EXPECT_TRUE(accepted(SearchedType::Slot, base).free);
  EXPECT_TRUE(accepted(SearchedType::Slot, base + "&status=free").free);
  EXPECT_TRUE(accepted(SearchedType::Slot, base + "&status=busy,free").free);
  EXPECT_FALSE(accepted(SearchedType::Slot, base + "&status=busy").free);
  EXPECT_FALSE(
      accepted(SearchedType::Slot, base + "&status=busy-unavailable,entered-in-error").free);
  EXPECT_FALSE(accepted(SearchedType::Schedule,
                        "_has:Slot:schedule:start=ge2026-12-03&_has:Slot:schedule:start=le2026-12-"
                        "04&actor:Location.organization.identifier=312345678200010&_has:Slot:"
                        "schedule:status=busy-tentative")
                   .free);
  for (const char* bad : {"", "FREE", "libre", "free,", "free,nope"})
    expectBadRequest(refused(SearchedType::Slot, base + "&status=" + bad), "value");
  expectBadRequest(refused(SearchedType::Slot, base + "&status=free&status=free"), "invalid");
}

// --- _format ---

TEST(FhirQuery, JsonFormatsAreServed) {
  const auto base = professionalQuery("2026-12-03", "2026-12-04");
  for (const char* format : {"json", "JSON", "application/fhir+json", "application/fhir%2Bjson",
                             "application/fhir%20json", "application/json+fhir", "application/json",
                             "Application/FHIR+JSON", "application/fhir+json;charset=utf-8",
                             "application/fhir+json%3B%20fhirVersion=4.0", ""})
    accepted(SearchedType::Slot, base + "&_format=" + format);
}

TEST(FhirQuery, OtherFormatsAreNotAcceptable) {
  const auto base = professionalQuery("2026-12-03", "2026-12-04");
  for (const char* format : {"xml", "application/fhir+xml", "text/html", "application/xml", "ttl",
                             "jsonld", "application/fhir+jsonx", "*/*"}) {
    const auto error = refused(SearchedType::Slot, base + "&_format=" + format);
    EXPECT_EQ(error.kind, QueryErrorKind::NotAcceptable) << format;
    EXPECT_EQ(error.issueCode, "not-supported");
  }
  // Before any 400: the refusal's own body is JSON either way.
  EXPECT_EQ(refused(SearchedType::Schedule, "_format=xml").kind, QueryErrorKind::NotAcceptable);
  EXPECT_EQ(refused(SearchedType::Slot, base + "&_format=json&_format=xml").kind,
            QueryErrorKind::NotAcceptable);
}

TEST(FhirQuery, JsonFormatByItself) {
  EXPECT_TRUE(isJsonFormat("application/fhir+json"));
  EXPECT_TRUE(isJsonFormat(" application/fhir json ; charset=UTF-8"));
  EXPECT_TRUE(isJsonFormat("application/JSON"));
  EXPECT_FALSE(isJsonFormat("application/fhir+xml"));
  EXPECT_FALSE(isJsonFormat("application/jsonp"));
  EXPECT_FALSE(isJsonFormat(""));
}

// --- decoding ---

TEST(FhirQuery, PercentDecodingKeepsThePlus) {
  EXPECT_EQ(decodeQueryComponent("urn:oid:1.2.250.1.71.4.2.1%7C810000000009"),
            "urn:oid:1.2.250.1.71.4.2.1|810000000009");
  EXPECT_EQ(decodeQueryComponent("a+b%2Bc%20d%2b"), "a+b+c d+");
  EXPECT_EQ(decodeQueryComponent("%C3%A9"), "é");
  EXPECT_EQ(decodeQueryComponent(""), "");
  for (const char* bad : {"%", "%2", "a%G0", "%%20", "%2g"})
    EXPECT_FALSE(decodeQueryComponent(bad)) << bad;
}

TEST(FhirQuery, BadlyEncodedQueryIsRefused) {
  const auto base = professionalQuery("2026-12-03", "2026-12-04");
  expectBadRequest(refused(SearchedType::Slot, base + "&_count=%ZZ"), "invalid");
  expectBadRequest(refused(SearchedType::Slot, base + "&%=1"), "invalid");
  // Empty pieces between « & » are nothing.
  accepted(SearchedType::Slot, "&&" + base + "&&");
}

}  // namespace
}  // namespace sas::domain::fhir
