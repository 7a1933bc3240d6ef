#pragma once
// Which way a metric is better: the guest says it with each metric, the compare orients ratios by
// it, the reports print it. Shared with the guest agent: the standard library only.

#include <optional>
#include <string_view>

namespace numalab::model {

enum class Better { lower, higher, none };

std::string_view to_string(Better b);
std::optional<Better> better_from_string(std::string_view s);  // "lower", "higher", "none"

}  // namespace numalab::model
