#pragma once
// Scans what the guest kernel prints on its console for reports that decide a verdict. Input is
// untrusted: lines are bounded (longer ones are cut) and the number of reports kept is bounded.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::monitor {

enum class ReportKind { panic, oops, bug, general_protection, hung_task, soft_lockup, rcu_stall, warning };
std::string_view to_string(ReportKind k);
bool is_fatal(ReportKind k);  // the kernel cannot go on: verdict crash

struct ConsoleReport {
  ReportKind kind;
  std::string first_line;
  std::uint64_t line_number = 0;  // 1-based, in the console log
};

class ConsoleClassifier {
 public:
  static constexpr std::size_t k_max_line = 4096;
  static constexpr std::size_t k_max_reports = 256;

  // Feeds raw console bytes; returns the reports the complete lines among them start.
  std::vector<ConsoleReport> feed(std::string_view bytes);
  const std::vector<ConsoleReport>& reports() const { return reports_; }
  std::uint64_t lines() const { return lines_; }

 private:
  void classify(std::string_view line, std::vector<ConsoleReport>& out);
  std::string partial_;
  std::uint64_t lines_ = 0;
  std::vector<ConsoleReport> reports_;
};

}  // namespace numalab::monitor
