#pragma once
// numalab compare: the lab's workloads on two or more kernels, `repeat` fresh boots each, the
// kernels interleaved (A B A B ...) so that drift of the host is spread over all of them instead of
// masquerading as a difference; when the host has room for one run of every kernel at once, each
// repetition's runs run side by side (a slot), so that the host's load hits them all alike. Every kernel is
// resolved (built) once, before the first boot, and the resolved kernel (image, sha256, modules) is what
// every run boots: a patch file changed during a long compare changes nothing, and an image that changed
// under the compare stops it, saying why. The plan goes into the results database before the first boot and
// every finished run is recorded at once, so an interrupted compare resumes where it stopped (resume = its
// id).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compare/comparison_options.hpp"
#include "lab/lab.hpp"
#include "report/compare_report.hpp"
#include "run/lab_runner.hpp"
#include "run/run_pool.hpp"
#include "store/store.hpp"

namespace numalab::run {

struct CompareRequest {
  std::vector<std::string> kernels;  // as --kernel names them; [0] is the baseline
  int repeat = 3;
  std::optional<std::string> resume;  // a compare id: continue it (kernels and repeat come from it)
  compare::ComparisonOptions stats;
  // Runs at once (run_pool.hpp). When one run of every kernel fits at once, each repetition's runs
  // run side by side (a slot); the compare records it, and `--blocking auto` blocks by slot then.
  PoolLimits limits;
};

struct CompareOutcome {
  report::CompareReport report;
  int interrupted_by = 0;  // the signal that stopped the compare, or 0
};

// From a kernel's name (as --kernel gives it) to a bootable kernel, built if need be.
using KernelResolver = std::function<util::Result<kernel::ResolvedKernel>(const std::string& name)>;

// The real one: kernel::resolve_kernel, relative to the working folder, building with the
// settings' cache, telling `status`, stopping on `stop`.
KernelResolver kernel_resolver(const lab::Lab& lab, const RunSettings& settings, StatusSink& status,
                               util::StopRequest& stop);

util::Result<CompareOutcome> run_compare(const lab::Lab& lab, const CompareRequest& request,
                                         const RunSettings& settings, RunEnvironment& env,
                                         const KernelResolver& resolve);

// The plan: for each repetition, every kernel in order.
std::vector<store::ComparePlanRow> interleaved_plan(std::size_t kernels, int repeat);

// The image `k` names is still the one it was resolved as (same sha256).
util::Result<void> same_image(const kernel::ResolvedKernel& k);

}  // namespace numalab::run
