#pragma once
// The exit statuses of shared/design.md: 0 pass, 1 fail/regression, 2 bad input, 3 the lab could
// not run, 4 a guest hung or crashed; 128+N when signal N interrupted numalab.

#include "result/verdict.hpp"
#include "util/error.hpp"

namespace numalab::cli {

inline constexpr int k_exit_pass = 0;
inline constexpr int k_exit_fail = 1;
inline constexpr int k_exit_bad_input = 2;
inline constexpr int k_exit_cannot_run = 3;
inline constexpr int k_exit_hang_or_crash = 4;

int exit_status_for(result::Verdict v);
int exit_status_for(const util::Error& e);

}  // namespace numalab::cli
