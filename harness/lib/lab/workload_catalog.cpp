#include "lab/workload_catalog.hpp"

namespace numalab::lab {

const std::vector<WorkloadSpec>& workload_catalog() {
  static const std::vector<WorkloadSpec> catalog = {
      {"topology-check",
       "verifies, inside the guest, that the guest sees exactly the declared NUMA topology",
       {}},
      {"trigger",
       "makes the guest kernel misbehave on purpose, to test numalab's hang and crash verdicts",
       {{"action", ParamType::string, {"panic", "hang"},
         "panic: sysrq-c panics the kernel; hang: the agent stops all output, heartbeats included",
         true}}},
  };
  return catalog;
}

const WorkloadSpec* find_workload(std::string_view name) {
  for (const auto& w : workload_catalog())
    if (w.name == name) return &w;
  return nullptr;
}

}  // namespace numalab::lab
