#pragma once
// The agent's memory locked while the swap-nfs workload pushes the guest into swap, so that the
// agent (PID 1: its heartbeat thread, its port, the workload's own sampling) never waits for a
// swap-in from the NFS server it is measuring. mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT):
// every page the agent has touched stays in memory, and so does every page it touches later; pages
// it never touched (most of each thread's 8 MiB stack) are not populated. Without MCL_ONFAULT the
// lock populated every stack whole: about 29 MiB of a 235 MiB guest under TCG, against a few MiB.
// The destructor's munlockall undoes it, so the workloads after this one run unlocked. Forked
// children are not locked (fork clears VM_LOCKED and the MCL_FUTURE default).

#include <cstdint>
#include <optional>
#include <string>

namespace numalab::guest {

class AgentMemoryLock {
 public:
  AgentMemoryLock();
  ~AgentMemoryLock();
  AgentMemoryLock(const AgentMemoryLock&) = delete;
  AgentMemoryLock& operator=(const AgentMemoryLock&) = delete;

  // Empty when mlockall succeeded, else why it did not.
  const std::optional<std::string>& error() const { return error_; }
  // What the lock cost: the growth of /proc/meminfo's Mlocked, in KiB (0 when unreadable). Not
  // VmLck, which counts reserved address space (a thread's 64 MiB malloc arena) never populated.
  std::uint64_t locked_kb() const { return locked_kb_; }

 private:
  std::optional<std::string> error_;
  std::uint64_t locked_kb_ = 0;
  bool locked_ = false;
};

}  // namespace numalab::guest
