#include "storage/agenda_digest.hpp"

#include <limits>

namespace sas::storage {
namespace {

// The format's first byte: a digest of another version is not read (the rows are).
constexpr unsigned char kVersion = 1;

enum Flag : unsigned char { kWeekly = 1, kRange = 2, kHasLast = 4, kHasSpan = 8 };
constexpr unsigned char kKnownFlags = kWeekly | kRange | kHasLast | kHasSpan;

// Unsigned numbers in base 128, seven bits a byte, low bits first (as SQLite's and protocol
// buffers' varints): a series' numbers are small and most take a byte. By hand: SQLite keeps
// its own varints internal, and nlohmann's binary formats (CBOR, MessagePack) go through a JSON
// tree, an allocation for each value, where a build reads some 37 million series.
void putNumber(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Signed ones folded onto the unsigned (0, -1, 1, -2… as 0, 1, 2, 3…).
void putSigned(std::string& out, std::int64_t v) {
  putNumber(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

std::int64_t dayNumber(domain::Day d) {
  return d.time_since_epoch().count();
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool number(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == in_.size()) return false;
      const auto byte = static_cast<unsigned char>(in_[at_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool signedNumber(std::int64_t& v) {
    std::uint64_t u = 0;
    if (!number(u)) return false;
    v = static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
    return true;
  }
  bool small(int& v, std::uint64_t max) {
    std::uint64_t u = 0;
    if (!number(u) || u > max) return false;
    v = static_cast<int>(u);
    return true;
  }
  bool byte(unsigned char& v) {
    if (at_ == in_.size()) return false;
    v = static_cast<unsigned char>(in_[at_++]);
    return true;
  }
  bool day(domain::Day& d) {
    std::int64_t n = 0;
    // A date column's years have four digits: days from 0000 to 9999, about ±3 million.
    if (!signedNumber(n) || n < -1'000'000'000 || n > 1'000'000'000) return false;
    d = domain::Day{date::days{n}};
    return true;
  }
  bool done() const { return at_ == in_.size(); }
  std::size_t left() const { return in_.size() - at_; }

 private:
  std::string_view in_;
  std::size_t at_ = 0;
};

}  // namespace

DigestWriter::DigestWriter(domain::Day floor) {
  out_.push_back(static_cast<char>(kVersion));
  putSigned(out_, dayNumber(floor));
}

void DigestWriter::add(const domain::Availability& a, std::optional<domain::Day> spanEnd) {
  unsigned char flags = 0;
  if (a.weekly) flags |= kWeekly;
  if (a.base.kind == domain::AvailabilityKind::Range) flags |= kRange;
  if (a.lastDate) flags |= kHasLast;
  if (spanEnd) flags |= kHasSpan;
  // Ids grow (the rows come in id order): each as its distance from the one before.
  putNumber(series_, static_cast<std::uint64_t>(a.id - lastId_));
  lastId_ = a.id;
  series_.push_back(static_cast<char>(flags));
  const auto first = dayNumber(a.base.date);
  putSigned(series_, first);
  if (a.lastDate) putSigned(series_, dayNumber(*a.lastDate) - first);
  if (spanEnd) putSigned(series_, dayNumber(*spanEnd) - first);
  putNumber(series_, static_cast<std::uint64_t>(a.base.startMinute));
  putNumber(series_, static_cast<std::uint64_t>(a.base.endMinute));
  putNumber(series_, static_cast<std::uint64_t>(a.base.capacity));
  series_.push_back(static_cast<char>(a.base.types.bits));
  ++count_;
}

std::string DigestWriter::finish() && {
  putNumber(out_, count_);
  out_ += series_;
  return std::move(out_);
}

bool readDigest(std::string_view digest, std::int64_t placeId, domain::Day from,
                std::vector<domain::Availability>& out) {
  Reader in(digest);
  unsigned char version = 0;
  domain::Day floor;
  std::uint64_t count = 0;
  if (!in.byte(version) || version != kVersion || !in.day(floor) || floor > from ||
      !in.number(count) || count > in.left())
    return false;
  const auto before = out.size();
  const auto fail = [&] {
    out.resize(before);
    return false;
  };
  std::int64_t id = 0;
  constexpr auto kIntMax = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t step = 0;
    unsigned char flags = 0;
    std::int64_t first = 0, last = 0, span = 0;
    domain::Availability a;
    if (!in.number(step) || step == 0 ||
        step > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() - id) ||
        !in.byte(flags) || (flags & ~kKnownFlags) != 0 || !in.signedNumber(first) ||
        ((flags & kHasLast) != 0 && !in.signedNumber(last)) ||
        ((flags & kHasSpan) != 0 && !in.signedNumber(span)) ||
        !in.small(a.base.startMinute, kIntMax) || !in.small(a.base.endMinute, kIntMax) ||
        !in.small(a.base.capacity, kIntMax) || !in.byte(a.base.types.bits))
      return fail();
    constexpr std::int64_t kDays = 1'000'000'000;
    if (first < -kDays || first > kDays || last < -kDays || last > kDays || span < -kDays ||
        span > kDays)
      return fail();
    id += static_cast<std::int64_t>(step);
    if ((flags & kHasSpan) != 0 && domain::Day{date::days{first + span}} < from) continue;
    a.id = id;
    a.placeId = placeId;
    a.weekly = (flags & kWeekly) != 0;
    a.base.date = domain::Day{date::days{first}};
    a.base.kind =
        (flags & kRange) != 0 ? domain::AvailabilityKind::Range : domain::AvailabilityKind::Slot;
    if ((flags & kHasLast) != 0) a.lastDate = domain::Day{date::days{first + last}};
    out.push_back(std::move(a));
  }
  if (!in.done()) return fail();
  return true;
}

}  // namespace sas::storage
