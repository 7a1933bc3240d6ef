#include "workload/swap_nfs/swap_nfs_hog_report.hpp"

#include <cstring>

namespace numalab::workload {

void HogTally::apply(const HogRecord& r) {
  switch (static_cast<HogEvent>(r.event)) {
    case HogEvent::progress:
      written = r.a;
      verified = r.b;
      bad = r.c;
      return;
    case HogEvent::bad_page:
      if (first_bad.size() < k_max_reported_bad_pages) first_bad.push_back({r.a, r.b, r.c});
      return;
    case HogEvent::phase:
      if (r.a > static_cast<std::uint64_t>(HogPhase::kept_verified)) break;
      phase = static_cast<HogPhase>(r.a);
      return;
  }
  ++malformed;
}

std::string HogTally::describe_bad() const {
  std::string out;
  for (const auto& p : first_bad) {
    if (!out.empty()) out += ", ";
    out += "page " + std::to_string(p.index) + " (byte " + std::to_string(p.offset) + ", pass " +
           std::to_string(p.pass) + ")";
  }
  const std::uint64_t listed = first_bad.size();
  if (bad > listed)
    out += (out.empty() ? "" : " ") + std::string("and ") + std::to_string(bad - listed) + " more";
  return out;
}

std::vector<HogRecord> HogReportReader::feed(std::span<const std::uint8_t> bytes) {
  partial_.insert(partial_.end(), bytes.begin(), bytes.end());
  std::vector<HogRecord> out;
  std::size_t at = 0;
  for (; partial_.size() - at >= sizeof(HogRecord); at += sizeof(HogRecord)) {
    HogRecord r;
    std::memcpy(&r, partial_.data() + at, sizeof r);
    out.push_back(r);
  }
  partial_.erase(partial_.begin(), partial_.begin() + static_cast<long>(at));
  return out;
}

}  // namespace numalab::workload
