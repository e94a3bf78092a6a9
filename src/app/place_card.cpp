#include "app/place_card.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

namespace sas::app {

std::array<std::string*, PlaceCard::kTexts> PlaceCard::textsOf(PlaceDetails& d) {
  // In the order of Text: the card reads its texts from them and gives them back to them.
  return {&d.place.name,      &d.place.street,    &d.place.postalCode,   &d.place.town,
          &d.place.inseeCode, &d.place.phone,     &d.structure.name,     &d.structure.finess,
          &d.structure.siret, &d.structure.phone, &d.structure.rppsRang, &d.regulatorNote};
}

CardProfile::Ptr CardProfiles::share(CardProfile profile) {
  std::string key;
  for (const auto* t :
       {&profile.timeZone, &profile.structureType, &profile.specialties, &profile.departement})
    key.append(*t).push_back('\0');
  std::lock_guard lock(mutex_);
  auto& shared = byKey_[std::move(key)];
  if (!shared) shared = new CardProfile(std::move(profile));
  return shared;
}

PlaceCard::Ptr PlaceCard::make(PlaceDetails d, CardProfiles* profiles) {
  CardProfile own;
  own.timeZone = std::move(d.place.timeZone);
  own.structureType = std::move(d.structure.type);
  own.specialties = std::move(d.specialties);
  own.departement = std::move(d.structure.departement);
  auto profile = profiles ? profiles->share(std::move(own)) : new CardProfile(std::move(own));
  // Most places have their structure's phone: kept once (a fourteenth of a card's texts).
  const bool samePhone = !d.place.phone.empty() && d.place.phone == d.structure.phone;
  if (samePhone) d.structure.phone.clear();
  std::size_t textBytes = 0;
  for (const auto* t : textsOf(d)) textBytes += t->size();
  const auto wide = wideFor(textBytes);
  void* memory =
      ::operator new(sizeof(PlaceCard) + (wide ? kTexts * sizeof(std::uint32_t) : 0) + textBytes);
  try {
    auto* card = new (memory) PlaceCard(d, textBytes, std::move(profile));
    card->samePhone_ = samePhone;
    return Ptr(card);
  } catch (...) {
    ::operator delete(memory);
    throw;
  }
}

PlaceCard::PlaceCard(PlaceDetails& d, std::size_t textBytes, CardProfile::Ptr profile)
    : approximate_(d.place.approximate),
      wide_(wideFor(textBytes)),
      participates_(d.structure.participation.participates),
      acceptsContact_(d.structure.participation.acceptsContact),
      honourDeclared_(d.structure.participation.honourDeclared),
      professionalCount_(d.structure.participation.professionals),
      id_(d.place.id),
      structureId_(d.place.structureId),
      ends_{},
      profile_(std::move(profile)) {
  if (!d.professionals.empty() || !d.pulled.empty())
    people_ =
        std::make_unique<const People>(People{std::move(d.professionals), std::move(d.pulled)});
  const auto texts = textsOf(d);
  char* out = block() + (wide_ ? kTexts * sizeof(std::uint32_t) : 0);
  std::uint32_t end = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::memcpy(out + end, texts[i]->data(), texts[i]->size());
    end += static_cast<std::uint32_t>(texts[i]->size());
    if (wide_)
      std::memcpy(block() + i * sizeof end, &end, sizeof end);
    else
      ends_[i] = static_cast<std::uint16_t>(end);
  }
}

PlaceCard::~PlaceCard() = default;

std::string_view PlaceCard::name() const {
  const auto own = text(Text::PlaceName);
  return own.empty() ? structureName() : own;
}

std::string PlaceCard::address() const {
  return placeAddress(street(), postalCode(), town());
}

std::string_view PlaceCard::phone() const {
  const auto own = text(Text::PlacePhone);
  return own.empty() ? text(Text::StructurePhone) : own;
}

std::string PlaceCard::ownWords() const {
  std::string out;
  out.append(text(Text::PlaceName)).append(" ").append(structureName()).append(" ");
  out.append(structureType());
  return out;
}

const std::vector<domain::SearchProfessional>& PlaceCard::professionals() const {
  static const std::vector<domain::SearchProfessional> none;
  return people_ ? people_->professionals : none;
}

const PulledSlotRecord* PlaceCard::pulledSlot(const domain::SearchSlot& slot) const {
  if (!people_) return nullptr;
  const auto& pulled = people_->pulled;
  // By start: the records are in that order, and a place has a few dozen at most.
  auto it =
      std::lower_bound(pulled.begin(), pulled.end(), slot.start,
                       [](const PulledSlotRecord& r, domain::Instant t) { return r.start < t; });
  for (; it != pulled.end() && it->start == slot.start; ++it)
    if (it->publisherId == slot.publisher && it->end == slot.end) return &*it;
  return nullptr;
}

PlaceDetails PlaceCard::details() const {
  PlaceDetails d;
  d.place.id = id_;
  d.place.structureId = structureId_;
  d.place.approximate = approximate_;
  d.structure.id = structureId_;
  d.structure.participation = {participates_, professionalCount_, acceptsContact_, honourDeclared_};
  const auto texts = textsOf(d);
  for (std::size_t i = 0; i < texts.size(); ++i) *texts[i] = text(static_cast<Text>(i));
  if (samePhone_) d.structure.phone = d.place.phone;
  d.place.timeZone = profile_->timeZone;
  d.structure.type = profile_->structureType;
  d.specialties = profile_->specialties;
  d.structure.departement = profile_->departement;
  if (people_) {
    d.professionals = people_->professionals;
    d.pulled = people_->pulled;
  }
  return d;
}

}  // namespace sas::app
