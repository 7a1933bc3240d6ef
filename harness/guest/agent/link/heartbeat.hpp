#pragma once
// A thread that sends {"t":"hb"} every interval until stopped, so the host can tell a busy guest
// from a hung one; after each, the tasks stuck in uninterruptible sleep, if any (blocked_task_watch).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

#include "link/agent_port.hpp"
#include "link/blocked_task_watch.hpp"

namespace numalab::guest {

class HeartbeatSender {
 public:
  // root: where proc/ is, for the blocked-task watch.
  HeartbeatSender(AgentPort& port, std::chrono::milliseconds interval, const std::filesystem::path& root);
  ~HeartbeatSender() { stop(); }
  HeartbeatSender(const HeartbeatSender&) = delete;
  HeartbeatSender& operator=(const HeartbeatSender&) = delete;

  // Returns once the thread has ended: no heartbeat is written after it. Idempotent.
  void stop();

 private:
  void run();

  AgentPort& port_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t seq_ = 0;
  BlockedTaskWatch blocked_;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace numalab::guest
