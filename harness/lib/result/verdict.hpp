#pragma once

#include <optional>
#include <string_view>

namespace numalab::result {

// Ordered by severity: combining two verdicts keeps the worse one.
enum class Verdict { pass, fail, error, hang, crash };

std::string_view to_string(Verdict v);
std::optional<Verdict> verdict_from_string(std::string_view s);
Verdict worst(Verdict a, Verdict b);

}  // namespace numalab::result
