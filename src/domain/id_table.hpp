#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sas::domain {

/// Values by a database id. Such ids are dense (1, 2, 3… with a few gaps), so those below twice
/// the number of entries are kept in a vector at their id: 8 bytes an entry for a pointer, where
/// a hash map's node and bucket took 40 (a million places held two such maps). Any other id
/// (negative, far beyond) goes to a hash map, so that no id can make the vector huge.
///
/// `empty` is the value that means « none » (a null pointer, a sentinel); it cannot be stored.
template <class V>
class IdTable {
 public:
  explicit IdTable(V empty = V{}) : empty_(std::move(empty)) {}

  /// The value at `id`, or null.
  const V* find(std::int64_t id) const {
    if (id >= 0 && static_cast<std::uint64_t>(id) < dense_.size()) {
      const auto& v = dense_[static_cast<std::size_t>(id)];
      return v == empty_ ? nullptr : &v;
    }
    const auto it = sparse_.find(id);
    return it == sparse_.end() ? nullptr : &it->second;
  }
  V* find(std::int64_t id) { return const_cast<V*>(std::as_const(*this).find(id)); }

  /// Puts `value` (not the empty one) at `id`, replacing what was there.
  void set(std::int64_t id, V value) {
    if (auto* there = find(id)) {
      *there = std::move(value);
      return;
    }
    ++size_;
    if (id >= 0 && static_cast<std::uint64_t>(id) < denseLimit()) {
      if (static_cast<std::size_t>(id) >= dense_.size()) grow(static_cast<std::size_t>(id));
      dense_[static_cast<std::size_t>(id)] = std::move(value);
    } else {
      sparse_.insert_or_assign(id, std::move(value));
    }
  }

  /// Whether there was a value at `id`.
  bool erase(std::int64_t id) {
    if (id >= 0 && static_cast<std::uint64_t>(id) < dense_.size()) {
      auto& v = dense_[static_cast<std::size_t>(id)];
      if (v == empty_) return false;
      v = empty_;
    } else if (sparse_.erase(id) == 0) {
      return false;
    }
    --size_;
    return true;
  }

  std::size_t size() const { return size_; }
  /// The vector's slots, entries or not: what the table costs beyond its map.
  std::size_t denseSlots() const { return dense_.size(); }

  /// Gives back the vector's room past its last entry (once the table is filled: a build).
  void shrinkToFit() {
    auto last =
        std::find_if(dense_.rbegin(), dense_.rend(), [&](const V& v) { return !(v == empty_); });
    dense_.erase(last.base(), dense_.end());
    dense_.shrink_to_fit();
  }

 private:
  // Ids below this go to the vector: at most 16 bytes an entry for a pointer, gaps and all.
  std::uint64_t denseLimit() const { return 2 * static_cast<std::uint64_t>(size_) + 1024; }

  // Grows the vector to hold `id`, by doubling within the limit (so that the map is walked a
  // few times only), and moves there the entries of the map it now covers.
  void grow(std::size_t id) {
    const auto size = std::max<std::uint64_t>(
        id + 1,
        std::min<std::uint64_t>(2 * std::max<std::size_t>(dense_.size(), 512), denseLimit()));
    dense_.resize(static_cast<std::size_t>(size), empty_);
    for (auto it = sparse_.begin(); it != sparse_.end();) {
      if (it->first >= 0 && static_cast<std::uint64_t>(it->first) < dense_.size()) {
        dense_[static_cast<std::size_t>(it->first)] = std::move(it->second);
        it = sparse_.erase(it);
      } else {
        ++it;
      }
    }
  }

  V empty_;
  std::vector<V> dense_;
  std::unordered_map<std::int64_t, V> sparse_;
  std::size_t size_ = 0;
};

}  // namespace sas::domain
