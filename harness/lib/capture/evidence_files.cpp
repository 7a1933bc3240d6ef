#include "capture/evidence_files.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "capture/staged_capture.hpp"

namespace numalab::capture {

std::vector<std::string> evidence_lines(const std::filesystem::path& run_dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> machines;
  for (const auto& e : std::filesystem::directory_iterator(run_dir, ec))
    if (e.is_directory(ec) && std::filesystem::exists(e.path() / k_capture_json, ec))
      machines.push_back(e.path());
  std::sort(machines.begin(), machines.end());
  std::vector<std::string> lines;
  for (const auto& dir : machines) {
    const auto name = dir.filename().string();
    const auto report = dir / k_hang_report;
    const auto vmcore = dir / k_vmcore;
    if (std::filesystem::exists(report, ec)) lines.push_back(name + ": hang report " + report.string());
    if (const auto size = std::filesystem::file_size(vmcore, ec); !ec) {
      const auto mib = fmt::format("{:.1f} MiB", static_cast<double>(size) / (1 << 20));
      const bool vmlinux = std::filesystem::exists(dir / k_vmlinux, ec);
      lines.push_back(name + ": memory dump " + vmcore.string() + " (" + mib +
                      (vmlinux ? ", vmlinux beside it)" : ", no vmlinux)"));
    }
    lines.push_back(name + ": evidence steps " + (dir / k_capture_json).string());
  }
  return lines;
}

}  // namespace numalab::capture
