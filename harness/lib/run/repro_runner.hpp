#pragma once
// numalab repro's loop: a bundle's lab run again and again with the same kernels (resolved once,
// its guest images prepared once), as many at once as `limits` allow, counting how often the
// bundled verdict comes back and how long each took to fail, until the planned number of runs or,
// with until_fail, the first reproduction (the runs under way then still finish and count).

#include <optional>
#include <vector>

#include "run/lab_runner.hpp"
#include "run/run_pool.hpp"

namespace numalab::run {

struct ReproRequest {
  result::Verdict expected = result::Verdict::hang;  // the bundled run's verdict
  int runs = 1;                                      // at most
  bool until_fail = false;                           // stop at the first reproduction
  PoolLimits limits;                                 // runs at once
};

struct ReproOutcome {
  int done = 0;               // runs that finished
  int hits = 0;               // of them, the ones that gave the expected verdict
  std::vector<double> times;  // time to failure of each reproduction that says it
  int interrupted_by = 0;     // the signal that stopped the loop, or 0
};

util::Result<ReproOutcome> run_repro(const lab::Lab& lab, const LabKernels& kernels,
                                     const ReproRequest& request, const RunSettings& settings,
                                     RunEnvironment& env);

}  // namespace numalab::run
