#pragma once
// What a search result shows of its place beyond the index's answer: the card the search keeps
// for every place, in memory, packed (docs/benchmarks.md: a million places).
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <boost/smart_ptr/intrusive_ref_counter.hpp>

#include "app/model.hpp"
#include "app/ports/search_source.hpp"
#include "domain/search_index.hpp"
#include "domain/search_who.hpp"

namespace sas::app {

/// A place's records as storage gives them: what a card packs, and what a card gives back
/// whole to those who want the records (the FHIR publisher).
struct PlaceDetails {
  Place place;
  Structure structure;
  std::string specialties;
  std::string regulatorNote;
  std::vector<domain::SearchProfessional> professionals;
  /// The slots its interfaced publishers published (SearchSlot::publisher tells them), by start.
  std::vector<PulledSlotRecord> pulled;
  std::string name() const { return place.name.empty() ? structure.name : place.name; }
  /// Its own phone, else its structure's.
  const std::string& phone() const { return place.phone.empty() ? structure.phone : place.phone; }
};

/// Text made once from a card by a writer of answers (the JSON API's members that only the
/// card decides), kept with it: a card is replaced, never changed, so it never goes stale. A
/// copy starts without it. Read through a plain atomic pointer: an atomic shared_ptr takes a
/// lock at each read, twenty times an answer. What all cards keep is bounded (budget()): a
/// million places, each shown once, would keep 350 MB; past the bound a text is made at each
/// call, as before any was kept.
class RenderedText {
 public:
  RenderedText() = default;
  RenderedText(const RenderedText&) {}
  RenderedText& operator=(const RenderedText&) = delete;
  ~RenderedText() {
    if (const auto* text = text_.load(std::memory_order_acquire)) {
      kept_.fetch_sub(cost(*text), std::memory_order_relaxed);
      delete text;
    }
  }
  /// The text, made by `make` at the first call and kept while the budget allows (then valid
  /// while the card lives), else made into `scratch` (then valid while it is). Two threads may
  /// both make it (the same text): the first kept, the other dropped.
  template <class Make>
  std::string_view get(Make&& make, std::string& scratch) const {
    if (const auto* text = text_.load(std::memory_order_acquire)) return *text;
    std::string made = make();
    const auto bytes = cost(made);
    // Read before adding: past the budget, every answer's results come here, and an addition
    // taken back would move the counter's cache line between the cores each time.
    const auto budget = budget_.load(std::memory_order_relaxed);
    const auto fits = [&] {
      if (kept_.load(std::memory_order_relaxed) + bytes > budget) return false;
      if (kept_.fetch_add(bytes, std::memory_order_relaxed) + bytes <= budget) return true;
      kept_.fetch_sub(bytes, std::memory_order_relaxed);  // another thread took the room
      return false;
    };
    if (!fits()) {
      scratch = std::move(made);
      return scratch;
    }
    auto owned = std::make_unique<const std::string>(std::move(made));
    const std::string* kept = nullptr;
    if (text_.compare_exchange_strong(kept, owned.get(), std::memory_order_acq_rel,
                                      std::memory_order_acquire))
      return *owned.release();
    kept_.fetch_sub(bytes, std::memory_order_relaxed);
    return *kept;
  }

  /// Bytes all cards of the process may keep: 32 MB (the members of some 90,000 places) unless
  /// set (the tests).
  static void setBudget(std::size_t bytes) { budget_.store(bytes, std::memory_order_relaxed); }
  static std::size_t budget() { return budget_.load(std::memory_order_relaxed); }
  /// Bytes all cards keep now.
  static std::size_t kept() { return kept_.load(std::memory_order_relaxed); }

 private:
  // The text, its string and the allocator's share.
  static std::size_t cost(const std::string& text) { return text.size() + 64; }
  static inline std::atomic<std::size_t> kept_{0};
  static inline std::atomic<std::size_t> budget_{std::size_t{32} << 20};
  mutable std::atomic<const std::string*> text_{nullptr};
};

/// What many places say word for word (their zone, structure type, specialties, département):
/// kept once per index build and pointed to by their cards (60 bytes a card, a twentieth of a
/// million places' memory).
class CardProfile : public boost::intrusive_ref_counter<CardProfile, boost::thread_safe_counter> {
 public:
  using Ptr = boost::intrusive_ptr<const CardProfile>;
  std::string timeZone;
  std::string structureType;
  std::string specialties;
  std::string departement;
};

/// The profiles of one index build, each made once. Thread-safe (a build puts places from
/// several threads); a profile lives as long as a card or the pool holds it.
class CardProfiles {
 public:
  CardProfile::Ptr share(CardProfile profile);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, CardProfile::Ptr> byKey_;
};

/// A place as the search keeps it to show: its texts one after the other in the card's own
/// allocation, its count of holders in it too (a shared_ptr's control block and a block of texts
/// apart took 150 bytes a card more, a tenth of a million places' memory). Immutable: a changed
/// place gets a new card.
class PlaceCard : public boost::intrusive_ref_counter<PlaceCard, boost::thread_safe_counter> {
 public:
  using Ptr = boost::intrusive_ptr<const PlaceCard>;
  /// Its profile shared through `profiles`, or its own without.
  static Ptr make(PlaceDetails details, CardProfiles* profiles = nullptr);
  PlaceCard(const PlaceCard&) = delete;
  PlaceCard& operator=(const PlaceCard&) = delete;
  ~PlaceCard();
  /// make() allocated more than the object: freed whole, without its size.
  static void operator delete(void* card) { ::operator delete(card); }

  std::int64_t id() const { return id_; }
  /// Its own name, else its structure's.
  std::string_view name() const;
  std::string_view street() const { return text(Text::Street); }
  std::string_view postalCode() const { return text(Text::PostalCode); }
  std::string_view town() const { return text(Text::Town); }
  std::string address() const;  // as Place::address
  std::string_view timeZone() const { return profile_->timeZone; }
  /// Its own phone, else its structure's.
  std::string_view phone() const;
  std::string_view structureName() const { return text(Text::StructureName); }
  std::string_view structureType() const { return profile_->structureType; }
  std::string_view finess() const { return text(Text::Finess); }
  std::string_view siret() const { return text(Text::Siret); }
  std::string_view specialties() const { return profile_->specialties; }
  std::string_view regulatorNote() const { return text(Text::RegulatorNote); }
  /// What it is searched by besides its specialties and professionals.
  std::string ownWords() const;
  const std::vector<domain::SearchProfessional>& professionals() const;
  /// The record of a slot the index gave with a publisher, when the card has it.
  const PulledSlotRecord* pulledSlot(const domain::SearchSlot& slot) const;
  /// The records it was made from, but for an agenda's version (-1) and the place's coordinates
  /// (0: the index keeps them, SearchIndex::position; a million cards kept them twice, 16 MB).
  PlaceDetails details() const;

 private:
  enum class Text : std::uint8_t {
    PlaceName,
    Street,
    PostalCode,
    Town,
    InseeCode,
    PlacePhone,
    StructureName,
    Finess,
    Siret,
    StructurePhone,
    RppsRang,
    RegulatorNote,
    Count
  };
  static constexpr std::size_t kTexts = static_cast<std::size_t>(Text::Count);
  /// The members of `d` that hold each text, in the order of Text.
  static std::array<std::string*, kTexts> textsOf(PlaceDetails& d);
  PlaceCard(PlaceDetails& d, std::size_t textBytes, CardProfile::Ptr profile);
  static bool wideFor(std::size_t textBytes) {
    return textBytes > std::numeric_limits<std::uint16_t>::max();
  }
  // After the object: the texts' ends in 32 bits when they make more than 65,535 bytes (wide_),
  // then the texts one after the other, without separators.
  const char* block() const { return reinterpret_cast<const char*>(this + 1); }
  char* block() { return reinterpret_cast<char*>(this + 1); }
  std::uint32_t end(std::size_t i) const {
    if (!wide_) return ends_[i];
    std::uint32_t e;
    std::memcpy(&e, block() + i * sizeof e, sizeof e);
    return e;
  }
  std::string_view text(Text t) const {
    const auto i = static_cast<std::size_t>(t);
    const std::uint32_t begin = i == 0 ? 0 : end(i - 1);
    return {block() + (wide_ ? kTexts * sizeof(std::uint32_t) : 0) + begin, end(i) - begin};
  }

  bool approximate_;
  bool wide_;
  bool participates_;
  bool acceptsContact_;
  bool honourDeclared_;
  bool samePhone_ = false;          // the structure's phone is the place's, kept once
  std::int32_t professionalCount_;  // Participation::professionals
  std::int64_t id_;
  std::int64_t structureId_;
  std::array<std::uint16_t, kTexts> ends_;  // unused when wide_
  // Apart, and only when it has some: two empty vectors took a quarter of a card.
  struct People {
    std::vector<domain::SearchProfessional> professionals;
    std::vector<PulledSlotRecord> pulled;
  };
  std::unique_ptr<const People> people_;
  CardProfile::Ptr profile_;  // never null

 public:
  RenderedText apiMembers;
};

}  // namespace sas::app
