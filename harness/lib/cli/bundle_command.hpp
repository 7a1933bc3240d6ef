#pragma once
// numalab bundle (a stored run into one reproducer archive) and numalab repro (an archive run
// again, with the reproduction rate).
//
// repro's exit status: 0 the bundled verdict came back at least once; 1 it never did; 2 bad input
// (not a bundle, a newer bundle format, bad arguments); 3 the lab could not run (a kernel build
// failed, QEMU missing); 128+N a signal ended it. A reproduced hang or crash is the expected outcome
// of a reproduction, not a failure of it, so it exits 0 rather than run's 4.

#include <filesystem>
#include <optional>
#include <string>

#include "cli/cli_support.hpp"
#include "util/stop_request.hpp"

namespace numalab::cli {

struct BundleArgs {
  std::string run;  // a run id, as numalab list shows it
  std::filesystem::path results = "results";
  std::optional<std::filesystem::path> output;  // default RESULTS/bundles/run-NNNN.tar.gz
  bool with_dump = false;                       // the vmcore (and vmlinux) of a hang or crash
  bool with_kernel = false;                     // the bzImage of each machine's built kernel
};

struct ReproArgs {
  std::filesystem::path bundle;
  int runs = 1;                   // --runs N: N runs whatever happens
  std::optional<int> until_fail;  // --until-fail N: stop at the first reproduction, at most N runs
  std::filesystem::path results = "results";
  int hang_timeout_s = 10;
  int boot_timeout_s = 180;
  bool no_dump = false;
  JobsArgs jobs;
  std::optional<std::string> boot;  // --boot fresh|restore; unset: the lab's `boot`, else fresh
};

int cmd_bundle(const BundleArgs& args);
int cmd_repro(const ReproArgs& args, util::StopRequest& stop);

}  // namespace numalab::cli
