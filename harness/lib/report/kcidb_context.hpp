#pragma once
// What the KCIDB writer's parts share: the report, the origin, the kernels' labels and ids.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "report/compare_report.hpp"

namespace numalab::report {

struct KcidbContext {
  const CompareReport& report;
  std::string origin;               // [a-z0-9_]+
  std::vector<std::string> labels;  // report_kernels.hpp

  // "ORIGIN:COMPARE_ID:KERNEL", the checkout's and the build's id.
  std::string kernel_id(std::size_t kernel) const;
};

KcidbContext make_kcidb_context(const CompareReport& report, const std::string& origin);

// One part of an id: ':' and '%' percent-encoded, so parts cannot run into each other.
std::string id_part(std::string_view s);

// Guest or console text as a KCIDB string: valid UTF-8, no NUL, at most max_bytes.
std::string kcidb_text(std::string_view s, std::size_t max_bytes = std::string_view::npos);

// The tests of every finished run (kcidb_tests.cpp).
nlohmann::json kcidb_tests(const KcidbContext& context);

}  // namespace numalab::report
