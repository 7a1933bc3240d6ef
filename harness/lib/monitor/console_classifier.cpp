#include "monitor/console_classifier.hpp"

#include <array>

namespace numalab::monitor {

namespace {

struct Pattern {
  std::string_view text;
  ReportKind kind;
};

// Substrings of the first line of each report, as Linux 6.1 prints them.
constexpr std::array<Pattern, 10> k_patterns = {{
    {"Kernel panic - not syncing", ReportKind::panic},
    {"kernel BUG at ", ReportKind::bug},
    {"BUG: unable to handle ", ReportKind::oops},
    {"Oops: ", ReportKind::oops},
    {"general protection fault", ReportKind::general_protection},
    {" blocked for more than ", ReportKind::hung_task},
    {"BUG: soft lockup", ReportKind::soft_lockup},
    {"rcu_sched detected stalls", ReportKind::rcu_stall},
    {"rcu: INFO: rcu_preempt detected stalls", ReportKind::rcu_stall},
    {"WARNING: CPU: ", ReportKind::warning},
}};

}  // namespace

std::string_view to_string(ReportKind k) {
  switch (k) {
    case ReportKind::panic:
      return "panic";
    case ReportKind::oops:
      return "oops";
    case ReportKind::bug:
      return "bug";
    case ReportKind::general_protection:
      return "general-protection-fault";
    case ReportKind::hung_task:
      return "hung-task";
    case ReportKind::soft_lockup:
      return "soft-lockup";
    case ReportKind::rcu_stall:
      return "rcu-stall";
    case ReportKind::warning:
      return "warning";
  }
  return "unknown";
}

bool is_fatal(ReportKind k) {
  return k == ReportKind::panic || k == ReportKind::oops || k == ReportKind::bug ||
         k == ReportKind::general_protection;
}

void ConsoleClassifier::classify(std::string_view line, std::vector<ConsoleReport>& out) {
  ++lines_;
  for (const auto& p : k_patterns) {
    if (line.find(p.text) == std::string_view::npos) continue;
    if (p.kind == ReportKind::hung_task && line.find("INFO: task ") == std::string_view::npos) continue;
    ConsoleReport r{p.kind, std::string(line), lines_};
    if (reports_.size() < k_max_reports) reports_.push_back(r);
    out.push_back(std::move(r));
    return;
  }
}

std::vector<ConsoleReport> ConsoleClassifier::feed(std::string_view bytes) {
  std::vector<ConsoleReport> out;
  for (char c : bytes) {
    if (c == '\n') {
      if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
      classify(partial_, out);
      partial_.clear();
    } else if (partial_.size() < k_max_line) {
      partial_ += c;
    }
  }
  return out;
}

}  // namespace numalab::monitor
