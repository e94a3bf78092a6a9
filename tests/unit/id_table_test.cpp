#include "domain/id_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <unordered_map>
#include <vector>

namespace {

using sas::domain::IdTable;

// Whatever the ids and the order of the changes, the table answers as a hash map would.
TEST(IdTable, AnswersAsAMapWhateverTheIdsAndChanges) {
  std::mt19937_64 rng(17);
  for (int round = 0; round < 20; ++round) {
    IdTable<int> table(-1);
    std::unordered_map<std::int64_t, int> expected;
    std::uniform_int_distribution<int> op(0, 9);
    // Mostly dense ids, some negative, some far beyond: each way of keeping them.
    auto pickId = [&]() -> std::int64_t {
      switch (op(rng)) {
        case 0:
          return -static_cast<std::int64_t>(rng() % 100);
        case 1:
          return static_cast<std::int64_t>(rng() >> 2);
        default:
          return static_cast<std::int64_t>(rng() % 5000);
      }
    };
    for (int step = 0; step < 4000; ++step) {
      const auto id = pickId();
      if (op(rng) < 7) {
        const int value = static_cast<int>(rng() % 1000);
        table.set(id, value);
        expected[id] = value;
      } else {
        EXPECT_EQ(table.erase(id), expected.erase(id) == 1);
      }
      if (step % 500 == 0) table.shrinkToFit();
    }
    ASSERT_EQ(table.size(), expected.size());
    for (const auto& [id, value] : expected) {
      const auto* found = table.find(id);
      ASSERT_NE(found, nullptr) << id;
      EXPECT_EQ(*found, value) << id;
    }
    for (std::int64_t id = -100; id < 6000; ++id)
      EXPECT_EQ(table.find(id) != nullptr, expected.count(id) == 1) << id;
  }
}

// Database ids in any order take one slot each, not a node; ids far from the others (or
// negative) do not make the vector grow with them.
TEST(IdTable, DenseIdsTakeASlotEachAndFarIdsNone) {
  std::vector<std::int64_t> ids(100'000);
  std::iota(ids.begin(), ids.end(), 1);
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(3));
  IdTable<const void*> table(nullptr);
  for (auto id : ids) table.set(id, &table);
  table.set(-5, &table);
  table.set(std::int64_t{1} << 40, &table);
  table.shrinkToFit();
  EXPECT_EQ(table.size(), 100'002u);
  EXPECT_EQ(table.denseSlots(), 100'001u);  // 0 to 100,000
  EXPECT_NE(table.find(std::int64_t{1} << 40), nullptr);
  EXPECT_NE(table.find(-5), nullptr);
  EXPECT_EQ(table.find(0), nullptr);
  EXPECT_EQ(table.find(100'001), nullptr);

  // Alone, a far id stays out of the vector.
  IdTable<const void*> sparse(nullptr);
  sparse.set(1'000'000, &sparse);
  EXPECT_EQ(sparse.denseSlots(), 0u);
  sparse.set(1'029, &sparse);  // two entries: ids below 2 × 2 + 1024 in the vector
  EXPECT_EQ(sparse.denseSlots(), 0u);
  sparse.set(1'024, &sparse);  // three: below 1,030
  EXPECT_GE(sparse.denseSlots(), 1'025u);
  EXPECT_LE(sparse.denseSlots(), 2u * 3 + 1024);
  EXPECT_NE(sparse.find(1'029), nullptr);
  EXPECT_NE(sparse.find(1'000'000), nullptr);
  EXPECT_EQ(sparse.size(), 3u);
}

}  // namespace
