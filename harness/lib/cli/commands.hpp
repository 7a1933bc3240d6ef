#pragma once
// The numalab subcommands. Each returns the process exit status; main only parses arguments.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/stop_request.hpp"

namespace numalab::cli {

struct RunArgs {
  std::filesystem::path lab;
  std::optional<std::string> kernel;
  std::filesystem::path results = "results";
  std::optional<std::filesystem::path> json;
  int hang_timeout_s = 10;
  int boot_timeout_s = 180;
  bool no_dump = false;             // --no-dump: the evidence of a hang or crash without the memory dump
  std::optional<std::string> boot;  // --boot fresh|restore; unset: the lab's `boot`, else fresh
};

struct BuildArgs {
  std::filesystem::path lab;
  std::vector<std::string> kernels;
};

int cmd_run(const RunArgs& args, util::StopRequest& stop);
int cmd_build(const BuildArgs& args, util::StopRequest& stop);
int cmd_list(const std::filesystem::path& results, int limit);
int cmd_show(const std::filesystem::path& results, const std::string& run_id, bool as_json);
// Lists the cached kernels; with prune, removes those no lab file in use names.
int cmd_kernels(bool prune, const std::vector<std::filesystem::path>& labs);

// Where the guest agent binary is: $NUMALAB_AGENT, else numalab-agent beside this executable.
std::filesystem::path agent_binary_path();

}  // namespace numalab::cli
