#pragma once
// Which workloads of a comparison ran after others in the same boot of their machine. A machine's
// workloads run one after another in one boot; the agent puts back what each changed in the guest
// (the clean-state contract, harness/guest/agent/README.md), but not how long the guest has been
// up or where memory lies, so a workload that was not first on its machine can still carry
// something of the ones before it. Reports say so, one line per such workload. The order comes
// from the stored runs' summaries (workloads in order, each with its machine).

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "report/compare_report.hpp"

namespace numalab::report {

struct SharedBoot {
  std::string machine;
  std::string workload;
  std::vector<std::string> after;  // the workloads before it on its machine, in order

  bool operator==(const SharedBoot&) const = default;
};

// Every workload that was not first on its machine, in the order of the first finished run; a run
// with another order (a lab changed between resumes) adds its own.
std::vector<SharedBoot> shared_boots(const std::vector<CompareRun>& runs);

// "numa02 ran after cpuset-rebind in the same boot (machine guest)".
std::string describe(const SharedBoot& shared);

// {"machine", "workload", "after": [...], "text": describe()}
nlohmann::json to_json(const SharedBoot& shared);

}  // namespace numalab::report
