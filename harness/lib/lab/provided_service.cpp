#include "lab/workload_catalog.hpp"

namespace numalab::lab {

std::string_view provided_service(std::string_view workload) {
  if (workload == "nfs-server") return "nfs";
  return "";
}

bool swaps_over_network(std::string_view workload) { return workload == "swap-nfs"; }

}  // namespace numalab::lab
