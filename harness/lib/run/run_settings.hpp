#pragma once
// How a run is run, as the command line set it: plain values. The OS boundaries and listeners a run
// talks to are in RunEnvironment (lab_runner.hpp).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "capture/capture_options.hpp"
#include "lab/lab.hpp"
#include "run/machine_watch.hpp"

namespace numalab::run {

struct RunSettings {
  std::filesystem::path results_dir = "results";
  std::filesystem::path cache_dir;
  std::filesystem::path agent_binary;
  std::string qemu_binary = "qemu-system-x86_64";
  WatchLimits limits;
  std::chrono::seconds ready_timeout{180};  // a service machine's hello -> its services ready
  capture::CaptureOptions capture;          // evidence of a hang or crash, before the VM is stopped
  std::optional<lab::Boot> boot;            // --boot; unset: the lab's `boot`, else fresh
};

}  // namespace numalab::run
