// Fuzzes the kernel report parser with whatever a guest kernel might print.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "monitor/kernel_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using numalab::monitor::KernelReportParser;
  KernelReportParser p;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Feed in two pieces so lines that span reads are exercised.
  p.feed(bytes.substr(0, size / 2));
  p.feed(bytes.substr(size / 2));
  p.finish();
  const auto reports = p.take();
  if (reports.size() > KernelReportParser::k_max_reports) __builtin_trap();
  for (const auto& r : reports)
    if (r.first_line.size() > KernelReportParser::k_max_line ||
        r.stack.size() > KernelReportParser::k_max_frames)
      __builtin_trap();
  return 0;
}
