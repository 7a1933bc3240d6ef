#include "report/shared_boots.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace numalab::report {

namespace {

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

}  // namespace

std::vector<SharedBoot> shared_boots(const std::vector<CompareRun>& runs) {
  std::vector<SharedBoot> out;
  for (const auto& run : runs) {
    if (!run.result) continue;
    std::map<std::string, std::vector<std::string>> before;  // machine -> its workloads so far
    for (const auto& w : run.result->workloads) {
      auto& earlier = before[w.machine];
      SharedBoot s{w.machine, w.name, earlier};
      earlier.push_back(w.name);
      if (!s.after.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
    }
  }
  return out;
}

std::string describe(const SharedBoot& s) {
  return s.workload + " ran after " + listed(s.after) + " in the same boot (machine " + s.machine + ")";
}

nlohmann::json to_json(const SharedBoot& s) {
  return {{"machine", s.machine}, {"workload", s.workload}, {"after", s.after}, {"text", describe(s)}};
}

}  // namespace numalab::report
