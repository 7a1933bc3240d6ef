#pragma once
// Run ids as users see them: the database row id zero-padded to 4 digits ("0001"), wider past 9999.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::store {

std::string format_run_id(std::int64_t id);
// "0042" and "42" both name row 42; nullopt for anything that is not a positive decimal number.
std::optional<std::int64_t> parse_run_id(std::string_view text);
// A run id as a user typed it, the way the store writes it: "7" and "007" are "0007". Text that
// names no row ("latest", "0") comes back as it is, for the lookup to find no such run.
std::string canonical_run_id(std::string_view text);

}  // namespace numalab::store
