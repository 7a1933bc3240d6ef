#include "workload/cpuset_churn/cpuset_churn_spec.hpp"

#include "model/duration.hpp"
#include "workload/cpuset_churn/cpuset_churn_plan.hpp"

namespace numalab::workload {

const WorkloadSpec& cpuset_churn_spec() {
  static const WorkloadSpec spec = {
      "cpuset-churn",
      "cpusets created, destroyed, tasks moved and mems changed in a loop under memory pressure; a stall is "
      "a hang",
      {{"duration",
        ParamType::duration,
        {},
        "how long to churn (default 20s)",
        false,
        std::nullopt,
        std::nullopt,
        "20s"},
       {"pressure",
        ParamType::number,
        {},
        "share of the guest's free memory kept allocated (default 0.9)",
        false,
        0,
        0.98,
        0.9},
       {"stall_timeout",
        ParamType::duration,
        {},
        "how long without an ended churn iteration is a hang (default 60s; evidence is taken at half of it)",
        false,
        static_cast<double>(k_min_stall_timeout.count()),
        std::nullopt,
        model::format_duration(k_default_stall_timeout)}}};
  return spec;
}

}  // namespace numalab::workload
