// The search's packed card: every text comes back as given, each in its own bounds, and the
// fallbacks a result shows (its structure's name and phone) apply only to empty texts.
#include "app/place_card.hpp"

#include <gtest/gtest.h>

namespace sas::app {
namespace {

PlaceDetails dupont() {
  PlaceDetails d;
  d.place.id = 12;
  d.place.structureId = 70;
  d.place.name = "Cabinet de la gare";
  d.place.street = "3 place de la Gare";
  d.place.postalCode = "69003";
  d.place.town = "Lyon 3e Arrondissement";
  d.place.inseeCode = "69383";
  d.place.latitude = 45.7603;
  d.place.longitude = 4.8596;
  d.place.timeZone = "Europe/Paris";
  d.place.phone = "04 72 00 00 01";
  d.place.approximate = true;
  d.structure.id = 70;
  d.structure.name = "Maison de santé Part-Dieu";
  d.structure.type = "Maison de santé pluriprofessionnelle";
  d.structure.finess = "690000001";
  d.structure.siret = "12345678200010";
  d.structure.phone = "04 72 00 00 00";
  d.structure.departement = "69";
  d.structure.participation = {true, 4, true, true};
  d.structure.rppsRang = "";
  d.specialties = "Médecine générale, Pédiatrie";
  d.regulatorNote = "Sonner deux fois « au fond de la cour ».";
  d.professionals = {{"Jean", "DUPONT", "Médecin", "Médecine générale", "810000000009"}};
  d.pulled = {{5,
               "Rendez-vous Santé",
               domain::Instant{std::chrono::seconds{1'800'000'000}},
               domain::Instant{std::chrono::seconds{1'800'000'900}},
               {},
               "https://rdv.test/1"}};
  return d;
}

TEST(PlaceCard, GivesBackEveryTextAsGiven) {
  const auto given = dupont();
  const auto card = PlaceCard::make(given);
  EXPECT_EQ(card->id(), 12);
  EXPECT_EQ(card->name(), "Cabinet de la gare");
  EXPECT_EQ(card->street(), "3 place de la Gare");
  EXPECT_EQ(card->postalCode(), "69003");
  EXPECT_EQ(card->town(), "Lyon 3e Arrondissement");
  EXPECT_EQ(card->address(), "3 place de la Gare 69003 Lyon 3e Arrondissement");
  EXPECT_EQ(card->timeZone(), "Europe/Paris");
  EXPECT_EQ(card->phone(), "04 72 00 00 01");
  EXPECT_EQ(card->structureName(), "Maison de santé Part-Dieu");
  EXPECT_EQ(card->structureType(), "Maison de santé pluriprofessionnelle");
  EXPECT_EQ(card->finess(), "690000001");
  EXPECT_EQ(card->siret(), "12345678200010");
  EXPECT_EQ(card->specialties(), "Médecine générale, Pédiatrie");
  EXPECT_EQ(card->regulatorNote(), "Sonner deux fois « au fond de la cour ».");
  EXPECT_EQ(card->ownWords(),
            "Cabinet de la gare Maison de santé Part-Dieu Maison de santé pluriprofessionnelle");
  EXPECT_EQ(card->professionals(), given.professionals);

  const auto back = card->details();
  auto expected = given;
  expected.place.agendaVersion = -1;                       // not kept
  expected.place.latitude = expected.place.longitude = 0;  // the index's
  EXPECT_EQ(back.place.id, expected.place.id);
  EXPECT_EQ(back.place.structureId, expected.place.structureId);
  EXPECT_EQ(back.place.name, expected.place.name);
  EXPECT_EQ(back.place.street, expected.place.street);
  EXPECT_EQ(back.place.postalCode, expected.place.postalCode);
  EXPECT_EQ(back.place.town, expected.place.town);
  EXPECT_EQ(back.place.inseeCode, expected.place.inseeCode);
  EXPECT_EQ(back.place.latitude, expected.place.latitude);
  EXPECT_EQ(back.place.longitude, expected.place.longitude);
  EXPECT_EQ(back.place.timeZone, expected.place.timeZone);
  EXPECT_EQ(back.place.phone, expected.place.phone);
  EXPECT_EQ(back.place.approximate, expected.place.approximate);
  EXPECT_EQ(back.place.agendaVersion, expected.place.agendaVersion);
  EXPECT_EQ(back.structure.id, expected.structure.id);
  EXPECT_EQ(back.structure.name, expected.structure.name);
  EXPECT_EQ(back.structure.type, expected.structure.type);
  EXPECT_EQ(back.structure.finess, expected.structure.finess);
  EXPECT_EQ(back.structure.siret, expected.structure.siret);
  EXPECT_EQ(back.structure.phone, expected.structure.phone);
  EXPECT_EQ(back.structure.departement, expected.structure.departement);
  EXPECT_EQ(back.structure.participation, expected.structure.participation);
  EXPECT_EQ(back.structure.rppsRang, expected.structure.rppsRang);
  EXPECT_EQ(back.specialties, expected.specialties);
  EXPECT_EQ(back.regulatorNote, expected.regulatorNote);
  EXPECT_EQ(back.professionals, expected.professionals);
  ASSERT_EQ(back.pulled.size(), 1u);
  EXPECT_EQ(back.pulled[0].bookingUrl, "https://rdv.test/1");
}

TEST(PlaceCard, AnEmptyNameOrPhoneIsItsStructures) {
  auto d = dupont();
  d.place.name.clear();
  d.place.phone.clear();
  const auto card = PlaceCard::make(std::move(d));
  EXPECT_EQ(card->name(), "Maison de santé Part-Dieu");
  EXPECT_EQ(card->phone(), "04 72 00 00 00");
  EXPECT_EQ(card->ownWords(), " Maison de santé Part-Dieu Maison de santé pluriprofessionnelle");
}

// Empty texts between full ones keep their neighbours whole (each text ends where the next
// begins), and a card of empty texts only is empty everywhere.
// A place with its structure's phone keeps it once, and gives both back.
TEST(PlaceCard, ThePhoneOfThePlaceAndOfItsStructureAlikeComeBackBoth) {
  auto d = dupont();
  d.structure.phone = d.place.phone;
  const auto card = PlaceCard::make(d);
  EXPECT_EQ(card->phone(), d.place.phone);
  const auto back = card->details();
  EXPECT_EQ(back.place.phone, d.place.phone);
  EXPECT_EQ(back.structure.phone, d.place.phone);
  EXPECT_EQ(card->siret(), d.structure.siret);  // its neighbour whole
  // Its own empty, the structure's shown and given back alone.
  d.place.phone.clear();
  const auto structureOnly = PlaceCard::make(d);
  EXPECT_EQ(structureOnly->phone(), d.structure.phone);
  EXPECT_EQ(structureOnly->details().place.phone, "");
  EXPECT_EQ(structureOnly->details().structure.phone, d.structure.phone);
}

TEST(PlaceCard, EmptyTextsTakeNoneOfTheirNeighbours) {
  auto d = dupont();
  d.place.postalCode.clear();
  d.structure.finess.clear();
  d.regulatorNote.clear();
  const auto card = PlaceCard::make(std::move(d));
  EXPECT_EQ(card->street(), "3 place de la Gare");
  EXPECT_EQ(card->postalCode(), "");
  EXPECT_EQ(card->town(), "Lyon 3e Arrondissement");
  EXPECT_EQ(card->structureType(), "Maison de santé pluriprofessionnelle");
  EXPECT_EQ(card->finess(), "");
  EXPECT_EQ(card->siret(), "12345678200010");
  EXPECT_EQ(card->regulatorNote(), "");
  EXPECT_EQ(card->specialties(), "Médecine générale, Pédiatrie");

  PlaceDetails none;
  none.place.timeZone.clear();
  const auto empty = PlaceCard::make(std::move(none));
  EXPECT_EQ(empty->name(), "");
  EXPECT_EQ(empty->address(), "  ");
  EXPECT_EQ(empty->regulatorNote(), "");
  EXPECT_EQ(empty->details().place.timeZone, "");
}

// The texts' ends are kept in 16 bits up to 65,535 bytes of texts, in 32 past it: both ways,
// every text comes back whole.
TEST(PlaceCard, TextsOfMoreThan65535BytesComeBackWhole) {
  for (const std::size_t total : {std::size_t{65'535}, std::size_t{65'536}, std::size_t{200'000}}) {
    auto d = dupont();
    const auto given = d;
    std::size_t others = 0;
    // The card's own texts (its zone, structure type, specialties and département are its
    // profile's).
    for (const auto* t :
         {&d.place.name, &d.place.street, &d.place.postalCode, &d.place.town, &d.place.inseeCode,
          &d.place.phone, &d.structure.name, &d.structure.finess, &d.structure.siret,
          &d.structure.phone, &d.structure.rppsRang})
      others += t->size();
    d.regulatorNote = std::string(total - others, 'n');
    d.place.street = "x" + d.place.street;
    d.regulatorNote.pop_back();
    const auto card = PlaceCard::make(d);
    EXPECT_EQ(card->regulatorNote(), d.regulatorNote) << total;
    EXPECT_EQ(card->street(), d.place.street) << total;
    EXPECT_EQ(card->specialties(), given.specialties) << total;
    EXPECT_EQ(card->name(), given.place.name) << total;
    EXPECT_EQ(card->siret(), given.structure.siret) << total;
    EXPECT_EQ(card->details().regulatorNote, d.regulatorNote) << total;
  }
}

// Cards made through one pool share one profile when their zone, structure type, specialties
// and département are the same, and each gives back its own.
TEST(PlaceCard, CardsAlikeShareTheirProfile) {
  CardProfiles profiles;
  auto other = dupont();
  other.place.id = 13;
  other.place.street = "5 rue Garibaldi";
  const auto a = PlaceCard::make(dupont(), &profiles);
  const auto b = PlaceCard::make(other, &profiles);
  EXPECT_EQ(a->timeZone().data(), b->timeZone().data());
  EXPECT_EQ(a->specialties().data(), b->specialties().data());
  EXPECT_EQ(b->street(), "5 rue Garibaldi");
  auto elsewhere = dupont();
  elsewhere.structure.departement = "38";
  auto otherType = dupont();
  otherType.structure.type = "Centre de santé";
  auto otherZone = dupont();
  otherZone.place.timeZone = "America/Cayenne";
  auto otherSpecialties = dupont();
  otherSpecialties.specialties = "Pédiatrie";
  for (const auto& d : {elsewhere, otherType, otherZone, otherSpecialties}) {
    const auto c = PlaceCard::make(d, &profiles);
    EXPECT_NE(c->timeZone().data(), a->timeZone().data());
    const auto back = c->details();
    EXPECT_EQ(back.place.timeZone, d.place.timeZone);
    EXPECT_EQ(back.structure.type, d.structure.type);
    EXPECT_EQ(back.specialties, d.specialties);
    EXPECT_EQ(back.structure.departement, d.structure.departement);
  }
  // The pool may go first: the cards keep their profile.
  auto kept = PlaceCard::make(dupont(), &profiles);
  {
    CardProfiles gone;
    kept = PlaceCard::make(dupont(), &gone);
  }
  EXPECT_EQ(kept->timeZone(), "Europe/Paris");
  EXPECT_EQ(kept->details().structure.departement, dupont().structure.departement);
}

TEST(PlaceCard, FindsAPulledSlotByStartPublisherAndEnd) {
  const auto card = PlaceCard::make(dupont());
  domain::SearchSlot slot;
  slot.start = domain::Instant{std::chrono::seconds{1'800'000'000}};
  slot.end = domain::Instant{std::chrono::seconds{1'800'000'900}};
  slot.publisher = 5;
  ASSERT_NE(card->pulledSlot(slot), nullptr);
  EXPECT_EQ(card->pulledSlot(slot)->publisherName, "Rendez-vous Santé");
  slot.publisher = 6;
  EXPECT_EQ(card->pulledSlot(slot), nullptr);
  slot.publisher = 5;
  slot.end += std::chrono::seconds{1};
  EXPECT_EQ(card->pulledSlot(slot), nullptr);
}

// A place with neither professionals nor publishers' slots (most, in the national data) has
// none to give, and none come back in its records.
TEST(PlaceCard, WithoutProfessionalsOrPulledSlotsHasNone) {
  auto d = dupont();
  d.professionals.clear();
  d.pulled.clear();
  const auto card = PlaceCard::make(std::move(d));
  EXPECT_TRUE(card->professionals().empty());
  domain::SearchSlot slot;
  slot.start = domain::Instant{std::chrono::seconds{1'800'000'000}};
  slot.end = domain::Instant{std::chrono::seconds{1'800'000'900}};
  slot.publisher = 5;
  EXPECT_EQ(card->pulledSlot(slot), nullptr);
  EXPECT_TRUE(card->details().professionals.empty());
  EXPECT_TRUE(card->details().pulled.empty());

  auto pulledOnly = dupont();
  pulledOnly.professionals.clear();
  const auto publisherOnly = PlaceCard::make(std::move(pulledOnly));
  EXPECT_TRUE(publisherOnly->professionals().empty());
  ASSERT_NE(publisherOnly->pulledSlot(slot), nullptr);
}

}  // namespace
}  // namespace sas::app
