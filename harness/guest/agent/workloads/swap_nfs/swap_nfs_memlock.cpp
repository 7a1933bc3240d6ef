#include "workloads/swap_nfs/swap_nfs_memlock.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "common/proc_file.hpp"

namespace numalab::guest {

namespace {

std::optional<std::uint64_t> mlocked_kb() {
  auto kb = read_meminfo_kb("/proc/meminfo", "Mlocked");
  return kb ? std::optional(*kb) : std::nullopt;
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
