#pragma once
// Helpers for the lab parser tests: a good lab to break, and checks that a message names the file,
// the line and the fix.

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>

#include "lab/lab.hpp"

namespace numalab::lab::test {

inline constexpr const char* k_file = "lab/test.toml";

// A good two-node lab that the tests below break one way at a time.
inline const std::string k_good = R"(name = "t"

[[machine]]
name = "guest"

  [[machine.node]]
  cpus = [0, 1]
  memory = "512M"

  [[machine.node]]
  cpus = [2, 3]
  memory = "512M"

[[workload]]
name = "topology-check"
)";

// text with the first `from` replaced by `to`.
inline std::string with(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' is not in the lab";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The 1-based line of the first occurrence of `needle` in `text`.
inline int line_of(std::string_view text, std::string_view needle) {
  auto at = text.find(needle);
  EXPECT_NE(at, std::string_view::npos) << "'" << needle << "' is not in the lab";
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

inline std::string error_of(std::string_view text) {
  auto lab = parse_lab_text(text, k_file);
  if (lab) {
    ADD_FAILURE() << "the lab parsed, but should not have:\n" << text;
    return "";
  }
  EXPECT_EQ(lab.error().kind, util::ErrorKind::bad_input);
  return lab.error().message;
}

// Every line of `message` names the file; one of them, at `line`, contains `phrase`.
inline testing::AssertionResult has_problem(const std::string& message, int line, std::string_view phrase) {
  std::istringstream lines(message);
  std::string prefix = std::string(k_file) + ":" + std::to_string(line) + ": ";
  bool found = false;
  for (std::string text; std::getline(lines, text);) {
    if (!text.starts_with(std::string(k_file) + ":"))
      return testing::AssertionFailure() << "a line does not start with the file name: " << text;
    found = found || (text.starts_with(prefix) && text.find(phrase) != std::string::npos);
  }
  if (found) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "no line '" << prefix << "...' contains '" << phrase << "' in:\n"
                                     << message;
}

// The error of `text`, with a problem at the line of `at` that contains `phrase`.
inline testing::AssertionResult fails_at(const std::string& text, std::string_view at,
                                         std::string_view phrase) {
  return has_problem(error_of(text), line_of(text, at), phrase);
}

inline Lab parse_good(std::string_view text) {
  auto lab = parse_lab_text(text, k_file);
  EXPECT_TRUE(lab.has_value()) << (lab ? "" : lab.error().message);
  return lab.value_or(Lab{});
}

inline Lab parse_example(const std::string& name) {
  auto lab = parse_lab_file(std::string(NUMALAB_SOURCE_DIR) + "/lab/" + name);
  EXPECT_TRUE(lab.has_value()) << (lab ? "" : lab.error().message);
  return lab.value_or(Lab{});
}

}  // namespace numalab::lab::test
