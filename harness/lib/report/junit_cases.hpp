#pragma once
// What the JUnit file says, before it is XML: one suite per kernel, one case per workload, each
// case passed, failed, errored or skipped, with the reasons in words. junit_xml.hpp writes it.
//
// A case FAILS when the kernel under test did something wrong:
//   - a functional failure with verdict fail (the workload found wrong behaviour), crash (the
//     kernel oopsed or panicked) or hang (the guest stopped answering): JUnit's <failure> is "the
//     code under test was found wrong", and a crash or hang while the workload ran is the kernel's
//     doing, not the test's. CI dashboards count failures as the change's fault, so these belong
//     there; the type attribute says which (fail, hang, crash);
//   - or a significant regression of one of its metrics against the baseline (type regression).
// A case ERRORS when only verdict error occurred: the workload itself could not run (a missing
// tool, a setup step refused, or "not run" because an earlier workload broke the boot), so the
// kernel's behaviour is unknown, which is exactly JUnit's <error> ("the test had a problem").
// A case is SKIPPED when no finished run of the kernel reached it (an interrupted compare).
// The baseline's cases never carry regressions (there is nothing to regress against).

#include <string>
#include <utility>
#include <vector>

#include "report/compare_report.hpp"

namespace numalab::report {

enum class CaseOutcome { passed, failure, error, skipped };

struct JunitCase {
  std::string name;   // the workload label as the runs report it ("numa02/hard-bind", "numa02#2")
  double time_s = 0;  // mean elapsed over the repetitions that reached the workload
  CaseOutcome outcome = CaseOutcome::passed;
  std::string type;     // of the <failure>/<error>: the worst verdict, or "regression"
  std::string message;  // one line
  std::string body;     // every functional failure and regression, in words
  std::string out;      // the metrics with their means (and the change against the baseline)
};

struct JunitSuite {
  std::string name;       // the kernel's label (report_kernels.hpp)
  std::string classname;  // "numalab.LAB.KERNEL", each part reduced to [A-Za-z0-9_-]
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<JunitCase> cases;
};

// Cases, per kernel in report order: every (workload, machine) any finished run reported, in the
// order first seen, so each kernel's suite lists the same cases; a case "(run)" is added to a
// kernel whose runs broke without a workload to blame.
std::vector<JunitSuite> junit_suites(const CompareReport& report);

}  // namespace numalab::report
