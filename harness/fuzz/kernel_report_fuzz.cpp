// Fuzzes the kernel report parser, the one reader of the guest kernel's console, with whatever a
// guest kernel might print.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "monitor/kernel_report.hpp"

namespace {

using numalab::monitor::KernelReportParser;
using numalab::monitor::ReportStart;

void check(const std::vector<ReportStart>& starts, const KernelReportParser& p) {
  for (const auto& s : starts)
    if (s.first_line.size() > KernelReportParser::k_max_line ||
        s.fatal != numalab::monitor::is_fatal(s.kind) || s.line_number == 0 || s.line_number > p.lines())
      __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  KernelReportParser p;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Feed in two pieces so lines that span reads are exercised.
  check(p.feed(bytes.substr(0, size / 2)), p);
  check(p.feed(bytes.substr(size / 2)), p);
  check(p.finish(), p);
  const auto reports = p.take();
  if (reports.size() > KernelReportParser::k_max_reports) __builtin_trap();
  for (const auto& r : reports)
    if (r.first_line.size() > KernelReportParser::k_max_line ||
        r.stack.size() > KernelReportParser::k_max_frames)
      __builtin_trap();
  return 0;
}
