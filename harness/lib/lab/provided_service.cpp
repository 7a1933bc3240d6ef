#include "lab/workload_catalog.hpp"

namespace numalab::lab {

std::string_view provided_service(std::string_view workload) {
  if (workload == "nfs-server") return "nfs";
  return "";
}

}  // namespace numalab::lab
