#include "cli/compare_plan_command.hpp"

#include <charconv>
#include <cmath>
#include <iostream>

#include "cli/cli_support.hpp"
#include "cli/exit_status.hpp"
#include "lab/lab.hpp"
#include "report/compare_plan.hpp"
#include "util/sha256.hpp"

namespace numalab::cli {

using util::ErrorKind;
using util::fail;

std::optional<double> parse_change(std::string_view text) {
  while (!text.empty() && (text.back() == '%' || text.back() == ' ')) text.remove_suffix(1);
  double percent = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), percent);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  if (!(percent > 0 && percent <= 1000)) return std::nullopt;
  return percent / 100;
}

util::Result<compare::PowerGoal> power_goal(const CompareArgs& args) {
  compare::PowerGoal goal;
  if (args.change) {
    auto change = parse_change(*args.change);
    if (!change)
      return fail(ErrorKind::bad_input,
                  "--change must be a change in percent above 0 and at most 1000, like 10% or 2.5, not '" +
                      *args.change + "'");
    goal.change = *change;
  }
  if (args.power) {
    if (!(*args.power > 0 && *args.power < 1))
      return fail(ErrorKind::bad_input, "--power must be a probability between 0 and 1, like 0.8, not " +
                                            std::to_string(*args.power));
    goal.power = *args.power;
  }
  return goal;
}

util::Result<std::optional<compare::Blocking>> blocking_asked(const std::string& text) {
  if (text == "auto") return std::optional<compare::Blocking>{};
  if (auto b = compare::blocking_from_string(text)) return std::optional<compare::Blocking>{*b};
  return fail(ErrorKind::bad_input, "--blocking must be auto, slot or none, not " + text);
}

int cmd_compare_plan(const CompareArgs& args) {
  if (args.lab.empty()) return report_error({ErrorKind::bad_input, "compare --plan needs a lab file"});
  auto goal = power_goal(args);
  if (!goal) return report_error(goal.error());
  auto lab = lab::parse_lab_file(args.lab);
  if (!lab) return report_error(lab.error());
  auto sha = util::sha256_file(args.lab);
  if (!sha) return report_error({ErrorKind::bad_input, sha.error().message});
  auto store = open_store(args.results);
  if (!store) return report_error(store.error());
  auto plan = report::plan_from_store(**store, lab->name, *sha, *goal);
  if (!plan) return report_error(plan.error());
  std::cout << report::format_plan(*plan, lab->name, args.lab.string());
  return k_exit_pass;
}

}  // namespace numalab::cli
