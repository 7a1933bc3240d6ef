#pragma once
// The KCIDB file of a comparison (`numalab compare --kcidb FILE`): Kernel CI's common reporting
// format, I/O schema version 4.5 (kernelci/kcidb-io, kcidb_io/schema/v04_05.py; the JSON Schema of
// exactly what is emitted here is harness/report/kcidb.schema.json).
//
//   version    {"major": 4, "minor": 5}
//   checkouts  one per kernel: the base (git_commit_hash for a git base, tree_name "debian" for
//              Debian's source package), patchset_hash = the series' hash ("" for a kernel built
//              without patches), misc: kernel, base, series, series_hash, config, cache_key
//   builds     one per kernel: architecture x86_64, config_name (the fragments), misc: release,
//              sha256 of the image, cache_key
//   tests      per finished run: the run (path "numalab"), each workload ("numalab.WORKLOAD"), each
//              metric of each workload ("numalab.WORKLOAD.METRIC", status DONE with "number"
//              {value, unit}; SKIP when the kernel has no such counter); environment: the lab, the
//              accelerator, the machines' topology; misc: compare_id, kernel, repetition, run_id
//              and, on a metric of a kernel other than the baseline, its comparison (ratio,
//              interval, p, significant, change).
//
// Ids are "ORIGIN:COMPARE_ID:KERNEL" for checkouts and builds, and for tests
// "...:KERNEL:REPETITION[:MACHINE:WORKLOAD[:METRIC]]", each part with ':' and '%' percent-encoded,
// so they are unique and the same report gives the same ids. KERNEL is the label of
// report_kernels.hpp ("baseline#2" for the A/A copy).
//
// Status of a workload (KCIDB: FAIL = the tested code is faulty, ERROR = the test could not
// complete and the code's status is unknown, MISS = the test did not run):
//   pass -> PASS; fail -> FAIL; crash, hang -> FAIL (the kernel oopsed, panicked or froze while
//   the workload ran: the tested code is at fault; misc.verdict keeps which); error -> ERROR;
//   error "not run: ..." (an earlier workload broke the boot) -> MISS.
// A run's status is that of its verdict by the same rule.

#include <nlohmann/json.hpp>
#include <string>

#include "report/compare_report.hpp"

namespace numalab::report {

inline constexpr int k_kcidb_major = 4;
inline constexpr int k_kcidb_minor = 5;

// origin: the CI system's name; reduced to KCIDB's [a-z0-9_]+ (lower case, others '_').
nlohmann::json kcidb_json(const CompareReport& report, const std::string& origin = "numalab");

}  // namespace numalab::report
