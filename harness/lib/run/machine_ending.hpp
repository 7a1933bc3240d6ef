#pragma once
// The end of a machine's run, on a thread of its own: the evidence of a hang or crash (minutes,
// for a memory dump and its analysis), then stopping the VM (seconds), then the console's last
// bytes. Meanwhile the run loop goes on serving the other machines: their consoles are drained,
// their faults applied, their verdicts taken. The work owns what it touches (the machine's VM and
// console) until done() says it has returned; cancel() asks it to end early (Ctrl-C).

#include <atomic>
#include <functional>
#include <thread>

#include "util/unique_fd.hpp"

namespace numalab::run {

class MachineEnding {
 public:
  using Work = std::function<void(const std::atomic<bool>& cancelled)>;
  explicit MachineEnding(Work work);
  ~MachineEnding();  // cancels and joins
  MachineEnding(const MachineEnding&) = delete;
  MachineEnding& operator=(const MachineEnding&) = delete;

  bool done() const { return done_.load(); }
  // Readable once the work has returned, so that a poll loop wakes for it.
  int fd() const { return done_fd_.get(); }
  void cancel() { cancelled_.store(true); }
  void join();

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> done_{false};
  util::UniqueFd done_fd_;
  std::thread thread_;  // last: started once the flags exist
};

}  // namespace numalab::run
