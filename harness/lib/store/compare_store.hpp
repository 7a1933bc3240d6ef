#pragma once
// Comparisons in the results database: a compare's plan and which of its runs finished.
// Compare ids as users see them: "c" and the row id zero-padded to 4 digits ("c0001").

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite_database.hpp"

namespace numalab::store {

struct ComparePlanRow {
  int seq = 0;
  int kernel = 0;  // index into CompareRecord::kernels
  int repetition = 0;
  std::optional<std::string> run_id;  // "0042" once the run finished
};

struct CompareRecord {
  std::string compare_id;  // "c0001"; set by begin_compare
  std::string lab, lab_file, lab_sha256, started_at;
  double duration_s = 0;
  int repeat = 1;
  std::string state = "running";  // "running", "interrupted", "complete"
  nlohmann::json options = nlohmann::json::object();
  nlohmann::json kernels = nlohmann::json::array();
  nlohmann::json machines = nlohmann::json::array();
  std::vector<ComparePlanRow> plan;
};

struct CompareSummaryRow {
  std::string compare_id, lab, started_at, state, kernels;
  int repeat = 0;
  int runs_done = 0, runs_planned = 0;
};

std::string format_compare_id(std::int64_t id);
std::optional<std::int64_t> parse_compare_id(std::string_view text);  // "c0042", "C42", "42"

// Inserts the compare and its plan (run ids not set); returns the new id.
util::Result<std::string> insert_compare(const Database& db, const CompareRecord& record);
util::Result<void> set_compare_run(const Database& db, const std::string& compare_id, int seq,
                                   const std::string& run_id);
util::Result<void> set_compare_state(const Database& db, const std::string& compare_id,
                                     const std::string& state, double duration_s);
util::Result<std::optional<CompareRecord>> read_compare(const Database& db, const std::string& compare_id);
util::Result<std::vector<CompareSummaryRow>> read_compare_list(const Database& db, int limit);
// The ids of the compares of a lab: its name is `lab` or its file's sha256 is `lab_sha256`; oldest
// first.
util::Result<std::vector<std::string>> read_compares_of_lab(const Database& db, const std::string& lab,
                                                            const std::string& lab_sha256);

}  // namespace numalab::store
