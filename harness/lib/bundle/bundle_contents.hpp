#pragma once
// What goes into a reproducer bundle of one stored run, as a list of entries and the manifest
// (bundle.json, the last entry). The run folder is only read; nothing is written here.
//
//   bundle.json  lab.toml  summary.json  seeds.json (when the run had seeds)
//   patches/NAME/...            the series of each [kernel.NAME] a machine booted
//   kernels/FRAGMENT.config     the config fragments those kernels name
//   machines/M/kernel.json      the kernel's identity and build record; kernel.config its .config
//   machines/M/{qemu-argv.json, agent.jsonl, console.log, qemu.log, reports.json}
//   machines/M/{capture.json, hang-report.txt, registers-1.txt, registers-2.txt}  when present
//   machines/M/{vmcore, vmlinux}   with_dump;   machines/M/bzImage   with_kernel

#include <string>
#include <vector>

#include "bundle/bundle_entry.hpp"
#include "bundle/bundle_manifest.hpp"
#include "result/run_result.hpp"
#include "util/error.hpp"

namespace numalab::bundle {

struct BundleRequest {
  result::RunResult run;  // as the store has it; run.run_dir is read
  bool with_dump = false;
  bool with_kernel = false;
  std::string numalab_version;
  std::string created_at;
};

struct BundlePlan {
  std::vector<BundleEntry> entries;
  BundleManifest manifest;
};

// Fails (bad_input) only when the run folder is gone.
util::Result<BundlePlan> plan_bundle(const BundleRequest& request);

// The classified kernel reports of a console log, as reports.json holds them.
nlohmann::json reports_json(std::string_view console_log);

}  // namespace numalab::bundle
