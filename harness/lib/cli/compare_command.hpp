#pragma once
// numalab compare: the arguments and the command.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "util/stop_request.hpp"

namespace numalab::cli {

struct CompareArgs {
  std::filesystem::path lab;  // not needed with --from-db or --list
  std::vector<std::string> kernels;
  int repeat = 3;
  std::optional<std::filesystem::path> report_dir;  // default RESULTS/compares/ID
  std::optional<std::filesystem::path> junit, kcidb, json;
  bool fail_on_regression = false;
  std::filesystem::path results = "results";
  std::optional<std::string> resume;   // a compare id
  std::optional<std::string> from_db;  // a compare id: re-render, run nothing
  bool list = false;
  std::string method = "auto";  // "auto", "welch", "bootstrap"
  // "auto", "slot", "none"; nullopt (not given): auto for a new compare, as stored for --from-db
  // and --resume.
  std::optional<std::string> blocking;
  bool plan = false;  // --plan: the boots a change needs, from stored A/A compares; runs nothing
  std::optional<std::string> change;  // --change: "10%" (the default)
  std::optional<double> power;        // --power: 0.8 (the default)
  int hang_timeout_s = 10;
  int boot_timeout_s = 180;
  JobsArgs jobs;
  std::optional<std::string> boot;  // --boot fresh|restore; unset: the lab's `boot`, else fresh
};

int cmd_compare(const CompareArgs& args, util::StopRequest& stop);

}  // namespace numalab::cli
