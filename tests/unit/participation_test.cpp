#include "domain/participation.hpp"
#include "support/days.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sas::domain {
namespace {

namespace fields = participation_fields;
using std::chrono::minutes;

using test::ymd;

int hm(int hour, int minute) {
  return hour * 60 + minute;
}

const date::time_zone& paris() {
  const auto* z = findZone("Europe/Paris");
  if (!z) throw std::runtime_error("missing zone Europe/Paris");
  return *z;
}

std::string messageOn(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return e.message;
  return {};
}

// ---------------------------------------------------------------- checkParticipationInput

ParticipationInput participating(std::string professionals) {
  ParticipationInput in;
  in.participates = true;
  in.professionals = std::move(professionals);
  in.acceptsContact = true;
  in.honourDeclared = true;
  return in;
}

TEST(CheckParticipation, NotParticipatingRequiresNothing) {
  const auto r = checkParticipationInput(ParticipationInput{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, Participation{});
}

TEST(CheckParticipation, NotParticipatingKeepsAValidNumber) {
  ParticipationInput in;
  in.professionals = "5";
  in.acceptsContact = true;
  auto r = checkParticipationInput(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, (Participation{false, 5, true, false}));
  in.professionals = "abc";
  r = checkParticipationInput(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->professionals, 0);
}

TEST(CheckParticipation, ParticipatingWithOneProfessionalAndBothBoxes) {
  const auto r = checkParticipationInput(participating("1"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, (Participation{true, 1, true, true}));
  EXPECT_EQ(checkParticipationInput(participating(" 12 ")).value->professionals, 12);
}

TEST(CheckParticipation, NumberMustBeAWholeNumberOfAtLeastOne) {
  for (const char* bad : {"0", "", "-1", "1.5", "abc", "2 3", "99999999999999999999"}) {
    const auto r = checkParticipationInput(participating(bad));
    EXPECT_FALSE(r.ok()) << bad;
    ASSERT_EQ(r.errors.size(), 1u) << bad;
    EXPECT_EQ(r.errors[0].field, fields::kProfessionals) << bad;
    EXPECT_FALSE(r.errors[0].message.empty());
  }
}

TEST(CheckParticipation, EachMissingBoxHasItsOwnMessage) {
  auto in = participating("3");
  in.acceptsContact = false;
  auto r = checkParticipationInput(in);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, fields::kAcceptsContact);

  in = participating("3");
  in.honourDeclared = false;
  r = checkParticipationInput(in);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, fields::kHonour);

  in = participating("0");
  in.acceptsContact = in.honourDeclared = false;
  r = checkParticipationInput(in);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 3u);
  const auto a = messageOn(r.errors, fields::kProfessionals);
  const auto b = messageOn(r.errors, fields::kAcceptsContact);
  const auto c = messageOn(r.errors, fields::kHonour);
  EXPECT_FALSE(a.empty());
  EXPECT_FALSE(b.empty());
  EXPECT_FALSE(c.empty());
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
}

// ---------------------------------------------------------------- weekEligibility

class Eligibility : public ::testing::Test {
 protected:
  const Day monday = ymd(2024, 3, 11);
  Participation p{true, 3, true, true};
  Unavailability none;
  std::vector<Occurrence> occurrences;

  void add(Day day, int start, int end, AvailabilityKind kind = AvailabilityKind::Slot,
           int capacity = 1) {
    Occurrence o;
    o.availabilityId = static_cast<std::int64_t>(occurrences.size()) + 1;
    o.originalDate = day;
    o.values.date = day;
    o.values.startMinute = start;
    o.values.endMinute = end;
    o.values.kind = kind;
    o.values.capacity = capacity;
    o.values.types.add(ConsultationType::Office);
    o.start = localToInstant(paris(), day, start);
    o.end = localToInstant(paris(), day, end);
    occurrences.push_back(o);
  }

  void mondayAndThursday() {
    add(monday, hm(10, 0), hm(12, 0));
    add(monday + date::days{3}, hm(10, 0), hm(12, 0));
  }

  WeekEligibility eligibility(const Unavailability& u) {
    return weekEligibility(p, occurrences, u, paris(), monday);
  }
  WeekEligibility eligibility() { return eligibility(none); }
};

TEST_F(Eligibility, FourHoursOfSixAreMissingTwo) {
  mondayAndThursday();
  const auto e = eligibility();
  EXPECT_EQ(e.monday, monday);
  EXPECT_EQ(e.visible, minutes{4 * 60});
  EXPECT_EQ(e.committed, minutes{6 * 60});
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.reason, IneligibilityReason::MissingHours);
  EXPECT_EQ(e.missing, minutes{2 * 60});
  EXPECT_EQ(reasonText(e), "2 h manquantes cette semaine");
  // The week named from the current one: the dashboard's next-week row (issue 19).
  EXPECT_EQ(reasonText(e, monday), "2 h manquantes cette semaine");
  EXPECT_EQ(reasonText(e, monday - date::days{7}), "2 h manquantes la semaine prochaine");
  EXPECT_EQ(reasonText(e, monday - date::days{14}),
            "2 h manquantes la semaine du " + formatDate(monday));
}

TEST_F(Eligibility, PlusFridayMakesSixOfSix) {
  mondayAndThursday();
  add(monday + date::days{4}, hm(14, 0), hm(16, 0));
  const auto e = eligibility();
  EXPECT_EQ(e.visible, minutes{6 * 60});
  EXPECT_EQ(e.committed, minutes{6 * 60});
  EXPECT_TRUE(e.eligible);
  EXPECT_EQ(e.reason, IneligibilityReason::None);
  EXPECT_EQ(e.missing, minutes{0});
  EXPECT_EQ(reasonText(e), "");
}

TEST_F(Eligibility, OneMinuteShortIsNotEligible) {
  mondayAndThursday();
  add(monday + date::days{4}, hm(14, 0), hm(15, 45));
  const auto e = eligibility();
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.missing, minutes{15});
  EXPECT_EQ(reasonText(e), "0 h 15 manquantes cette semaine");
}

TEST_F(Eligibility, ContactBoxNotTickedIsTheAvenant4Notice) {
  mondayAndThursday();
  add(monday + date::days{4}, hm(14, 0), hm(16, 0));
  p.acceptsContact = false;
  const auto e = eligibility();
  EXPECT_EQ(e.visible, minutes{6 * 60});
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.reason, IneligibilityReason::ContactNotAccepted);
  const auto text = reasonText(e);
  EXPECT_NE(text.find("J'accepte d'être directement contacté par la régulation"),
            std::string::npos);
  EXPECT_NE(text.find("n'est pas éligible à la rémunération SAS prévue par l'avenant n°4"),
            std::string::npos);
}

TEST_F(Eligibility, ThursdayInsideAnUnavailabilityCountsTwoHoursLess) {
  mondayAndThursday();
  add(monday + date::days{4}, hm(14, 0), hm(16, 0));
  Unavailability u;
  u.periods = {{monday + date::days{3}, monday + date::days{3}}};
  const auto e = eligibility(u);
  EXPECT_EQ(e.visible, minutes{4 * 60});
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(reasonText(e), "2 h manquantes cette semaine");
}

TEST_F(Eligibility, IndefiniteUnavailabilityHidesEverything) {
  mondayAndThursday();
  Unavailability u;
  u.indefinite = true;
  EXPECT_EQ(eligibility(u).visible, minutes{0});
}

TEST_F(Eligibility, OnlyTheWeeksLocalDatesCount) {
  add(monday - date::days{1}, hm(10, 0), hm(12, 0));    // Sunday before
  add(monday, hm(0, 0), hm(1, 0));                      // first minute of the week
  add(monday + date::days{6}, hm(23, 0), kLastMinute);  // Sunday, last hour
  add(monday + date::days{7}, hm(10, 0), hm(12, 0));    // Monday after
  EXPECT_EQ(eligibility().visible, minutes{60 + 59});
}

TEST_F(Eligibility, OverlapsEachCountAndAPlageCountsOnce) {
  add(monday, hm(10, 0), hm(12, 0), AvailabilityKind::Range, 5);
  add(monday, hm(11, 0), hm(13, 0));
  EXPECT_EQ(eligibility().visible, minutes{4 * 60});
}

TEST_F(Eligibility, DurationIsRealTimeAcrossDaylightSaving) {
  // Sunday 31 March 2024, 01h00–04h00 local lasts two real hours.
  const Day week = ymd(2024, 3, 25);
  add(week + date::days{6}, hm(1, 0), hm(4, 0));
  EXPECT_EQ(weekEligibility(p, occurrences, none, paris(), week).visible, minutes{2 * 60});
}

TEST_F(Eligibility, ReasonsInOrder) {
  mondayAndThursday();  // hours missing as well
  p = {false, 3, false, false};
  auto e = eligibility();
  EXPECT_EQ(e.reason, IneligibilityReason::NotParticipating);
  EXPECT_EQ(e.committed, minutes{0});
  EXPECT_FALSE(reasonText(e).empty());
  p = {true, 3, false, false};
  EXPECT_EQ(eligibility().reason, IneligibilityReason::ContactNotAccepted);
  p = {true, 3, true, false};
  e = eligibility();
  EXPECT_EQ(e.reason, IneligibilityReason::NotDeclared);
  EXPECT_FALSE(e.eligible);
  EXPECT_FALSE(reasonText(e).empty());
  p = {true, 3, true, true};
  EXPECT_EQ(eligibility().reason, IneligibilityReason::MissingHours);
  p = {true, 2, true, true};
  EXPECT_EQ(eligibility().reason, IneligibilityReason::None);
}

TEST_F(Eligibility, ReasonsHaveDistinctTexts) {
  WeekEligibility e;
  std::vector<std::string> texts;
  for (auto reason : {IneligibilityReason::NotParticipating,
                      IneligibilityReason::ContactNotAccepted, IneligibilityReason::NotDeclared}) {
    e.reason = reason;
    texts.push_back(reasonText(e));
    EXPECT_FALSE(texts.back().empty());
  }
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(std::unique(texts.begin(), texts.end()), texts.end());
}

// ---------------------------------------------------------------- a doctor is a doctor

TEST(StructureKinds, StoredTypesAreRecognisedWhateverTheirSpelling) {
  EXPECT_EQ(structureKindOf("Centre de santé"), StructureKind::HealthCentre);
  EXPECT_EQ(structureKindOf("Centre de Santé"), StructureKind::HealthCentre);  // FINESS
  EXPECT_EQ(structureKindOf("CENTRE DE SANTE"), StructureKind::HealthCentre);
  EXPECT_EQ(structureKindOf("Cabinet"), StructureKind::Office);
  EXPECT_EQ(structureKindOf("CABINET"), StructureKind::Office);
  // A group practice counts its doctors: not a doctor's own cabinet.
  EXPECT_EQ(structureKindOf("Cabinet de médecine générale"), StructureKind::Other);
  EXPECT_EQ(structureKindOf("Maison de santé pluriprofessionnelle"), StructureKind::Msp);
  EXPECT_EQ(structureKindOf("Maison de Santé (L.6223-3)"), StructureKind::Msp);
  EXPECT_EQ(structureKindOf("MSP"), StructureKind::Msp);
  EXPECT_EQ(structureKindOf("SOS Médecins"), StructureKind::SosMedecins);
  EXPECT_EQ(structureKindOf("Centre de soins non programmés"), StructureKind::Other);
  EXPECT_EQ(structureKindOf(""), StructureKind::Other);
  // Whole words only: « Centre de santé » is not a « Centre de santéx ».
  EXPECT_EQ(structureKindOf("Centre de santeville"), StructureKind::Other);
}

TEST(StructureKinds, ATypeAndANameSayTheSameKindWithTheSameWords) {
  const std::pair<const char*, StructureKind> cases[] = {
      {"Maison de santé (MSP)", StructureKind::Msp},
      {"MAISON PLURIPROFESSIONNELLE DE SANTE DU CENTRE", StructureKind::Msp},
      {"Maison pluriprofessionnelle de santé", StructureKind::Msp},
      {"SOS-MEDECINS NANTES", StructureKind::SosMedecins},
      {"SOS Médecins", StructureKind::SosMedecins},
      {"Centre municipal de santé", StructureKind::HealthCentre},
      {"CENTRE MUNICIPAL DE SANTE DE SAINT-DENIS", StructureKind::HealthCentre},
      {"Cabinet (MSP)", StructureKind::Msp},
  };
  for (const auto& [text, kind] : cases) {
    EXPECT_EQ(structureKindOf(text), kind) << text;
    EXPECT_EQ(practicePlaceKind(text), kind) << text;
  }
  // Where they differ: a name with none of the words is the professional's own cabinet, a
  // stored type only when it is « Cabinet » itself.
  EXPECT_EQ(practicePlaceKind("Centre médical du port"), StructureKind::Office);
  EXPECT_EQ(structureKindOf("Centre médical du port"), StructureKind::Other);
}

TEST(StructureKinds, PracticePlacesAreReadFromTheirName) {
  EXPECT_EQ(practicePlaceKind("MAISON DE SANTE DES LILAS"), StructureKind::Msp);
  EXPECT_EQ(practicePlaceKind("MSP DU VIEUX PORT"), StructureKind::Msp);
  EXPECT_EQ(practicePlaceKind("Centre de santé municipal"), StructureKind::HealthCentre);
  EXPECT_EQ(practicePlaceKind("SOS MEDECINS GRAND LYON"), StructureKind::SosMedecins);
  EXPECT_EQ(practicePlaceKind("CABINET DU DR LIEUX"), StructureKind::Office);
  EXPECT_EQ(practicePlaceKind("DR MARTIN"), StructureKind::Office);
  EXPECT_EQ(practicePlaceKind(""), StructureKind::Office);
  EXPECT_EQ(structureTypeLabel(practicePlaceKind("MAISON DE SANTE DES LILAS")),
            "Maison de santé pluriprofessionnelle");
  EXPECT_EQ(structureTypeLabel(StructureKind::Office), "Cabinet");
  // The labels stored are read back as the same kinds.
  for (auto k : {StructureKind::HealthCentre, StructureKind::Office, StructureKind::Msp,
                 StructureKind::SosMedecins, StructureKind::Other})
    EXPECT_EQ(structureKindOf(structureTypeLabel(k)), k);
}

TEST(StructureKinds, TheCentreWordsAreTheCentresOnly) {
  const auto& centre = participationWording(StructureKind::HealthCentre);
  EXPECT_EQ(centre.participates, "Je participe au SAS en tant que Centre de Santé");
  EXPECT_EQ(centre.professionals,
            "Nombre de professionnel de santé du Centre de santé participant au SAS");
  EXPECT_EQ(participationWording(StructureKind::Office).participates, "Je participe au SAS");
  EXPECT_TRUE(participationWording(StructureKind::Office).professionals.empty());
  for (auto k : {StructureKind::Office, StructureKind::Msp, StructureKind::SosMedecins,
                 StructureKind::Other}) {
    const auto& w = participationWording(k);
    for (auto text : {w.participates, w.professionals, w.acceptsContact, w.honour,
                      w.notParticipating, w.contactNotTicked, w.notDeclared, w.avenantNotice}) {
      EXPECT_EQ(text.find("Centre"), std::string_view::npos) << text;
      EXPECT_EQ(text.find("centre"), std::string_view::npos) << text;
    }
  }
  EXPECT_NE(participationWording(StructureKind::Msp).participates.find("Maison de Santé"),
            std::string_view::npos);
  EXPECT_NE(participationWording(StructureKind::SosMedecins).participates.find("SOS Médecins"),
            std::string_view::npos);
}

TEST(CheckParticipation, ACabinetIsAskedNoNumberAndCountsItsDoctor) {
  ParticipationInput in;
  in.participates = true;
  in.acceptsContact = true;
  in.honourDeclared = true;
  auto r = checkParticipationInput(in, StructureKind::Office);  // no number sent
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->professionals, 1);
  in.professionals = "4";  // sent anyway: still the doctor alone
  r = checkParticipationInput(in, StructureKind::Office);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->professionals, 1);
  // A centre still needs its number.
  in.professionals = "";
  EXPECT_FALSE(checkParticipationInput(in, StructureKind::HealthCentre).ok());
  EXPECT_FALSE(checkParticipationInput(in, StructureKind::Msp).ok());
  // The boxes are still required, in the doctor's words.
  in.honourDeclared = false;
  r = checkParticipationInput(in, StructureKind::Office);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, fields::kHonour);
  EXPECT_EQ(r.errors[0].message.find("médecin généraliste"), std::string::npos);
}

TEST_F(Eligibility, ACabinetPledgesTwoHoursWhateverNumberIsStored) {
  p = {true, 3, true, true};  // stored before, or sent by hand: the cabinet is its doctor
  add(monday, hm(10, 0), hm(11, 45));
  auto e = weekEligibility(p, occurrences, none, paris(), monday, StructureKind::Office);
  EXPECT_EQ(e.committed, minutes{2 * 60});
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(reasonText(e), "0 h 15 manquantes cette semaine");
  occurrences.clear();
  add(monday, hm(10, 0), hm(12, 0));  // exactly 2 h: eligible
  e = weekEligibility(p, occurrences, none, paris(), monday, StructureKind::Office);
  EXPECT_TRUE(e.eligible);
  // The same hours for a centre of 3 are 4 h short.
  e = weekEligibility(p, occurrences, none, paris(), monday, StructureKind::HealthCentre);
  EXPECT_EQ(e.committed, minutes{6 * 60});
  EXPECT_EQ(e.missing, minutes{4 * 60});
}

TEST_F(Eligibility, ReasonsSpeakAsTheStructureDoes) {
  p = {false, 0, false, false};
  auto e = weekEligibility(p, occurrences, none, paris(), monday, StructureKind::Office);
  EXPECT_EQ(reasonText(e),
            "Vous ne participez pas au SAS : vous n'êtes pas éligible à la rémunération SAS.");
  e = weekEligibility(p, occurrences, none, paris(), monday, StructureKind::HealthCentre);
  EXPECT_EQ(reasonText(e),
            "Le centre ne participe pas au SAS : il n'est pas éligible à la rémunération SAS.");
  e = weekEligibility(p, occurrences, none, paris(), monday, StructureKind::Msp);
  EXPECT_EQ(reasonText(e),
            "La maison de santé ne participe pas au SAS : elle n'est pas éligible à la "
            "rémunération SAS.");
  p = {true, 1, false, true};
  e = weekEligibility(p, occurrences, none, paris(), monday, StructureKind::Office);
  EXPECT_NE(reasonText(e).find("vous n'êtes pas éligible à la rémunération SAS prévue par "
                               "l'avenant n°4"),
            std::string::npos);
}

TEST(FormatHours, HoursAndMinutes) {
  EXPECT_EQ(formatHours(minutes{0}), "0 h");
  EXPECT_EQ(formatHours(minutes{4 * 60}), "4 h");
  EXPECT_EQ(formatHours(minutes{90}), "1 h 30");
  EXPECT_EQ(formatHours(minutes{65}), "1 h 05");
  EXPECT_EQ(formatHours(minutes{30}), "0 h 30");
  EXPECT_EQ(formatHours(minutes{25 * 60}), "25 h");
}

}  // namespace
}  // namespace sas::domain
