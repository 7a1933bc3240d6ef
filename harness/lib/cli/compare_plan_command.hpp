#pragma once
// numalab compare LAB.toml --plan [--change 10%] [--power 0.8]: the boots per kernel a change
// needs on this lab, from the stored A/A compares of the same lab (report/compare_plan.hpp), before
// anything runs. Exit 0, also when there is no A/A compare yet (it says how to make one); 2 on bad
// input.

#include <optional>
#include <string_view>

#include "cli/compare_command.hpp"
#include "compare/blocking.hpp"
#include "compare/sample_size.hpp"
#include "util/error.hpp"

namespace numalab::cli {

int cmd_compare_plan(const CompareArgs& args);

// "10%", "10 %", "10" (percent), "2.5%": 0.10, 0.10, 0.10, 0.025; nullopt unless a number in
// (0, 1000] %.
std::optional<double> parse_change(std::string_view text);

// --change and --power over the defaults (10 %, 80 %); bad_input when out of range.
util::Result<compare::PowerGoal> power_goal(const CompareArgs& args);

// --blocking as the comparison options hold it: nullopt inside for auto. bad_input for anything else
// than auto, slot or none.
util::Result<std::optional<compare::Blocking>> blocking_asked(const std::string& text);

}  // namespace numalab::cli
