#pragma once
// A stored compare as one value: its record, its finished runs and the statistics over them.

#include <optional>
#include <string>

#include "report/compare_report.hpp"
#include "store/store.hpp"

namespace numalab::report {

// nullopt when there is no such compare.
util::Result<std::optional<CompareReport>> load_compare_report(store::ResultsStore& store,
                                                               const std::string& compare_id);

}  // namespace numalab::report
