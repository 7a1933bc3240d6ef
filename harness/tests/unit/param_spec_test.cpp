// Workload parameter specs: the one description of a parameter that the lab parser and the guest
// agent both read.
#include "workload/common/param_spec.hpp"

#include <gtest/gtest.h>

#include "lab/workload_catalog.hpp"
#include "workload/common/params.hpp"

namespace numalab::workload {
namespace {

using json = nlohmann::json;

const std::vector<ParamSpec> k_specs = {
    {"threads", ParamType::integer, {}, "", false, 1, 64, 1},
    {"ratio", ParamType::number, {}, "", false, 0.1, 16},
    {"swap_size", ParamType::size, {}, "", false, 64 << 20},
    {"wait", ParamType::duration, {}, "", false, 1, 3600, "60s"},
    {"version", ParamType::string, {"3", "4.2"}, "", false, std::nullopt, std::nullopt, "3"},
    {"net_load", ParamType::boolean, {}, "", false, std::nullopt, std::nullopt, false},
};

TEST(ParamSpec, ValueProblemsSayTheRangeOrTheChoices) {
  EXPECT_EQ(value_problem(k_specs[0], 65), "must be an integer from 1 to 64");
  EXPECT_EQ(value_problem(k_specs[0], 64), std::nullopt);
  EXPECT_EQ(value_problem(k_specs[1], 0.05), "must be a number from 0.1 to 16");
  EXPECT_EQ(value_problem(k_specs[2], "1M"), "must be at least 64M");
  EXPECT_EQ(value_problem(k_specs[2], 64u << 20), std::nullopt);
  EXPECT_EQ(value_problem(k_specs[3], "500ms"), "must be a duration from 1s to 3600s");
  EXPECT_EQ(value_problem(k_specs[3], 3600u), std::nullopt);
  EXPECT_EQ(value_problem(k_specs[4], "4.0"), "must be \"3\" or \"4.2\"");
  EXPECT_EQ(value_problem(k_specs[4], "4.2"), std::nullopt);
}

TEST(ParamSpec, TheGuestReadsTheDefaultAndTheRangeFromTheSpec) {
  const json none = json::object();
  EXPECT_EQ(integer_param(none, k_specs, "threads").value(), std::optional<std::int64_t>(1));
  EXPECT_EQ(integer_param(json{{"threads", 8}}, k_specs, "threads").value(), std::optional<std::int64_t>(8));
  EXPECT_EQ(integer_param(json{{"threads", 65}}, k_specs, "threads").error(),
            "params.threads must be an integer from 1 to 64");
  EXPECT_EQ(number_param(none, k_specs, "ratio").value(), std::optional<double>())
      << "no default: the workload's";
  EXPECT_FALSE(number_param(json{{"ratio", "2"}}, k_specs, "ratio"));
  EXPECT_FALSE(size_param(json{{"swap_size", "1M"}}, k_specs, "swap_size"));
  EXPECT_EQ(duration_param(none, k_specs, "wait").value(), std::optional(std::chrono::milliseconds(60'000)));
  EXPECT_EQ(string_param(none, k_specs, "version").value(), std::optional<std::string>("3"));
  EXPECT_FALSE(string_param(json{{"version", "4.0"}}, k_specs, "version"));
  EXPECT_EQ(boolean_param(none, k_specs, "net_load").value(), std::optional(false));
  EXPECT_FALSE(boolean_param(json{{"net_load", "yes"}}, k_specs, "net_load"));
}

TEST(ParamSpec, ANameTheSpecLacksIsAnErrorNotACrash) {
  EXPECT_FALSE(integer_param(json::object(), k_specs, "thread"));
  EXPECT_FALSE(integer_param(json::object(), k_specs, "ratio")) << "ratio is a number";
}

TEST(ParamSpec, EveryDefaultInTheCatalogueFitsItsOwnSpec) {
  for (const auto& workload : lab::workload_catalog())
    for (const auto& p : workload.params) {
      if (p.default_value.is_null()) continue;
      EXPECT_EQ(value_problem(p, p.default_value), std::nullopt) << workload.name << " " << p.name;
      const json none = json::object();
      bool read = false;
      switch (p.type) {
        case ParamType::integer:
          read = integer_param(none, workload.params, p.name).has_value();
          break;
        case ParamType::number:
          read = number_param(none, workload.params, p.name).has_value();
          break;
        case ParamType::size:
          read = size_param(none, workload.params, p.name).has_value();
          break;
        case ParamType::duration:
          read = duration_param(none, workload.params, p.name).has_value();
          break;
        case ParamType::boolean:
          read = boolean_param(none, workload.params, p.name).has_value();
          break;
        case ParamType::string:
        case ParamType::machine:
          read = string_param(none, workload.params, p.name).has_value();
          break;
      }
      EXPECT_TRUE(read) << workload.name << " " << p.name;
    }
}

}  // namespace
}  // namespace numalab::workload
