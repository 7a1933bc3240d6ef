#include "link/heartbeat.hpp"

#include "link/hello.hpp"

namespace numalab::guest {

HeartbeatSender::HeartbeatSender(AgentPort& port, std::chrono::milliseconds interval,
                                 const std::filesystem::path& root)
    : port_(port), interval_(interval), blocked_(root), thread_([this] { run(); }) {}

void HeartbeatSender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HeartbeatSender::run() {
  std::unique_lock lock(mutex_);
  auto next = std::chrono::steady_clock::now() + interval_;
  while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
    next += interval_;
    // After a stall (a slow TCG guest, a suspended VM) resume the rhythm instead of catching up.
    if (auto now = std::chrono::steady_clock::now(); next < now) next = now + interval_;
    // Send without the lock, so stop() is never kept waiting for a write it does not need.
    lock.unlock();
    port_.send(agent::Heartbeat{++seq_, seconds_since_boot()});
    blocked_.scan_and_send(port_);
    lock.lock();
  }
}

}  // namespace numalab::guest
