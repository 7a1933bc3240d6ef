#pragma once
// "Did you mean ...?" for misspelt keys and names in lab files.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::lab {

// Suggestions are made only within this many edits.
inline constexpr std::size_t k_max_suggestion_distance = 2;

// Edits (insert, delete, substitute, swap two neighbours) that turn a into b, ignoring case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to word within k_max_suggestion_distance edits (the first on a tie).
std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'memory'?", or "" when no candidate is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c": candidates for a message.
std::string join_names(const std::vector<std::string>& names);

}  // namespace numalab::lab
