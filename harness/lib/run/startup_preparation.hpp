#pragma once
// `--boot restore` (issue 17's startup cache): before a run, each machine's booted guest is found in
// the startup cache, or made once by a cold boot that is saved at its agent's hello. Every run then
// restores it (ActiveRun) instead of booting. A machine whose entry cannot be made (its guest never
// says hello, QEMU refuses the save) boots fresh in every run, and the run says why.

#include <string>

#include "lab/lab.hpp"
#include "launch/startup_cache.hpp"
#include "launch/vm.hpp"
#include "run/prepared_run.hpp"
#include "run/run_settings.hpp"
#include "run/status.hpp"
#include "util/stop_request.hpp"

namespace numalab::run {

// How many booted guests the startup cache keeps (each holds a guest's RAM, sparse).
inline constexpr std::size_t k_startup_entries_kept = 8;

// The boot a run of `lab` uses: --boot, else the lab's `boot`, else fresh.
lab::Boot boot_of(const lab::Lab& lab, const RunSettings& s);

// A compare boots fresh. Restored runs share their entry's one boot, and what that boot fixed (where
// memory lies) then differs between the kernels' entries, not between runs: measured in an A/A
// compare of one kernel with two entries (5 restores each), numa_pages_migrated differed by 1.56 %
// with 0 % CV and was called significant, with pgmigrate_success; with fresh boots nothing was.
// `--boot restore` on a compare is bad input, saying so; a lab's `boot = "restore"` is set aside:
// `s.boot` becomes fresh and the returned note says why (empty when there was nothing to say).
util::Result<std::string> boot_fresh_for_compare(const lab::Lab& lab, RunSettings& s);

// A machine's VmSpec as the startup cache boots and restores it: with a VM generation ID device, so
// that a restored guest's kernel re-seeds its random generator.
launch::VmSpec restorable(launch::VmSpec spec);
// restorable() of vm_spec_for with every machine's sockets under `sockets_root`: its key is the same
// as in every run (startup_key() leaves the sockets out).
launch::VmSpec restorable_spec(const lab::Lab& lab, const PreparedMachine& p,
                               const launch::AccelChoice& accel, const std::string& qemu_binary,
                               const std::filesystem::path& sockets_root);
std::string machine_startup_key(const launch::VmSpec& spec, const PreparedMachine& p,
                                const std::string& qemu_version);

// For every machine of `run`: its entry (p.startup), made now when the cache has none, or why it
// boots fresh (p.fresh_because). Errors only for a stop request (kind interrupted) and a cache that
// cannot be written; a guest that does not boot is a reason, not an error.
util::Result<void> prepare_startup(const lab::Lab& lab, PreparedRun& run, const RunSettings& s,
                                   const launch::StartupCache& cache, launch::Launcher& launcher,
                                   util::StopRequest& stop, StatusSink& status);

}  // namespace numalab::run
