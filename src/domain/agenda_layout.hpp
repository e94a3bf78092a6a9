#pragma once
// Where availabilities that overlap in time go in a day's column of the week agenda
// (docs/rules.md#agenda): side by side, each in the first lane free at its start, at most
// kMaxLanes lanes wide so that each stays readable (a phone's day column is about 300 px).
// When more overlap at once, those that would go in the last lane or beyond are folded into
// one entry in the last lane, « +N », that lists them when opened: none is hidden, none is
// drawn over another.
#include <cstddef>
#include <vector>

namespace sas::domain {

inline constexpr int kMaxLanes = 4;

/// Minutes of the day, the end excluded: 09h00-10h00 and 10h00-11h00 do not overlap.
struct Span {
  int start = 0;
  int end = 0;
};

struct Placement {
  int lane = 0;     // 0 … lanes - 1
  int lanes = 1;    // the lanes of its group of overlapping spans, 1 … kMaxLanes
  int folded = -1;  // ≥ 0: listed in DayLayout::folds[folded] instead of drawn on its own
};

/// Spans of the last lane folded together: they cover [start, end).
struct Fold {
  int start = 0;
  int end = 0;
  std::vector<std::size_t> spans;  // indexes into the spans given, in order of start
};

struct DayLayout {
  std::vector<Placement> placements;  // one per span, in the same order
  std::vector<Fold> folds;
};

/// `spans` sorted by start.
DayLayout layoutDay(const std::vector<Span>& spans);

}  // namespace sas::domain
