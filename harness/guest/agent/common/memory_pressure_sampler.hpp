#pragma once
// Memory pressure (PSI, /proc/pressure/memory) while a workload runs: read when the workload
// starts, once a second from a thread, and when it ends. It gives the highest "some avg10" seen and
// the growth of the "some" and "full" stall totals. A kernel without PSI (CONFIG_PSI off, or
// psi=0 on its command line: /proc/pressure does not exist) gives the three metrics as absent.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "agent/protocol.hpp"
#include "workload/common/psi.hpp"

namespace numalab::guest {

class MemoryPressureSampler {
 public:
  explicit MemoryPressureSampler(const std::filesystem::path& root,
                                 std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~MemoryPressureSampler() { stop(); }
  MemoryPressureSampler(const MemoryPressureSampler&) = delete;
  MemoryPressureSampler& operator=(const MemoryPressureSampler&) = delete;

  // Stops sampling, reads once more and returns psi_memory_some_avg10_max, psi_memory_some_s and
  // psi_memory_full_s.
  std::vector<agent::Metric> finish();

 private:
  void run();
  void stop();
  void take_sample();

  std::filesystem::path path_;
  std::chrono::milliseconds interval_;
  std::optional<workload::Pressure> first_, last_;
  double max_some_avg10_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace numalab::guest
