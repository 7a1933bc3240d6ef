#include "workloads/swap_nfs/swap_nfs_memlock.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "common/proc_file.hpp"
#include "workload/cpuset_churn/cpuset_churn_plan.hpp"

namespace numalab::guest {

namespace {

std::optional<std::uint64_t> mlocked_kb() {
  auto meminfo = read_proc_file("/proc/meminfo");
  return meminfo ? workload::meminfo_kb(*meminfo, "Mlocked") : std::nullopt;
}

}  // namespace

AgentMemoryLock::AgentMemoryLock() {
  const auto before = mlocked_kb();
  if (::mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0) {
    error_ = std::string("mlockall: ") + std::strerror(errno);
    return;
  }
  locked_ = true;
  const auto after = mlocked_kb();
  if (before && after && *after > *before) locked_kb_ = *after - *before;
}

AgentMemoryLock::~AgentMemoryLock() {
  if (locked_) ::munlockall();
}

}  // namespace numalab::guest
