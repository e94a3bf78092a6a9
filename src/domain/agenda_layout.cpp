#include "domain/agenda_layout.hpp"

#include <algorithm>

namespace sas::domain {
namespace {

// A cluster needing more than kMaxLanes: what would go in the last lane or beyond is folded,
// in runs of spans that overlap one another (a run of one stays drawn, in the last lane).
void fold(const std::vector<Span>& spans, std::size_t from, std::size_t to, DayLayout& out) {
  constexpr int last = kMaxLanes - 1;
  std::vector<std::size_t> run;
  int runEnd = 0;
  auto close = [&] {
    if (run.size() > 1) {
      const int index = static_cast<int>(out.folds.size());
      out.folds.push_back({spans[run.front()].start, runEnd, run});
      for (auto i : run) out.placements[i].folded = index;
    }
    run.clear();
  };
  for (std::size_t i = from; i < to; ++i) {
    auto& p = out.placements[i];
    if (p.lane < last) continue;
    p.lane = last;
    if (!run.empty() && spans[i].start >= runEnd) close();
    if (run.empty()) runEnd = spans[i].end;
    run.push_back(i);
    runEnd = std::max(runEnd, spans[i].end);
  }
  close();
}

}  // namespace

DayLayout layoutDay(const std::vector<Span>& spans) {
  DayLayout out;
  out.placements.resize(spans.size());
  std::size_t clusterStart = 0;
  int clusterEnd = 0;
  std::vector<int> laneEnds;  // the end of the last span of each lane of the cluster
  auto closeCluster = [&](std::size_t end) {
    const int lanes = static_cast<int>(laneEnds.size());
    for (std::size_t i = clusterStart; i < end; ++i)
      out.placements[i].lanes = std::min(lanes, kMaxLanes);
    if (lanes > kMaxLanes) fold(spans, clusterStart, end, out);
  };
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const auto& s = spans[i];
    if (i > 0 && s.start >= clusterEnd) {
      closeCluster(i);
      clusterStart = i;
      laneEnds.clear();
    }
    auto free =
        std::find_if(laneEnds.begin(), laneEnds.end(), [&](int end) { return end <= s.start; });
    out.placements[i].lane = static_cast<int>(free - laneEnds.begin());
    if (free == laneEnds.end())
      laneEnds.push_back(s.end);
    else
      *free = s.end;
    clusterEnd = i == clusterStart ? s.end : std::max(clusterEnd, s.end);
  }
  if (!spans.empty()) closeCluster(spans.size());
  return out;
}

}  // namespace sas::domain
