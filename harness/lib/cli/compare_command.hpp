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
  int hang_timeout_s = 10;
  int boot_timeout_s = 180;
  JobsArgs jobs;
};

int cmd_compare(const CompareArgs& args, util::StopRequest& stop);

}  // namespace numalab::cli
