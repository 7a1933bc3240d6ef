#pragma once

#include <string>

namespace numalab::util {

// Now, as ISO 8601 UTC to the second: "2026-11-22T07:04:05Z".
std::string utc_timestamp();

}  // namespace numalab::util
