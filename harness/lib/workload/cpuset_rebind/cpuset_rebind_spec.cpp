#include "workload/cpuset_rebind/cpuset_rebind_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& cpuset_rebind_spec() {
  static const WorkloadSpec spec = {
      "cpuset-rebind",
      "cpuset mempolicy rebinding: bind, preferred and interleave policies with their flags, cpuset mems "
      "changed and tasks moved; get_mempolicy and page placement checked against the kernel's rules",
      {{"cgroup",
        ParamType::string,
        {"v1", "v2", "both"},
        "which cpuset interface to test (default both)",
        false,
        std::nullopt,
        std::nullopt,
        "both"},
       // At most 8192: 32 MiB per task, nine tasks.
       {"pages",
        ParamType::integer,
        {},
        "pages each task places and checks (default 64)",
        false,
        1,
        8192,
        64}}};
  return spec;
}

}  // namespace numalab::workload
