#pragma once
// What the staged capture left in a run folder, as lines for `numalab show` and `numalab run`.

#include <filesystem>
#include <string>
#include <vector>

namespace numalab::capture {

// One or two lines per machine that has a capture.json, e.g.
//   "guest: hang report results/runs/0007/guest/hang-report.txt"
//   "guest: memory dump results/runs/0007/guest/vmcore (512.3 MiB, vmlinux beside it)"
std::vector<std::string> evidence_lines(const std::filesystem::path& run_dir);

}  // namespace numalab::capture
