#include "lab/workload_catalog.hpp"

#include "workload/cpuset_churn/cpuset_churn_spec.hpp"
#include "workload/cpuset_rebind/cpuset_rebind_spec.hpp"
#include "workload/nfs_server/nfs_server_spec.hpp"
#include "workload/numa_balancing/numa_balancing_spec.hpp"
#include "workload/page_migration/page_migration_spec.hpp"
#include "workload/swap_nfs/swap_nfs_spec.hpp"
#include "workload/topology_check/topology_check_spec.hpp"
#include "workload/trigger/trigger_spec.hpp"

namespace numalab::lab {

const std::vector<WorkloadSpec>& workload_catalog() {
  static const std::vector<WorkloadSpec> catalog = [] {
    std::vector<WorkloadSpec> all = {workload::topology_check_spec(), workload::trigger_spec()};
    for (const auto& spec : workload::numa_balancing_specs()) all.push_back(spec);
    for (const auto* spec :
         {&workload::cpuset_rebind_spec(), &workload::page_migration_spec(), &workload::cpuset_churn_spec(),
          &workload::nfs_server_spec(), &workload::swap_nfs_spec()})
      all.push_back(*spec);
    return all;
  }();
  return catalog;
}

const WorkloadSpec* find_workload(std::string_view name) {
  for (const auto& w : workload_catalog())
    if (w.name == name) return &w;
  return nullptr;
}

}  // namespace numalab::lab
