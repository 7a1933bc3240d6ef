#pragma once
// What the staged capture did, step by step, as RUN/MACHINE/capture.json: each step's name, whether
// it worked, how long it took, when it started (seconds since QEMU started) and what it left or why
// it failed. Written again after every step, so a capture cut short still says how far it got.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace numalab::capture {

enum class StepStatus { ok, failed, skipped };
std::string_view to_string(StepStatus s);

struct StepRecord {
  std::string name;  // "sysrq-w", "nmi", "registers-1", "memory-dump", "analysis", ...
  StepStatus status = StepStatus::ok;
  double seconds = 0;  // how long the step took
  double at_s = 0;     // when it started, seconds since QEMU started
  std::string detail;  // what it left ("vmcore, 512.0 MiB ELF") or why it failed or was skipped
};

struct CaptureRecord {
  static constexpr int k_version = 1;
  std::string verdict;      // "hang" or "crash"
  std::string guest_state;  // QMP query-status: "running", "guest-panicked", ... or "unknown"
  double started_at_s = 0;  // seconds since QEMU started
  double total_seconds = 0;
  std::vector<StepRecord> steps;

  const StepRecord* find(std::string_view name) const;
};

nlohmann::json to_json(const CaptureRecord& r);
// Replaces `file` (written beside it, then renamed).
void write_capture_json(const CaptureRecord& r, const std::filesystem::path& file);

}  // namespace numalab::capture
