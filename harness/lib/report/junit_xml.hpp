#pragma once
// The JUnit XML file of a comparison (`numalab compare --junit FILE`), in the shape Jenkins,
// GitLab and most CI systems read ("JUnit 10"; harness/report/junit.xsd is the schema it is
// checked against):
//
//   <testsuites name tests failures errors skipped time>
//     <testsuite name="KERNEL" tests failures errors skipped time [timestamp]>   one per kernel
//       <properties> lab, compare_id, kernel, kernel_release, kernel_sha256, cache_key, base,
//                    series, series_hash, config, baseline, role, repeat, accel </properties>
//       <testcase name="WORKLOAD" classname="numalab.LAB.KERNEL" time="MEAN ELAPSED">
//         <failure|error message type>reasons</failure|error>  or  <skipped message/>
//         <system-out>the metrics with their means</system-out>
//
// Which cases fail and why: junit_cases.hpp. Counts are consistent by construction: a suite's
// tests, failures, errors and skipped count its cases, its time is the sum of theirs, and the root
// sums the suites. All text is escaped for XML 1.0 (report_text.hpp): guest text may hold any byte.

#include <string>

#include "report/compare_report.hpp"

namespace numalab::report {

std::string junit_xml(const CompareReport& report);

}  // namespace numalab::report
